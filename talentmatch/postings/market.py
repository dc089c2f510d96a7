"""The 採用市況 behind the ``market_pay`` advice: pay of comparable published postings (same
employment form and pay unit), read from the database and passed to the pure advice."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from talentmatch.extensions import db
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.postings.template.advice_flow import MarketPay, market_pay_of
from talentmatch.postings.template.cleaners import clean_field


def market_for(
    values: Mapping[str, object], *, exclude_posting_id: int | None = None
) -> dict[tuple[str, str], MarketPay]:
    """{(employment form, pay unit): figures} for the form, pay unit of ``values``; empty
    when either is missing or fewer than advice_flow.MIN_COMPARABLE postings compare."""
    employment_type, err1 = clean_field("employment_type", values.get("employment_type"))
    unit, err2 = clean_field("compensation_unit", values.get("compensation_unit"))
    if err1 or err2 or not isinstance(employment_type, str) or not isinstance(unit, str):
        return {}
    stmt = (
        select(PostingRevision.compensation_amount)
        .join(Posting, Posting.published_revision_id == PostingRevision.id)
        .where(
            PostingRevision.employment_type == employment_type,
            PostingRevision.compensation_unit == unit,
            PostingRevision.compensation_amount.is_not(None),
        )
    )
    if exclude_posting_id is not None:
        stmt = stmt.where(Posting.id != exclude_posting_id)
    figures = market_pay_of([int(a) for a in db.session.scalars(stmt)])
    return {(employment_type, unit): figures} if figures is not None else {}


def evidence_for(values: Mapping[str, object]) -> list:
    """Advice citing the service's own figures, from whichever domain answers
    signals.posting_evidence (insights): [] when the evidence is thin."""
    from talentmatch import signals

    found: list = []
    for _receiver, answer in signals.posting_evidence.send(None, values=values):
        found.extend(answer or ())
    return found
