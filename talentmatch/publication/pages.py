"""What the public pages show: posting sections in the reader's language, JSON-LD, tiles,
feed entries and export rows — built from `search.Entry` objects, so the views stay thin."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from talentmatch.charts import tilemap
from talentmatch.geo.names import PREFECTURE_EN
from talentmatch.geo.services import municipal_lookup, prefectures
from talentmatch.i18n import current_lang, local_date, number, yen
from talentmatch.postings import wording
from talentmatch.postings.template.fields import FIELDS_BY_KEY, SECTIONS, choice_label
from talentmatch.publication import jsonld
from talentmatch.publication.feed import FeedEntry
from talentmatch.publication.filters import ListingFilters
from talentmatch.publication.present import is_http_url
from talentmatch.publication.search import Entry
from talentmatch.vocab import KIND_LABELS

# Fields shown elsewhere on the page (heading, English summary) or never public.
_NOT_IN_SECTIONS = {"municipality_code", "title", "title_en", "summary_en",
                    "publication_channels", "compensation_unit"}


def public_url(endpoint: str, **values: Any) -> str:
    """Absolute URL on the configured public address (never the request's Host header)."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def posting_url(posting_id: int) -> str:
    return public_url("publication.posting", posting_id=posting_id)


def display_title(entry: Entry, lang: str | None = None) -> str:
    rev = entry.revision
    return rev.title_en if (lang or current_lang()) == "en" and rev.title_en else rev.title


def prefecture_name(code: str | None, name: str | None = None, lang: str | None = None) -> str:
    if (lang or current_lang()) == "en" and code in PREFECTURE_EN:
        return PREFECTURE_EN[code]
    return name or ""


def place_label(entry: Entry, lang: str | None = None) -> str:
    place = entry.place
    if place is None:
        return entry.revision.municipality_code
    return f"{prefecture_name(place.prefecture_code, place.prefecture_name, lang)} {place.name}"


def page_numbers(current: int, last: int, around: int = 2) -> list[int | None]:
    """The pagination's links: the first and last page and those around the current one,
    None where pages are left out (shown as …)."""
    shown = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
    out: list[int | None] = []
    for p in shown:
        if out and p - out[-1] > 1:  # type: ignore[operator]
            out.append(None)
        out.append(p)
    return out


# --------------------------------------------------------------------------- posting page


@dataclass
class Item:
    label: str
    kind: str  # text | para | list | link | email | tel
    value: Any


@dataclass
class Section:
    label: str
    items: list[Item] = field(default_factory=list)


def compensation(rev, t=_) -> str:
    """'月額 300,000円' / '¥300,000 per month' (the unit's label says which way round)."""
    if rev.compensation_amount is None:
        return ""
    unit = t(choice_label("compensation_unit", rev.compensation_unit))
    amount = yen(rev.compensation_amount)
    return f"{amount} {unit}" if current_lang() == "en" else f"{unit} {amount}"


def pay_terms(rev, t=_) -> tuple[str, str]:
    """What this employment form calls its pay and its period (給与 and 任期 for fixed-term
    staff, 負担金 for a company's seconded employee …), in the reader's language."""
    return t(wording.pay_label(rev.employment_type)), t(wording.period_noun(rev.employment_type))


def _item(key: str, rev) -> Item | None:
    fdef = FIELDS_BY_KEY[key]
    value = getattr(rev, key)
    label = _(fdef.label)
    if key in wording.PERIOD_LABELS:
        label = _(wording.period_label(key, rev.employment_type))
    if key == "compensation_amount":
        text = compensation(rev)
        return Item(_(wording.pay_label(rev.employment_type)), "text", text) if text else None
    if value in (None, "", []):
        return None
    if key == "how_to_apply":
        return Item(label, "link" if is_http_url(value) else "para", value)
    if fdef.type == "choice":
        return Item(label, "text", _(choice_label(key, value)))
    if fdef.type == "multichoice":
        return Item(label, "list", [_(choice_label(key, v)) for v in value])
    if fdef.type == "tags":
        return Item(label, "list", list(value))
    if fdef.type == "bool":
        return Item(label, "text", _("Yes") if value else _("No"))
    if fdef.type == "date":
        return Item(label, "text", local_date(value, era=True))
    if fdef.type == "number":
        return Item(label, "text", _("%(days)s days", days=number(value)))
    if fdef.type == "email":
        return Item(label, "email", value)
    if fdef.type == "phone":
        return Item(label, "tel", value)
    return Item(label, "para" if fdef.type == "longtext" else "text", value)


def sections(entry: Entry) -> list[Section]:
    """The template's sections with every public field that has a value, labelled."""
    out: list[Section] = []
    for sec in SECTIONS:
        items = [i for key in sec.fields if key not in _NOT_IN_SECTIONS
                 if (i := _item(key, entry.revision)) is not None]
        if sec.key == "dx" and entry.place is not None:
            items[:0] = [
                Item(_("Municipality"), "text", place_label(entry)),
                Item(_("Type of municipality"), "text", _kind_label(entry.place.kind)),
            ]
        if items:
            label = _("About the municipality's DX") if sec.key == "dx" else _(sec.label)
            out.append(Section(label, items))
    return out


def _kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else ""


def description(entry: Entry) -> str:
    """The JSON-LD description: the whole posting as the page shows it, section by section,
    in HTML (the English summary first for English readers when there is one)."""
    rev = entry.revision
    parts = [(sec.label, [(i.label, i.value) for i in sec.items]) for sec in sections(entry)]
    if current_lang() == "en" and rev.summary_en:
        parts.insert(0, (_("Summary"), [(_("Summary in English"), rev.summary_en)]))
    return jsonld.description_html(parts)


def _bodies(entry: Entry) -> list[jsonld.Body]:
    """The hiring municipalities: a joint posting's participants (the lead first), else the
    posting's municipality."""
    rev = entry.revision
    places = [municipal_lookup(p["code"]) for p in entry.participants or []]
    if not places or None in places:
        places = [entry.place]
    out = []
    for place in places:
        if place is None:
            out.append(jsonld.Body(rev.municipality_code,
                                   prefecture_name(rev.prefecture_code, ""), rev.municipality_code))
            continue
        pref = prefecture_name(place.prefecture_code, place.prefecture_name)
        out.append(jsonld.Body(f"{pref} {place.name}", pref, place.name))
    return out


def json_ld(entry: Entry) -> Markup:
    rev = entry.revision
    data = jsonld.job_posting(
        url=posting_url(entry.id),
        posting_id=entry.id,
        title=display_title(entry),
        description=description(entry),
        date_posted=entry.posting.first_published_at or rev.published_at,
        bodies=_bodies(entry),
        deadline=rev.deadline,
        employment_type=rev.employment_type,
        compensation_amount=rev.compensation_amount,
        compensation_unit=rev.compensation_unit,
        compensation_label=_(choice_label("compensation_unit", rev.compensation_unit))
        if rev.compensation_unit else "",
        remote=rev.remote,
        hours=rev.hours_note or "",
    )
    # Safe: every character that could end the element is \u-escaped by dumps_for_html.
    return Markup(jsonld.dumps_for_html(data))  # noqa: S704


# --------------------------------------------------------------------------- home


def tile_map(counts: dict[str, int]) -> tuple[Markup, list[dict[str, Any]]]:
    """The SVG map and the same data as rows (for the table beside it)."""
    lang = current_lang()
    names = {p.code: (p.name_en if lang == "en" else p.name) for p in prefectures()}
    tiles = tilemap.tiles(names, counts,
                          lambda code: url_for("publication.listing", prefecture=code),
                          lang=lang, gettext=_)
    rows = [{"code": t.code, "name": names[t.code], "count": t.count, "href": t.href}
            for t in tiles]
    svg = tilemap.render(tiles, title=_("Open postings by prefecture"), lang=lang)
    # Safe: tilemap.render escapes every text and attribute it writes.
    return Markup(svg), rows  # noqa: S704


def legend(counts: dict[str, int]) -> list[tuple[int, str]]:
    return tilemap.legend(counts, _)


# --------------------------------------------------------------------------- feed


def feed_entry(entry: Entry) -> FeedEntry:
    rev = entry.revision
    bits = [
        place_label(entry),
        _(choice_label("employment_type", rev.employment_type)),
        _(choice_label("remote", rev.remote)),
    ]
    if rev.deadline:
        bits.append(_("Deadline: %(date)s", date=local_date(rev.deadline)))
    summary = " / ".join(b for b in bits if b)
    body = rev.summary_en if current_lang() == "en" and rev.summary_en else rev.duties
    if body:
        summary += "\n\n" + body
    url = posting_url(entry.id)
    return FeedEntry(
        id=url,
        title=f"{display_title(entry)}（{place_label(entry)}）"
        if current_lang() == "ja" else f"{display_title(entry)} ({place_label(entry)})",
        url=url,
        updated=rev.published_at or entry.posting.first_published_at,
        published=entry.posting.first_published_at,
        summary=summary,
        author=place_label(entry),
        categories=[_(choice_label("focus_areas", v)) for v in rev.focus_areas or []],
    )


# --------------------------------------------------------------------------- exports


@dataclass
class ExportRow:
    posting: Any
    revision: Any
    place: Any
    url: str
    participants: list[dict] | None = None


def export_row(entry: Entry) -> ExportRow:
    return ExportRow(entry.posting, entry.revision, entry.place, posting_url(entry.id),
                     entry.participants)


def filters_for_links(f: ListingFilters) -> dict[str, str]:
    """The search's parameters without the page, for export and feed links."""
    args = f.query_args()
    args.pop("page", None)
    args.pop("per_page", None)
    return args
