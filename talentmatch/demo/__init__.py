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
)

PASSWORD = "demo-talentmatch-2026"


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
    world = World()
    for step in STEPS:
        importlib.import_module(step).load(world)
    return {"password": world.password, "accounts": world.accounts}
