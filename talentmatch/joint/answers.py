"""Answers to a joint proposal: each participating municipality accepts or declines, another
prefecture concerned agrees or not, and the proposing coordinator may withdraw it. The
proposal's state follows every answer (shares.proposal_state)."""

from __future__ import annotations

from talentmatch.audit.services import record
from talentmatch.db import transaction, utcnow
from talentmatch.joint import mail, shares
from talentmatch.joint.access import ProposalNotFound, load
from talentmatch.joint.models import JointProposal
from talentmatch.joint.permissions import agreement_of, is_proposer, participant_of
from talentmatch.joint.proposals import ERR_STATE, InvalidProposal, ProposalRefused
from talentmatch.messages import N_, FieldError, Msg

ERR_COMMENT_REQUIRED = N_("Say briefly why you decline, so the coordinator can adjust the "
                          "proposal.")


def _settle(proposal: JointProposal, actor) -> None:
    """Recompute the state after an answer; tell the proposing coordinators when it is
    decided either way."""
    before = proposal.state
    proposal.state = shares.proposal_state(
        before, [p.response for p in proposal.participants],
        [a.status for a in proposal.agreements])
    proposal.needs_agreement = any(a.status != "accepted" for a in proposal.agreements)
    if proposal.state != before:
        proposal.decided_at = utcnow()
        record(f"joint.{proposal.state}", actor=actor, object_type="joint_proposal",
               object_id=proposal.id)
        users = mail.coordinators_of(proposal.proposing_prefecture_code)
        if proposal.state == "accepted":
            users += mail.staff_of(proposal.lead_municipality_code)
        mail.send(users, "joint_decided", proposal, proposal.state)


def _same_answer(recorded: str, recorded_comment: str | None, accept: bool, comment: str) -> bool:
    """The answer already recorded, given again (a double click, two colleagues at once):
    it is recorded once, so the proposal's history counts each answer once."""
    return recorded == ("accepted" if accept else "declined") and (recorded_comment or "") == comment


def _require_open(proposal: JointProposal) -> None:
    if proposal.state != "proposed":
        raise ProposalRefused(Msg(ERR_STATE, {"state": shares.STATE_LABELS[proposal.state]}))


def respond(actor, proposal_id: int, *, accept: bool, comment: str = "") -> JointProposal:
    """A participating municipality's staff accept or decline (declining needs a reason)."""
    comment = (comment or "").strip()[:2000]
    with transaction():
        proposal = load(actor, proposal_id, for_update=True)
        part = participant_of(actor, proposal)
        if part is None:
            raise ProposalNotFound(proposal_id)
        _require_open(proposal)
        if not accept and not comment:
            raise InvalidProposal([FieldError("comment", Msg(ERR_COMMENT_REQUIRED))])
        if _same_answer(part.response, part.comment, accept, comment):
            return proposal
        part.response = "accepted" if accept else "declined"
        part.responded_by_id, part.responded_at, part.comment = actor.id, utcnow(), comment
        record("joint.responded", actor=actor, object_type="joint_proposal",
               object_id=proposal.id,
               detail={"municipality_code": part.municipality_code, "response": part.response})
        _settle(proposal, actor)
    return proposal


def agree(actor, proposal_id: int, *, accept: bool, comment: str = "") -> JointProposal:
    """Another prefecture's coordinator agrees (or not) to its municipality taking part."""
    comment = (comment or "").strip()[:2000]
    with transaction():
        proposal = load(actor, proposal_id, for_update=True)
        row = agreement_of(actor, proposal)
        if row is None:
            raise ProposalNotFound(proposal_id)
        _require_open(proposal)
        if not accept and not comment:
            raise InvalidProposal([FieldError("comment", Msg(ERR_COMMENT_REQUIRED))])
        if _same_answer(row.status, row.comment, accept, comment):
            return proposal
        row.status = "accepted" if accept else "declined"
        row.responded_by_id, row.responded_at, row.comment = actor.id, utcnow(), comment
        record("joint.agreement", actor=actor, object_type="joint_proposal",
               object_id=proposal.id,
               detail={"prefecture_code": row.prefecture_code, "status": row.status})
        _settle(proposal, actor)
    return proposal


def withdraw(actor, proposal_id: int) -> JointProposal:
    with transaction():
        proposal = load(actor, proposal_id, for_update=True)
        if not is_proposer(actor, proposal):
            raise ProposalNotFound(proposal_id)
        if proposal.state not in ("proposed", "accepted"):
            raise ProposalRefused(Msg(ERR_STATE, {"state": shares.STATE_LABELS[proposal.state]}))
        proposal.state = "withdrawn"
        proposal.withdrawn_at = utcnow()
        record("joint.withdrawn", actor=actor, object_type="joint_proposal",
               object_id=proposal.id)
    return proposal
