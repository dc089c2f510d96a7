"""What municipality, prefecture and MIC staff read about applications (read only, no
transaction): a posting's selection pipeline and the overview of the postings in their scope.
Who may see which posting is decided by `services.load_posting_for` (SECURITY.md 9)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from talentmatch.accounts.models import MINISTRY, MUNICIPALITY, PREFECTURE, User
from talentmatch.applications import pipeline
from talentmatch.applications.models import Application, ApplyInvitation, Appointment
from talentmatch.applications.services import ApplicationNotFound, load_posting_for
from talentmatch.extensions import db
from talentmatch.postings.models import Posting, PostingRevision


@dataclass
class PostingPipeline:
    posting: Posting
    revision: PostingRevision
    by_status: dict[str, list[Application]]
    invitations: list[ApplyInvitation]
    appointments: list[Appointment]

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.by_status.values())


def posting_pipeline(user: User, posting_id: int) -> PostingPipeline:
    posting = load_posting_for(user, posting_id)
    rev = posting.current_revision
    if (user.role != MUNICIPALITY and posting.published_revision_id is None
            and (rev is None or rev.state == "draft")):
        raise ApplicationNotFound()  # a draft is its municipality's until submitted
    apps = db.session.scalars(
        select(Application).where(Application.posting_id == posting.id)
        .order_by(Application.created_at, Application.id)
    ).all()
    by_status: dict[str, list[Application]] = {s: [] for s in pipeline.STATUSES}
    for a in apps:
        by_status.setdefault(a.status, []).append(a)
    invitations = list(db.session.scalars(
        select(ApplyInvitation).where(ApplyInvitation.posting_id == posting.id)
        .order_by(ApplyInvitation.created_at.desc(), ApplyInvitation.id.desc())))
    appointments = list(db.session.scalars(
        select(Appointment).where(Appointment.posting_id == posting.id).order_by(Appointment.id)))
    rev = posting.published_revision or posting.current_revision
    return PostingPipeline(posting, rev, by_status, invitations, appointments)


@dataclass
class OverviewRow:
    posting: Posting
    revision: PostingRevision
    counts: dict[str, int]
    invitations: int


def overview(user: User) -> list[OverviewRow]:
    """Postings with applications or invitations, or open ones, for the staff's scope."""
    stmt = select(Posting)
    if user.role == MUNICIPALITY:
        stmt = stmt.where(Posting.municipality_code == user.municipality_code)
    elif user.role == PREFECTURE:
        stmt = stmt.where(Posting.prefecture_code == user.prefecture_code)
    elif user.role != MINISTRY:
        return []
    app_counts: dict[int, dict[str, int]] = {}
    count_stmt = select(Application.posting_id, Application.status, func.count()).group_by(
        Application.posting_id, Application.status)
    inv_stmt = select(ApplyInvitation.posting_id, func.count()).group_by(ApplyInvitation.posting_id)
    if user.role == MUNICIPALITY:
        count_stmt = count_stmt.where(Application.municipality_code == user.municipality_code)
        inv_stmt = inv_stmt.where(ApplyInvitation.municipality_code == user.municipality_code)
    elif user.role == PREFECTURE:
        like = f"{user.prefecture_code}%"
        count_stmt = count_stmt.where(Application.municipality_code.like(like))
        inv_stmt = inv_stmt.where(ApplyInvitation.municipality_code.like(like))
    for pid, status, n in db.session.execute(count_stmt):
        app_counts.setdefault(pid, {})[status] = n
    inv_counts = dict(db.session.execute(inv_stmt).all())
    busy = set(app_counts) | set(inv_counts)
    postings = db.session.scalars(
        stmt.where((Posting.status == "open") | Posting.id.in_(busy or {0}))
        .where(Posting.published_revision_id.is_not(None))
        .order_by(Posting.updated_at.desc(), Posting.id.desc()).limit(200)
    ).all()
    return [
        OverviewRow(p, p.published_revision, app_counts.get(p.id, {}), inv_counts.get(p.id, 0))
        for p in postings
    ]
