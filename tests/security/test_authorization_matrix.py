"""Deny by default (SECURITY.md 8): ONE table of every route × method → the status each role
gets, checked against the running app.

The roles act for municipality A (札幌市), prefecture P (北海道) and professional X of the
world in tests/support/security_world.py; foreign objects (B, Q, Y) are the cross-tenant tests' business.
Statuses: a number, or L = redirect to the login page. POST rows send an empty form (CSRF is
off here; test_csrf.py covers it), so "allowed" often means 302 back with a message, or
400/422 naming the missing field; denied means L, 403 or 404.

A test walks ``app.url_map`` and fails for any endpoint × method missing from the table:
adding a route means adding its row here. Rows may repeat an endpoint with other
parameters (e.g. a posting in another state).
"""

from __future__ import annotations

import pytest

from tests.support.figures import figure
from tests.support.security_world import ROLES, client_for, url_of

# Parameters: name=world key (see security_world.DEFAULT_PARAMS for the ones left out), or
# name==literal. Columns: anon (not logged in), pro (X), muni (A's staff), pref (P's
# coordinator), min (ministry).
MATRIX = """
# endpoint                        method params                     anon pro  muni pref min
healthz                           GET    -                          200  200  200  200  200
favicon                           GET    -                          200  200  200  200  200
publication.home                  GET    -                          200  200  200  200  200
publication.listing               GET    -                          200  200  200  200  200
publication.posting               GET    posting_id=published_a     200  200  200  200  200
publication.posting               GET    posting_id=draft_a         404  404  404  404  404
publication.postings_csv          GET    -                          200  200  200  200  200
publication.postings_xlsx         GET    -                          200  200  200  200  200
publication.feed_atom             GET    -                          200  200  200  200  200
api.openapi                       GET    -                          200  200  200  200  200
api.postings                      GET    -                          200  200  200  200  200
api.posting                       GET    posting_id=published_a     200  200  200  200  200
api.posting                       GET    posting_id=submitted_a     404  404  404  404  404
geo.api_municipalities            GET    -                          200  200  200  200  200
geo.prefectures                   GET    -                          200  200  200  200  200
geo.prefecture                    GET    code==01                   200  200  200  200  200
matching.help_page                GET    -                          200  200  200  200  200
subsidy_api.estimate              POST   -                          400  400  400  400  400
insights.view_beacon              POST   posting_id=published_a     204  204  204  204  204
insights.view_beacon              POST   posting_id=draft_a         404  404  404  404  404
insights.conditions_csv           GET    -                          200  200  200  200  200

accounts.login                    GET    -                          200  302  302  302  302
accounts.login                    POST   -                          200  302  302  302  302
accounts.mfa                      GET    -                          302  302  302  302  302
accounts.mfa                      POST   -                          302  302  302  302  302
accounts.logout                   POST   -                          302  302  302  302  302
accounts.language                 GET    -                          302  302  302  302  302
accounts.language                 POST   -                          302  302  302  302  302
accounts.register                 GET    -                          200  200  200  200  200
accounts.register                 POST   -                          200  200  200  200  200
accounts.confirm                  GET    -                          400  400  400  400  400
accounts.confirm_post             POST   -                          400  400  400  400  400
accounts.confirm_resend           POST   -                          400  400  400  400  400
accounts.forgot                   GET    -                          200  200  200  200  200
accounts.forgot                   POST   -                          200  200  200  200  200
accounts.reset                    GET    -                          400  400  400  400  400
accounts.reset                    POST   -                          400  400  400  400  400
accounts.accept_invitation        GET    -                          400  400  400  400  400
accounts.accept_invitation        POST   -                          400  400  400  400  400
accounts.home                     GET    -                          L    200  200  200  200
accounts.settings                 GET    -                          L    200  200  200  200
accounts.settings                 POST   -                          L    200  200  200  200

admin.users                       GET    -                          L    403  403  200  200
admin.invite                      GET    -                          L    403  403  200  200
admin.invite                      POST   -                          L    403  403  200  200
admin.disable                     POST   user_id=staff_a2           L    403  403  302  302
admin.enable                      POST   user_id=staff_a2           L    403  403  302  302
admin.reset_mfa                   POST   user_id=staff_a2           L    403  403  302  302
notifications.outbox              GET    -                          L    403  403  403  200
notifications.retry               POST   message_id=message_dead    L    403  403  403  302
notifications.retry_all           POST   -                          L    403  403  403  302

postings.mine                     GET    -                          L    403  200  403  403
postings.new                      GET    -                          L    403  200  403  403
postings.new                      POST   -                          L    403  302  403  403
postings.detail                   GET    posting_id=draft_a         L    403  200  403  403
postings.edit                     GET    posting_id=draft_a         L    403  200  403  403
postings.edit                     POST   posting_id=draft_a         L    403  302  403  403
postings.advice                   POST   -                          L    403  200  403  403
matching.posting_reach            POST   -                          L    403  200  403  403
postings.import_file              GET    -                          L    403  200  403  403
postings.import_file              POST   -                          L    403  400  403  403
postings.import_template          GET    -                          L    403  200  403  403

review.prefecture_inbox           GET    -                          L    403  403  200  403
review.ministry_inbox             GET    -                          L    403  403  403  200
review.detail                     GET    posting_id=submitted_a     L    403  403  200  404
review.detail                     GET    posting_id=relayed_a       L    403  403  200  200
review.return_posting             POST   posting_id=submitted_a     L    403  403  400  404
review.return_posting             POST   posting_id=relayed_a       L    403  403  302  400
review.relay                      POST   posting_id=submitted_a     L    403  403  302  403
review.publish                    POST   posting_id=relayed_a       L    403  403  403  302
# the municipality's moves from its posting page (review blueprint, addresses under /my/postings/)
review.submit                     POST   posting_id=draft_a         L    403  302  403  403
review.withdraw                   POST   posting_id=submitted_a     L    403  302  403  403
review.close                      POST   posting_id=published_a     L    403  302  403  403
review.revise                     POST   posting_id=published_a     L    403  302  403  403

professionals.profile             GET    -                          L    200  403  403  403
professionals.edit                GET    -                          L    200  403  403  403
professionals.edit                POST   -                          L    200  403  403  403
professionals.export              POST   -                          L    200  403  403  403
professionals.delete              GET    -                          L    200  403  403  403
professionals.delete              POST   -                          L    200  403  403  403
professionals.show                GET    professional_id=prof_x     L    302  200  200  200
professionals.skill_suggestions   GET    -                          L    200  200  200  200
professionals.request_listing     POST   -                          L    302  403  403  403
professionals.talent_list_review  GET    -                          L    403  403  403  200
professionals.talent_list_decide  POST   entry_id==999999           L    403  403  403  404
professionals.confirm_import      GET    -                          400  400  400  400  400
professionals.confirm_import      POST   -                          400  400  400  400  400
professionals.decline_import      POST   -                          400  400  400  400  400

subscriptions.subscribe           GET    -                          200  302  200  200  200
subscriptions.subscribe           POST   -                          200  302  200  200  200
subscriptions.confirm             GET    -                          400  400  400  400  400
subscriptions.confirm_post        POST   -                          400  400  400  400  400
subscriptions.unsubscribe         GET    token=unsub_x              200  200  200  200  200
subscriptions.unsubscribe_post    POST   token=unsub_x              200  200  200  200  200
subscriptions.index               GET    -                          L    200  403  403  403
subscriptions.new                 GET    -                          L    200  403  403  403
subscriptions.new                 POST   -                          L    200  403  403  403
subscriptions.edit                GET    subscription_id=sub_x      L    200  403  403  403
subscriptions.edit                POST   subscription_id=sub_x      L    200  403  403  403
subscriptions.delete              POST   subscription_id=sub_x      L    302  403  403  403

matching.candidates               GET    posting_id=published_a     L    403  200  200  200
matching.for_you                  GET    -                          L    200  403  403  403
matching.bundles_home             GET    -                          L    403  403  302  403
matching.bundles                  GET    prefecture_code==01        L    403  403  200  403

applications.apply                GET    posting_id=published_a2    L    200  403  403  403
applications.apply                POST   posting_id=published_a2    L    302  403  403  403
applications.apply_many           POST   -                          L    302  403  403  403
applications.mine                 GET    -                          L    200  403  403  403
applications.withdraw             POST   application_id=app_x       L    302  403  403  403
applications.overview             GET    -                          L    403  200  200  403
applications.posting_pipeline     GET    posting_id=published_a     L    403  200  200  200
applications.detail               GET    application_id=app_x       L    403  200  200  200
applications.move                 POST   application_id=app_x       L    403  302  403  403
applications.appoint              GET    application_id=app_x       L    403  200  403  403
applications.appoint              POST   application_id=app_x       L    403  422  403  403
applications.end_appointment      POST   appointment_id=appt_a      L    403  302  403  403
applications.invite               POST   posting_id=published_a     L    403  302  403  403

subsidies.index                   GET    -                          L    403  200  403  403
subsidies.add_line                POST   -                          L    403  400  403  403
subsidies.import_lines            POST   -                          L    403  400  403  403
subsidies.from_postings           POST   -                          L    403  302  403  403
subsidies.delete_line             POST   line_id=line_a             L    403  302  403  403
subsidies.estimate_csv            GET    -                          L    403  200  403  403
subsidies.estimate_xlsx           GET    -                          L    403  200  403  403
subsidies.joint                   GET    -                          L    403  200  200  403
subsidies.joint                   POST   -                          L    403  400  400  403
subsidies.prefecture              GET    -                          L    403  403  302  302
subsidies.prefecture_dashboard    GET    pref_code==01              L    403  403  200  200
subsidies.prefecture_csv          GET    pref_code==01              L    403  403  200  200
subsidies.national                GET    -                          L    403  403  403  200
subsidies.national_csv            GET    -                          L    403  403  403  200
measures.index                    GET    -                          L    403  403  403  200
measures.new                      GET    -                          L    403  403  403  200
measures.new                      POST   -                          L    403  403  403  422
measures.edit                     GET    -                          L    403  403  403  200
measures.edit                     POST   -                          L    403  403  403  422
measures.preview                  GET    -                          L    403  403  403  200
measures.preview                  POST   -                          L    403  403  403  422
measures.publish                  POST   -                          L    403  403  403  302

joint.home                        GET    -                          L    403  302  302  403
joint.prefecture                  GET    prefecture_code==01        L    403  403  200  403
joint.new                         GET    prefecture_code==01        L    403  403  200  403
joint.new                         POST   prefecture_code==01        L    403  403  400  403
joint.show                        GET    proposal_id=proposal_p     L    403  200  200  403
joint.respond                     POST   proposal_id=proposal_p     L    403  302  403  403
joint.agree                       POST   proposal_id=proposal_qa    L    403  403  302  403
joint.withdraw                    POST   proposal_id=proposal_p     L    403  403  302  403
joint.create_posting              POST   proposal_id=proposal_p     L    403  302  302  403
joint.mine                        GET    -                          L    403  200  403  403

pool.home                         GET    -                          L    403  403  302  403
pool.index                        GET    prefecture_code==01        L    403  403  200  403
pool.invite                       GET    prefecture_code==01        L    403  403  200  403
pool.invite                       POST   prefecture_code==01        L    403  403  400  403
pool.import_list                  GET    prefecture_code==01        L    403  403  200  403
pool.import_list                  POST   prefecture_code==01        L    403  403  400  403
pool.entry                        GET    entry_id=entry_p           L    403  403  200  403
pool.entry                        POST   entry_id=entry_p           L    403  403  302  403
pool.introduce                    POST   entry_id=entry_p           L    403  403  400  403
pool.remove                       POST   entry_id=entry_p           L    403  403  302  403
pool.my_introductions             GET    -                          L    200  403  403  403
pool.respond                      POST   introduction_id=intro_x    L    302  403  403  403
pool.support_home                 GET    -                          L    403  200  302  403
pool.support_index                GET    prefecture_code==01        L    403  403  200  403
pool.support_new                  GET    prefecture_code==01        L    403  403  200  403
pool.support_new                  POST   prefecture_code==01        L    403  403  400  403
pool.support_end                  POST   assignment_id=support_p    L    403  403  302  403

dashboards.home                   GET    -                          L    403  403  302  302
dashboards.prefecture             GET    code==01                   L    403  403  200  200
dashboards.national               GET    -                          L    403  403  403  200
"""


