"""The header's inbox counts for staff (「確認待ち 3」 beside the coordinator's submissions)."""

from __future__ import annotations

from flask import Blueprint, g
from flask_login import current_user

from talentmatch.inbox import counts

bp = Blueprint("inbox", __name__)


@bp.app_context_processor
def _nav_badges() -> dict:
    def nav_badges() -> dict[str, tuple[str, int]]:
        """endpoint → (label msgid, count), computed once per request."""
        if "nav_badges" not in g:
            user = current_user
            g.nav_badges = counts.badges(user) if user.is_authenticated and user.is_staff else {}
        return g.nav_badges

    return {"nav_badges": nav_badges}
