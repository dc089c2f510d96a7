"""The participants of joint postings, for every place that shows a posting publicly (the
posting page, listing cards, CSV / Excel exports, the JSON API).

Kept small on purpose: publication and the API call it without importing the rest of the
joint domain. One query for any number of postings.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select

from talentmatch.extensions import db
from talentmatch.geo.services import municipal_lookup
from talentmatch.joint.models import JointParticipant, JointProposal


def participants_for(posting_ids: Iterable[int]) -> dict[int, list[dict]]:
    """{posting_id: [{"code", "name", "share", "share_days"}, …]} for the joint postings among
    ``posting_ids`` (the lead first); other postings are absent. ``share`` is the share of
    costs as a number (0.5), ``share_days`` the days per month."""
    ids = sorted({int(i) for i in posting_ids})
    out: dict[int, list[dict]] = {}
    for start in range(0, len(ids), 900):
        rows = db.session.execute(
            select(JointProposal.posting_id, JointParticipant.municipality_code,
                   JointParticipant.share_cost_num, JointParticipant.share_cost_den,
                   JointParticipant.share_days)
            .join(JointParticipant, JointParticipant.proposal_id == JointProposal.id)
            .where(JointProposal.posting_id.in_(ids[start:start + 900]),
                   JointProposal.state == "posted")
            .order_by(JointProposal.posting_id, JointParticipant.position)
        )
        for posting_id, code, num, den, days in rows:
            place = municipal_lookup(code)
            out.setdefault(posting_id, []).append({
                "code": code,
                "name": place.name if place else None,
                "share": float(round(Decimal(num) / Decimal(den), 6)),
                "share_days": float(days),
            })
    return out

