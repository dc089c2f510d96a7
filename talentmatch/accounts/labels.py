"""Translated labels for roles, shared by templates."""

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "ministry": _l("Ministry (MIC)"),
    "prefecture": _l("Prefecture coordinator"),
    "municipality": _l("Municipality staff"),
    "professional": _l("Digital professional"),
}
