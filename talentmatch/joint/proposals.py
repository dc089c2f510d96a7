"""Proposing a joint appointment (共同任用): the proposal form's input and its checks, the
proposal itself, and proposal forms prefilled from "joint wished" postings or an earlier
proposal.

Each use case owns its transaction and writes its audit record and mail in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select

from talentmatch.audit.services import record
from talentmatch.db import transaction
from talentmatch.extensions import db
from talentmatch.joint import mail, shares
from talentmatch.joint.access import ProposalNotFound, is_coordinator, is_proposer, load
from talentmatch.joint.models import JointAgreement, JointParticipant, JointProposal
from talentmatch.messages import MSG_REQUIRED, MSG_TOO_LONG, N_, FieldError, Msg
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.postings.services import municipality_exists
from talentmatch.postings.template import cleaners, fields, validation

ERR_STATE = N_("This proposal is %(state)s; it can no longer be changed this way.")
ERR_NOT_ACCEPTED = N_("Every participant (and every other prefecture concerned) must accept "
                      "before the joint posting is created.")
ERR_TITLE = N_("Enter the title of the role.")
ERR_EMPLOYMENT = N_("Choose the type of appointment.")
ERR_POSTING_SCOPE = N_("Posting %(id)s is not an open posting of your prefecture.")


class InvalidProposal(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(", ".join(e.field for e in errors))
        self.errors = errors


class ProposalRefused(Exception):
    """The move is not possible in the proposal's state (message for the user)."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.msgid)
        self.message = message


@dataclass
class ProposalInput:
    title: str = ""
    summary: str = ""
    lead_municipality_code: str = ""
    days_per_month: str = ""
    employment_type: str = ""
    compensation_amount: str = ""
    compensation_unit: str = ""
    period_start: str = ""
    period_end: str = ""
    participants: list[shares.ParticipantInput] = field(default_factory=list)
    source_posting_ids: list[int] = field(default_factory=list)


def _clean(actor, data: ProposalInput) -> tuple[dict, list[shares.CleanParticipant]]:
    """Every field checked; raises InvalidProposal naming each bad field."""
    errors: list[FieldError] = []
    cleaned: dict[str, object] = {}
    for key in ("title", "days_per_month", "employment_type", "compensation_amount",
                "compensation_unit", "period_start", "period_end"):
        value, msg = cleaners.clean_field(key, getattr(data, key))
        if msg is not None:
            errors.append(FieldError(key, msg))
        else:
            cleaned[key] = value
    if "title" in cleaned and not cleaned["title"]:
        errors.append(FieldError("title", Msg(ERR_TITLE)))
    if "employment_type" in cleaned and not cleaned["employment_type"]:
        errors.append(FieldError("employment_type", Msg(ERR_EMPLOYMENT)))
    if "days_per_month" in cleaned and not cleaned["days_per_month"]:
        errors.append(FieldError("days_per_month", Msg(MSG_REQUIRED)))
    start, end = cleaned.get("period_start"), cleaned.get("period_end")
    if isinstance(start, date) and isinstance(end, date) and end <= start:
        errors.append(FieldError("period_end", Msg(validation.MSG_PERIOD_ORDER)))
    summary = (data.summary or "").strip()
    if len(summary) > fields.LONG_TEXT_MAX:
        errors.append(FieldError("summary", Msg(MSG_TOO_LONG, {
            "max": fields.LONG_TEXT_MAX, "length": len(summary)})))
    cleaned["summary"] = summary
    lead = (data.lead_municipality_code or "").strip()
    if not lead or not municipality_exists(lead):
        errors.append(FieldError("lead_municipality_code", Msg(shares.ERR_CODE)))
    days = cleaned.get("days_per_month")
    parts, part_errors = shares.validate_participants(
        data.participants,
        lead_code=lead,
        days_per_month=float(days) if days else None,
        proposing_prefecture=actor.prefecture_code,
        municipality_exists=municipality_exists,
    )
    errors += [e for e in part_errors if not (e.field == "days_per_month" and not days)]
    if errors:
        raise InvalidProposal(errors)
    cleaned["lead_municipality_code"] = lead
    return cleaned, parts


def check(actor, data: ProposalInput) -> list[FieldError]:
    """Every reason the proposal would be refused, without saving anything."""
    try:
        _clean(actor, data)
    except InvalidProposal as exc:
        return list(exc.errors)
    return []


def _source_ids(actor, ids: Sequence[int]) -> list[int]:
    """Only open postings of the coordinator's prefecture may be named as sources."""
    ids = [int(i) for i in dict.fromkeys(ids)]
    if not ids:
        return []
    found = set(db.session.scalars(select(Posting.id).where(
        Posting.id.in_(ids), Posting.prefecture_code == actor.prefecture_code,
        Posting.status == "open")))
    bad = [i for i in ids if i not in found]
    if bad:
        raise InvalidProposal([FieldError("source_posting_ids",
                                          Msg(ERR_POSTING_SCOPE, {"id": bad[0]}))])
    return ids


