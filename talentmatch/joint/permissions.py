"""Who sees and acts on a joint proposal: the proposing prefecture's coordinators, the
coordinators of another prefecture asked to agree, and the staff of the participating
municipalities; nobody else. Built on the accounts primitives."""

from __future__ import annotations

from talentmatch.accounts.permissions import is_municipality, is_prefecture
from talentmatch.joint.models import JointAgreement, JointParticipant, JointProposal


def is_coordinator(actor) -> bool:
    return bool(actor is not None and actor.is_authenticated and is_prefecture(actor)
                and actor.prefecture_code)


def is_proposer(actor, proposal: JointProposal) -> bool:
    return is_coordinator(actor) and actor.prefecture_code == proposal.proposing_prefecture_code


def agreement_of(actor, proposal: JointProposal) -> JointAgreement | None:
    if not is_coordinator(actor):
        return None
    return next((a for a in proposal.agreements if a.prefecture_code == actor.prefecture_code),
                None)


def participant_of(actor, proposal: JointProposal) -> JointParticipant | None:
    if not (actor is not None and actor.is_authenticated and is_municipality(actor)):
        return None
    return next((p for p in proposal.participants
                 if p.municipality_code == actor.municipality_code), None)


def can_view(actor, proposal: JointProposal) -> bool:
    return bool(is_proposer(actor, proposal) or agreement_of(actor, proposal)
                or participant_of(actor, proposal))


def can_create_posting(actor, proposal: JointProposal) -> bool:
    lead = participant_of(actor, proposal)
    return proposal.state == "accepted" and (is_proposer(actor, proposal)
                                              or (lead is not None and lead.is_lead))
