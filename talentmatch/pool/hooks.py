"""What the pool adds to other domains, connected to their signals at start-up
(app.RECEIVERS): who may see a pooled or introduced person's profile, and the person's data
export and deletion.
"""

from __future__ import annotations

from sqlalchemy import select

from talentmatch import signals
from talentmatch.accounts.models import MUNICIPALITY, PREFECTURE, User
from talentmatch.extensions import db
from talentmatch.pool.models import Introduction, TalentPoolEntry
from talentmatch.postings.models import Posting
from talentmatch.professionals import services as professionals
from talentmatch.professionals.models import Professional


@signals.profile_access.connect
def staff_may_view(viewer: User, professional: Professional) -> bool:
    """Answers the professionals domain: a coordinator sees the people of their
    pool; municipality staff see a person introduced to one of their postings."""
    if viewer.role == PREFECTURE and viewer.prefecture_code:
        return db.session.scalar(select(TalentPoolEntry.id).where(
            TalentPoolEntry.prefecture_code == viewer.prefecture_code,
            TalentPoolEntry.professional_id == professional.id).limit(1)) is not None
    if viewer.role == MUNICIPALITY and viewer.municipality_code:
        return db.session.scalar(
            select(Introduction.id).join(Posting, Posting.id == Introduction.posting_id)
            .where(Introduction.professional_id == professional.id,
                   Posting.municipality_code == viewer.municipality_code).limit(1)) is not None
    return False


@signals.personal_data_export.connect
def export_section(user: User) -> tuple[str, dict]:
    return "talent_pools_and_introductions", export_for(user)


def export_for(user: User) -> dict:
    """The person's section of "Download my data": the pools they are in, with the
    coordinators' tags and notes about them, and the introductions made for them."""
    prof = professionals.find_profile(user)
    if prof is None or prof.id is None:
        return {"pools": [], "introductions": []}
    pools = [{"prefecture_code": e.prefecture_code, "tags": list(e.tags or []), "note": e.note,
              "added_at": e.created_at.isoformat()}
             for e in db.session.scalars(select(TalentPoolEntry).where(
                 TalentPoolEntry.professional_id == prof.id))]
    intros = [{"prefecture_code": i.prefecture_code, "posting_id": i.posting_id, "note": i.note,
               "status": i.status, "created_at": i.created_at.isoformat(),
               "responded_at": i.responded_at.isoformat() if i.responded_at else None}
              for i in db.session.scalars(select(Introduction).where(
                  Introduction.professional_id == prof.id))]
    return {"pools": pools, "introductions": intros}


@signals.personal_data_deletion.connect
def delete_for(user: User) -> None:
    """Account deletion: the person's pool entries and introductions go with them."""
    from sqlalchemy import delete

    ids = select(Professional.id).where(Professional.user_id == user.id)
    db.session.execute(delete(TalentPoolEntry).where(TalentPoolEntry.professional_id.in_(ids)))
    db.session.execute(delete(Introduction).where(Introduction.professional_id.in_(ids)))

