"""Who keeps a prefecture's talent pool and who sees a posting's introductions. Built on the
accounts primitives."""

from __future__ import annotations

from talentmatch.accounts.permissions import is_municipality, is_prefecture


def keeps_pool(actor, prefecture_code: str | None) -> bool:
    """The prefecture's coordinators keep its pool; nobody else sees it."""
    return bool(actor is not None and is_prefecture(actor)
                and actor.prefecture_code == prefecture_code)


def can_see_introductions(actor, posting) -> bool:
    """The posting's municipality and its prefecture's coordinators."""
    return bool(actor is not None and actor.is_authenticated and (
        (is_municipality(actor) and actor.municipality_code == posting.municipality_code)
        or (is_prefecture(actor) and actor.prefecture_code == posting.prefecture_code)))
