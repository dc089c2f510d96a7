"""Translated labels for roles and kinds, shared by templates."""

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "ministry": _l("Ministry (MIC)"),
    "prefecture": _l("Prefecture coordinator"),
    "municipality": _l("Municipality staff"),
    "professional": _l("Digital professional"),
}

KIND_LABELS = {
    "prefecture": _l("Prefecture"),
    "designated_city": _l("Designated city"),
    "city": _l("City"),
    "special_ward": _l("Special ward"),
    "town": _l("Town"),
    "village": _l("Village"),
}
