"""The demo's joint appointments, pools and introductions: every state is there, built by the
real services, and the published joint posting shows all its participants."""

from __future__ import annotations

from sqlalchemy import select

from talentmatch.dashboards import figures
from talentmatch.demo import World
from talentmatch.demo import accounts as demo_accounts
from talentmatch.demo import joint as demo_joint
from talentmatch.demo import postings as demo_postings
from talentmatch.demo import professionals as demo_professionals
from talentmatch.demo.accounts import DEMO_PREFECTURES
from talentmatch.extensions import db
from talentmatch.joint.models import JointProposal
from talentmatch.joint.participants import participants_for
from talentmatch.pool.models import Introduction, TalentPoolEntry


def test_demo_joint_world(ctx):
    world = World()
    for step in (demo_accounts, demo_postings, demo_professionals, demo_joint):
        step.load(world)
    proposals = list(db.session.scalars(select(JointProposal)))
    states = {p.state for p in proposals}
    assert states == {"proposed", "accepted", "declined", "withdrawn", "posted"}
    partly = [p for p in proposals if p.state == "proposed"
              and any(x.response == "accepted" for x in p.participants)]
    assert partly and any(p.agreements and p.needs_agreement for p in proposals)
    published = world.extra["joint_published_posting"]
    parts = participants_for([published])[published]
    assert len(parts) == 3 and abs(sum(p["share"] for p in parts) - 1) < 1e-6

    pools = {e.prefecture_code for e in db.session.scalars(select(TalentPoolEntry))}
    assert pools == set(DEMO_PREFECTURES)
    assert all(e.tags for e in db.session.scalars(select(TalentPoolEntry)))
    assert {i.status for i in db.session.scalars(select(Introduction))} == {
        "pending", "accepted", "declined"}
    assert figures.joint_published(None) == 2
    # Loading again adds nothing.
    demo_joint.load(world)
    assert db.session.scalar(select(db.func.count(JointProposal.id))) == len(proposals)
