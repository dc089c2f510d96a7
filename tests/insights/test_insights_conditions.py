"""What draws applicants, from the database: the conditions' groups against figures computed
by hand, the command's JSON, the open-data CSV, the dashboards (chart and table, ja/en) —
and no count below the threshold in any of them — and the posting form's advice that cites
the evidence only when it is clear and large."""

from __future__ import annotations

import csv
import io
import json
import re

from talentmatch.insights import stats
from tests.support.factories import login, make_user
from tests.support.insights import CHIYODA, HAKODATE, SAPPORO, build
from tests.support.postings import form_data


def _cli(runner, *args) -> dict:
    result = runner.invoke(args=["insights", "conditions", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _group(data, condition, value) -> dict:
    return next(g for g in data["groups"] if g["condition"] == condition and g["value"] == value)


def assert_no_small_count(groups: list[dict]) -> None:
    for g in groups:
        if g.get("suppressed"):
            assert set(g) == {"condition", "value", "suppressed"}
        else:
            assert g["postings"] >= stats.MIN_GROUP and g["applications"] >= stats.MIN_GROUP


def test_cli_json_against_hand_computed_figures(app, runner):
    build(app)
    data = _cli(runner)
    assert set(data["period"]) == {"from", "to"}
    yes, no = _group(data, "side_job", "yes"), _group(data, "side_job", "no")
    assert yes == {"condition": "side_job", "value": "yes", "postings": 6, "applications": 15,
                   "median_applications": 2.5, "with_application_share": 0.833,
                   "median_days_to_first_application": 0.0}
    assert (no["postings"], no["applications"], no["median_applications"],
            no["with_application_share"]) == (5, 5, 1.0, 0.8)
    # Remote: 11 partly remote postings (0 0 1 1 1 1 2 2 3 4 5: median 1, 9 of 11 applied),
    # 3 fully remote ones: hidden, with no figure at all.
    partial = _group(data, "remote", "partial")
    assert (partial["postings"], partial["applications"], partial["median_applications"],
            partial["with_application_share"]) == (11, 20, 1.0, 0.818)
    assert _group(data, "remote", "full") == {"condition": "remote", "value": "full",
                                              "suppressed": True}
    # Every published posting is a special part-time role: 14 postings, 32 applications.
    special = _group(data, "employment_type", "special_part_time")
    assert (special["postings"], special["applications"]) == (14, 32)
    assert_no_small_count(data["groups"])


def test_cli_period_and_prefecture_and_bad_dates(app, runner):
    build(app)
    assert _cli(runner, "--from", "2001-04-01", "--to", "2002-03-31")["groups"] == []
    assert _cli(runner, "--prefecture", "13")["groups"] == []
    assert _cli(runner, "--prefecture", "01")["groups"]
    bad = runner.invoke(args=["insights", "conditions", "--json", "--from", "2026-02-30"])
    assert bad.exit_code == 2 and "--from" in bad.output
    backwards = runner.invoke(args=["insights", "conditions", "--from", "2026-05-01",
                                    "--to", "2026-04-01"])
    assert backwards.exit_code == 2 and "--to" in backwards.output


def test_a_small_world_shows_nothing_but_suppressed_groups(app, runner):
    build(app, yes=[1, 1], no=[1, 0, 0, 1], full=[])  # 6 postings, 4 applications
    data = _cli(runner)
    assert data["groups"] and all(g.get("suppressed") for g in data["groups"])


def _csv_rows(body: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


def test_open_data_csv_is_statistics_only_and_listed(app, client):
    build(app)
    resp = client.get("/open-data/conditions.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert "Set-Cookie" not in resp.headers
    rows = _csv_rows(resp.get_data(as_text=True))
    assert rows and set(rows[0]) >= {"condition", "value", "postings", "applications",
                                     "median_applications", "with_application_share", "note"}
    for row in rows:
        if row["note"]:
            assert row["note"] == "件数が少ないため非表示"
            assert row["postings"] == row["applications"] == row["median_applications"] == ""
        else:
            assert int(row["postings"]) >= 5 and int(row["applications"]) >= 5
    full = next(r for r in rows if r["condition"] == "remote" and r["value"] == "full")
    assert full["note"] and full["postings"] == ""
    # Nothing about a person: no name, e-mail or id of an applicant or posting.
    body = resp.get_data(as_text=True)
    assert "@" not in body and "人材" not in body
    assert client.get("/open-data/conditions.csv?from=2026-99-01").status_code == 400
    assert "from" in client.get("/open-data/conditions.csv?from=x").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/open-data/conditions.csv"' in home


def _section(html: str, name: str) -> str:
    start = html.index(f'id="chart-{name}"')
    return html[start:html.index("</section>", start)]


def test_dashboards_show_chart_and_table_in_both_languages_with_no_small_count(app, client):
    build(app)
    with app.app_context():
        login(client, make_user("ministry"))
    for lang, hidden, title in (("ja", "件数が少ないため非表示", "応募につながる条件"),
                                ("en", "Hidden because the number is small",
                                 "What draws applicants")):
        html = client.get(f"/dashboards/national?lang={lang}").get_data(as_text=True)
        section = _section(html, "conditions")
        assert title in section and "<svg" in section and "<table" in section
        assert hidden in section
        for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", section, re.S):
            cells = re.findall(r'<td class="num">([^<]*)</td>', row)
            if hidden not in row:
                assert int(cells[0].replace(",", "")) >= 5 and int(cells[1].replace(",", "")) >= 5
        funnel = _section(html, "funnel")
        assert "<svg" in funnel and "<table" in funnel
    resp = client.get("/dashboards/national?format=csv&chart=conditions")
    rows = _csv_rows(resp.get_data(as_text=True))
    assert rows
    for row in rows:
        assert row["note"] or (int(row["postings"]) >= 5 and int(row["applications"]) >= 5)
    funnel_rows = _csv_rows(client.get("/dashboards/national?format=csv&chart=funnel")
                            .get_data(as_text=True))
    for row in funnel_rows:
        assert row["count"] == "" or int(row["count"]) >= 5


def test_the_prefecture_dashboard_has_its_own_figures(app, client):
    build(app, code=HAKODATE)
    build(app, yes=[9] * 6, no=[], full=[], code=CHIYODA)
    with app.app_context():
        login(client, make_user("prefecture", prefecture_code="13"))
    rows = _csv_rows(client.get("/dashboards/prefecture/13?format=csv&chart=conditions")
                     .get_data(as_text=True))
    yes = next(r for r in rows if r["condition"] == "side_job" and r["value"] == "yes")
    assert (yes["postings"], yes["applications"], yes["median_applications"]) == ("6", "54", "9.0")
    assert not any(r["condition"] == "side_job" and r["value"] == "no" for r in rows)


def _advice(client, **overrides) -> list[dict]:
    return client.post("/postings/advice", data=form_data(**overrides)).get_json()["advice"]


def test_the_form_cites_the_evidence_when_it_is_clear_and_large(app, client):
    build(app, yes=[3] * 12, no=[1] * 10, full=[])
    with app.app_context():
        login(client, make_user("municipality", municipality_code=SAPPORO))
    advice = [a for a in _advice(client, side_job_ok="no") if a["code"].startswith("evidence_")]
    assert [a["code"] for a in advice] == ["evidence_side_job"]
    assert advice[0]["field"] == "side_job_ok"
    message = advice[0]["message"]
    assert "全国の令和" in message and "年度の募集では" in message
    assert "中央値は3件" in message and "1件" in message and "n=12件・10件" in message
    assert "出典" in message
    # The rule-based advice stays beside it.
    assert any(a["code"] == "side_job_not_allowed" for a in _advice(client, side_job_ok="no"))
    # A posting that already allows side jobs is not told anything.
    assert not [a for a in _advice(client) if a["code"].startswith("evidence_")]
    en = client.post("/postings/advice?lang=en", data=form_data(side_job_ok="no")).get_json()
    assert any("median number of applications was 3" in a["message"] for a in en["advice"])


def test_no_evidence_advice_when_it_is_thin(app, client):
    build(app, yes=[3] * 12, no=[1] * 9, full=[])  # one group below 10 postings
    with app.app_context():
        login(client, make_user("municipality", municipality_code=SAPPORO))
    assert not [a for a in _advice(client, side_job_ok="no") if a["code"].startswith("evidence_")]


def test_postings_check_cites_the_evidence_too(app, runner, tmp_path):
    from tests.postings.test_posting_import import KEYS, csv_bytes
    from tests.support.postings import MUNI_A

    build(app, yes=[3] * 12, no=[1] * 10, full=[])
    f = tmp_path / "postings.csv"
    f.write_bytes(csv_bytes([form_data(municipality_code=MUNI_A, side_job_ok="no"),
                             form_data(municipality_code=MUNI_A)],
                            keys=["municipality_code", *KEYS]))
    res = runner.invoke(args=["postings", "check", str(f)])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["rows"]
    cited = [a for a in rows[0]["advice"] if a["key"] == "evidence_side_job"]
    assert cited and "中央値は3件" in cited[0]["message"] and "n=12件・10件" in cited[0]["message"]
    assert not [a for a in rows[1]["advice"] if a["key"].startswith("evidence_")]


def test_the_groups_follow_a_new_application_and_a_revision_at_once(app):
    """The groups are kept between requests (the form asks at every change) but never outlive
    what they were computed from."""
    from talentmatch.applications.models import Application
    from talentmatch.extensions import db
    from talentmatch.insights import services
    from tests.support.factories import make_posting
    from tests.support.matching import make_pro

    def side_job(value: str):
        return next(g for g in services.conditions(services.default_period())
                    if g.condition == "side_job" and g.value == value)

    build(app)
    with app.app_context():
        before = side_job("yes")
        assert services.conditions(services.default_period()) is services.conditions(
            services.default_period())  # kept
        posting = make_posting(SAPPORO, side_job_ok=True)
        pro = make_pro("新しい応募者")
        db.session.add(Application(professional_id=pro.id, posting_id=posting.id,
                                   municipality_code=SAPPORO, status="received"))
        db.session.commit()
        after = side_job("yes")
        assert (after.postings, after.applications) == (before.postings + 1,
                                                         before.applications + 1)
        db.session.delete(db.session.get(Application, db.session.query(Application.id)
                                         .filter_by(posting_id=posting.id).scalar()))
        db.session.commit()
        assert side_job("yes").applications == before.applications
