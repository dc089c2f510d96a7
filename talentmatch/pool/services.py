"""A prefecture's pool of local digital talent (職員OB・OG, 地元IT企業, 大学 …): invitations,
talent lists, tags and notes, and the search through it.

Only that prefecture's coordinators see its pool. People come into the pool by invitation
(one person) or a talent list (CSV), both through the professionals domain's import, which
records consent and sends the confirmation link. Introductions of pooled people to postings
are in ``pool.introductions``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from talentmatch import textsearch
from talentmatch.accounts.models import PREFECTURE, User
from talentmatch.audit.services import record
from talentmatch.db import transaction
from talentmatch.extensions import db
from talentmatch.messages import N_, FieldError, Msg
from talentmatch.pool.models import TalentPoolEntry
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.professionals import importing
from talentmatch.professionals import services as professionals
from talentmatch.professionals.models import Professional
from talentmatch.professionals.search import person_text
from talentmatch.professionals.vocabulary import load_vocabulary
from talentmatch.text import escape_like, normalize

SUGGESTED_TAGS = ("職員OB・OG", "地元IT企業", "大学", "金融機関", "NPO・地域団体", "UIターン希望")
MAX_TAGS = 10
TAG_MAX = 30
NOTE_MAX = 2000
PAGE_SIZE = 30

ERR_TAG = N_("Each tag can have at most %(max)s characters, and at most %(count)s tags.")
ERR_NOTE = N_("The note can have at most %(max)s characters.")


class PoolError(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(", ".join(e.field for e in errors))
        self.errors = errors


class NotFound(Exception):
    """Missing, or not this user's to see."""


def require_coordinator(actor, prefecture_code: str) -> None:
    if not (actor is not None and actor.role == PREFECTURE
            and actor.prefecture_code == prefecture_code):
        raise NotFound(prefecture_code)


# --------------------------------------------------------------------------- tags


def parse_tags(value: str | Iterable[str] | None) -> list[str]:
    """'職員OB・OG、地元IT企業' → ['職員OB・OG', '地元IT企業'] (NFKC, trimmed, no repeats).
    Raises PoolError for too many or too long tags."""
    if value is None:
        items: list[str] = []
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value)
        for sep in ("、", ";", "\n", "，"):
            text = text.replace(sep, ",")
        items = text.split(",")
    else:
        items = [unicodedata.normalize("NFKC", str(v)) for v in value]
    tags = list(dict.fromkeys(t.strip() for t in items if t.strip()))
    if len(tags) > MAX_TAGS or any(len(t) > TAG_MAX for t in tags):
        raise PoolError([FieldError("tags", Msg(ERR_TAG, {"max": TAG_MAX, "count": MAX_TAGS}))])
    return tags


def tag_key(tags: Sequence[str]) -> str:
    return "|" + "".join(f"{normalize(t)}|" for t in tags)


def clean_note(note: str | None) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise PoolError([FieldError("note", Msg(ERR_NOTE, {"max": NOTE_MAX}))])
    return note


def clean_entry(tags: str | None, note: str | None) -> tuple[list[str], str, list[FieldError]]:
    """An entry's tags and note, with the errors of both (not just the first)."""
    tag_list, clean, errors = [], "", []
    try:
        tag_list = parse_tags(tags)
    except PoolError as exc:
        errors += exc.errors
    try:
        clean = clean_note(note)
    except PoolError as exc:
        errors += exc.errors
    return tag_list, clean, errors


# --------------------------------------------------------------------------- pool


def add_to_pool(actor, prefecture_code: str, professional_ids: Iterable[int], *,
                tags: Sequence[str] = (), note: str = "") -> list[TalentPoolEntry]:
    """Add people to the pool (caller commits); people already in it keep their entry."""
    existing = {e.professional_id: e for e in db.session.scalars(select(TalentPoolEntry).where(
        TalentPoolEntry.prefecture_code == prefecture_code,
        TalentPoolEntry.professional_id.in_(list(professional_ids))))}
    out = []
    for pid in professional_ids:
        entry = existing.get(pid)
        if entry is None:
            entry = TalentPoolEntry(prefecture_code=prefecture_code, professional_id=pid,
                                    tags=list(tags), tag_key=tag_key(tags), note=note,
                                    added_by_id=getattr(actor, "id", None))
            db.session.add(entry)
        out.append(entry)
    db.session.flush()
    return out


@dataclass
class InviteResult:
    entry: TalentPoolEntry
    consent_obtained: bool


def invite(actor, prefecture_code: str, *, email: str, display_name: str, days: str,
           skills: str = "", tags: str = "", note: str = "", discoverable: bool = False,
           consent_obtained: bool = False, locale: str = "ja") -> InviteResult:
    """Invite one person by email: an account waiting for their confirmation (the
    professionals import sends the link) and a pool entry. Errors name the form field."""
    require_coordinator(actor, prefecture_code)
    row = {importing.ROW_KEY: 2, "email": email or "", "display_name": display_name or "",
           "available_days_per_month": days or "", "skills": skills or "",
           "discoverable": "yes" if discoverable else "no", "locale": locale or "ja"}
    tag_list, note, errors = clean_entry(tags, note)
    if errors:  # report the person's fields too, so one submit shows every problem
        errors += [FieldError(e.field, e.message) for e in
                   professionals.talent_list_errors([row], actor, prefecture_code)]
        raise PoolError(errors)
    try:
        report = professionals.import_talent_list([row], actor, prefecture_code, consent_obtained)
    except professionals.ImportRefused as exc:
        raise PoolError([FieldError(e.field, e.message) for e in exc.errors]) from exc
    with transaction():
        entry = add_to_pool(actor, prefecture_code, report.professional_ids, tags=tag_list,
                            note=note)[0]
        record("pool.invited", actor=actor, object_type="professional",
               object_id=entry.professional_id, detail={"prefecture_code": prefecture_code})
    return InviteResult(entry, consent_obtained)


