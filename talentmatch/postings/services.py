"""Use cases for a posting's content: create and save drafts, keep the derived search fields
up to date, and the queries behind the municipality's screens.

Workflow moves (submit, return, relay, publish, …) live in ``talentmatch.review.services``;
both sides share the scope checks defined here. Each use case owns its transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from talentmatch import text
from talentmatch.accounts.models import MINISTRY, MUNICIPALITY, PREFECTURE
from talentmatch.accounts.permissions import is_municipality, role_in
from talentmatch.audit.services import record
from talentmatch.clock import today_jst
from talentmatch.db import bump, check_version, lock, transaction, utcnow
from talentmatch.extensions import db
from talentmatch.geo.services import municipal_lookup
from talentmatch.messages import FieldError
from talentmatch.postings import workflow
from talentmatch.postings.market import market_for
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.postings.permissions import in_scope
from talentmatch.postings.template import advice, fields, validation
from talentmatch.submissions import services as submissions

# Everything a municipality may write through the form. The municipality itself comes from
# the account (or the import row), never from a form; state, ids and dates are not fields.
EDITABLE_KEYS: tuple[str, ...] = tuple(f.key for f in fields.FIELDS if f.key != "municipality_code")
_LIST_TYPES = ("tags", "multichoice")
_TEXT_TYPES = ("text", "longtext", "url_or_text", "email", "phone")


# Every text of the template that the public posting page shows (title, department, duties,
# experience, skills, location, selection, how to apply, PR, English title…): the listing's
# keyword search reads all of them, so it finds what the page shows.
SEARCHED_KEYS: tuple[str, ...] = tuple(
    f.key for f in fields.FIELDS if f.type in ("text", "longtext", "tags", "url_or_text"))


def posting_search_text(values: Mapping[str, object], place) -> str:
    """A revision's stored search text: the municipality's names and every public text."""
    parts: list[str | None] = [place.name, place.name_kana, place.prefecture_name] if place else []
    for key in SEARCHED_KEYS:
        value = values.get(key)
        if isinstance(value, list | tuple):
            parts.extend(str(v) for v in value)
        elif value:
            parts.append(str(value))
    return text.search_text(*parts)


class PostingNotFound(Exception):
    """The posting does not exist, or lies outside what this user may act on."""


class InvalidPosting(Exception):
    """The content has field-level errors; nothing was saved."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(f"{len(errors)} invalid field(s)")
        self.errors = errors


def municipality_exists(code: str) -> bool:
    place = municipal_lookup(code)
    return place is not None and place.kind != "prefecture"


# --------------------------------------------------------------------------- scope


def workflow_role(actor) -> str:
    """The workflow role of a user (None is the system's deadline job)."""
    if actor is None:
        return "system"
    if role_in(actor, MUNICIPALITY, PREFECTURE, MINISTRY):
        return actor.role
    raise PostingNotFound()


def load_posting(posting_id: int, actor, *, for_update: bool = False) -> Posting:
    """The posting if it exists and the actor acts for its organisation, else PostingNotFound
    (other organisations' postings look the same as missing ones)."""
    # Locking the posting row serialises concurrent moves on one posting, and its revisions
    # are read afresh after the lock (a view may have read them before).
    posting = lock(Posting, posting_id) if for_update else db.session.get(Posting, posting_id)
    if posting is None or posting.current_revision is None or not in_scope(actor, posting):
        raise PostingNotFound()
    workflow_role(actor)
    return posting


# --------------------------------------------------------------------------- content


def revision_values(rev: PostingRevision) -> dict[str, object]:
    """A revision's template values, as validation.validate / advice take them."""
    return {f.key: getattr(rev, f.key) for f in fields.FIELDS}


def _apply(rev: PostingRevision, cleaned: Mapping[str, object]) -> None:
    for key in EDITABLE_KEYS:
        field = fields.FIELDS_BY_KEY[key]
        value = cleaned.get(key)
        if value is None and field.type in _LIST_TYPES:
            value = []
        elif value is None and field.type in _TEXT_TYPES:
            value = ""
        setattr(rev, key, value)


def refresh_derived(rev: PostingRevision, today: date) -> None:
    """search_text, focus_key and advice_codes follow the content on every save."""
    rev.search_text = posting_search_text(
        {key: getattr(rev, key) for key in SEARCHED_KEYS}, municipal_lookup(rev.municipality_code))
    areas = list(rev.focus_areas or [])
    rev.focus_key = "|" + "".join(f"{a}|" for a in areas)
    values = revision_values(rev)
    market = market_for(values, exclude_posting_id=rev.posting_id)
    rev.advice_codes = [a.code for a in advice.advice(values, today=today, market=market)]


def validate_for(
    municipality_code: str, data: Mapping[str, object], *, mode: validation.Mode, today: date
) -> dict[str, object]:
    """Only template fields are read, and the municipality is the one given (mass assignment
    of state, owner or municipality is impossible). Raises InvalidPosting."""
    values: dict[str, object] = {k: data.get(k) for k in EDITABLE_KEYS}
    values["municipality_code"] = municipality_code
    cleaned, errors = validation.validate(
        values, mode=mode, today=today, municipality_exists=municipality_exists
    )
    if errors:
        raise InvalidPosting(errors)
    return cleaned


