"""A user's role is compared in one kind of place only: the ``permissions.py`` modules
(accounts' primitives and each domain's rules built on them). Everywhere else asks through a
named function (``is_prefecture(user)``, ``can_view_municipality(user, code)``,
``joint.permissions.can_view(user, proposal)`` …), so who may do what is read in one place.

Every ``Compare`` node in talentmatch/ whose left side or comparators include an attribute
named ``role`` (``user.role == PREFECTURE``, ``User.role != PROFESSIONAL``,
``actor.role in (…)``) outside a ``permissions.py`` is reported.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "talentmatch"


def raw_role_comparisons(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(isinstance(o, ast.Attribute) and o.attr == "role" for o in operands):
                found.append((node.lineno, ast.unparse(node)))
    return found


def test_the_check_sees_each_kind_of_comparison():
    source = (
        "a = user.role == PREFECTURE\n"
        "b = select(User).where(User.role != PROFESSIONAL)\n"
        "c = actor.role not in (MINISTRY, PREFECTURE)\n"
        "d = is_prefecture(user) and role == PREFECTURE\n"  # a plain name: not an account's role
    )
    assert sorted(line for line, _ in raw_role_comparisons(source)) == [1, 2, 3]


def test_no_raw_role_comparison_outside_permissions_modules():
    offenders = []
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 100  # the walk really reads the package
    for path in files:
        if path.name == "permissions.py":
            continue
        for line, text in raw_role_comparisons(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {text}")
    assert offenders == [], "ask through a permissions function instead:\n" + "\n".join(offenders)


def test_permissions_modules_exist_where_domains_have_rules():
    have = {p.parent.name for p in PACKAGE.rglob("permissions.py")}
    assert {"accounts", "joint", "pool", "postings", "professionals"} <= have
