"""Fixtures of the security tests (the world of tests/support/security_world.py, built once per run and put
back before each test) and the figures they print at the end of the run."""

from __future__ import annotations

import pytest

from tests.support.figures import FIGURES


def pytest_terminal_summary(terminalreporter):
    if not FIGURES:
        return
    terminalreporter.section("security figures")
    for section, counts in FIGURES.items():
        line = ", ".join(f"{k} {v}" for k, v in counts.items())
        terminalreporter.write_line(f"{section}: {line}")


@pytest.fixture(scope="session")
def world_snapshot(app):
    from tests.support.security_world import Snapshot, build_world, wipe

    with app.app_context():
        w = build_world()
        snap = Snapshot(app, w)
    wipe(app)
    return snap


@pytest.fixture
def world(app, ctx, world_snapshot):
    """A fresh copy of the world for this test."""
    return world_snapshot.restore(app)
