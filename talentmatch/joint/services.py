"""Joint appointments (共同任用): a coordinator proposes one role for several municipalities,
each participant answers, another prefecture concerned agrees, and the accepted proposal
becomes ONE joint posting of the lead municipality that travels the normal relay.

Each use case owns its transaction and writes its audit record and mail in it. Visibility is
decided here: the proposing prefecture's coordinators, the coordinators of another prefecture
asked to agree, and the staff of participating municipalities see a proposal; nobody else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from talentmatch.accounts.models import MUNICIPALITY, PREFECTURE, PROFESSIONAL, User
from talentmatch.audit.services import record
from talentmatch.db import utcnow
from talentmatch.extensions import db
from talentmatch.geo.services import municipal_lookup
from talentmatch.joint import shares
from talentmatch.joint.models import JointAgreement, JointParticipant, JointProposal
from talentmatch.joint.participants import participants_for  # noqa: F401  (re-exported)
from talentmatch.messages import N_, FieldError, Msg
from talentmatch.notifications.services import enqueue_mail
from talentmatch.postings import services as postings
from talentmatch.postings.models import Posting
from talentmatch.postings.services import municipality_exists, transaction
from talentmatch.postings.template import cleaners, fields, validation

ERR_STATE = N_("This proposal is %(state)s; it can no longer be changed this way.")
ERR_NOT_ACCEPTED = N_("Every participant (and every other prefecture concerned) must accept "
                      "before the joint posting is created.")
ERR_COMMENT_REQUIRED = N_("Say briefly why you decline, so the coordinator can adjust the "
                          "proposal.")
ERR_TITLE = N_("Enter the title of the role.")
ERR_EMPLOYMENT = N_("Choose the type of appointment.")
ERR_POSTING_SCOPE = N_("Posting %(id)s is not an open posting of your prefecture.")

STATE_LABELS = {
    "proposed": N_("Awaiting answers"),
    "accepted": N_("Accepted by all"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn"),
    "posted": N_("Joint posting created"),
}
RESPONSE_LABELS = {
    "pending": N_("Not answered yet"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
}


class ProposalNotFound(Exception):
    """Missing, or not visible to this user (the two look the same)."""


class InvalidProposal(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(", ".join(e.field for e in errors))
        self.errors = errors


class ProposalRefused(Exception):
    """The move is not possible in the proposal's state (message for the user)."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.msgid)
        self.message = message


# --------------------------------------------------------------------------- input


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
        errors.append(FieldError("days_per_month", Msg(validation.MSG_REQUIRED)))
    start, end = cleaned.get("period_start"), cleaned.get("period_end")
    if isinstance(start, date) and isinstance(end, date) and end <= start:
        errors.append(FieldError("period_end", Msg(validation.MSG_PERIOD_ORDER)))
    summary = (data.summary or "").strip()
    if len(summary) > fields.LONG_TEXT_MAX:
        errors.append(FieldError("summary", Msg(cleaners.MSG_TOO_LONG, {
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


# --------------------------------------------------------------------------- visibility


def _is_coordinator(actor) -> bool:
    return bool(actor is not None and actor.is_authenticated and actor.role == PREFECTURE
                and actor.prefecture_code)


def is_proposer(actor, proposal: JointProposal) -> bool:
    return _is_coordinator(actor) and actor.prefecture_code == proposal.proposing_prefecture_code


def agreement_of(actor, proposal: JointProposal) -> JointAgreement | None:
    if not _is_coordinator(actor):
        return None
    return next((a for a in proposal.agreements if a.prefecture_code == actor.prefecture_code),
                None)


def participant_of(actor, proposal: JointProposal) -> JointParticipant | None:
    if not (actor is not None and actor.is_authenticated and actor.role == MUNICIPALITY):
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


def load(actor, proposal_id: int, *, for_update: bool = False) -> JointProposal:
    lock = {"of": JointProposal} if for_update else None
    proposal = db.session.get(JointProposal, proposal_id, with_for_update=lock)
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
    if actor.role == MUNICIPALITY and actor.municipality_code:
        n = db.session.scalar(
            select(func.count(JointParticipant.id))
            .join(JointProposal, JointProposal.id == JointParticipant.proposal_id)
            .where(JointParticipant.municipality_code == actor.municipality_code,
                   JointParticipant.response == "pending", JointProposal.state == "proposed"))
        return {"responses": n or 0}
    if actor.role == PREFECTURE and actor.prefecture_code:
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
    if actor.role == PROFESSIONAL:
        from talentmatch.joint.models import Introduction
        from talentmatch.professionals.models import Professional

        n = db.session.scalar(
            select(func.count(Introduction.id))
            .join(Professional, Professional.id == Introduction.professional_id)
            .where(Professional.user_id == actor.id, Introduction.status == "pending"))
        return {"introductions": n or 0}
    return {}


# --------------------------------------------------------------------------- mail


def _staff_of(code: str) -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.role == MUNICIPALITY, User.municipality_code == code, User.active.is_(True)
    ).order_by(User.id)))


def _coordinators_of(pref_code: str) -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.role == PREFECTURE, User.prefecture_code == pref_code, User.active.is_(True)
    ).order_by(User.id)))


