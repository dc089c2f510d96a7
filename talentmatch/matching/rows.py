"""Database rows → the matcher's plain data (ProfileData, NeedData)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import Select, func, select

from talentmatch import signals
from talentmatch.accounts.models import User
from talentmatch.applications import capacity
from talentmatch.applications.models import Appointment
from talentmatch.extensions import db
from talentmatch.matching.matcher import NeedData, ProfileData, combine_needs
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.professionals import talent_list
from talentmatch.professionals.models import Professional, ProfessionalTombstone

# --------------------------------------------------------------------------- professionals

_PROFILE_COLUMNS = (
    Professional.id,
    User.display_name,
    Professional.skills,
    Professional.free_skills,
    Professional.focus_areas,
    Professional.experience,
    Professional.qualifications,
    Professional.public_sector_experience,
    Professional.preferred_prefectures,
    Professional.remote_preference,
    Professional.available_days_per_month,
    Professional.accepted_employment_types,
    Professional.discoverable,
    User.active,
)


def _profile(row, used: float, *, force_discoverable: bool = False, listed: bool = False) -> ProfileData:
    (
        pid,
        name,
        skills,
        free,
        focus,
        experience,
        quals,
        public,
        prefs,
        remote,
        days,
        emp,
        discoverable,
        active,
    ) = row
    return ProfileData(
        id=int(pid),
        display_name=name or "",
        skills=[*(skills or []), *(free or [])],
        focus_areas=list(focus or []),
        experience=experience or "",
        qualifications=list(quals or []),
        public_sector_experience=bool(public),
        preferred_prefectures=list(prefs or []),
        remote_preference=remote or "hybrid",
        available_days=float(days or 0),
        used_days=float(used or 0),
        accepted_employment_types=list(emp or []),
        # An account that was disabled is never proposed, whatever its profile says.
        discoverable=bool(active) and (force_discoverable or bool(discoverable)),
        talent_listed=listed,
    )


def profile_query() -> Select:
    return select(*_PROFILE_COLUMNS).join(User, User.id == Professional.user_id)


def profiles(
    where: Iterable = (),
    *,
    today: date | None = None,
    force_discoverable: bool = False,
    batch: int = 5000,
) -> Iterator[ProfileData]:
    """ProfileData for the professionals matching `where`, with their used days."""
    stmt = profile_query().where(*where).order_by(Professional.id)
    used = capacity.used_days(today=today)
    listed = talent_list.listed_ids(today=today)
    result = db.session.execute(stmt.execution_options(yield_per=batch))
    for row in result:
        yield _profile(row, used.get(int(row[0]), 0.0), force_discoverable=force_discoverable,
                       listed=int(row[0]) in listed)


def profiles_by_id(ids: Iterable[int], *, force_discoverable: bool = False) -> list[ProfileData]:
    ids = list(dict.fromkeys(int(i) for i in ids))
    if not ids:
        return []
    used = capacity.used_days(ids)
    listed = talent_list.listed_ids(ids)
    rows = db.session.execute(profile_query().where(Professional.id.in_(ids))).all()
    return [
        _profile(r, used.get(int(r[0]), 0.0), force_discoverable=force_discoverable,
                 listed=int(r[0]) in listed)
        for r in rows
    ]


def profile_for(professional: Professional) -> ProfileData:
    found = profiles_by_id([professional.id])
    if found:
        return found[0]
    raise LookupError(professional.id)


def tombstoned_since(mark: int) -> list[int]:
    """Professionals deleted (by any process, any way) after tombstone `mark`."""
    return list(db.session.scalars(
        select(ProfessionalTombstone.professional_id).where(ProfessionalTombstone.id > mark)))


def changed_professional_ids(
    since_profile: datetime | None, since_user: datetime | None, since_appointment: datetime | None
) -> list[int]:
    """Professionals whose profile, account or appointments changed at or after the marks
    (each an indexed range, so the cost follows the changes, not the table)."""
    ids: set[int] = set()
    if since_profile is not None:
        ids.update(db.session.scalars(
            select(Professional.id).where(Professional.updated_at >= since_profile)))
    if since_user is not None:
        ids.update(db.session.scalars(
            select(Professional.id).join(User, User.id == Professional.user_id)
            .where(User.updated_at >= since_user)))
    if since_appointment is not None:
        ids.update(
            db.session.scalars(
                select(Appointment.professional_id).where(
                    Appointment.updated_at >= since_appointment
                )
            )
        )
    return sorted(ids)


class ProfessionalSignature(NamedTuple):
    """Cheap summary that changes whenever any profile, account or appointment does."""

    count: int
    tombstone: int  # the latest deletion's tombstone id
    profile_at: datetime | None
    user_at: datetime | None
    appointments: int
    appointment_at: datetime | None


def professional_signature() -> ProfessionalSignature:
    # Separate scalar queries: each max() reads one end of an index.
    count = db.session.scalar(select(func.count()).select_from(Professional))
    tomb = db.session.scalar(select(func.coalesce(func.max(ProfessionalTombstone.id), 0)))
    profile_at = db.session.scalar(select(func.max(Professional.updated_at)))
    user_at = db.session.scalar(select(func.max(User.updated_at)))
    a = db.session.execute(
        select(func.count(Appointment.id), func.max(Appointment.updated_at))
    ).one()
    return ProfessionalSignature(
        int(count or 0), int(tomb or 0), _stamp(profile_at), _stamp(user_at), int(a[0]),
        _stamp(a[1])
    )


def _stamp(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))  # SQLite aggregates lose the column type


# --------------------------------------------------------------------------- postings

def revision_for_matching(posting: Posting) -> PostingRevision | None:
    """What the public sees, or the revision being written when nothing is published yet."""
    return posting.published_revision or posting.current_revision


def need_from_revision(posting_id: int, rev: PostingRevision) -> NeedData:
    return NeedData(
        id=int(posting_id),
        required_skills=list(rev.required_skills or []),
        preferred_skills=list(rev.preferred_skills or []),
        focus_areas=list(rev.focus_areas or []),
        required_experience=rev.required_experience or "",
        duties=rev.duties or "",
        employment_type=rev.employment_type or "",
        days_per_month=float(rev.days_per_month or 0),
        remote=rev.remote or "none",
        prefecture_codes=[rev.prefecture_code] if rev.prefecture_code else [],
        preferred_qualifications=list(rev.preferred_qualifications or []),
        title=rev.title or "",
    )


def need_for_posting(posting: Posting) -> NeedData:
    """The posting's need; for a joint appointment with registered participants, their
    union and the sum of their days (matcher.combine_needs, the lead first). The joint
    domain answers signals.posting_needs, so matching never imports it."""
    rev = revision_for_matching(posting)
    if rev is None:
        raise LookupError(posting.id)
    own = need_from_revision(posting.id, rev)
    if rev.joint_wish == "joint":
        for _receiver, needs in signals.posting_needs.send(posting):
            if needs:
                return combine_needs(needs)
    return own


def _open_on(today: date) -> tuple:
    return (
        Posting.status == "open",
        PostingRevision.state == "published",
        PostingRevision.deadline >= today,
    )


def open_needs(today: date, ids: Iterable[int] | None = None) -> Iterator[NeedData]:
    """Needs of every posting open to applications today (published, not closed, deadline
    not passed), or of those of `ids` that are, for recommending postings to professionals."""
    stmt = (
        select(Posting)
        .join(PostingRevision, Posting.published_revision_id == PostingRevision.id)
        .where(*_open_on(today))
        .order_by(Posting.id)
    )
    if ids is not None:
        stmt = stmt.where(Posting.id.in_(list(ids)))
    for posting in db.session.scalars(stmt):
        yield need_for_posting(posting)


def open_posting_ids(today: date) -> set[int]:
    """Ids of the postings open to applications today (a date filter for the index)."""
    return set(db.session.scalars(
        select(Posting.id)
        .join(PostingRevision, Posting.published_revision_id == PostingRevision.id)
        .where(*_open_on(today))))


def changed_posting_ids(since: datetime | None) -> list[int]:
    """Postings changed (published, revised, closed …) at or after `since`."""
    if since is None:
        return []
    return list(db.session.scalars(select(Posting.id).where(Posting.updated_at >= since)))


def posting_signature() -> tuple:
    row = db.session.execute(select(func.count(Posting.id), func.max(Posting.updated_at))).one()
    return (int(row[0]), _stamp(row[1]))
