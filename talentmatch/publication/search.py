"""The public listing query (DESIGN.md §8).

One place decides what the public sees — a posting's published revision (state
'published') while the posting is open — and how filters, the Japanese-aware keyword search,
sorting, pagination and the per-option counts work. The listing page, the exports, the Atom
feed, the JSON API and saved-search matching all use it, so they always agree.

Filtering, keyword matching and counting run on a per-process snapshot of the public
postings (`engine.Snapshot`, see there for why). Every request first asks the database for
the public set's signature — count, sum and sum of squares of the public revision ids, one
index scan — and reloads the snapshot when it changed, so a posting closed or published by
any process is reflected on the next request everywhere. Rows shown are then read by id with
the public condition applied again, so nothing that is not public can ever be displayed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from math import ceil

from flask import current_app, has_request_context, request
from sqlalchemy import BigInteger, Select, bindparam, cast, func, select
from sqlalchemy.orm import lazyload

from talentmatch import textsearch
from talentmatch.extensions import db
from talentmatch.geo.models import Municipality, Prefecture
from talentmatch.geo.services import Place, municipal_lookup
from talentmatch.joint.participants import participants_for
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.professionals.vocabulary import load_vocabulary
from talentmatch.publication.engine import Row, Snapshot
from talentmatch.publication.filters import ListingFilters
from talentmatch.publication.keywords import PlaceName, place_groups
from talentmatch.text import KeywordQuery, Lexicon, parse_query

PUBLISHED = "published"
OPEN = "open"
CLOSED = "closed"
R = PostingRevision


# --------------------------------------------------------------------------- keywords


@lru_cache(maxsize=1)
def keyword_lexicon() -> Lexicon:
    """Skills vocabulary + prefecture and municipality names with readings; built once per
    process (master data changes only with `flask geo load`)."""
    places = [
        PlaceName(p.name, p.name_kana, "prefecture", p.name_en)
        for p in db.session.scalars(select(Prefecture))
    ]
    places += [
        PlaceName(name, kana, kind)
        for name, kana, kind in db.session.execute(
            select(Municipality.name, Municipality.name_kana, Municipality.kind)
        )
    ]
    return load_vocabulary().lexicon(place_groups(places))


@dataclass(frozen=True)
class PlaceOption:
    code: str
    name: str
    name_en: str = ""


@lru_cache(maxsize=1)
def place_options() -> tuple[tuple[PlaceOption, ...], dict[str, tuple[PlaceOption, ...]]]:
    """Prefectures, and municipalities per prefecture, for the filter form (master data:
    read once per process)."""
    prefs = tuple(PlaceOption(p.code, p.name, p.name_en)
                  for p in db.session.scalars(select(Prefecture).order_by(Prefecture.code)))
    munis: dict[str, list[PlaceOption]] = {}
    for code, pref, name in db.session.execute(
        select(Municipality.code, Municipality.prefecture_code, Municipality.name)
        .order_by(Municipality.code)
    ):
        munis.setdefault(pref, []).append(PlaceOption(code, name))
    return prefs, {k: tuple(v) for k, v in munis.items()}


def municipality_exists(code: str) -> bool:
    place = municipal_lookup(code)
    return place is not None and place.kind != "prefecture"


def keyword_query(q: str | None) -> KeywordQuery:
    return parse_query(q, keyword_lexicon()) if q and q.strip() else KeywordQuery()


# --------------------------------------------------------------------------- public rows


def public_select(*entities) -> Select:
    """SELECT … of the revisions the public may see."""
    return (
        select(*entities)
        .select_from(R)
        .join(Posting, Posting.published_revision_id == R.id)
        .where(R.state == PUBLISHED, Posting.status == OPEN)
    )


def _signature() -> tuple:
    """Changes whenever the public set does (a posting published, revised, closed,
    reopened or deleted): one scan of an index of the posting table. The latest first
    publication keeps it from repeating an earlier set's signature when ids come back (SQLite
    reuses the ids of deleted rows; a database restored from a backup), which would let a
    cache revalidate an old page as current."""
    rid = Posting.published_revision_id
    count, total, squares, latest = db.session.execute(
        select(func.count(rid), func.coalesce(func.sum(rid), 0),
               func.coalesce(func.sum(cast(rid, BigInteger) * cast(rid, BigInteger)), 0),
               func.max(Posting.first_published_at))
        .where(Posting.status == OPEN, rid.is_not(None))
    ).one()
    return int(count), int(total), int(squares), latest.isoformat() if latest else ""


_ENVIRON_KEY = "talentmatch.listing_snapshot"
_VERSION_KEY = "talentmatch.public_version"


class _Snapshots:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: Snapshot | None = None
        self._signature: tuple | None = None
        self._checked_at = 0.0

    def reset(self) -> None:
        self._current = None
        self._signature = None

    def current(self) -> Snapshot:
        """The snapshot for this request (checked against the database once per request)."""
        if not has_request_context():
            return self._current_checked()
        snap = request.environ.get(_ENVIRON_KEY)
        if snap is None:
            snap = request.environ[_ENVIRON_KEY] = self._current_checked()
        return snap

    def version(self) -> tuple:
        """The public set's signature as this request sees it: public answers derive their
        ETag from it (an HTTP cache revalidates with one cheap check, nothing rendered)."""
        if has_request_context():
            found = request.environ.get(_VERSION_KEY)
            if found is None:
                found = request.environ[_VERSION_KEY] = self._signature_checked()
            return found
        return self._signature_checked()

    def _signature_checked(self) -> tuple:
        # Under load, ask the database for the signature at most every LISTING_FRESHNESS_SECONDS
        # (rows are re-read with the public condition anyway, so nothing unpublished shows).
        freshness = current_app.config.get("LISTING_FRESHNESS_SECONDS", 0)
        signature = self._signature
        if signature is not None and freshness and time.monotonic() - self._checked_at < freshness:
            return signature
        self._signature = signature = _signature()
        self._checked_at = time.monotonic()
        return signature

    def _current_checked(self) -> Snapshot:
        snap = self._current
        signature = self.version()
        if snap is not None and snap.signature == signature:
            return snap
        with self._lock:
            snap = self._current
            if snap is None or snap.signature != signature:
                rows = db.session.execute(public_select(
                    R.id, R.posting_id, R.prefecture_code, R.municipality_code,
                    R.employment_type, R.focus_key, R.remote, R.joint_wish, R.side_job_ok,
                    R.deadline, R.published_at, R.search_text,
                ))
                snap = Snapshot((Row(*r) for r in rows), signature)
                self._current = snap
            return snap


snapshots = _Snapshots()


@dataclass
class Entry:
    posting: Posting
    revision: PostingRevision
    place: Place | None
    # A joint posting's municipalities with their shares (joint.participants), else None.
    participants: list[dict] | None = None

    @property
    def id(self) -> int:
        return self.posting.id


def _load(revision_ids: list[int]) -> list[Entry]:
    """The public rows with these revision ids, in the given order."""
    if not revision_ids:
        return []
    rows = db.session.execute(
        public_select(R, Posting)
        .where(R.id.in_(revision_ids))
        .options(lazyload(R.municipality), lazyload(Posting.municipality))
    ).all()
    by_id = {r.id: Entry(p, r, municipal_lookup(r.municipality_code)) for r, p in rows}
    return with_participants([by_id[i] for i in revision_ids if i in by_id])


@dataclass(frozen=True)
class CardRevision:
    """The columns of a published revision that a listing card shows (read without the
    ORM: the page shows 20 of them per request, at national peaks)."""

    id: int
    municipality_code: str
    prefecture_code: str
    title: str
    title_en: str
    employment_type: str | None
    remote: str | None
    side_job_ok: bool | None
    joint_wish: str | None
    compensation_amount: int | None
    compensation_unit: str | None
    days_per_month: float | None
    deadline: date | None


@dataclass(frozen=True)
class PostingRef:
    id: int


@lru_cache(maxsize=1)
def _cards_statement() -> Select:
    """Built once: constructing the statement cost more than running it."""
    columns = (getattr(R, f.name) for f in fields(CardRevision))
    return public_select(R.posting_id, *columns).where(R.id.in_(bindparam("ids", expanding=True)))


# The cards read for the current snapshot: (that snapshot, revision id → (posting id, card)).
_cards_read: tuple[Snapshot | None, dict[int, tuple[int, CardRevision]]] = (None, {})


def _load_cards(revision_ids: list[int], snapshot: Snapshot | None = None) -> list[Entry]:
    """As `_load`, for the listing's cards: the same public condition, only their columns.

    A published revision's columns never change (an edit is a new revision), so a card read
    once is kept while the snapshot that listed it is current: every id asked for is one the
    snapshot holds as public, rechecked at most every LISTING_FRESHNESS_SECONDS — the same
    freshness as the listing's filters and counts. A new snapshot (a change of the public
    set, or `snapshots.reset()`) starts afresh."""
    global _cards_read
    if not revision_ids:
        return []
    if snapshot is None or _cards_read[0] is not snapshot:
        _cards_read = (snapshot, {})  # a new snapshot (or none): read afresh
    known = _cards_read[1] if snapshot is not None else {}
    missing = [i for i in revision_ids if i not in known]
    if missing:
        rows = db.session.execute(_cards_statement(), {"ids": missing}).all()
        for posting_id, *values in rows:
            rev = CardRevision(*values)
            known[rev.id] = (posting_id, rev)
    entries = [
        Entry(PostingRef(known[i][0]), known[i][1], municipal_lookup(known[i][1].municipality_code))  # type: ignore[arg-type]
        for i in revision_ids if i in known
    ]
    return with_participants(entries)


def with_participants(entries: list[Entry]) -> list[Entry]:
    """One query for the participants of the joint postings among ``entries``."""
    joint = [e.id for e in entries if e.revision.joint_wish == "joint"]
    found = participants_for(joint) if joint else {}
    for e in entries:
        e.participants = found.get(e.id)
    return entries


# --------------------------------------------------------------------------- use cases


@dataclass
class Listing:
    filters: ListingFilters
    query: KeywordQuery
    entries: list[Entry]
    total: int
    counts: dict[str, dict[str, int]] | None
    corrected: bool = False  # the query had a slip and was searched as `query.terms`
    suggestions: list[str] = field(default_factory=list)  # 「もしかして」 when nothing found

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.filters.per_page))


def listing(f: ListingFilters, *, with_counts: bool = True, cards_only: bool = False) -> Listing:
    """One page of the listing, its result count and (optionally) per-option counts.
    ``cards_only``: the entries carry only what a listing card shows (`CardRevision`)."""
    kq = keyword_query(f.q)
    snap = snapshots.current()
    result = snap.search(f, kq, with_counts=with_counts)
    corrected, suggestions = False, []
    if kq and not result.total:  # a slip (セキュリテイ, CIO補左官)? then 「もしかして」
        wider = textsearch.widen(
            kq, lambda alt: bool(snap.keyword_ids(KeywordQuery(((alt,),)))), snap.terms())
        if wider is not None and (found := snap.search(f, wider, with_counts=with_counts)).total:
            kq, result, corrected = wider, found, True
        else:
            terms = {**snap.terms(), **keyword_lexicon().display_terms()}
            suggestions = textsearch.suggestions(f.q, terms, found=lambda q: bool(
                snap.search(f.with_(q=q, page=1, per_page=1), keyword_query(q)).total))
    entries = _load_cards(result.ids, snap) if cards_only else _load(result.ids)
    return Listing(f, kq, entries, result.total, result.counts, corrected, suggestions)


def counts(f: ListingFilters | None = None) -> tuple[int, dict[str, dict[str, int]]]:
    """The number of public postings and the per-option counts (e.g. per prefecture)."""
    f = f or ListingFilters()
    kq = keyword_query(f.q)
    result = snapshots.current().search(f.with_(page=1, per_page=1), kq)
    return result.total, result.counts or {}


def iter_entries(
    f: ListingFilters, *, by_prefecture: bool = False, limit: int | None = None,
    batch: int = 500,
) -> Iterator[Entry]:
    """Every matching public posting (exports, feeds) in the listing's order, or grouped
    by prefecture code first; read in batches so memory stays flat."""
    snap = snapshots.current()
    ids = snap.ordered(f, snap.matching(f, keyword_query(f.q)))
    if by_prefecture:
        ids.sort(key=lambda i: snap.rows[i].prefecture_code)  # stable: keeps the order
    if limit is not None:
        ids = ids[:limit]
    for start in range(0, len(ids), batch):
        yield from _load(ids[start:start + batch])


def newest(n: int) -> list[Entry]:
    return list(iter_entries(ListingFilters(sort="newest"), limit=n))


def recruiting_municipalities() -> int:
    """How many municipalities have at least one open public posting."""
    return snapshots.current().municipality_count


def find_public(posting_id: int) -> Entry | None:
    """The posting as the public sees it while it is open, else None."""
    row = db.session.execute(
        public_select(R, Posting).where(Posting.id == posting_id)
    ).first()
    if row is None:
        return None
    return with_participants([Entry(row[1], row[0], municipal_lookup(row[0].municipality_code))])[0]


def find_page(posting_id: int) -> tuple[Entry, bool] | None:
    """The posting page: (entry, closed). A closed posting that was public keeps its page
    with a notice; anything never published, or withdrawn, is not found."""
    entry = find_public(posting_id)
    if entry is not None:
        return entry, False
    row = db.session.execute(
        select(R, Posting)
        .select_from(R)
        .join(Posting, Posting.published_revision_id == R.id)
        .where(Posting.id == posting_id, Posting.status == CLOSED,
               R.state.in_((PUBLISHED, CLOSED)))
    ).first()
    if row is None:
        return None
    entry = Entry(row[1], row[0], municipal_lookup(row[0].municipality_code))
    return with_participants([entry])[0], True
