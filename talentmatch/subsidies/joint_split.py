"""A joint appointment's costs split among its participants, each with its estimated
special grant (特別交付税措置), by its share of costs: from the appointment when someone is
appointed, else the joint posting's terms, else the proposal's (DESIGN.md §6).

The proposal is read as given (its participants, terms and posting); this module does not
import the joint domain, which shows the split on a proposal's page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Protocol

from sqlalchemy import select

from talentmatch.applications.models import Appointment
from talentmatch.extensions import db
from talentmatch.messages import N_, Msg
from talentmatch.postings.models import Posting
from talentmatch.subsidies import costs, validation
from talentmatch.subsidies.services import joint_split


class Participant(Protocol):
    municipality_code: str
    share_cost: Fraction


class JointTerms(Protocol):
    """What the split reads of a joint proposal (joint.models.JointProposal)."""

    posting_id: int | None
    participants: Sequence[Participant]
    employment_type: str
    compensation_amount: int | None
    compensation_unit: str | None
    period_start: date | None
    period_end: date | None
    days_per_month: float


@dataclass
class Split:
    parts: list = field(default_factory=list)  # subsidies.services.ParticipantPart
    basis: str = ""  # "appointment" | "posting" | "proposal"
    problem: Msg | None = None
    total_lines: list[dict] = field(default_factory=list)


MSG_SPLIT_NO_TERMS = N_("Give the role's compensation and period to estimate each "
                        "participant's costs and grant.")


def subsidy_split(proposal: JointTerms, lang: str) -> Split:
    """Each participant's part of the costs and its estimated grant, by its share of costs:
    from the appointment when someone is appointed, else the posting's terms, else the
    proposal's."""
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
    except validation.InvalidInput as exc:
        return Split(basis=basis, problem=exc.errors[0].message if exc.errors else None)
    return Split(parts=split, basis=basis, total_lines=lines)


def _cost_terms(proposal: JointTerms):
    if proposal.posting_id is not None:
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
