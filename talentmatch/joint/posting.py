"""The step from an accepted joint proposal to ONE joint posting: a draft of the lead
municipality, prefilled from the proposal and the postings it was made from, that then
travels the normal relay and shows every participant."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from talentmatch.audit.services import record
from talentmatch.clock import today_jst
from talentmatch.db import transaction, utcnow
from talentmatch.extensions import db
from talentmatch.joint import mail, shares
from talentmatch.joint.access import ProposalNotFound, load
from talentmatch.joint.models import JointProposal
from talentmatch.joint.permissions import can_create_posting
from talentmatch.joint.proposals import ERR_NOT_ACCEPTED, ERR_STATE, ProposalRefused
from talentmatch.messages import Msg
from talentmatch.postings import services as postings
from talentmatch.postings.models import Posting
from talentmatch.postings.template import fields


def create_posting(actor, proposal_id: int) -> Posting:
    """Turn an accepted proposal into ONE joint posting (a draft of the lead municipality,
    prefilled): the lead's staff complete and submit it, then it is relayed and published as
    usual, showing every participant."""
    with transaction():
        proposal = load(actor, proposal_id, for_update=True)
        if proposal.state != "accepted":
            state = shares.STATE_LABELS[proposal.state]
            raise ProposalRefused(Msg(ERR_NOT_ACCEPTED) if proposal.state == "proposed"
                                  else Msg(ERR_STATE, {"state": state}))
        if not can_create_posting(actor, proposal):
            raise ProposalNotFound(proposal_id)
        today = today_jst()
        cleaned = _posting_values(proposal, today)
        posting = postings.new_posting(proposal.lead_municipality_code, cleaned,
                                       creator_id=actor.id, today=today)
        proposal.posting_id = posting.id
        proposal.state = "posted"
        proposal.posted_at = utcnow()
        record("joint.posted", actor=actor, object_type="joint_proposal", object_id=proposal.id,
               detail={"posting_id": posting.id})
        record("posting.create", actor=actor, object_type="posting", object_id=posting.id,
               detail={"revision": 1, "joint_proposal": proposal.id})
        mail.send(mail.staff_of(proposal.lead_municipality_code), "joint_posting_ready",
                  proposal, "posted", posting_path=f"/my/postings/{posting.id}/edit")
    _matching_changed(posting.id)
    return posting


def _matching_changed(posting_id: int) -> None:
    from talentmatch.matching.services import postings_changed

    postings_changed()


def _posting_values(proposal: JointProposal, today: date) -> dict[str, object]:
    """The draft's content: the lead's "joint wished" posting when there is one (it already
    says much of what the joint one needs), then the proposal's own terms on top, with the
    focus areas and skills of every source posting together."""
    sources = _source_revisions(proposal)
    values: dict[str, object] = {}
    if sources:
        lead = next((r for r in sources if r.municipality_code == proposal.lead_municipality_code),
                    sources[0])
        values = postings.revision_values(lead)
        for key in ("focus_areas", "required_skills", "preferred_skills",
                    "preferred_qualifications"):
            merged: list[str] = []
            for rev in sources:
                merged += [v for v in (getattr(rev, key) or []) if v not in merged]
            values[key] = merged[: fields.TAGS_MAX_ITEMS]
    values.update({
        "title": proposal.title,
        "employment_type": proposal.employment_type,
        "joint_wish": "joint",
        "days_per_month": proposal.days_per_month,
    })
    for key in ("compensation_amount", "compensation_unit", "period_start", "period_end"):
        if getattr(proposal, key) is not None:
            values[key] = getattr(proposal, key)
    if proposal.summary and not values.get("duties"):
        values["duties"] = proposal.summary
    if isinstance(values.get("deadline"), date) and values["deadline"] < today:
        values["deadline"] = None
    values.pop("municipality_code", None)
    # A draft may be incomplete, but what it holds must be valid: drop what is not.
    for _ in range(3):
        try:
            return postings.validate_for(proposal.lead_municipality_code, values, mode="draft",
                                         today=today)
        except postings.InvalidPosting as exc:
            for err in exc.errors:
                values.pop(err.field, None)
    return postings.validate_for(proposal.lead_municipality_code, {}, mode="draft", today=today)


def _source_revisions(proposal: JointProposal) -> list:
    ids = list(proposal.source_posting_ids or [])
    if not ids:
        return []
    by_id = {p.id: p for p in db.session.scalars(select(Posting).where(Posting.id.in_(ids)))}
    out = []
    for i in ids:
        p = by_id.get(i)
        rev = (p.published_revision or p.current_revision) if p else None
        if rev is not None:
            out.append(rev)
    return out
