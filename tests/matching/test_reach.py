"""Reach before publishing: how many registered professionals a posting's conditions reach,
and what easing one condition adds — checked against an independent count (a plain loop in
tests/support/reach.py), rounded and suppressed so that a figure never singles anyone out,
on the draft page, the form's JSON endpoint and `flask match reach --json`."""

from __future__ import annotations

import json
import re

import pytest

from talentmatch.matching import reach, reach_service
from tests.support.factories import login, make_posting, make_user
from tests.support.reach import build_world, expected_count

MUNI = "012025"  # 北海道 函館市: prefecture 01


def _draft(*, employment_type, days, remote, required, side_job_ok, state="draft"):
    return make_posting(
        MUNI, state, title="DX推進アドバイザー", required_skills=list(required),
        employment_type=employment_type or None, days_per_month=days, remote=remote,
        side_job_ok=side_job_ok,
    )


CASES = [
    dict(employment_type="special_part_time", days=4, remote="none", required=["業務改革"],
         side_job_ok=False),
    dict(employment_type="outsourcing", days=8, remote="partial",
         required=["業務改革", "ITストラテジスト"], side_job_ok=True),
    dict(employment_type="full_time_staff", days=16, remote="full", required=[],
         side_job_ok=None),
    dict(employment_type="", days=2, remote="none",
         required=["クラウド設計", "情報セキュリティ"], side_job_ok=None),
]


def _conditions(case: dict) -> dict:
    return dict(employment_type=case["employment_type"], days=float(case["days"]),
                remote=case["remote"], prefecture="01", required=list(case["required"]),
                side_job_ok=case["side_job_ok"])


