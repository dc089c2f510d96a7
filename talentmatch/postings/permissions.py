"""Whom a posting's organisation is: its municipality's staff, its prefecture's coordinators and
the ministry act for it (workflow.py then decides which role may take which action).
Built on the accounts primitives."""

from __future__ import annotations

from talentmatch.accounts.permissions import is_ministry, is_municipality, is_prefecture


def in_scope(actor, posting) -> bool:
    """Whether the user acts for this posting's organisation at all (the workflow then decides
    whether their role may take the action)."""
    if actor is None:
        return True
    if is_municipality(actor):
        return bool(actor.municipality_code) and actor.municipality_code == posting.municipality_code
    if is_prefecture(actor):
        return bool(actor.prefecture_code) and actor.prefecture_code == posting.prefecture_code
    return is_ministry(actor)
