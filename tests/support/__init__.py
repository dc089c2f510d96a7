"""What the tests share, imported from here and nowhere else:

- factories: users of every role, postings as the public sees them, and the real login
  (password + second factor) behind the `auth` fixture;
- browser: the live server, Debian's chromium, a person in their own browser context,
  axe-core and screenshots for the browser stories;
- mail, figures: the mail files the app writes; the figures the security tests count;
- one module per domain for the data its tests build: postings, posting_data, matching,
  matcher_strategies, professionals, joint, subsidies, subsidy_cases, outbox,
  fake_sendgrid, subscriptions, cell_cases, security_world.
"""

from __future__ import annotations

import importlib
import sys

# Where these modules lived before tests/support existed. Tests written against the old
# paths (on branches started earlier) still import them; new tests import tests.support.*.
OLD_PATHS = {
    "tests.factories": "tests.support.factories",
    "tests.e2e.helpers": "tests.support.browser",
    "tests.accounts.mail": "tests.support.mail",
    "tests.security.sec_figures": "tests.support.figures",
    "tests.security.sec_world": "tests.support.security_world",
    "tests.postings.posting_helpers": "tests.support.postings",
    "tests.matching.match_helpers": "tests.support.matching",
    "tests.professionals.helpers": "tests.support.professionals",
    "tests.subsidies.subsidy_helpers": "tests.support.subsidies",
    "tests.joint.joint_helpers": "tests.support.joint",
    "tests.notifications.outbox_helpers": "tests.support.outbox",
    "tests.notifications.fake_sendgrid": "tests.support.fake_sendgrid",
    "tests.subscriptions.sub_helpers": "tests.support.subscriptions",
    "tests.unit.cell_cases": "tests.support.cell_cases",
    "tests.unit.posting_data": "tests.support.posting_data",
    "tests.unit.subsidy_cases": "tests.support.subsidy_cases",
    "tests.unit.matcher_strategies": "tests.support.matcher_strategies",
}


def alias_old_paths() -> None:
    """Make every old path name the module it moved to (imported lazily on first use would
    be nicer, but a test module imports at collection, after conftest has run this)."""
    for old, new in OLD_PATHS.items():
        if old not in sys.modules:
            sys.modules[old] = importlib.import_module(new)
