"""A joint appointment's costs split among its participants by their shares of costs, each
with its estimated special grant (subsidies.joint_split, shown on the proposal's page)."""

from __future__ import annotations

import pytest

from talentmatch.extensions import db
from talentmatch.joint import proposals
from talentmatch.joint.models import JointProposal
from talentmatch.subsidies import joint_split
from tests.factories import login
from tests.joint.joint_helpers import KIKONAI, SHIRIUCHI, people, proposal_input


@pytest.fixture
def world(app):
    with app.app_context():
        yield people()


def _proposal(world, **kw) -> int:
    return proposals.propose(world["coord"], proposal_input(**kw)).id


def _client(app, user):
    c = app.test_client()
    login(c, user)
    return c


def test_subsidy_split_by_the_shares(app, world):
    # FY2025 (令和7年度), the measure's last year: the grant is not zero.
    pid = _proposal(world, parts=((KIKONAI, "6", "75"), (SHIRIUCHI, "2", "25")),
                    period_start="2025-04-01", period_end="2026-03-31")
    split = joint_split.subsidy_split(db.session.get(JointProposal, pid), "ja")
    total = sum(int(line["amount"]) for line in split.total_lines)
    assert split.basis == "proposal" and total > 0
    parts = {p.code: p for p in split.parts}
    assert parts[KIKONAI].result.total_amount + parts[SHIRIUCHI].result.total_amount == total
    assert parts[KIKONAI].result.total_amount == pytest.approx(total * 0.75, abs=2)
    assert parts[SHIRIUCHI].result.total_grant == parts[SHIRIUCHI].result.total_amount // 2
    html = _client(app, world["shiriuchi"]).get(f"/joint/proposals/{pid}").get_data(as_text=True)
    assert "joint-split" in html and f"{parts[SHIRIUCHI].result.total_grant:,}" in html
