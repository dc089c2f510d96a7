"""The review inboxes: a prefecture's submissions and MIC's relayed postings, with counts per
state. Read-only queries; the moves are in ``review.services``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import contains_eager

from talentmatch.clock import TOKYO
from talentmatch.extensions import db
from talentmatch.postings import workflow
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.postings.services import Page
from talentmatch.review.models import ReviewEvent

# What each reviewer can list. A prefecture lists what was ever submitted to it, MIC what was
# ever relayed to it (a draft, or a posting withdrawn before it reached them, is not theirs).
PREFECTURE_STATES = ("submitted", "returned", "relayed", "published", "closed", "withdrawn")
MINISTRY_STATES = ("relayed", "published", "returned", "closed", "withdrawn")
REACHED = {"prefecture": "submit", "ministry": "relay"}


def _reached(action: str | None):
    if action is None:
        return None
    return exists().where(ReviewEvent.posting_id == Posting.id, ReviewEvent.action == action)


@dataclass(frozen=True)
class Row:
    posting: Posting
    rev: PostingRevision
    waiting_since: datetime | None

    def days_waiting(self, today: date) -> int | None:
        if self.waiting_since is None:
            return None
        return max(0, (today - self.waiting_since.astimezone(TOKYO).date()).days)


def _current():
    return select(Posting).join(
        PostingRevision, Posting.current_revision_id == PostingRevision.id
    )


def state_counts(
    *, prefecture_code: str | None = None, reached: str | None = None
) -> dict[str, int]:
    """Postings per state of their current revision (a revision in review counts in its own
    state, even while an older one stays published)."""
    query = select(PostingRevision.state, func.count(Posting.id)).join(
        Posting, Posting.current_revision_id == PostingRevision.id
    )
    if prefecture_code is not None:
        query = query.where(Posting.prefecture_code == prefecture_code)
    if reached is not None:
        query = query.where(_reached(reached))
    counts = dict.fromkeys(workflow.STATES, 0)
    for state, count in db.session.execute(query.group_by(PostingRevision.state)):
        counts[state] = count
    return counts


def inbox(
    *,
    state: str,
    prefecture_code: str | None = None,
    reached: str | None = None,
    page: int = 1,
    per_page: int = 30,
) -> Page:
    """Postings whose current revision is in ``state``; those waiting longest first."""
    query = _current().where(PostingRevision.state == state)
    if prefecture_code is not None:
        query = query.where(Posting.prefecture_code == prefecture_code)
    if reached is not None:
        query = query.where(_reached(reached))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if state == "submitted":
        order = (PostingRevision.submitted_at.asc(), Posting.id)
    elif state == "relayed":
        order = (PostingRevision.relayed_at.asc(), Posting.id)
    else:
        order = (Posting.updated_at.desc(), Posting.id.desc())
    page = max(1, page)
    postings = db.session.scalars(
        query.options(contains_eager(Posting.current_revision))
        .order_by(*order)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).unique().all()
    rows = []
    for posting in postings:
        rev = posting.current_revision
        since = {"submitted": rev.submitted_at, "relayed": rev.relayed_at}.get(state)
        rows.append(Row(posting, rev, since))
    return Page(rows, page, per_page, total)
