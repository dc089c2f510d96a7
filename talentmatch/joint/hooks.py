"""What the joint domain adds to other domains, connected to their signals at start-up
(app.RECEIVERS): the combined need of a joint posting for the matcher."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from talentmatch import signals
from talentmatch.extensions import db
from talentmatch.joint.models import JointParticipant, JointProposal


@signals.posting_needs.connect
def joint_needs(posting) -> list:
    """One need per participant (the lead first): the posting's content with that
    participant's days and prefecture, so the matcher sums the days and checks location fit
    for every participant (matcher.combine_needs)."""
    from talentmatch.matching.rows import need_from_revision, revision_for_matching

    rows = db.session.execute(
        select(JointParticipant.municipality_code, JointParticipant.share_days)
        .join(JointProposal, JointProposal.id == JointParticipant.proposal_id)
        .where(JointProposal.posting_id == posting.id, JointProposal.state == "posted")
        .order_by(JointParticipant.position)
    ).all()
    rev = revision_for_matching(posting)
    if not rows or rev is None:
        return []
    own = need_from_revision(posting.id, rev)
    return [replace(own, days_per_month=float(days), prefecture_codes=[code[:2]])
            for code, days in rows]

