"""Demonstration data: a believable world on top of the master data.

Each domain adds its part as a module with ``load(world)``; they run in the order of STEPS.
Refused in production (SECURITY.md 6).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from flask import current_app

STEPS = (
    "talentmatch.demo.accounts",
    "talentmatch.demo.postings",
    "talentmatch.demo.professionals",
    "talentmatch.demo.fits",
    "talentmatch.demo.subscriptions",
    "talentmatch.demo.matching",
    "talentmatch.demo.subsidies",
    "talentmatch.demo.joint",
    "talentmatch.demo.fits",  # again, for the joint postings the step before published
    "talentmatch.demo.insights",  # earlier openings of the year and page views: the evidence
)

PASSWORD = "demo-talentmatch-2026"
ADMIN_EMAIL = "admin@mic.demo.talentmatch.jp"


class DemoRefused(RuntimeError):
    pass


@dataclass
class World:
    """What earlier steps created, for later steps to build on."""

    password: str = PASSWORD
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (role, email, note)
    users: dict[str, object] = field(default_factory=dict)  # email -> User
    extra: dict[str, object] = field(default_factory=dict)


def load() -> dict:
    if current_app.config["IS_PRODUCTION"]:
        raise DemoRefused("demo data is never loaded in production")
    from sqlalchemy import select

    from talentmatch.accounts.models import User
    from talentmatch.extensions import db
    from talentmatch.subsidies.measure_services import load_seed

    load_seed()  # the shipped measures, if `flask subsidy measures load` has not run yet
    world = World()
    # A second run only reprints the logins: the demo world is created once per database.
    already = db.session.scalar(select(User.id).where(User.email == ADMIN_EMAIL)) is not None
    for step in STEPS[:1] if already else STEPS:
        importlib.import_module(step).load(world)
    return {"password": world.password, "accounts": world.accounts}