def _parse(table: str) -> list[tuple]:
    rows = []
    for line in table.strip().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        endpoint, method, params, *codes = line.split()
        assert len(codes) == len(ROLES), line
        spec = {}
        if params != "-":
            for part in params.split(","):
                name, value = part.split("=", 1)
                spec[name] = value  # "=literal" stays a literal for security_world.resolve
        rows.append((endpoint, method, spec, dict(zip(ROLES, codes, strict=True))))
    return rows


ROWS = _parse(MATRIX)
DENIED = {"L", "401", "403", "404", "405"}


def _status(resp) -> str:
    location = resp.headers.get("Location", "")
    if resp.status_code == 302 and "/login?next=" in location:
        return "L"
    return str(resp.status_code)


def test_every_route_and_method_has_a_row(app):
    """Deny by default: a new route without a row fails here."""
    listed = {(e, m) for e, m, _, _ in ROWS}
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules() if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    missing = sorted(routes - listed)
    stale = sorted(listed - routes)
    figure("authorization matrix", "routes × methods", len(routes))
    assert not missing, f"routes missing from the authorization matrix: {missing}"
    assert not stale, f"rows for routes that no longer exist: {stale}"


def test_views_declare_their_roles_as_the_table_says(app):
    """Each role_required view's allowed_roles matches the roles the table lets past the
    role check (a 403 for a role the decorator allows would be an ownership check, which is
    fine; a role the table allows but the decorator refuses cannot happen)."""
    short = {"professional": "pro", "municipality": "muni", "prefecture": "pref", "ministry": "min"}
    for endpoint, _method, _spec, expected in ROWS:
        view = app.view_functions.get(endpoint)
        allowed = getattr(view, "allowed_roles", None)
        if allowed is None:
            continue
        roles = {short[r] for r in allowed}
        assert expected["anon"] == "L", f"{endpoint}: anonymous must be sent to the login page"
        for role in ("pro", "muni", "pref", "min"):
            if role not in roles:
                assert expected[role] == "403", f"{endpoint}: {role} is not in allowed_roles"


