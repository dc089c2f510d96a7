"""Who may bring talent lists in, and which staff see profiles at all. Built on the accounts
primitives (which profile a staff member sees is professionals.services.can_view)."""

from __future__ import annotations

from talentmatch.accounts.models import MINISTRY, PREFECTURE
from talentmatch.accounts.permissions import is_prefecture, role_in


def can_import_talent(user) -> bool:
    """Prefecture coordinators and the ministry import talent lists."""
    return role_in(user, PREFECTURE, MINISTRY)


def imports_for_own_prefecture_only(user) -> bool:
    """A coordinator's lists belong to their own prefecture."""
    return is_prefecture(user)
