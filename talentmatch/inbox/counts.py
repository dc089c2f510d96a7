"""What waits for a staff account, counted for the header (one COUNT per badge, on indexed
columns) and listed for the daily summary: a coordinator's submissions to review, MIC's
relayed postings to publish, a municipality's returned postings and new applications."""

from __future__ import annotations

from sqlalchemy import func, select

from talentmatch.accounts.models import MINISTRY, MUNICIPALITY, PREFECTURE, User
from talentmatch.accounts.permissions import is_municipality, is_prefecture
from talentmatch.applications.models import Application
from talentmatch.extensions import db
from talentmatch.messages import N_
from talentmatch.postings.models import Posting, PostingRevision

# endpoint of the header link → (badge label, what it counts), per role.
BADGES: dict[str, tuple[tuple[str, str, str], ...]] = {
    PREFECTURE: (("review.prefecture_inbox", N_("To review %(count)s"), "submitted"),),
    MINISTRY: (("review.ministry_inbox", N_("To publish %(count)s"), "relayed"),),
    MUNICIPALITY: (("postings.mine", N_("Returned %(count)s"), "returned"),
                   ("applications.overview", N_("New %(count)s"), "applications")),
}


_ID = {"applications": Application.id, "submitted": Posting.id, "relayed": Posting.id,
       "returned": Posting.id}


def _waiting_postings(user: User, state: str):
    """Postings whose revision in progress is in ``state``, in the account's scope."""
    query = (select(Posting).join(PostingRevision, Posting.current_revision_id == PostingRevision.id)
             .where(PostingRevision.state == state))
    if is_prefecture(user):
        query = query.where(Posting.prefecture_code == user.prefecture_code)
    elif is_municipality(user):
        query = query.where(Posting.municipality_code == user.municipality_code)
    return query


def _new_applications(user: User):
    return select(Application).where(Application.municipality_code == user.municipality_code,
                                     Application.status == "received")


def _query(user: User, what: str):
    return _new_applications(user) if what == "applications" else _waiting_postings(user, what)


def count(user: User, what: str) -> int:
    ids = _query(user, what).with_only_columns(_ID[what]).subquery()
    return db.session.scalar(select(func.count()).select_from(ids)) or 0


def badges(user: User) -> dict[str, tuple[str, int]]:
    """endpoint → (label msgid, count) for the counts that are not zero."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    if is_prefecture(user) and not user.prefecture_code:
        return {}
    if is_municipality(user) and not user.municipality_code:
        return {}
    out = {}
    for endpoint, label, what in BADGES.get(user.role, ()):
        n = count(user, what)
        if n:
            out[endpoint] = (label, n)
    return out


def waiting(user: User, limit: int = 50) -> dict[str, list]:
    """The items behind each badge (oldest first), for the daily summary."""
    out: dict[str, list] = {}
    for _endpoint, _label, what in BADGES.get(user.role, ()):
        if what == "applications":
            rows = db.session.scalars(_new_applications(user).order_by(Application.created_at,
                                                                       Application.id).limit(limit)).all()
        else:
            rows = db.session.scalars(_waiting_postings(user, what).order_by(Posting.updated_at,
                                                                             Posting.id).limit(limit)).all()
        out[what] = list(rows)
    return out
