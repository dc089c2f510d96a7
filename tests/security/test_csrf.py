"""CSRF (SECURITY.md 14): every route that takes POST/PUT/PATCH/DELETE refuses a request
without the token — whoever sends it, logged in as the role the route serves — and GET
never changes anything.

Exemptions, and why they are safe:
- ``subscriptions.unsubscribe_post``: RFC 8058 one-click unsubscribe. Mail clients POST
  ``List-Unsubscribe=One-Click`` to the link from the mail's header without any page, so no
  token can exist; the signed per-subscription token in the URL is the authority, and the
  only thing it can do is switch that one subscription off.
- ``subsidy_api.estimate``: the public JSON API (DESIGN §10). It needs no session, reads no
  cookie, changes no row and answers only the JSON body it was given, so a forged
  cross-site request gains nothing (and a JSON body cannot be sent cross-site without a
  CORS preflight anyway).
"""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import func, select

from talentmatch.extensions import db
from tests.security.test_authorization_matrix import DENIED
from tests.security.test_authorization_matrix import ROWS as MATRIX_ROWS
from tests.support.figures import figure
from tests.support.security_world import ROLES, client_for, url_of

# The page-view beacon is a cookie-less POST that changes nothing but a day's counter.
EXEMPT = {"subscriptions.unsubscribe_post", "subsidy_api.estimate", "insights.view_beacon"}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_LOG = "flask_wtf.csrf"

# GET requests may write these: the audit trail (staff viewing a profile is audited,
# SECURITY.md 18) and the session's last-seen time (idle timeout)...
BOOKKEEPING = {"audit_event", "user_session"}
# ...and one read receipt: a professional opening "My applications" marks the invitations
# to apply as seen, which the inviting municipality's pipeline shows. It records that a page
# was read, never what a user decided.
READ_RECEIPTS = {"apply_invitation": {"seen_at", "updated_at"}}


def _state_changing_routes(app) -> list[tuple[str, str]]:
    return sorted(
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods & UNSAFE
    )


def _serving_role(endpoint: str, method: str) -> str:
    """The first role the matrix lets through (so a refusal is CSRF's, not the role
    check's); anonymous for public routes."""
    for e, m, _spec, expected in MATRIX_ROWS:
        if (e, m) == (endpoint, method):
            for role in ROLES:
                if expected[role] not in DENIED:
                    return role
    return "anon"


def _spec_of(endpoint: str, method: str) -> dict:
    return next(s for e, m, s, _ in MATRIX_ROWS if (e, m) == (endpoint, method))


def test_every_state_changing_route_refuses_a_missing_token(csrf_app, world, caplog):
    app = csrf_app
    routes = _state_changing_routes(app)
    refused, accepted = 0, []
    # Flask-WTF logs why it refused; the migrations' logging setup disables existing
    # loggers, so switch this one back on to tell a CSRF refusal from any other 400.
    logger = logging.getLogger(CSRF_LOG)
    was_disabled, logger.disabled = logger.disabled, False
    caplog.set_level(logging.INFO, logger=CSRF_LOG)
    for endpoint, method in routes:
        if endpoint in EXEMPT:
            continue
        role = _serving_role(endpoint, method)
        url = url_of(app, world, endpoint, _spec_of(endpoint, method))
        caplog.clear()
        resp = client_for(app, world, role).open(url, method=method, data={"x": "1"})
        by_csrf = any("CSRF" in r.getMessage() for r in caplog.records if r.name == CSRF_LOG)
        if resp.status_code == 400 and by_csrf:
            refused += 1
        else:
            accepted.append(f"{method} {url} as {role}: {resp.status_code}")
    logger.disabled = was_disabled
    total = len(routes)
    figure("CSRF", "state-changing routes", total)
    figure("CSRF", "refused without token", refused)
    figure("CSRF", "exempt (unsubscribe one-click, subsidy estimate API, page-view beacon)", len(EXEMPT))
    assert not accepted, f"token-less requests accepted: {accepted}"
    assert refused == total - len(EXEMPT)


def test_only_the_known_exemptions_exist(csrf_app):
    csrf = csrf_app.extensions["csrf"]
    exempt = set(csrf._exempt_views) | {f"blueprint:{b}" for b in csrf._exempt_blueprints}
    names = {v.rsplit(".", 1)[-1] for v in exempt}
    # Flask-WTF records exempt views by module.function.
    assert names <= {"unsubscribe_post", "estimate", "view_beacon"}, exempt
    assert not csrf._exempt_blueprints


def test_a_wrong_token_is_refused_and_the_right_one_accepted(csrf_app, world):
    client = client_for(csrf_app, world, "pro")
    page = client.get("/subscriptions/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    assert token, "the form carries a CSRF token"
    assert client.post("/language", data={"lang": "en", "csrf_token": "forged"}).status_code == 400
    resp = client.post("/language", data={"lang": "en", "csrf_token": token.group(1)})
    assert resp.status_code == 302


def test_the_exempt_routes_work_without_a_token_and_do_only_their_job(csrf_app, world):
    from talentmatch.subscriptions.models import Subscription

    client = csrf_app.test_client()
    url = url_of(csrf_app, world, "subscriptions.unsubscribe_post", {"token": "unsub_x"})
    resp = client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert resp.status_code in (200, 302)
    db.session.expire_all()
    sub = db.session.get(Subscription, world["sub_x"])
    assert sub.unsubscribed_at is not None
    # A forged token changes nothing.
    assert client.post("/unsubscribe/1.forged").status_code == 400
    assert db.session.get(Subscription, world["sub_y"]).unsubscribed_at is None

    before = _snapshot()
    resp = client.post("/api/v1/subsidy/estimate", json={"municipality_code": "012025", "lines": []})
    assert resp.status_code in (200, 400) and resp.is_json
    assert _snapshot() == before  # the estimate API writes nothing


def _snapshot() -> dict[str, list]:
    out = {}
    with db.engine.connect() as conn:
        for t in db.metadata.sorted_tables:
            if t.name in BOOKKEEPING:
                continue
            skip = READ_RECEIPTS.get(t.name, set())
            cols = [c for c in t.columns if c.name not in skip]
            out[t.name] = sorted(map(repr, conn.execute(select(*cols)).all()))
    return out


@pytest.mark.parametrize("role", ROLES)
def test_get_never_changes_state(app, world, role):
    """Every GET row of the matrix, as each role: no row of any table changes."""
    client = client_for(app, world, role)
    before = _snapshot()
    counts = {name: len(rows) for name, rows in before.items()}
    pages = 0
    for endpoint, method, spec, _ in MATRIX_ROWS:
        if method != "GET":
            continue
        client.get(url_of(app, world, endpoint, spec))
        pages += 1
    after = _snapshot()
    figure("GET changes nothing", "GET requests", pages)
    assert {n: len(r) for n, r in after.items()} == counts
    changed = sorted(t for t in before if before[t] != after[t])
    figure("GET changes nothing", "tables changed by a GET", len(changed))
    assert not changed, f"GET requests as {role} changed {changed}"


def test_session_rows_only_grow_by_the_login(app, world):
    """The bookkeeping GETs may write is bounded: one session row per login, audit rows
    only for audited views — never a new object."""
    client = client_for(app, world, "muni")
    n = db.session.scalar(select(func.count()).select_from(db.metadata.tables["user_session"]))
    for endpoint, method, spec, _ in MATRIX_ROWS:
        if method == "GET":
            client.get(url_of(app, world, endpoint, spec))
    assert db.session.scalar(
        select(func.count()).select_from(db.metadata.tables["user_session"])) == n
