"""Saved-search input and words: the listing's parameters cleaned into a SearchFilters
(errors naming the field), municipalities by name or code, and a search described in the
reader's language for pages and mail."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from flask_babel import force_locale, gettext
from sqlalchemy import select

from talentmatch import vocab
from talentmatch.extensions import db
from talentmatch.geo.codes import is_prefecture_code, normalize_code
from talentmatch.geo.models import Municipality, Prefecture
from talentmatch.geo.services import municipal_lookup
from talentmatch.i18n import LOCALES
from talentmatch.messages import MSG_CHOICE, N_, FieldError, Msg
from talentmatch.postings.template.fields import choice_label
from talentmatch.subscriptions import matching
from talentmatch.subscriptions.matching import FREQUENCIES, SearchFilters

MSG_PREFECTURE = N_("Unknown prefecture code.")
MSG_MUNICIPALITY_UNKNOWN = N_("No municipality has this name or code.")
MSG_MUNICIPALITY_AMBIGUOUS = N_(
    "Several municipalities have this name (%(names)s): add the prefecture, e.g. %(example)s.")
MSG_MUNICIPALITY_OUTSIDE = N_("This municipality is not in the prefectures you chose.")
MSG_Q_TOO_LONG = N_("Enter at most %(max)s characters.")
MSG_FREQUENCY = N_("Choose how often you want mail.")

_EMPLOYMENT = vocab.values(vocab.EMPLOYMENT_TYPES)
_FOCUS = vocab.values(vocab.FOCUS_AREAS)
_REMOTE = vocab.values(vocab.REMOTE_OPTIONS)
_TRUE = frozenset({"1", "true", "yes", "on", "y"})


class SubscriptionError(Exception):
    """Invalid input, with errors naming the fields; nothing was saved."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(f"{len(errors)} invalid field(s)")
        self.errors = errors


def _values(data: Mapping, name: str) -> list[str]:
    getlist = getattr(data, "getlist", None)
    raw = getlist(name) if getlist is not None else data.get(name)
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    out: list[str] = []
    for value in raw:
        text = str(value).strip()
        if text and text not in out:
            out.append(text)
    return out


def _flag(value: object) -> bool:
    return value is True or str(value or "").strip().lower() in _TRUE