def new_posting(
    municipality_code: str, cleaned: Mapping[str, object], *, creator_id: int | None, today: date
) -> Posting:
    """Add a posting with its first revision (a draft) to the session; the caller commits."""
    posting = Posting(
        municipality_code=municipality_code,
        prefecture_code=municipality_code[:2],
        created_by_id=creator_id,
        status="open",
    )
    rev = PostingRevision(
        number=1,
        state="draft",
        municipality_code=municipality_code,
        prefecture_code=municipality_code[:2],
        created_by_id=creator_id,
    )
    _apply(rev, cleaned)
    refresh_derived(rev, today)
    posting.revisions.append(rev)
    db.session.add(posting)
    db.session.flush()
    posting.current_revision = rev
    return posting


def submission_errors(actor, data: Mapping[str, object], *, today: date | None = None
                      ) -> list[FieldError]:
    """Every reason the posting could not be submitted as it is, found in one pass and
    without saving anything (the form shows them all together)."""
    if actor is None or not is_municipality(actor) or not actor.municipality_code:
        raise PostingNotFound()
    values: dict[str, object] = {k: data.get(k) for k in EDITABLE_KEYS}
    values["municipality_code"] = actor.municipality_code
    _cleaned, errors = validation.validate(
        values, mode="submit",
        today=today or today_jst(), municipality_exists=municipality_exists,
    )
    return errors


def create_draft(actor, data: Mapping[str, object], *, today: date | None = None,
                 submission_key: object = None) -> Posting:
    """A new posting for the clerk's own municipality. Blank required fields are fine in a
    draft; anything filled in must be valid, or nothing is saved. The form's
    ``submission_key`` creates one posting however often the form is sent (AlreadySubmitted)."""
    if actor is None or not is_municipality(actor) or not actor.municipality_code:
        raise PostingNotFound()
    today = today or today_jst()
    with transaction():
        submissions.claim(submission_key, actor)
        cleaned = validate_for(actor.municipality_code, data, mode="draft", today=today)
        posting = new_posting(actor.municipality_code, cleaned, creator_id=actor.id, today=today)
        submissions.set_result(submission_key, f"posting:{posting.id}")
        record("posting.create", actor=actor, object_type="posting", object_id=posting.id,
               detail={"revision": 1})
    return posting


def save_draft(
    actor, posting_id: int, data: Mapping[str, object], *, today: date | None = None,
    version: object = None,
) -> PostingRevision:
    """Save the revision being worked on (draft, or returned for changes).

    ``version`` is the revision's version the form was read at: if someone saved it since,
    nothing is saved (StaleEdit). Once the revision is submitted it cannot be saved at all,
    even by a request that read it as a draft a moment before."""
    today = today or today_jst()
    with transaction():
        posting = load_posting(posting_id, actor, for_update=True)
        rev = posting.current_revision
        workflow.transition(rev.state, "edit", workflow_role(actor))
        check_version(rev, version)
        cleaned = validate_for(posting.municipality_code, data, mode="draft", today=today)
        apply_content(rev, cleaned, today)
        bump(rev)
        touch(posting)
        record("posting.edit", actor=actor, object_type="posting", object_id=posting.id,
               detail={"revision": rev.number, "state": rev.state})
    return rev


def touch(posting: Posting) -> None:
    """Lists sort by the latest activity on any revision."""
    posting.updated_at = utcnow()


def apply_content(rev: PostingRevision, cleaned: Mapping[str, object], today: date) -> None:
    _apply(rev, cleaned)
    refresh_derived(rev, today)


def copy_revision(source: PostingRevision, number: int, creator_id: int | None) -> PostingRevision:
    """A new draft revision holding the same content (for revising a published posting)."""
    rev = PostingRevision(
        posting_id=source.posting_id,
        number=number,
        state="draft",
        municipality_code=source.municipality_code,
        prefecture_code=source.prefecture_code,
        created_by_id=creator_id,
    )
    for f in fields.FIELDS:
        value = getattr(source, f.key)
        setattr(rev, f.key, list(value) if isinstance(value, list) else value)
    rev.search_text = source.search_text
    rev.focus_key = source.focus_key
    rev.advice_codes = list(source.advice_codes or [])
    return rev


# --------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def municipality_postings(municipality_code: str, *, page: int = 1, per_page: int = 30) -> Page:
    """The clerk's "My postings": newest activity first."""
    base = select(Posting).where(Posting.municipality_code == municipality_code)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    page = max(1, page)
    rows = db.session.scalars(
        base.options(
            selectinload(Posting.current_revision), selectinload(Posting.published_revision)
        )
        .order_by(Posting.updated_at.desc(), Posting.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return Page(list(rows), page, per_page, total)


def advice_for(data: Mapping[str, object], *, today: date | None = None) -> list[advice.Advice]:
    """Advice for a form's current (possibly invalid, partial) values."""
    values = {k: data.get(k) for k in EDITABLE_KEYS}
    return advice.advice(values, today=today or today_jst(), market=market_for(values))
