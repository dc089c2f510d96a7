"""The demo's professionals: enough of them, varied, believable and the same on every run."""

from __future__ import annotations

import random

from sqlalchemy import func, select

from talentmatch.demo import World
from talentmatch.demo import accounts as demo_accounts
from talentmatch.demo import professionals as demo
from talentmatch.extensions import db
from talentmatch.professionals.models import Professional
from talentmatch.professionals.vocabulary import load_vocabulary


def test_demo_professionals(ctx):
    world = World()
    demo_accounts.load(world)
    demo.load(world)
    profs = list(db.session.scalars(select(Professional)))
    assert len(profs) >= 300
    vocab = load_vocabulary()
    assert all(set(p.skills) <= set(vocab.skill_keys) and p.skills for p in profs)
    assert all(2 <= p.available_days_per_month <= 20 for p in profs)
    assert sum(p.discoverable for p in profs) > 0.75 * len(profs)
    companies = [p for p in profs if p.kind == "company"]
    assert companies and all(
        (
            "株式会社" in p.user.display_name
            or "会社" in p.user.display_name
            or "法人" in p.user.display_name
        )
        for p in companies
    )
    imported = [p for p in profs if p.source == "imported"]
    assert imported and all(p.imported_prefecture_code in demo.CLUSTERS for p in imported)
    assert any(p.public_sector_experience for p in profs) and any(
        q in vocab.qualifications and vocab.qualifications[q].scarce
        for p in profs for q in p.qualifications
    )
    assert any("標準化" in p.experience for p in profs) and any(
        "セキュリティポリシー" in p.experience for p in profs
    )
    # Printed logins are professionals who can log in and are discoverable.
    shown = [email for role, email, _ in world.accounts if role == "professional"]
    assert len(shown) == 2
    for email in shown:
        prof = next(p for p in profs if p.user.email == email)
        assert prof.discoverable and prof.user.password_hash and prof.user.email_confirmed_at
    # Loading again adds nothing.
    demo.load(World(users=world.users))
    assert db.session.scalar(select(func.count()).select_from(Professional)) == len(profs)


def test_demo_profiles_are_deterministic():
    by_focus = {"security": ["information_security"], "standardization": ["government_cloud"]}
    munis = {p: [f"県{p}", f"市{p}"] for p in demo.CLUSTERS}
    a = [demo._profile(random.Random(demo.SEED), n, munis, by_focus) for n in range(3)]
    b = [demo._profile(random.Random(demo.SEED), n, munis, by_focus) for n in range(3)]
    assert a == b
