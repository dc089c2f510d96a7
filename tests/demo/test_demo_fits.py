"""The demo shows the matcher at its best: every open demo posting has at least three
discoverable demo professionals scoring 70 or more, and the rest of the field spreads below."""

from __future__ import annotations

from talentmatch.demo import World
from talentmatch.demo import accounts as demo_accounts
from talentmatch.demo import fits as demo_fits
from talentmatch.demo import joint as demo_joint
from talentmatch.demo import postings as demo_postings
from talentmatch.demo import professionals as demo_professionals
from talentmatch.extensions import db
from talentmatch.matching import services as matching
from talentmatch.postings.models import Posting
from talentmatch.professionals.models import Professional


def test_every_open_demo_posting_has_three_strong_candidates_and_a_spread_below(ctx):
    world = World()
    for step in (demo_accounts, demo_postings, demo_professionals, demo_fits, demo_joint, demo_fits):
        step.load(world)
    postings = [db.session.get(Posting, rev.posting_id) for rev in demo_fits._open_published()]
    assert len(postings) >= 10 and any(p.published_revision.joint_wish == "joint" for p in postings)
    for posting in postings:
        ranking = matching.rank_posting(posting, limit=50)
        scores = [c.score for c in ranking.candidates]
        strong = [c for c in ranking.candidates if c.score >= 70]
        assert len(strong) >= 3, (posting.id, scores[:6])
        assert all(db.session.get(Professional, c.professional_id).discoverable for c in strong)
        assert min(scores) < 70, (posting.id, scores)  # not everyone is a perfect fit
    before = db.session.query(Professional).count()
    demo_fits.load(world)  # a second run adds nobody
    assert db.session.query(Professional).count() == before
