"""Per-object checks (SECURITY.md 9): municipality A vs B of the same prefecture, prefecture
P vs Q, professional X vs Y.

1. Every object route pointed at a foreign object is refused (403/404), and a refused
   request that would change something leaves every row of the database as it was.
2. Every page, list and export a role can open (the 200 cells of the authorization matrix)
   never shows a marker of a row that role may not see (security_world.MARKERS): B's drafts,
   applicants and cost lines never reach A; Q's reviews never reach P; Y's searches and
   applications never reach X.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from talentmatch.extensions import db
from tests.security.test_authorization_matrix import ROWS as MATRIX_ROWS
from tests.support.figures import figure
from tests.support.security_world import MARKERS, ROLES, client_for, url_of

# A foreign object in each route, and the roles (acting for A / P / X) that must be refused.
FOREIGN = """
# endpoint                        method params                       refused for
postings.detail                   GET    posting_id=draft_b           muni
postings.detail                   GET    posting_id=submitted_q       muni
postings.edit                     GET    posting_id=draft_b           muni
postings.edit                     POST   posting_id=draft_b           muni
review.submit                     POST   posting_id=draft_b           muni
review.withdraw                   POST   posting_id=submitted_b       muni
review.close                      POST   posting_id=published_b       muni
review.revise                     POST   posting_id=published_b       muni
publication.posting               GET    posting_id=draft_b           anon,pro,muni,pref,min
publication.posting               GET    posting_id=submitted_b       anon,pro,muni,pref,min
api.posting                       GET    posting_id=draft_b           anon,pro,muni,pref,min
api.posting                       GET    posting_id=relayed_q         anon,pro,muni,pref,min
review.detail                     GET    posting_id=draft_b           pref,min
review.detail                     GET    posting_id=submitted_q       pref
review.detail                     GET    posting_id=relayed_q         pref
review.relay                      POST   posting_id=submitted_q       pref
review.return_posting             POST   posting_id=submitted_q       pref
review.return_posting             POST   posting_id=relayed_q         pref
review.publish                    POST   posting_id=submitted_b       min
applications.apply                GET    posting_id=draft_b           pro
applications.apply                POST   posting_id=submitted_b       pro
applications.withdraw             POST   application_id=app_y         pro
applications.detail               GET    application_id=app_y         muni
applications.detail               GET    application_id=app_xq        muni,pref
applications.move                 POST   application_id=app_y         muni
applications.appoint              GET    application_id=app_y         muni
applications.appoint              POST   application_id=app_y         muni
applications.posting_pipeline     GET    posting_id=published_b       muni
applications.posting_pipeline     GET    posting_id=published_q       muni,pref
applications.end_appointment      POST   appointment_id=appt_b        muni
applications.invite               POST   posting_id=published_b       muni
matching.candidates               GET    posting_id=published_b       muni
matching.candidates               GET    posting_id=published_q       muni,pref
matching.candidates               GET    posting_id=draft_b           muni,pref,min
applications.posting_pipeline     GET    posting_id=draft_b           muni,pref,min
matching.bundles                  GET    prefecture_code==04          pref
subscriptions.edit                GET    subscription_id=sub_y        pro
subscriptions.edit                POST   subscription_id=sub_y        pro
subscriptions.delete              POST   subscription_id=sub_y        pro
subsidies.delete_line             POST   line_id=line_b               muni
subsidies.prefecture_dashboard    GET    pref_code==04                pref
subsidies.prefecture_csv          GET    pref_code==04                pref
professionals.show                GET    professional_id=prof_y       pro
admin.disable                     POST   user_id=staff_q              pref
admin.enable                      POST   user_id=staff_q              pref
admin.reset_mfa                   POST   user_id=staff_q              pref
admin.disable                     POST   user_id=pref_q_user          pref
joint.show                        GET    proposal_id=proposal_q       muni,pref
joint.respond                     POST   proposal_id=proposal_q       muni
joint.agree                       POST   proposal_id=proposal_q       pref
joint.withdraw                    POST   proposal_id=proposal_q       pref
joint.withdraw                    POST   proposal_id=proposal_qa      pref
joint.create_posting              POST   proposal_id=proposal_q       muni,pref
joint.prefecture                  GET    prefecture_code==04          pref
joint.new                         GET    prefecture_code==04          pref
joint.new                         POST   prefecture_code==04          pref
pool.index                        GET    prefecture_code==04          pref
pool.invite                       GET    prefecture_code==04          pref
pool.invite                       POST   prefecture_code==04          pref
pool.import_list                  GET    prefecture_code==04          pref
pool.import_list                  POST   prefecture_code==04          pref
pool.entry                        GET    entry_id=entry_q             pref
pool.entry                        POST   entry_id=entry_q             pref
pool.introduce                    POST   entry_id=entry_q             pref
pool.remove                       POST   entry_id=entry_q             pref
pool.respond                      POST   introduction_id=intro_y      pro
pool.support_index                GET    prefecture_code==04          pref
pool.support_new                  GET    prefecture_code==04          pref
pool.support_new                  POST   prefecture_code==04          pref
pool.support_end                  POST   assignment_id=support_q      pref
dashboards.prefecture             GET    code==04                     pref
"""

# Rows whose audit trail or session bookkeeping may change on any request (a refused
# request is still logged); everything else must stay exactly as it was.
VOLATILE_TABLES = {"audit_event", "user_session"}


def _parse(table: str) -> list[tuple]:
    rows = []
    for line in table.strip().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        endpoint, method, params, roles = line.split()
        spec = dict(part.split("=", 1) for part in params.split(",")) if params != "-" else {}
        rows.append((endpoint, method, spec, roles.split(",")))
    return rows


FOREIGN_ROWS = _parse(FOREIGN)


def _rows_now() -> dict[str, list]:
    with db.engine.connect() as conn:
        return {
            t.name: sorted(map(repr, conn.execute(t.select()).all()))
            for t in db.metadata.sorted_tables if t.name not in VOLATILE_TABLES
        }


def test_every_object_route_has_foreign_rows(app):
    """Each route with an object id in its URL appears in FOREIGN (new object routes need
    their cross-tenant row)."""
    listed = {e for e, _, _, _ in FOREIGN_ROWS}
    object_routes = {
        rule.endpoint for rule in app.url_map.iter_rules()
        if any(a.endswith("_id") or a in ("code", "pref_code", "prefecture_code") for a in rule.arguments)
    }
    # A prefecture's public page is everybody's; the outbox, the grant's measures and the
    # decisions on MIC's talent list belong to the ministry alone (no tenant to cross: the
    # matrix keeps everybody else out).
    public = {"geo.prefecture", "notifications.retry", "measures.edit", "measures.preview",
              "measures.publish", "professionals.talent_list_decide"}
    missing = sorted(object_routes - listed - public)
    assert not missing, f"object routes without a cross-tenant row: {missing}"


@pytest.mark.parametrize(("endpoint", "method", "spec", "roles"), FOREIGN_ROWS,
                         ids=[f"{e}-{m}-{','.join(s.values())}" for e, m, s, _ in FOREIGN_ROWS])
def test_foreign_objects_are_refused_and_unchanged(app, world_snapshot, ctx, endpoint, method,
                                                   spec, roles):
    w = world_snapshot.restore(app)
    url = url_of(app, w, endpoint, spec)
    problems = []
    for role in roles:
        before = _rows_now() if method != "GET" else None
        resp = client_for(app, w, role).open(url, method=method)
        figure("cross-tenant", "foreign object requests")
        if resp.status_code not in (403, 404):
            figure("cross-tenant", "FOREIGN OBJECTS SERVED")
            problems.append(f"{role} got {resp.status_code}")
        if before is not None:
            after = _rows_now()
            changed = [t for t in before if before[t] != after[t]]
            if changed:
                figure("cross-tenant", "FOREIGN OBJECTS CHANGED")
                problems.append(f"{role} changed {changed}")
    assert not problems, f"{method} {url}: {problems}"


def _text_of(resp) -> str:
    body = resp.get_data()
    if body[:2] == b"PK":  # XLSX: the strings live in the zipped XML parts
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                           if n.endswith(".xml"))
    return body.decode("utf-8", "replace")


# The unsubscribe page names the search it switches off; its address is the secret link in
# X's own mail, so whoever holds it reads X's mailbox already.
SHOWN_TO_LINK_HOLDERS = {"subscriptions.unsubscribe": {"MKXsearch"}}


def _pages_of(role: str) -> list[tuple[str, dict]]:
    return [(e, s) for e, m, s, exp in MATRIX_ROWS if m == "GET" and exp[role] == "200"]


@pytest.mark.parametrize("role", ROLES)
def test_pages_lists_and_exports_show_no_foreign_rows(app, world_snapshot, ctx, role):
    w = world_snapshot.restore(app)
    client = client_for(app, w, role)
    forbidden = {m for m, allowed in MARKERS.values() if role not in allowed}
    leaks: list[str] = []
    pages = _pages_of(role)
    # Lists with every row shown: filters off, a second page, an English rendering.
    extra = [(None, u) for u in ("/postings?page=2", "/api/v1/postings?page=1",
                                 "/postings.csv?lang=en")]
    for endpoint, url in [(e, url_of(app, w, e, s)) for e, s in pages] + extra:
        resp = client.get(url)
        text = _text_of(resp)
        for m in forbidden - SHOWN_TO_LINK_HOLDERS.get(endpoint, set()):
            figure("cross-tenant", "leak checks")
            if m in text:
                figure("cross-tenant", "LEAKS")
                leaks.append(f"{m} on {url}")
    figure("cross-tenant", "pages read", len(pages) + len(extra))
    assert not leaks, f"{role} sees rows that are not theirs: {leaks}"
