"""PURE: the public listing's filters, parsed from query parameters.

The listing page, the exports, the Atom feed, the JSON API and saved searches all take the
same parameters, so they are parsed and validated in one place. The API answers invalid
values with 400 naming the parameter; the HTML listing drops them and says why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace

from talentmatch.geo.codes import is_prefecture_code, is_valid_code
from talentmatch.messages import MSG_CHOICE, N_, FieldError, Msg
from talentmatch.vocab import (
    EMPLOYMENT_TYPES,
    FOCUS_AREAS,
    PREFECTURE_CODES,
    REMOTE_OPTIONS,
    values,
)

PER_PAGE = 20
MAX_PER_PAGE = 100
# Longer input is not a search; capping keeps the query small (parse_query caps again).
MAX_Q_CHARS = 200
SORTS = ("deadline", "newest")
EMPLOYMENT_VALUES = values(EMPLOYMENT_TYPES)
FOCUS_VALUES = values(FOCUS_AREAS)
REMOTE_VALUES = values(REMOTE_OPTIONS)
# Parameters that narrow the result set (each has per-option counts on the listing).
FACETS = ("prefecture", "municipality", "employment_type", "focus_area", "remote", "joint",
          "side_job")
PARAMS = (*FACETS, "q", "sort", "page", "per_page")

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})

MSG_PREFECTURE = N_("Unknown prefecture code.")
MSG_MUNICIPALITY = N_("Unknown municipality code.")
MSG_FLAG = N_("Enter 1 or 0.")
MSG_PAGE = N_("Enter a page number of 1 or more.")
MSG_PER_PAGE = N_("Enter a number between 1 and %(max)s.")
MSG_REPEATED = N_("Give this parameter only once.")


@dataclass(frozen=True)
class ListingFilters:
    prefecture: str | None = None
    municipality: str | None = None
    employment_type: str | None = None
    focus_area: str | None = None
    remote: str | None = None
    joint: bool = False
    side_job: bool = False
    q: str = ""
    sort: str = "deadline"
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def narrowed(self) -> bool:
        """True when any filter or keyword is set (sort and page do not narrow)."""
        return any(getattr(self, name) for name in FACETS) or bool(self.q.strip())

    def with_(self, **changes: object) -> ListingFilters:
        return replace(self, **changes)

    def query_args(self, **changes: object) -> dict[str, str]:
        """Non-default values as query parameters, for links (pagination, tiles, feeds)."""
        f = replace(self, **changes) if changes else self
        out: dict[str, str] = {}
        for fld in fields(f):
            value = getattr(f, fld.name)
            if value == fld.default or value in (None, ""):
                continue
            out[fld.name] = "1" if value is True else str(value)
        return out


def _single(args: Mapping, name: str) -> tuple[str | None, bool]:
    """The parameter's one value (stripped) and whether it was given more than once."""
    getlist = getattr(args, "getlist", None)
    if getlist is not None:
        values = getlist(name)
        if not values:
            return None, False
        return str(values[0]).strip(), len(values) > 1
    value = args.get(name)
    return (None if value is None else str(value).strip()), False


def parse_filters(
    args: Mapping,
    *,
    municipality_exists: Callable[[str], bool] | None = None,
    per_page_default: int = PER_PAGE,
) -> tuple[ListingFilters, list[FieldError]]:
    """Parse listing parameters. Invalid values are left at their default and reported as
    FieldErrors naming the parameter; unknown parameters are ignored."""
    errors: list[FieldError] = []
    values: dict[str, object] = {}

    def err(name: str, msgid: str, **params: object) -> None:
        errors.append(FieldError(name, Msg(msgid, params)))

    raw: dict[str, str] = {}
    for name in PARAMS:
        value, repeated = _single(args, name)
        if repeated:
            err(name, MSG_REPEATED)
            continue
        if value:
            raw[name] = value

    if "prefecture" in raw:
        code = raw["prefecture"]
        if code in PREFECTURE_CODES:
            values["prefecture"] = code
        else:
            err("prefecture", MSG_PREFECTURE)
    if "municipality" in raw:
        code = raw["municipality"]
        if (
            is_valid_code(code)
            and not is_prefecture_code(code)
            and (municipality_exists is None or municipality_exists(code))
        ):
            values["municipality"] = code
        else:
            err("municipality", MSG_MUNICIPALITY)
    for name, allowed in (
        ("employment_type", EMPLOYMENT_VALUES),
        ("focus_area", FOCUS_VALUES),
        ("remote", REMOTE_VALUES),
        ("sort", SORTS),
    ):
        if name in raw:
            if raw[name] in allowed:
                values[name] = raw[name]
            else:
                err(name, MSG_CHOICE, value=raw[name][:50])
    for name in ("joint", "side_job"):
        if name in raw:
            flag = raw[name].lower()
            if flag in _TRUE:
                values[name] = True
            elif flag not in _FALSE:
                err(name, MSG_FLAG)
    if "q" in raw:
        values["q"] = raw["q"][:MAX_Q_CHARS]
    if "page" in raw:
        page = _int(raw["page"])
        if page is None or page < 1:
            err("page", MSG_PAGE)
        else:
            values["page"] = min(page, 1_000_000)
    values["per_page"] = per_page_default
    if "per_page" in raw:
        per_page = _int(raw["per_page"])
        if per_page is None or not 1 <= per_page <= MAX_PER_PAGE:
            err("per_page", MSG_PER_PAGE, max=MAX_PER_PAGE)
        else:
            values["per_page"] = per_page
    return ListingFilters(**values), errors  # type: ignore[arg-type]


def _int(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def matches(f: ListingFilters, revision: object, query: object | None = None) -> bool:
    """Whether one revision (any object with the template's attributes, `focus_key` and
    `search_text`) meets the filters — the same rule as the SQL listing, for saved-search
    matching. `query` is the parsed keyword query (text.KeywordQuery) of `f.q`."""
    r = revision
    checks = (
        (f.prefecture, lambda: r.prefecture_code == f.prefecture),
        (f.municipality, lambda: r.municipality_code == f.municipality),
        (f.employment_type, lambda: r.employment_type == f.employment_type),
        (f.focus_area, lambda: f"|{f.focus_area}|" in (r.focus_key or "")),
        (f.remote, lambda: r.remote == f.remote),
        (f.joint, lambda: r.joint_wish == "joint"),
        (f.side_job, lambda: r.side_job_ok is True),
        (query, lambda: query.matches(r.search_text or "")),  # type: ignore[union-attr]
    )
    return all(check() for active, check in checks if active)
