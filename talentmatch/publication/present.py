"""PURE: which fields of a posting the public sees, and how they read in each format.

The posting page, the API, the CSV / Excel exports and the feed all take their fields from
here, so nothing outside this list (reviewer comments, staff data, advice, planned
publication channels) can reach a public file by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from talentmatch.clock import TOKYO
from talentmatch.joint.shares import participants_text
from talentmatch.postings.template.fields import CHOICES, FIELDS_BY_KEY
from talentmatch.postings.template.headers import JA_HEADERS

# The template's fields as the public sees them, in the template's order
# (publication_channels is the municipality's own planning, not part of the posting).
PUBLIC_FIELDS: tuple[str, ...] = tuple(
    key for key in FIELDS_BY_KEY if key not in {"publication_channels"}
)
LIST_FIELDS = frozenset(k for k, f in FIELDS_BY_KEY.items() if f.type in ("tags", "multichoice"))

# employment_type → schema.org employmentType
SCHEMA_EMPLOYMENT = {
    "full_time_staff": "FULL_TIME",
    "special_part_time": "PART_TIME",
    "fiscal_year_appointee": "PART_TIME",
    "outsourcing": "CONTRACTOR",
    # A term-limited post; a company's employee placed with the municipality stays employed
    # by the company (the municipality pays a contribution, not a wage).
    "fixed_term_staff": "TEMPORARY",
    "company_secondment": "CONTRACTOR",
}
# compensation_unit → schema.org unitText (a whole-contract amount has none)
SCHEMA_UNIT = {"hour": "HOUR", "day": "DAY", "month": "MONTH", "year": "YEAR"}

_JA: dict[str, dict[str, str]] = {
    key: {c.value: (c.aliases[0] if c.aliases else c.label) for c in choices}
    for key, choices in CHOICES.items()
}


def is_http_url(value: object) -> bool:
    """Only http(s) links are ever rendered as links (SECURITY.md 12)."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    lowered = text[:8].lower()
    return (
        (lowered.startswith("http://") or lowered.startswith("https://"))
        and not any(ch.isspace() or ord(ch) < 32 for ch in text)
        and len(text) > len("https://")
    )


def _iso(value: object) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def api_record(posting: Any, revision: Any, place: Any, url: str,
               participants: list[dict] | None = None) -> dict[str, Any]:
    """A posting as the JSON API returns it: public fields with raw values (codes, ISO
    dates), names for display, and the participating municipalities."""
    out: dict[str, Any] = {"id": posting.id, "url": url, "revision": revision.number}
    for key in PUBLIC_FIELDS:
        value = getattr(revision, key)
        out[key] = list(value or []) if key in LIST_FIELDS else _iso(value)
    out["municipality"] = place.name if place else None
    out["municipality_kind"] = place.kind if place else None
    out["prefecture_code"] = revision.prefecture_code
    out["prefecture"] = place.prefecture_name if place else None
    out["first_published_at"] = _iso(posting.first_published_at or revision.published_at)
    out["published_at"] = _iso(revision.published_at)
    out["participants"] = participants or [
        {"code": revision.municipality_code, "name": place.name if place else None, "share": None}
    ]
    return out


# --------------------------------------------------------------------------- exports

# Export files are Japanese (as MIC publishes its lists) and keep the template's headers, so
# a downloaded file can be read back by the import.
def _ja_value(key: str, value: object) -> object:
    if value is None:
        return ""
    if key in _JA:
        if isinstance(value, list | tuple):
            return ";".join(_JA[key].get(v, v) for v in value)
        return _JA[key].get(str(value), str(value))
    if isinstance(value, bool):
        return "可" if value else "不可"
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def export_columns() -> list[tuple[str, Callable[[Any], object]]]:
    """(Japanese header, getter over an entry with .posting/.revision/.place/.url)."""
    cols: list[tuple[str, Callable[[Any], object]]] = [
        ("募集ID", lambda e: e.posting.id),
        ("URL", lambda e: e.url),
        ("都道府県", lambda e: e.place.prefecture_name if e.place else ""),
        ("団体名", lambda e: e.place.name if e.place else ""),
    ]
    for key in PUBLIC_FIELDS:
        cols.append((JA_HEADERS.get(key, key), _getter(key)))
    cols.append(("共同任用の参加団体", lambda e: participants_text(getattr(e, "participants", None))))
    cols.append(("掲載日", lambda e: _date_of(e.posting.first_published_at
                                               or e.revision.published_at)))
    cols.append(("更新日", lambda e: _date_of(e.revision.published_at)))
    return cols


def _getter(key: str) -> Callable[[Any], object]:
    return lambda e: _ja_value(key, getattr(e.revision, key))


def _date_of(value: datetime | None) -> object:
    return "" if value is None else value.astimezone(TOKYO).date()
