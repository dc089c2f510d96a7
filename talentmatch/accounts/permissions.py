"""Role and organisation checks: the one place every view asks "may this user do that?"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user

from talentmatch import signals
from talentmatch.accounts.models import MINISTRY, MUNICIPALITY, PREFECTURE, PROFESSIONAL

__all__ = ["MINISTRY", "MUNICIPALITY", "PREFECTURE", "PROFESSIONAL", "role_required",
           "can_manage_municipality", "can_manage_prefecture", "require_municipality",
           "require_prefecture", "has_role", "nav_items", "NavItem"]


def has_role(*roles: str) -> bool:
    return bool(current_user.is_authenticated and current_user.role in roles)


def role_required(*roles: str) -> Callable:
    """Anonymous users go to the login page; other roles get 403 (deny by default)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles  # read by the authorization matrix test
        return wrapped

    return decorator


def login_required(view: Callable) -> Callable:
    from talentmatch.accounts.models import ROLES

    return role_required(*ROLES)(view)


def can_manage_municipality(user, municipality_code: str | None) -> bool:
    """Staff of that municipality act for it; nobody else edits its postings."""
    return bool(
        municipality_code
        and user.is_authenticated
        and user.role == MUNICIPALITY
        and user.municipality_code == municipality_code
    )


def can_manage_prefecture(user, prefecture_code: str | None) -> bool:
    return bool(
        prefecture_code
        and user.is_authenticated
        and user.role == PREFECTURE
        and user.prefecture_code == prefecture_code
    )


def can_view_municipality(user, municipality_code: str | None) -> bool:
    """Own municipality, its prefecture's coordinators, and the ministry."""
    if not (user.is_authenticated and municipality_code):
        return False
    if user.role == MINISTRY:
        return True
    return can_manage_municipality(user, municipality_code) or can_manage_prefecture(
        user, municipality_code[:2]
    )


def require_municipality(municipality_code: str | None) -> None:
    if not can_manage_municipality(current_user, municipality_code):
        abort(403)


def require_prefecture(prefecture_code: str | None) -> None:
    if not can_manage_prefecture(current_user, prefecture_code):
        abort(403)


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy string
    roles: tuple[str, ...]
    order: int = 50


def all_nav_items() -> list[NavItem]:
    """Every domain's entries (their answers to signals.nav_items), in menu order; the first
    entry for an endpoint wins."""
    seen: dict[str, NavItem] = {}
    for _receiver, items in signals.nav_items.send(None):
        for item in items:
            seen.setdefault(item.endpoint, item)
    return sorted(seen.values(), key=lambda i: (i.order, i.endpoint))


def nav_items() -> list[NavItem]:
    """The entries the current user's role sees."""
    role = current_user.role if current_user.is_authenticated else "anonymous"
    return [i for i in all_nav_items() if role in i.roles]