def propose(actor, data: ProposalInput) -> JointProposal:
    """A coordinator proposes a joint role; participants from other prefectures need their
    prefecture's agreement. Raises InvalidProposal (nothing saved) or PermissionError."""
    if not is_coordinator(actor):
        raise PermissionError("only prefecture coordinators propose joint appointments")
    with transaction():
        cleaned, parts = _clean(actor, data)
        sources = _source_ids(actor, data.source_posting_ids)
        proposal = JointProposal(
            proposing_prefecture_code=actor.prefecture_code,
            state="proposed",
            source_posting_ids=sources,
            created_by_id=actor.id,
            **cleaned,
        )
        for i, p in enumerate(parts):
            proposal.participants.append(JointParticipant(
                municipality_code=p.municipality_code, position=i, share_days=p.share_days,
                share_cost_num=p.share_cost.numerator, share_cost_den=p.share_cost.denominator,
                response="pending"))
        others = sorted({p.municipality_code[:2] for p in parts} - {actor.prefecture_code})
        for code in others:
            proposal.agreements.append(JointAgreement(prefecture_code=code, status="pending"))
        proposal.needs_agreement = bool(others)
        db.session.add(proposal)
        db.session.flush()
        record("joint.proposed", actor=actor, object_type="joint_proposal", object_id=proposal.id,
               detail={"participants": [p.municipality_code for p in parts],
                       "cross_border": others})
        for p in proposal.participants:
            mail.send(mail.staff_of(p.municipality_code), "joint_proposal", proposal,
                      "proposed", participant=p)
        for code in others:
            mail.send(mail.coordinators_of(code), "joint_agreement", proposal, "agreement")
    return proposal


def prefill_from_postings(actor, posting_ids: Sequence[int]) -> ProposalInput:
    """A proposal form filled from "joint wished" postings or a bundle: the first posting's
    municipality leads; each municipality's days come from its own posting."""
    ids = [int(i) for i in posting_ids][: shares.MAX_PARTICIPANTS]
    if not ids or not is_coordinator(actor):
        return ProposalInput()
    rows = {p.id: p for p in db.session.scalars(select(Posting).where(
        Posting.id.in_(ids), Posting.prefecture_code == actor.prefecture_code,
        Posting.status == "open"))}
    picked = [rows[i] for i in ids if i in rows]
    if not picked:
        return ProposalInput()
    revs = [(p, p.published_revision or p.current_revision) for p in picked]
    first = revs[0][1]
    seen: set[str] = set()
    parts: list[shares.ParticipantInput] = []
    total = 0.0
    for p, rev in revs:
        if p.municipality_code in seen:
            continue
        seen.add(p.municipality_code)
        days = float(rev.days_per_month or 0)
        total += days
        parts.append(shares.ParticipantInput(p.municipality_code,
                                             shares.days_text(days) if days else "", ""))
    return ProposalInput(
        title=(first.title or "")[: fields.TITLE_MAX],
        summary="\n\n".join(f"{mail.name_of(p.municipality_code)}: {r.title}" for p, r in revs)
        if len(revs) > 1 else (first.duties or ""),
        lead_municipality_code=picked[0].municipality_code,
        days_per_month=shares.days_text(total) if total else "",
        employment_type=first.employment_type or "",
        compensation_amount=str(first.compensation_amount or ""),
        compensation_unit=first.compensation_unit or "",
        period_start=first.period_start.isoformat() if first.period_start else "",
        period_end=first.period_end.isoformat() if first.period_end else "",
        participants=parts,
        source_posting_ids=[p.id for p, _ in revs],
    )


def prefill_from_proposal(actor, proposal_id: int) -> ProposalInput:
    """A new proposal starting from an earlier one (e.g. after a participant declined)."""
    proposal = load(actor, proposal_id)
    if not is_proposer(actor, proposal):
        raise ProposalNotFound(proposal_id)
    return ProposalInput(
        title=proposal.title, summary=proposal.summary,
        lead_municipality_code=proposal.lead_municipality_code,
        days_per_month=shares.days_text(proposal.days_per_month),
        employment_type=proposal.employment_type,
        compensation_amount=str(proposal.compensation_amount or ""),
        compensation_unit=proposal.compensation_unit or "",
        period_start=proposal.period_start.isoformat() if proposal.period_start else "",
        period_end=proposal.period_end.isoformat() if proposal.period_end else "",
        participants=[shares.ParticipantInput(
            p.municipality_code, shares.days_text(p.share_days),
            shares.percent_text(p.share_cost) if (p.share_cost * 10000).denominator == 1
            else f"{p.share_cost_num}/{p.share_cost_den}")
            for p in proposal.participants if p.response != "declined"],
        source_posting_ids=list(proposal.source_posting_ids or []),
    )


def wished_postings(prefecture_code: str) -> list[Posting]:
    """Open postings of the prefecture's municipalities that are open to a joint appointment
    (joint_wish 'wished' in what the public sees, or in the revision being written)."""
    rev_ids = select(Posting.id).join(
        PostingRevision,
        or_(PostingRevision.id == Posting.published_revision_id,
            (PostingRevision.id == Posting.current_revision_id)
            & Posting.published_revision_id.is_(None)),
    ).where(Posting.prefecture_code == prefecture_code, Posting.status == "open",
            PostingRevision.joint_wish == "wished")
    return list(db.session.scalars(
        select(Posting).where(Posting.id.in_(rev_ids))
        .order_by(Posting.municipality_code, Posting.id)))
