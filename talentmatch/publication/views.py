"""Public pages: home, the national listing, posting pages and the public files (DESIGN §8).

No login anywhere here: everything comes from `search`, which only ever returns published
revisions of open postings (a closed posting keeps its page, with a notice and no markup).
"""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from talentmatch import exports, signals
from talentmatch.accounts.models import MINISTRY, MUNICIPALITY, PREFECTURE, PROFESSIONAL
from talentmatch.accounts.permissions import NavItem
from talentmatch.geo.services import prefectures
from talentmatch.i18n import current_lang
from talentmatch.publication import cards, feed, pages, search
from talentmatch.publication.filters import ListingFilters, parse_filters
from talentmatch.publication.present import export_columns
from talentmatch.web import tr

bp = Blueprint("publication", __name__)

@signals.nav_items.connect
def _nav(sender) -> list[NavItem]:
    return [
        NavItem("publication.listing", _l("Find postings"), ("anonymous", MINISTRY, PREFECTURE, MUNICIPALITY, PROFESSIONAL), 2),
    ]

HOME_LATEST = 6
FEED_SIZE = 50


def request_filters(**kw) -> tuple[ListingFilters, list[str]]:
    f, errors = parse_filters(request.args, municipality_exists=search.municipality_exists, **kw)
    return f, [f"{e.field}: {tr(e.message)}" for e in errors]


@bp.get("/")
def home():
    total, counts = search.counts()
    svg, tiles = pages.tile_map(counts["prefecture"])
    return render_template(
        "publication/home.html",
        latest=cards.cards(search.newest(HOME_LATEST)),
        n=cards.n,
        total=total,
        counts=counts,
        municipalities=search.recruiting_municipalities(),
        tilemap=svg,
        tiles=tiles,
        legend=pages.legend(counts["prefecture"]),
        pages=pages,
    )


@bp.get("/postings")
def listing():
    f, errors = request_filters()
    result = search.listing(f, cards_only=True)
    pref = f.prefecture or (f.municipality[:2] if f.municipality else None)
    prefs, munis = search.place_options()
    return render_template(
        "publication/listing.html",
        result=result,
        counts=result.counts,
        cards=cards.cards(result.entries),
        selects=cards.filter_selects(f, result.counts or {}, prefs, munis.get(pref, ()) if pref else ()),
        n=cards.n,
        f=f,
        errors=errors,
        link_args=pages.filters_for_links(f),
        page_numbers=pages.page_numbers(f.page, result.pages),
    )


@bp.get("/postings/<int:posting_id>")
def posting(posting_id: int):
    found = search.find_page(posting_id)
    if found is None:
        abort(404)
    entry, closed = found
    return render_template(
        "publication/posting.html",
        entry=entry,
        closed=closed,
        sections=pages.sections(entry),
        json_ld=None if closed else pages.json_ld(entry),
        badges=cards.badges(entry.revision, closed=closed),
        pages=pages,
    )


def _export_name(ext: str) -> str:
    return exports.content_disposition(f"talentmatch-postings.{ext}", f"募集情報一覧.{ext}")


@bp.get("/postings.csv")
def postings_csv():
    f, _errors = request_filters()
    columns = export_columns()
    rows = (pages.export_row(e) for e in search.iter_entries(f, by_prefecture=True))
    body = (chunk.encode("utf-8") for chunk in exports.csv_chunks(columns, rows))
    return Response(
        stream_with_context(body),
        mimetype="text/csv",
        headers={"Content-Disposition": _export_name("csv")},
        content_type="text/csv; charset=utf-8",
    )


@bp.get("/postings.xlsx")
def postings_xlsx():
    f, _errors = request_filters()
    names = {p.code: p.name for p in prefectures()}
    entries = search.iter_entries(f, by_prefecture=True)
    groups = (
        (names.get(code, code), (pages.export_row(e) for e in group))
        for code, group in groupby(entries, key=lambda e: e.revision.prefecture_code)
    )
    data = exports.xlsx_bytes(export_columns(), groups)
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": _export_name("xlsx")},
    )


@bp.get("/feed.atom")
def feed_atom():
    f, _errors = request_filters()
    f = f.with_(sort="newest", page=1)
    entries = [pages.feed_entry(e) for e in search.iter_entries(f, limit=FEED_SIZE)]
    args = pages.filters_for_links(f)
    args.pop("sort", None)
    title = _("TalentMatch: new postings")
    if f.narrowed:
        title = _("TalentMatch: postings for your search")
    body = feed.atom(
        feed_id=pages.public_url("publication.feed_atom", **args),
        title=title,
        self_url=pages.public_url("publication.feed_atom", **args),
        alternate_url=pages.public_url("publication.listing", **args),
        author="TalentMatch",
        entries=entries,
        lang=current_lang(),
    )
    return Response(body, content_type="application/atom+xml; charset=utf-8")
