"""``POST /api/v1/subsidy/estimate``: the calculator as a public JSON API (DESIGN.md §10).

No login and no personal data. The view never touches the login session or sets a cookie,
which is also why it is exempt from CSRF: a forged cross-site request could only compute an
estimate for its sender.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, g, request
from werkzeug.datastructures import LanguageAccept

from talentmatch.extensions import csrf, login_manager
from talentmatch.i18n import LANG_COOKIE, LOCALES
from talentmatch.messages import N_
from talentmatch.schemas import check_body
from talentmatch.subsidies import services
from talentmatch.subsidies.request_schema import subsidy_request
from talentmatch.subsidies.validation import requested_lang

bp = Blueprint("subsidy_api", __name__)

# 1,000 lines (the calculator's limit) take about 100 kB of JSON; anything far beyond that
# is refused before parsing.
MAX_BODY = 256 * 1024

ERR_TOO_LARGE = N_("The request body is too large; send at most %(max)s bytes.")


def _header_lang() -> str:
    """The tm_lang cookie (the language switch), else Accept-Language, else Japanese."""
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in LOCALES:
        return cookie
    accept: LanguageAccept = request.accept_languages
    return accept.best_match(LOCALES, default="ja") or "ja"


def _json(body: dict, status: int) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    mimetype="application/json")


@bp.post("/api/v1/subsidy/estimate")
@csrf.exempt
def estimate():
    # The security headers hook asks for current_user: answering "anonymous" here keeps the
    # login session (and its idle timer) untouched by this endpoint.
    g._login_user = login_manager.anonymous_user()
    lang = _header_lang()
    length = request.content_length
    if length is not None and length > MAX_BODY:
        return _json(services.errors_json(ERR_TOO_LARGE, lang, max=MAX_BODY), 400)
    raw = request.stream.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        return _json(services.errors_json(ERR_TOO_LARGE, lang, max=MAX_BODY), 400)
    body, ok = services.estimate_raw(raw, lang)
    if ok:
        # What the calculator accepts must also fit the published schema (request_schema.py).
        errors = check_body(subsidy_request(), raw)
        if errors:
            t = services.gettext_for(requested_lang(json.loads(raw.decode("utf-8-sig")), lang))
            body, ok = {"errors": [{"field": e.field, "message": e.render(t)} for e in errors]}, False
    return _json(body, 200 if ok else 400)
