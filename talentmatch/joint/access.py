"""Loading a joint proposal for a user (the rules of who sees it: joint/permissions.py), and the
lists each user sees."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from talentmatch.accounts.permissions import is_municipality, is_prefecture
from talentmatch.db import lock
from talentmatch.extensions import db
from talentmatch.joint.models import JointAgreement, JointParticipant, JointProposal
from talentmatch.joint.permissions import can_view


class ProposalNotFound(Exception):
    """Missing, or not visible to this user (the two look the same)."""


def load(actor, proposal_id: int, *, for_update: bool = False) -> JointProposal:
    # Locked first, then its participants and agreements read afresh (db.lock).
    proposal = (lock(JointProposal, proposal_id) if for_update
                else db.session.get(JointProposal, proposal_id))
    if proposal is None or not can_view(actor, proposal):
        raise ProposalNotFound(proposal_id)
    return proposal


def proposals_of_prefecture(prefecture_code: str) -> list[JointProposal]:
    """The prefecture's own proposals and those of others that ask it to agree."""
    asked = select(JointAgreement.proposal_id).where(
        JointAgreement.prefecture_code == prefecture_code)
    return list(db.session.scalars(
        select(JointProposal)
        .where(or_(JointProposal.proposing_prefecture_code == prefecture_code,
                   JointProposal.id.in_(asked)))
        .options(selectinload(JointProposal.participants), selectinload(JointProposal.agreements))
        .order_by(JointProposal.updated_at.desc(), JointProposal.id.desc())
    ))


def proposals_of_municipality(municipality_code: str) -> list[JointProposal]:
    mine = select(JointParticipant.proposal_id).where(
        JointParticipant.municipality_code == municipality_code)
    return list(db.session.scalars(
        select(JointProposal).where(JointProposal.id.in_(mine))
        .options(selectinload(JointProposal.participants), selectinload(JointProposal.agreements))
        .order_by(JointProposal.updated_at.desc(), JointProposal.id.desc())
    ))


def pending_counts(actor) -> dict[str, int]:
    """What waits for this user's answer (for the home page)."""
    if is_municipality(actor) and actor.municipality_code:
        n = db.session.scalar(
            select(func.count(JointParticipant.id))
            .join(JointProposal, JointProposal.id == JointParticipant.proposal_id)
            .where(JointParticipant.municipality_code == actor.municipality_code,
                   JointParticipant.response == "pending", JointProposal.state == "proposed"))
        return {"responses": n or 0}
    if is_prefecture(actor) and actor.prefecture_code:
        n = db.session.scalar(
            select(func.count(JointAgreement.id))
            .join(JointProposal, JointProposal.id == JointAgreement.proposal_id)
            .where(JointAgreement.prefecture_code == actor.prefecture_code,
                   JointAgreement.status == "pending", JointProposal.state == "proposed"))
        ready = db.session.scalar(
            select(func.count(JointProposal.id)).where(
                JointProposal.proposing_prefecture_code == actor.prefecture_code,
                JointProposal.state == "accepted"))
        return {"agreements": n or 0, "ready": ready or 0}
    return {}
