"""Every error at once on the posting form: one submit shows format errors, empty required
fields, the past deadline and cross-field problems together, in an error summary that links
to each field — and a clerk who fixes what the page lists needs one round, not three."""

from __future__ import annotations

import re
from datetime import timedelta

from talentmatch.clock import today_jst
from talentmatch.postings.template import fields
from tests.support.factories import login
from tests.support.postings import clerk, form_data

REQUIRED = [f.key for f in fields.FIELDS if f.required and f.key != "municipality_code"]


def _summary_targets(html: str) -> list[str]:
    box = re.search(r'<div class="notice error error-summary".*?</div>', html, re.S)
    assert box, "no error summary"
    assert "入力内容を確認してください" in box.group(0)
    return re.findall(r'<a href="#([\w-]+)"', box.group(0))


def test_an_empty_submit_lists_every_required_field_in_one_response(ctx, client):
    login(client, clerk())
    resp = client.post("/my/postings/new", data={"action": "submit"})
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    targets = _summary_targets(html)
    assert set(REQUIRED) <= set(targets), set(REQUIRED) - set(targets)
    for key in REQUIRED:  # each link has its field (an input or a fieldset) with that id
        assert f'id="{key}"' in html
        assert re.search(rf'id="{key}-error"', html), key


def test_format_errors_required_fields_and_a_past_deadline_come_together(ctx, client):
    login(client, clerk())
    today = today_jst()
    data = form_data(action="submit", contact_email="dx@", compensation_amount="三十万",
                     contact_phone="電話", days_per_month="40", duties="", employment_type="",
                     deadline=(today - timedelta(days=1)).isoformat(),
                     period_start=(today + timedelta(days=90)).isoformat(),
                     period_end=(today + timedelta(days=30)).isoformat())
    html = client.post("/my/postings/new", data=data).get_data(as_text=True)
    targets = set(_summary_targets(html))
    assert targets >= {"contact_email", "compensation_amount", "contact_phone", "days_per_month",
                       "duties", "employment_type", "deadline", "period_end"}
    # A past deadline is an error, not a suggestion the clerk may ignore.
    advice = re.search(r'<ul id="advice-list".*?</ul>', html, re.S).group(0)
    assert 'href="#deadline"' not in advice


def test_the_advice_never_says_you_may_submit_what_the_submit_refuses(ctx, client):
    """No pay (or pay without its unit) blocks submission: it is listed as an error, and the
    advice box — "you may still save or submit" — says nothing about it, on the refused page
    and in the live advice while the clerk types."""
    login(client, clerk())
    for missing in ({"compensation_amount": "", "compensation_unit": ""},
                    {"compensation_unit": ""}, {"compensation_amount": "たくさん"}):
        data = form_data(action="submit", **missing)
        html = client.post("/my/postings/new", data=data).get_data(as_text=True)
        blocked = set(_summary_targets(html)) & {"compensation_amount", "compensation_unit"}
        assert blocked, missing
        advice = re.search(r'<ul id="advice-list".*?</ul>', html, re.S).group(0)
        assert not any(f'href="#{key}"' in advice for key in blocked), (missing, advice)
        live = client.post("/postings/advice", data=data).get_json()["advice"]
        assert not {a["field"] for a in live} & blocked, (missing, live)
    # Advice on what may stay is still given: a deadline two weeks away.
    data = form_data(action="save", deadline=(today_jst() + timedelta(days=14)).isoformat())
    live = client.post("/postings/advice", data=data).get_json()["advice"]
    assert "deadline" in {a["field"] for a in live}


def rounds_to_submit(client, start: dict) -> int:
    """Submit, fix exactly the fields the page lists, and count the refused rounds."""
    good, data, rounds = form_data(action="submit"), dict(start), 0
    while True:
        resp = client.post("/my/postings/new", data=data)
        if resp.status_code == 302:
            return rounds
        assert resp.status_code == 400 and rounds < 10
        rounds += 1
        for key in _summary_targets(resp.get_data(as_text=True)):
            data[key] = good[key]


def test_one_round_fixes_an_empty_form_with_typos_and_a_past_deadline(ctx, client):
    login(client, clerk())
    today = today_jst()
    start = {key: "" for key in form_data()} | {
        "action": "submit", "contact_email": "dx@", "compensation_amount": "三十万",
        "contact_phone": "電話", "days_per_month": "40",
        "deadline": (today - timedelta(days=3)).isoformat()}
    start = {k: v for k, v in start.items() if not isinstance(v, list)}
    assert rounds_to_submit(client, start) == 1
    assert rounds_to_submit(client, {"action": "submit"}) == 1