def clean_filters(data: Mapping) -> SearchFilters:
    """The listing's parameter names (prefecture, municipality, employment_type, focus_area,
    remote, joint, side_job, q), each list-valued ones possibly repeated. Raises
    SubscriptionError naming the fields."""
    errors: list[FieldError] = []

    def choices(name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        values = _values(data, name)
        bad = [v for v in values if v not in allowed]
        if bad:
            errors.append(FieldError(name, Msg(MSG_CHOICE, {"value": bad[0][:50]})))
        return tuple(v for v in allowed if v in values)  # canonical order

    prefectures = _values(data, "prefecture")
    if any(p not in matching.PREFECTURE_CODES for p in prefectures):
        errors.append(FieldError("prefecture", Msg(MSG_PREFECTURE)))
    prefectures = [p for p in matching.PREFECTURE_CODES if p in prefectures]
    employment = choices("employment_type", _EMPLOYMENT)
    focus = choices("focus_area", _FOCUS)
    remote_values = choices("remote", _REMOTE)
    q = " ".join(str(data.get("q") or "").split())
    if len(q) > matching.MAX_Q_CHARS:
        errors.append(FieldError("q", Msg(MSG_Q_TOO_LONG, {"max": matching.MAX_Q_CHARS})))
    municipality = None
    muni_text = str(data.get("municipality") or "").strip()
    if muni_text:
        try:
            municipality = resolve_municipality(muni_text, prefectures)
        except SubscriptionError as exc:
            errors.extend(exc.errors)
    if errors:
        raise SubscriptionError(errors)
    return SearchFilters(
        prefectures=tuple(prefectures), municipality=municipality,
        employment_types=employment, focus_areas=focus,
        remote=remote_values[0] if remote_values else None,
        joint=_flag(data.get("joint")), side_job=_flag(data.get("side_job")), q=q)


def resolve_municipality(text: str, prefectures: list[str] | tuple[str, ...] = ()) -> str:
    """A municipality from its code (5 or 6 digits) or name ("伊達市", "北海道伊達市")."""
    code = normalize_code(text)
    if code is None and not text.isdigit():
        name = re.sub(r"\s+", "", text)
        rows = db.session.execute(
            select(Municipality.code, Municipality.name, Prefecture.name)
            .join(Prefecture, Prefecture.code == Municipality.prefecture_code)
            .where(Municipality.kind != "prefecture")
            .where((Municipality.name == name) | ((Prefecture.name + Municipality.name) == name))
        ).all()
        if prefectures and len(rows) > 1:
            rows = [r for r in rows if r[0][:2] in prefectures] or rows
        if len(rows) > 1:
            names = "、".join(f"{p}{m}" for _c, m, p in rows[:5])
            raise SubscriptionError([FieldError("municipality", Msg(
                MSG_MUNICIPALITY_AMBIGUOUS, {"names": names, "example": f"{rows[0][2]}{rows[0][1]}"}))])
        code = rows[0][0] if rows else None
    place = municipal_lookup(code) if code else None
    if place is None or is_prefecture_code(code) or place.kind == "prefecture":
        raise SubscriptionError([FieldError("municipality", Msg(MSG_MUNICIPALITY_UNKNOWN))])
    if prefectures and code[:2] not in prefectures:
        raise SubscriptionError([FieldError("municipality", Msg(MSG_MUNICIPALITY_OUTSIDE))])
    return code


def municipality_input(code: str | None) -> str:
    """How a form shows a stored municipality: unambiguous "北海道伊達市"."""
    place = municipal_lookup(code) if code else None
    return f"{place.prefecture_name}{place.name}" if place else ""


def clean_frequency(value: object) -> str:
    value = str(value or "")
    if value not in FREQUENCIES:
        raise SubscriptionError([FieldError("frequency", Msg(MSG_FREQUENCY))])
    return value


def clean_locale(value: object, default: str = "ja") -> str:
    value = str(value or "")
    return value if value in LOCALES else (default if default in LOCALES else "ja")


# --------------------------------------------------------------------------- in words


@lru_cache(maxsize=1)
def _prefecture_names() -> dict[str, tuple[str, str]]:
    return {p.code: (p.name, p.name_en or p.name) for p in db.session.scalars(select(Prefecture))}


def prefecture_name(code: str, lang: str) -> str:
    ja, en = _prefecture_names().get(code, (code, code))
    return en if lang == "en" else ja


def municipality_name(code: str, lang: str = "ja") -> str:
    place = municipal_lookup(code)
    if place is None:
        return code
    return f"{place.name} ({prefecture_name(place.prefecture_code, 'en')})" if lang == "en" \
        else f"{place.prefecture_name}{place.name}"


def describe(f: SearchFilters, lang: str) -> list[tuple[str, str]]:
    """The saved search in words, in the current gettext language: (label, values)."""
    parts = matching.describe(
        f, prefecture_name=lambda c: prefecture_name(c, lang),
        municipality_name=lambda c: municipality_name(c, lang), choice_label=choice_label)
    sep = "、" if lang == "ja" else ", "
    return [(gettext(p.label),
             sep.join(v.render(gettext) if isinstance(v, Msg) else v for v in p.values))
            for p in parts]


def clean_all(data: Mapping, default_locale: str) -> tuple[SearchFilters, str, str]:
    errors: list[FieldError] = []
    filters = frequency = None
    try:
        filters = clean_filters(data)
    except SubscriptionError as exc:
        errors.extend(exc.errors)
    try:
        frequency = clean_frequency(data.get("frequency"))
    except SubscriptionError as exc:
        errors.extend(exc.errors)
    if errors:
        raise SubscriptionError(errors)
    return filters, frequency, clean_locale(data.get("locale"), default_locale)  # type: ignore[return-value]


def describe_in(f: SearchFilters, locale: str) -> list[tuple[str, str]]:
    with force_locale(locale):
        return describe(f, locale)
