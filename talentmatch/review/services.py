"""Workflow use cases (DESIGN §4): submit, return, relay, publish, withdraw, close, revise, and
the daily deadline job.

Every move asks ``postings.workflow.transition()`` whether it is allowed, then changes the
revision, writes a ReviewEvent and an audit record, and commits them together; publishing
also writes the ``posting.published`` outbox event in that same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased, selectinload

from talentmatch.accounts.models import MUNICIPALITY, User
from talentmatch.accounts.permissions import of_role
from talentmatch.audit.services import record
from talentmatch.clock import today_jst
from talentmatch.db import bump, transaction, utcnow
from talentmatch.extensions import db
from talentmatch.messages import N_, Msg
from talentmatch.notifications import events
from talentmatch.notifications.services import enqueue_mail
from talentmatch.postings import services as postings
from talentmatch.postings import workflow
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.postings.services import PostingNotFound, workflow_role
from talentmatch.postings.workflow import WorkflowError
from talentmatch.review import mail as review_mail
from talentmatch.review.models import ReviewEvent

REMINDER_DAYS = 5
PUBLISHED_EVENT = "posting.published"

MSG_DEADLINE_PASSED = N_(
    "The application deadline of this posting has passed. Return it so that the municipality "
    "can set a new deadline."
)
MSG_REVISION_IN_PROGRESS = N_(
    "A new revision of this posting is already in progress: continue with that one."
)
MSG_NOT_PUBLISHED = N_("Only a published posting can be closed.")

__all__ = ["PostingNotFound", "WorkflowError", "submit", "return_posting", "relay", "publish",
           "withdraw", "close", "revise", "close_expired", "send_deadline_reminders"]


def _refuse(msgid: str) -> WorkflowError:
    return WorkflowError(Msg(msgid))


def _move(
    posting: Posting,
    rev: PostingRevision,
    action: str,
    actor,
    *,
    comment: str | None = None,
    close_reason: str | None = None,
    new_revision: PostingRevision | None = None,
) -> workflow.Transition:
    """Apply one workflow move to one revision: rule, state, event row, audit record.

    For 'revise' the rule is checked on the published revision, which stays as it is, and
    the event and the resulting state belong to ``new_revision``."""
    role = workflow_role(actor)
    move = workflow.transition(
        rev.state, action, role, comment=comment, close_reason=close_reason
    )
    target = rev
    if move.creates_revision:
        if new_revision is None:
            raise ValueError("revise needs the new revision")
        target = new_revision
    target.state = move.to_state
    previous = posting.published_revision
    event = ReviewEvent(
        posting_id=posting.id,
        revision_id=target.id,
        actor_id=getattr(actor, "id", None),
        actor_role=role,
        action=action,
        from_state=move.from_state,
        to_state=move.to_state,
        comment=move.comment or "",
        close_reason=move.close_reason,
    )
    db.session.add(event)
    review_mail.notify(posting, target, event, is_update=previous is not None and previous.id != target.id)
    record(
        f"posting.{action}",
        actor=actor,
        object_type="posting",
        object_id=posting.id,
        detail={"revision": target.number, "from": move.from_state, "to": move.to_state,
                **({"reason": move.close_reason} if move.close_reason else {})},
    )
    postings.touch(posting)
    return move


# --------------------------------------------------------------------------- municipality


def submit(
    actor, posting_id: int, data: Mapping[str, object] | None = None, *, today: date | None = None
) -> PostingRevision:
    """Send the revision to the prefecture. With ``data`` (the form), save it first; either
    way every required field must be valid, or nothing changes (InvalidPosting)."""
    today = today or today_jst()
    with transaction():
        posting = postings.load_posting(posting_id, actor, for_update=True)
        rev = posting.current_revision
        # Refuse a wrong move before complaining about fields the user cannot change anyway.
        workflow.transition(rev.state, "submit", workflow_role(actor))
        source = data if data is not None else postings.revision_values(rev)
        cleaned = postings.validate_for(posting.municipality_code, source, mode="submit",
                                        today=today)
        postings.apply_content(rev, cleaned, today)
        if data is not None:
            bump(rev)
        _move(posting, rev, "submit", actor)
        rev.submitted_at = utcnow()
    return rev


def withdraw(actor, posting_id: int, comment: str | None = None) -> PostingRevision:
    """Withdraw the revision in progress. For a posting that was never published this ends
    it; otherwise the published revision simply stays as it is."""
    with transaction():
        posting = postings.load_posting(posting_id, actor, for_update=True)
        rev = posting.current_revision
        _move(posting, rev, "withdraw", actor, comment=comment)
        if posting.published_revision is not None:
            posting.current_revision = posting.published_revision
        else:
            posting.status = "withdrawn"
            posting.closed_at = utcnow()
    return rev


def close(actor, posting_id: int, reason: str | None, comment: str | None = None) -> PostingRevision:
    """Close a published posting (position filled, or withdrawn after publication)."""
    with transaction():
        posting = postings.load_posting(posting_id, actor, for_update=True)
        return _close(posting, actor, reason, comment)


def _close(posting: Posting, actor, reason: str | None, comment: str | None) -> PostingRevision:
    public = posting.published_revision
    current = posting.current_revision
    if public is None:
        # Let the workflow explain why this revision cannot be closed.
        workflow.transition(current.state, "close", workflow_role(actor), close_reason=reason)
        raise _refuse(MSG_NOT_PUBLISHED)
    move = _move(posting, public, "close", actor, comment=comment, close_reason=reason)
    if current is not None and current.id != public.id and current.state not in (
        "withdrawn", "superseded", "closed"
    ):
        # A revision still in review ends with its posting.
        _move(posting, current, "withdraw", actor)
    posting.current_revision = public
    posting.status = "closed"
    posting.close_reason = move.close_reason
    posting.closed_at = utcnow()
    return public


def revise(actor, posting_id: int) -> PostingRevision:
    """Start revision n+1 as a draft copied from the published one, which stays public until
    the new revision is published."""
    with transaction():
        posting = postings.load_posting(posting_id, actor, for_update=True)
        public = posting.published_revision
        current = posting.current_revision
        if public is not None and current.id != public.id:
            raise _refuse(MSG_REVISION_IN_PROGRESS)
        source = public or current
        # Checked before anything is created, so a refused move leaves no trace.
        workflow.transition(source.state, "revise", workflow_role(actor))
        number = 1 + (
            db.session.scalar(
                select(func.max(PostingRevision.number)).where(
                    PostingRevision.posting_id == posting.id
                )
            )
            or 0
        )
        rev = postings.copy_revision(source, number, getattr(actor, "id", None))
        db.session.add(rev)
        db.session.flush()
        _move(posting, source, "revise", actor, new_revision=rev)
        posting.current_revision = rev
    return rev


# --------------------------------------------------------------------------- prefecture / MIC


def return_posting(actor, posting_id: int, comment: str | None) -> PostingRevision:
    """Send a submitted (prefecture) or relayed (MIC) revision back with a required comment."""
    with transaction():
        posting = postings.load_posting(posting_id, actor, for_update=True)
        rev = posting.current_revision
        _move(posting, rev, "return", actor, comment=comment)
    return rev


def _deadline_open(rev: PostingRevision, today: date) -> None:
    if rev.deadline is None or rev.deadline < today:
        raise _refuse(MSG_DEADLINE_PASSED)


def relay(
    actor, posting_id: int, comment: str | None = None, *, today: date | None = None
) -> PostingRevision:
    today = today or today_jst()
    with transaction():
        posting = postings.load_posting(posting_id, actor, for_update=True)
        rev = posting.current_revision
        workflow.transition(rev.state, "relay", workflow_role(actor), comment=comment)
        _deadline_open(rev, today)
        _move(posting, rev, "relay", actor, comment=comment)
        rev.relayed_at = utcnow()
    return rev


def publish(
    actor, posting_id: int, comment: str | None = None, *, today: date | None = None
) -> PostingRevision:
    """Publish the relayed revision. A previously published revision becomes 'superseded'
    in the same transaction, and the outbox event for subscribers is written with it."""
    today = today or today_jst()
    with transaction():
        posting = postings.load_posting(posting_id, actor, for_update=True)
        rev = posting.current_revision
        workflow.transition(rev.state, "publish", workflow_role(actor), comment=comment)
        _deadline_open(rev, today)
        _move(posting, rev, "publish", actor, comment=comment)
        previous = posting.published_revision
        if previous is not None and previous.id != rev.id:
            _move(posting, previous, "supersede", None)
            if previous.deadline != rev.deadline:
                posting.reminder_sent_at = None  # a new deadline deserves its own reminder
        now = utcnow()
        rev.published_at = now
        posting.published_revision = rev
        posting.current_revision = rev
        if posting.first_published_at is None:
            posting.first_published_at = now
        events.emit(
            PUBLISHED_EVENT,
            {
                "posting_id": posting.id,
                "revision_id": rev.id,
                "revision_number": rev.number,
                "is_update": previous is not None and previous.id != rev.id,
            },
        )
    return rev


# --------------------------------------------------------------------------- timeline


def timeline(posting_id: int) -> list[ReviewEvent]:
    return list(
        db.session.scalars(
            select(ReviewEvent)
            .where(ReviewEvent.posting_id == posting_id)
            .options(selectinload(ReviewEvent.actor), selectinload(ReviewEvent.revision))
            .order_by(ReviewEvent.at, ReviewEvent.id)
        )
    )


def last_comments(posting_ids: list[int]) -> dict[int, ReviewEvent]:
    """The latest event with a comment, per posting (for lists)."""
    if not posting_ids:
        return {}
    latest = (
        select(ReviewEvent.posting_id, func.max(ReviewEvent.id).label("event_id"))
        .where(ReviewEvent.posting_id.in_(posting_ids), ReviewEvent.comment != "")
        .group_by(ReviewEvent.posting_id)
        .subquery()
    )
    rows = db.session.scalars(
        select(ReviewEvent).join(latest, ReviewEvent.id == latest.c.event_id)
    ).all()
    return {e.posting_id: e for e in rows}


def has_reached(posting_id: int, action: str) -> bool:
    """Whether any revision of the posting was ever submitted / relayed."""
    return (
        db.session.scalar(
            select(ReviewEvent.id)
            .where(ReviewEvent.posting_id == posting_id, ReviewEvent.action == action)
            .limit(1)
        )
        is not None
    )


# --------------------------------------------------------------------------- daily job


def _public_open(today_filter):
    public = aliased(PostingRevision)
    return (
        select(Posting.id)
        .join(public, Posting.published_revision_id == public.id)
        .where(Posting.status == "open", public.state == "published", today_filter(public))
        .order_by(Posting.id)
    )


def close_expired(*, today: date | None = None) -> list[int]:
    """Close published postings whose deadline has passed (actor: system). Idempotent; each
    posting is its own transaction so one failure does not hold back the others."""
    today = today or today_jst()
    ids = db.session.scalars(_public_open(lambda r: r.deadline < today)).all()
    closed: list[int] = []
    for posting_id in ids:
        with transaction():
            posting = postings.load_posting(posting_id, None, for_update=True)
            public = posting.published_revision
            if posting.status != "open" or public is None or public.deadline is None:
                continue
            if public.state != "published" or public.deadline >= today:
                continue  # changed since the list was read
            _close(posting, None, "deadline_passed", None)
        closed.append(posting_id)
    return closed


def send_deadline_reminders(*, today: date | None = None) -> list[int]:
    """Mail the municipality's staff once per posting, 5 days before its deadline."""
    today = today or today_jst()
    last_day = today + timedelta(days=REMINDER_DAYS)
    ids = db.session.scalars(
        _public_open(lambda r: and_(r.deadline >= today, r.deadline <= last_day)).where(
            Posting.reminder_sent_at.is_(None)
        )
    ).all()
    reminded: list[int] = []
    for posting_id in ids:
        with transaction():
            posting = postings.load_posting(posting_id, None, for_update=True)
            public = posting.published_revision
            if posting.reminder_sent_at is not None or public is None or public.deadline is None:
                continue
            staff = db.session.scalars(
                select(User).where(
                    of_role(MUNICIPALITY),
                    User.municipality_code == posting.municipality_code,
                    User.active.is_(True),
                ).order_by(User.id)
            ).all()
            for user in staff:
                enqueue_mail(
                    to_email=user.email,
                    to_name=user.display_name,
                    template="posting_deadline_reminder",
                    locale=user.locale or "ja",
                    kind="posting_deadline_reminder",
                    dedupe_key=f"posting-deadline:{posting.id}:{public.id}:{user.id}",
                    user=user,
                    posting=posting,
                    revision=public,
                    days_left=(public.deadline - today).days,
                    path=f"/my/postings/{posting.id}",
                )
            posting.reminder_sent_at = utcnow()
            record("posting.deadline_reminder", actor=None, object_type="posting",
                   object_id=posting.id, detail={"recipients": len(staff)})
        reminded.append(posting_id)
    return reminded


def run_daily(*, today: date | None = None) -> dict[str, list[int]]:
    """The daily job (run it once a day, e.g. from cron): close what has expired, then remind
    about deadlines in the next five days. Running it twice changes nothing more."""
    today = today or today_jst()
    return {
        "closed": close_expired(today=today),
        "reminded": send_deadline_reminders(today=today),
    }