@pytest.mark.parametrize(("endpoint", "method", "spec", "expected"), ROWS,
                         ids=[f"{e}-{m}-{','.join(f'{k}={v}' for k, v in s.items())}".rstrip("-")
                              for e, m, s, _ in ROWS])
def test_route_answers_each_role_as_the_table_says(app, world_snapshot, ctx, endpoint, method,
                                                    spec, expected):
    if endpoint not in app.view_functions:
        pytest.fail(f"{endpoint} is in the matrix but not registered")
    w = world_snapshot.restore(app)
    url = url_of(app, w, endpoint, spec)
    got: dict[str, str] = {}
    for role in ROLES:
        resp = client_for(app, w, role).open(url, method=method)
        got[role] = _status(resp)
        resp.close()
        if got[role] not in DENIED and method != "GET":
            w = world_snapshot.restore(app)  # the request may have changed the world
    mismatches = []
    for role in ROLES:
        want, have = expected[role], got[role]
        figure("authorization matrix", "checks")
        if want == have:
            continue
        if want in DENIED and have not in DENIED:
            figure("authorization matrix", "UNEXPECTED ALLOWS")
        elif have in DENIED and want not in DENIED:
            figure("authorization matrix", "unexpected denials")
        else:
            figure("authorization matrix", "other mismatches")
        mismatches.append(f"{role}: expected {want}, got {have}")
    assert not mismatches, f"{method} {url}: " + "; ".join(mismatches)


def test_methods_a_route_does_not_take_get_405(app, client):
    """The method column of the matrix: anything else is 405 for everybody, before any role
    or object check runs."""
    adapter = app.url_map.bind("localhost")
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        values = {name: 1 if "id" in name else "01" for name in rule.arguments}
        path = adapter.build(rule.endpoint, values, method=sorted(rule.methods)[0])
        for method in ("PUT", "DELETE", "PATCH", "POST", "GET"):
            if method in rule.methods:
                continue
            resp = client.open(path, method=method)
            if resp.status_code == 405:
                checked += 1
                continue
            # Another rule may take that method on the same path (GET /x and POST /x as
            # two endpoints); then the method is routed, not refused.
            other = adapter.match(path, method=method)
            assert other[0] != rule.endpoint, (method, path, resp.status_code)
    figure("authorization matrix", "405 checks", checked)
    assert checked > 100