def _mail(users: Sequence[User], template_name: str, proposal: JointProposal, key: str,
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


# --------------------------------------------------------------------------- use cases


def propose(actor, data: ProposalInput) -> JointProposal:
    """A coordinator proposes a joint role; participants from other prefectures need their
    prefecture's agreement. Raises InvalidProposal (nothing saved) or PermissionError."""
    if not _is_coordinator(actor):
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
            _mail(_staff_of(p.municipality_code), "joint_proposal", proposal, "proposed",
                  participant=p)
        for code in others:
            _mail(_coordinators_of(code), "joint_agreement", proposal, "agreement")
    return proposal


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
        users = _coordinators_of(proposal.proposing_prefecture_code)
        if proposal.state == "accepted":
            users += _staff_of(proposal.lead_municipality_code)
        _mail(users, "joint_decided", proposal, proposal.state)


def _require_open(proposal: JointProposal) -> None:
    if proposal.state != "proposed":
        raise ProposalRefused(Msg(ERR_STATE, {"state": STATE_LABELS[proposal.state]}))


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
            raise ProposalRefused(Msg(ERR_STATE, {"state": STATE_LABELS[proposal.state]}))
        proposal.state = "withdrawn"
        proposal.withdrawn_at = utcnow()
        record("joint.withdrawn", actor=actor, object_type="joint_proposal",
               object_id=proposal.id)
    return proposal


def create_posting(actor, proposal_id: int) -> Posting:
    """Turn an accepted proposal into ONE joint posting (a draft of the lead municipality,
    prefilled): the lead's staff complete and submit it, then it is relayed and published as
    usual, showing every participant."""
    with transaction():
        proposal = load(actor, proposal_id, for_update=True)
        if proposal.state != "accepted":
            raise ProposalRefused(Msg(ERR_NOT_ACCEPTED) if proposal.state == "proposed"
                                  else Msg(ERR_STATE, {"state": STATE_LABELS[proposal.state]}))
        if not can_create_posting(actor, proposal):
            raise ProposalNotFound(proposal_id)
        today = postings.today_jst()
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
        _mail(_staff_of(proposal.lead_municipality_code), "joint_posting_ready", proposal,
              "posted", posting_path=f"/my/postings/{posting.id}/edit")
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


# --------------------------------------------------------------------------- prefill


def prefill_from_postings(actor, posting_ids: Sequence[int]) -> ProposalInput:
    """A proposal form filled from "joint wished" postings or a bundle: the first posting's
    municipality leads; each municipality's days come from its own posting."""
    ids = [int(i) for i in posting_ids][: shares.MAX_PARTICIPANTS]
    if not ids or not _is_coordinator(actor):
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
        summary="\n\n".join(f"{name_of(p.municipality_code)}: {r.title}" for p, r in revs)
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
    from talentmatch.postings.models import PostingRevision

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


# --------------------------------------------------------------------------- subsidy split


@dataclass
class Split:
    parts: list = field(default_factory=list)  # subsidies.services.ParticipantPart
    basis: str = ""  # "appointment" | "posting" | "proposal"
    problem: Msg | None = None
    total_lines: list[dict] = field(default_factory=list)


MSG_SPLIT_NO_TERMS = N_("Give the role's compensation and period to estimate each "
                        "participant's costs and grant.")


def subsidy_split(proposal: JointProposal, lang: str) -> Split:
    """Each participant's part of the costs and its estimated grant, by its share of costs:
    from the appointment when someone is appointed, else the posting's terms, else the
    proposal's."""
    from talentmatch.subsidies import costs, rules
    from talentmatch.subsidies.services import joint_split

    terms, basis = _cost_terms(proposal)
    try:
        category = costs.category_for(terms.employment_type)
        parts = costs.cost_by_fiscal_year(terms.compensation_amount, terms.compensation_unit,
                                          terms.period_start, terms.period_end,
                                          terms.days_per_month)
    except costs.CostEstimateError as exc:
        return Split(basis=basis, problem=exc.msg if terms is not proposal
                     else Msg(MSG_SPLIT_NO_TERMS))
    lines: list[dict] = []
    for i, part in enumerate(parts, start=1):
        line: dict[str, object] = {"id": str(i), "category": category, "amount": part.amount}
        if part.date is not None:
            line["date"] = part.date.isoformat()
        else:
            line["fiscal_year"] = part.fiscal_year
        lines.append(line)
    if not lines:
        return Split(basis=basis, problem=Msg(MSG_SPLIT_NO_TERMS))
    share_map = {p.municipality_code: p.share_cost for p in proposal.participants}
    try:
        split = joint_split(lines, share_map, lang=lang)
    except rules.InvalidInput as exc:
        return Split(basis=basis, problem=exc.errors[0].message if exc.errors else None)
    return Split(parts=split, basis=basis, total_lines=lines)


def _cost_terms(proposal: JointProposal):
    if proposal.posting_id is not None:
        from talentmatch.applications.models import Appointment

        appt = db.session.scalar(select(Appointment).where(
            Appointment.posting_id == proposal.posting_id, Appointment.status == "active"
        ).order_by(Appointment.id).limit(1))
        if appt is not None:
            return appt, "appointment"
        posting = db.session.get(Posting, proposal.posting_id)
        rev = (posting.published_revision or posting.current_revision) if posting else None
        if rev is not None:
            return rev, "posting"
    return proposal, "proposal"


def for_posting(posting_id: int) -> JointProposal | None:
    return db.session.scalar(select(JointProposal).where(
        JointProposal.posting_id == posting_id, JointProposal.state == "posted"))


def as_dict(values: Mapping[str, object]) -> ProposalInput:
    """Form values (a mapping) as ProposalInput."""
    return ProposalInput(**{k: v for k, v in values.items()
                            if k in ProposalInput.__dataclass_fields__})