def _relaxed(cond: dict, change: str) -> dict:
    """The conditions a what-if key names, built by the test from the key alone."""
    out = dict(cond)
    kind, _, arg = change.partition(":")
    if kind == "remote":
        out["remote"] = arg
    elif kind == "side_job_ok":
        out["side_job_ok"] = True
    elif kind == "days_per_month":
        out["days"] = float(int(cond["days"] // 2))
    elif kind == "employment_type":
        out["employment_type"] = arg
    elif kind == "required_skills":
        out["required"] = []
    elif kind == "required_skill":
        out["required"] = [t for t in cond["required"] if t != arg]
    else:  # pragma: no cover - a key the test does not know is a failure
        raise AssertionError(change)
    return out


@pytest.fixture
def people(ctx):
    return build_world()


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['employment_type'] or 'any'}-{c['remote']}")
def test_reach_and_every_what_if_equal_an_independent_count(people, case):
    posting = _draft(**case)
    cond = _conditions(case)
    result = reach_service.compute(reach_service.conditions_for_posting(posting))
    assert result.reach == expected_count(people, **cond)
    for w in result.what_if:
        relaxed = expected_count(people, **_relaxed(cond, w.change))
        assert w.reach == relaxed, w.change
        # Listed only when the shown (rounded) figure grows.
        assert reach.rounded(relaxed) > (reach.rounded(result.reach) or 0)


def test_the_narrowest_conditions_are_offered_when_they_widen_the_field(people):
    case = CASES[0]  # on site only, no side job, one required skill
    posting = _draft(**case)
    cond = _conditions(case)
    base = reach.rounded(expected_count(people, **cond)) or 0
    listed = {w.change for w in reach_service.compute(
        reach_service.conditions_for_posting(posting)).what_if}
    for change in ("remote:full", "required_skill:業務改革", "side_job_ok"):
        widened = reach.rounded(expected_count(people, **_relaxed(cond, change))) or 0
        assert (change in listed) == (widened > base), change
    assert "remote:full" in listed  # the world has remote-only people and other prefectures


@pytest.mark.parametrize(("n", "shown"), [
    (0, None), (1, None), (4, None), (5, 5), (7, 5), (8, 10), (12, 10), (13, 15), (97, 95),
    (98, 100), (104, 100), (105, 110), (994, 990), (995, 1000), (1049, 1000), (1050, 1100),
    (98_765, 98_800),
])
def test_rounding_and_suppression(n, shown):
    assert reach.rounded(n) == shown


def test_cli_json_gives_the_rounded_reach_and_what_ifs(people, runner):
    case = CASES[0]
    posting = _draft(**case)
    cond = _conditions(case)
    result = runner.invoke(args=["match", "reach", str(posting.id), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert set(body) == {"posting", "reach", "suppressed", "what_if"}
    assert body["posting"] == posting.id
    exact = expected_count(people, **cond)
    assert body["reach"] == reach.rounded(exact)
    assert body["suppressed"] is (exact < reach.THRESHOLD)
    assert body["what_if"], "the world offers wider conditions"
    full = next(w for w in body["what_if"] if w["change"] == "remote:full")
    assert full["label"] == "フルリモート可にすると"
    assert full["reach"] == reach.rounded(expected_count(people, **_relaxed(cond, "remote:full")))
    for w in body["what_if"]:
        assert set(w) == {"change", "label", "reach"}
        assert w["reach"] is not None and w["reach"] >= reach.THRESHOLD
    missing = runner.invoke(args=["match", "reach", "999999", "--json"])
    assert missing.exit_code == 1


def test_a_reach_below_the_threshold_is_suppressed_everywhere(people, runner, client):
    narrow = dict(employment_type="full_time_staff", days=4, remote="none",
                  required=["業務改革", "クラウド設計"], side_job_ok=False)
    exact = expected_count(people, **_conditions(narrow))
    assert 0 < exact < reach.THRESHOLD, exact  # the world must give a real small count
    posting = _draft(**narrow)
    body = json.loads(runner.invoke(args=["match", "reach", str(posting.id), "--json"]).output)
    assert body["reach"] is None and body["suppressed"] is True
    login(client, make_user("municipality", municipality_code=MUNI))
    html = client.get(f"/my/postings/{posting.id}").get_data(as_text=True)
    panel = html.split('id="reach-panel"', 1)[1].split("</section>", 1)[0]
    assert "5人未満が該当します" in panel
    assert not re.search(rf"約{exact}人|{exact}人が", panel)


def test_draft_page_shows_reach_and_a_what_if_in_japanese_and_english(people, client):
    case = CASES[0]
    cond = _conditions(case)
    posting = _draft(**case)
    staff = make_user("municipality", municipality_code=MUNI)
    login(client, staff)
    html = client.get(f"/my/postings/{posting.id}").get_data(as_text=True)
    shown = reach.rounded(expected_count(people, **cond))
    full = reach.rounded(expected_count(people, **_relaxed(cond, "remote:full")))
    assert f"登録されたデジタル人材のうち約{shown}人が該当します" in html
    assert f"フルリモート可にすると約{full}人" in html
    # No names or ids of the people counted.
    assert "人材 0" not in html and "candidate-" not in html
    html_en = client.get(f"/my/postings/{posting.id}?lang=en").get_data(as_text=True)
    assert f"about {shown} professionals registered on TalentMatch match" in html_en
    assert f"Allowing fully remote work: about {full} professionals" in html_en


def test_published_page_has_no_reach_and_other_municipalities_see_nothing(people, client):
    published = _draft(**CASES[0], state="published")
    draft = _draft(**CASES[0])
    login(client, make_user("municipality", municipality_code=MUNI))
    assert 'id="reach-panel"' not in client.get(f"/my/postings/{published.id}").get_data(as_text=True)
    client.post("/logout")
    login(client, make_user("municipality", municipality_code="131130"))
    assert client.get(f"/my/postings/{draft.id}").status_code == 404


def test_form_endpoint_counts_the_current_values_full_width_digits_included(people, client):
    login(client, make_user("municipality", municipality_code=MUNI))
    resp = client.post("/my/postings/reach", data={
        "employment_type": "outsourcing", "days_per_month": "８", "remote": "partial",
        "required_skills": "業務改革、ITストラテジスト", "side_job_ok": "yes",
    })
    assert resp.status_code == 200
    body = resp.get_json()
    exact = expected_count(people, **_conditions(CASES[1]))
    assert body["reach"] == reach.rounded(exact)
    assert body["suppressed"] is (exact < reach.THRESHOLD)
    assert "posting" not in body


def test_form_endpoint_treats_bad_values_as_not_given_never_an_error(people, client):
    login(client, make_user("municipality", municipality_code=MUNI))
    resp = client.post("/my/postings/reach", data={
        "employment_type": "<script>", "days_per_month": "たくさん", "remote": "sometimes",
        "side_job_ok": "maybe", "required_skills": "x" * 5000,
    })
    assert resp.status_code == 200
    body = resp.get_json()
    # Every bad value counts as not given; the over-long skills list too.
    exact = expected_count(people, employment_type="", days=0.0, remote="none",
                           prefecture="01", required=[], side_job_ok=None)
    assert body["reach"] == reach.rounded(exact)
