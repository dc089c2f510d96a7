"""The joint domain's mail: who is told, and how participants are named in it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from talentmatch.accounts.models import MUNICIPALITY, PREFECTURE, User
from talentmatch.accounts.permissions import of_role
from talentmatch.extensions import db
from talentmatch.geo.services import municipal_lookup
from talentmatch.joint.models import JointProposal
from talentmatch.notifications.services import enqueue_mail


def staff_of(code: str) -> list[User]:
    return list(db.session.scalars(select(User).where(
        of_role(MUNICIPALITY), User.municipality_code == code, User.active.is_(True)
    ).order_by(User.id)))


def coordinators_of(pref_code: str) -> list[User]:
    return list(db.session.scalars(select(User).where(
        of_role(PREFECTURE), User.prefecture_code == pref_code, User.active.is_(True)
    ).order_by(User.id)))


def send(users: Sequence[User], template_name: str, proposal: JointProposal, key: str,
         **context) -> None:
    for user in users:
        enqueue_mail(
            to_email=user.email, to_name=user.display_name, template=template_name,
            locale=user.locale or "ja", kind=template_name,
            dedupe_key=f"{template_name}:{proposal.id}:{key}:{user.id}",
            user=user, proposal=proposal, names=participant_names(proposal),
            path=f"/joint/proposals/{proposal.id}", **context)


def participant_names(proposal: JointProposal) -> str:
    return "、".join(name_of(p.municipality_code) for p in proposal.participants)


def name_of(code: str) -> str:
    place = municipal_lookup(code)
    return place.name if place else code