def import_list(actor, prefecture_code: str, data: bytes, *, consent_obtained: bool,
                tags: str = "") -> tuple[int, list[str]]:
    """A talent list (CSV, the `flask professionals import` columns): everyone or no one.
    Returns (people added, error lines naming row and column)."""
    from flask_babel import gettext

    require_coordinator(actor, prefecture_code)
    tag_list = parse_tags(tags)
    parsed = importing.parse_csv(data)
    if parsed.errors:
        return 0, [importing.render_error(e, parsed.headers, gettext) for e in parsed.errors]
    try:
        report = professionals.import_talent_list(parsed.rows, actor, prefecture_code,
                                                  consent_obtained)
    except professionals.ImportRefused as exc:
        return 0, [importing.render_error(e, parsed.headers, gettext) for e in exc.errors]
    with transaction():
        add_to_pool(actor, prefecture_code, report.professional_ids, tags=tag_list)
        record("pool.imported", actor=actor, object_type="prefecture", object_id=prefecture_code,
               detail={"people": report.created, "consent_obtained": consent_obtained})
    return report.created, []


def get_entry(actor, entry_id: int) -> TalentPoolEntry:
    entry = db.session.get(TalentPoolEntry, entry_id)
    if entry is None or not (actor.role == PREFECTURE
                             and actor.prefecture_code == entry.prefecture_code):
        raise NotFound(entry_id)
    return entry


def update_entry(actor, entry_id: int, *, tags: str, note: str) -> TalentPoolEntry:
    with transaction():
        entry = get_entry(actor, entry_id)
        tag_list, clean, errors = clean_entry(tags, note)
        if errors:
            raise PoolError(errors)
        entry.tags = tag_list
        entry.tag_key = tag_key(entry.tags)
        entry.note = clean
        record("pool.updated", actor=actor, object_type="professional",
               object_id=entry.professional_id, detail={"tags": entry.tags})
    return entry


def remove_entry(actor, entry_id: int) -> None:
    with transaction():
        entry = get_entry(actor, entry_id)
        record("pool.removed", actor=actor, object_type="professional",
               object_id=entry.professional_id, detail={"prefecture_code": entry.prefecture_code})
        db.session.delete(entry)


@dataclass
class PoolPage:
    entries: list[TalentPoolEntry]
    total: int
    page: int
    pages: int
    tags: list[tuple[str, int]]  # every tag of the pool with its count


def search_pool(actor, prefecture_code: str, *, tag: str = "", skill: str = "", page: int = 1
                ) -> PoolPage:
    """The pool, filtered by a tag and by skills or words with the listing's Japanese-aware
    matching (``textsearch``: partial words, synonyms of the skills vocabulary, kana and
    width folded, one-character slips forgiven) over each person's name, headline,
    experience, skills, qualifications, tags and the coordinators' note."""
    require_coordinator(actor, prefecture_code)
    conds = [TalentPoolEntry.prefecture_code == prefecture_code]
    if tag.strip():
        conds.append(TalentPoolEntry.tag_key.like(
            f"%|{escape_like(normalize(tag.strip()))}|%", escape="\\"))
    base = (select(TalentPoolEntry, User.display_name)
            .join(Professional, Professional.id == TalentPoolEntry.professional_id)
            .join(User, User.id == Professional.user_id)
            .where(*conds)
            .order_by(User.display_name, TalentPoolEntry.id))
    rows = list(db.session.execute(base))
    if skill.strip():
        vocab = load_vocabulary()
        rows = textsearch.search(
            rows, skill, lambda row: person_text(row[0].professional, row[1],
                                                 (*(row[0].tags or []), row[0].note), vocab),
            vocab.lexicon())
    total = len(rows)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    entries = [row[0] for row in rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]]
    counts: dict[str, int] = {}
    for tags in db.session.scalars(select(TalentPoolEntry.tags).where(
            TalentPoolEntry.prefecture_code == prefecture_code)):
        for t in tags or []:
            counts[t] = counts.get(t, 0) + 1
    return PoolPage(entries, total, page, pages, sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def skill_labels(prof: Professional, lang: str = "ja", limit: int = 8) -> list[str]:
    """A person's skills by their label in the reader's language, then free entries."""
    vocab = load_vocabulary()
    labels = [vocab.label(k, lang) for k in (prof.skills or [])]
    return [*labels, *(prof.free_skills or [])][:limit]


def open_postings_of(prefecture_code: str) -> list[tuple[int, str, str]]:
    """(id, title, municipality name) of the prefecture's open published postings."""
    rows = db.session.execute(
        select(Posting.id, PostingRevision.title, Posting.municipality_code)
        .join(PostingRevision, PostingRevision.id == Posting.published_revision_id)
        .where(Posting.prefecture_code == prefecture_code, Posting.status == "open",
               PostingRevision.state == "published")
        .order_by(Posting.municipality_code, Posting.id))
    from talentmatch.geo.services import municipal_lookup

    out = []
    for pid, title, code in rows:
        place = municipal_lookup(code)
        out.append((pid, title, place.name if place else code))
    return out
