"""The header's inbox counts for staff (「確認待ち 3」 beside the coordinator's submissions)."""

from __future__ import annotations

from flask import Blueprint, has_request_context, request
from flask_login import current_user

from talentmatch.inbox import counts

bp = Blueprint("inbox", __name__)


@bp.app_context_processor
def _nav_badges() -> dict:
    def nav_badges() -> dict[str, tuple[str, int]]:
        """endpoint → (label msgid, count), computed once per request: kept on the request, not
        on ``g``, which outlives it where one app context serves several requests (a test
        client or a script inside ``app.app_context()``) and would show one user's counts
        to the next."""
        if not has_request_context():
            return {}
        cached = getattr(request, "_nav_badges", None)
        if cached is None:
            user = current_user
            cached = counts.badges(user) if user.is_authenticated and user.is_staff else {}
            request._nav_badges = cached
        return cached

    return {"nav_badges": nav_badges}
