"""The same request at the same instant, from outside, in the production shape: gunicorn with
4 sync workers on PostgreSQL, several logged-in sessions (threads released by one barrier)
sending one action at once. Every action is recorded once, no answer is a 500, a stale form
does not undo a colleague's save, one second-factor code opens one session, and a burst of
clicks leaves the cost lines as one click does.

Skipped without TALENTMATCH_TEST_DATABASE_URL (SQLite has a single writer and no row locks;
the friendly answers themselves are tested on both databases in test_concurrency_answers).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pyotp
import pytest
from sqlalchemy import select

from talentmatch.accounts.models import User, UserSession
from talentmatch.applications import services as app_svc
from talentmatch.applications.models import Application, ApplicationEvent, Appointment
from talentmatch.audit.models import AuditEvent
from talentmatch.bench.soak_users import csrf_of, form_fields
from talentmatch.extensions import db
from talentmatch.notifications.models import OutboxEvent
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.review import services as review
from talentmatch.review.models import ReviewEvent
from talentmatch.subsidies.models import CostLine
from tests.conftest import PG_URL
from tests.support.factories import PASSWORD, make_posting, make_user
from tests.support.matching import cloud_posting, make_pro
from tests.support.races import (
    Browser,
    browsers,
    burst,
    count,
    no_server_errors,
    staff,
    start_server,
    statuses,
)

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (TALENTMATCH_TEST_DATABASE_URL)")

MUNI = "012025"  # 札幌市中央区 (北海道)
PREF = "01"
AT_ONCE = 8


@pytest.fixture(scope="module")
def live(app, database_uri, tmp_path_factory):
    """gunicorn (4 sync workers) on the test database, for this module's probes."""
    server = start_server(database_uri, {
        "TALENTMATCH_MAIL_DIR": str(tmp_path_factory.mktemp("race-mail")),
        # Many people log in from one address here; the probes are not about throttling.
        "TALENTMATCH_LOGIN_LIMIT_PER_CLIENT": "100000 per minute",
        "TALENTMATCH_LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute",
    })
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()


def submitted_posting(clerk: User, state: str = "submitted") -> Posting:
    """A posting sent through the real workflow up to `state` (submitted or relayed)."""
    posting = make_posting(MUNI, "draft")
    review.submit(clerk, posting.id)
    if state == "relayed":
        coordinator = make_user("prefecture", prefecture_code=PREF)
        review.relay(coordinator, posting.id)
    return posting


# --------------------------------------------------------------------------- workflow


def test_the_same_relay_sent_at_once_is_recorded_once(ctx, live):
    clerk = make_user("municipality", municipality_code=MUNI)
    posting = submitted_posting(clerk)
    people = browsers(live, staff("prefecture", AT_ONCE, prefecture_code=PREF))
    tokens = [csrf_of(b.page(f"/review/postings/{posting.id}")) for b in people]
    answers = burst([lambda b=b, t=t: b.post_form(f"/review/postings/{posting.id}/relay",
                                               {"csrf_token": t, "comment": ""})
                     for b, t in zip(people, tokens, strict=True)])
    no_server_errors(answers)
    assert statuses(answers) == Counter({302: AT_ONCE})  # success or the friendly refusal
    assert count(select(ReviewEvent).where(ReviewEvent.posting_id == posting.id,
                                           ReviewEvent.action == "relay")) == 1
    assert count(select(AuditEvent).where(AuditEvent.action == "posting.relay")) == 1
    # The later ones were told what a repeat is told.
    notices = [people[i].page(answers[i].headers["Location"]) for i in range(AT_ONCE)]
    assert sum("cannot be relayed" in n or "送付できません" in n for n in notices) == AT_ONCE - 1


def test_the_same_publication_sent_at_once_is_recorded_once(ctx, live):
    clerk = make_user("municipality", municipality_code=MUNI)
    posting = submitted_posting(clerk, "relayed")
    people = browsers(live, staff("ministry", AT_ONCE))
    tokens = [csrf_of(b.page(f"/review/postings/{posting.id}")) for b in people]
    answers = burst([lambda b=b, t=t: b.post_form(f"/review/postings/{posting.id}/publish",
                                               {"csrf_token": t, "comment": ""})
                     for b, t in zip(people, tokens, strict=True)])
    no_server_errors(answers)
    assert statuses(answers) == Counter({302: AT_ONCE})  # success or the friendly refusal
    assert count(select(ReviewEvent).where(ReviewEvent.posting_id == posting.id,
                                           ReviewEvent.action == "publish")) == 1
    assert count(select(OutboxEvent).where(OutboxEvent.kind == "posting.published")) == 1
    assert count(select(AuditEvent).where(AuditEvent.action == "posting.publish")) == 1


def test_a_submit_racing_an_edit_never_changes_the_submitted_content(ctx, live):
    clerks = staff("municipality", 2, municipality_code=MUNI)
    a, b = browsers(live, clerks)
    for round_ in range(3):
        posting = make_posting(MUNI, "draft")
        path = f"/my/postings/{posting.id}"
        fields = form_fields(a.page(path + "/edit"), form_id="posting-form")
        edited = [(k, f"編集{round_}後のタイトル" if k == "title" else v) for k, v in fields]
        token = csrf_of(b.page(path))
        answers = burst([lambda p=path, e=edited: a.post_form(p + "/edit", e + [("action", "save")]),
                         lambda p=path, t=token: b.post_form(p + "/submit", {"csrf_token": t})])
        no_server_errors(answers)
        db.session.expire_all()
        actions = list(db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_type == "posting",
                                            AuditEvent.object_id == str(posting.id))
            .order_by(AuditEvent.id)))
        assert "posting.submit" in actions
        # An edit is never recorded after the submission (the prefecture reviews what was sent).
        assert "posting.edit" not in actions[actions.index("posting.submit"):], actions
        rev = db.session.get(Posting, posting.id).current_revision
        assert rev.state == "submitted"
        assert (rev.title == f"編集{round_}後のタイトル") == ("posting.edit" in actions)


def test_a_save_from_an_older_form_merges_or_is_refused_never_lost(ctx, live):
    clerks = staff("municipality", 2, municipality_code=MUNI)
    a, b = browsers(live, clerks)
    posting = make_posting(MUNI, "draft", title="元のタイトル", work_location="本庁舎",
                           hours_note="")
    path = f"/my/postings/{posting.id}/edit"
    form_a = form_fields(a.page(path), form_id="posting-form")
    form_b = form_fields(b.page(path), form_id="posting-form")

    def typed(form, **changes):
        return [(k, changes.get(k, v)) for k, v in form] + [("action", "save")]

    assert a.post_form(path, typed(form_a, title="Aさんのタイトル")).status_code == 302
    # B changed the same field from the older form: refused, B's typing kept, A's shown.
    late = b.post_form(path, typed(form_b, title="Bさんのタイトル", work_location="第二庁舎"))
    assert late.status_code == 409
    assert "Bさんのタイトル" in late.text and "第二庁舎" in late.text
    assert "Aさんのタイトル" in late.text
    db.session.expire_all()
    rev = db.session.get(PostingRevision, posting.current_revision_id)
    assert (rev.title, rev.work_location) == ("Aさんのタイトル", "本庁舎")
    # Having seen A's title, B saves the form as it came back: B decided, B's values stand.
    again = form_fields(late.text, form_id="posting-form")
    assert b.post_form(path, again + [("action", "save")]).status_code == 302
    # A's first form, older still, changes a field nobody else touched: merged, not lost.
    assert a.post_form(path, typed(form_a, hours_note="月2回")).status_code == 302
    db.session.expire_all()
    rev = db.session.get(PostingRevision, posting.current_revision_id)
    assert (rev.title, rev.work_location, rev.hours_note) == ("Bさんのタイトル", "第二庁舎", "月2回")

    # Two tabs saving the same version at the same instant: one is saved, one refused.
    tabs = [a, b, *browsers(live, staff("municipality", 2, municipality_code=MUNI))]
    forms_ = [form_fields(t.page(path), form_id="posting-form") for t in tabs]
    answers = burst([lambda i=i: tabs[i].post_form(
        path, [(k, f"同時{i}" if k == "title" else v) for k, v in forms_[i]] + [("action", "save")])
        for i in range(4)])
    no_server_errors(answers)
    assert statuses(answers) == Counter({302: 1, 409: 3})


# --------------------------------------------------------------------------- applications


def _apply_form(browser: Browser, posting_id: int) -> dict:
    return {"csrf_token": csrf_of(browser.page(f"/postings/{posting_id}/apply")),
            "message": "応募します"}


def test_the_same_application_sent_at_once_is_recorded_once(ctx, live):
    posting = cloud_posting(MUNI)
    pro = make_pro("同時 応募")
    tabs = browsers(live, [pro.user] * AT_ONCE)
    forms_ = [_apply_form(t, posting.id) for t in tabs]
    answers = burst([lambda t=t, f=f: t.post_form(f"/postings/{posting.id}/apply", f)
                     for t, f in zip(tabs, forms_, strict=True)])
    no_server_errors(answers)
    assert statuses(answers) == Counter({302: 1, 422: AT_ONCE - 1})
    assert sum("すでに応募" in r.text or "already applied" in r.text for r in answers) == AT_ONCE - 1
    assert count(select(Application).where(Application.posting_id == posting.id)) == 1
    assert count(select(ApplicationEvent)) == 1


def test_re_applying_at_once_after_withdrawing_is_recorded_once(ctx, live):
    posting = cloud_posting(MUNI)
    pro = make_pro("再応募 太郎")
    application = app_svc.apply(pro.user, [posting.id], "最初の応募")[0]
    app_svc.withdraw(pro.user, application.id)
    tabs = browsers(live, [pro.user] * AT_ONCE)
    forms_ = [_apply_form(t, posting.id) for t in tabs]
    answers = burst([lambda t=t, f=f: t.post_form(f"/postings/{posting.id}/apply", f)
                     for t, f in zip(tabs, forms_, strict=True)])
    no_server_errors(answers)
    reopened = select(ApplicationEvent).where(ApplicationEvent.from_status == "withdrawn",
                                              ApplicationEvent.to_status == "received")
    assert count(reopened) == 1
    assert count(select(AuditEvent).where(AuditEvent.action == "application.create")) == 2


def test_the_same_appointment_recorded_at_once_is_recorded_once(ctx, live):
    posting = cloud_posting(MUNI, days_per_month=4)
    pro = make_pro("任用 花子", available_days_per_month=8)
    application = app_svc.apply(pro.user, [posting.id], "応募します")[0]
    clerks = staff("municipality", AT_ONCE, municipality_code=MUNI)
    app_svc.move(clerks[0], application.id, "screening")
    app_svc.move(clerks[0], application.id, "offered")
    rev = posting.published_revision
    people = browsers(live, clerks)
    path = f"/applications/{application.id}/appoint"
    data = [{"csrf_token": csrf_of(b.page(path)), "days_per_month": "4",
             "period_start": rev.period_start.isoformat(), "period_end": rev.period_end.isoformat(),
             "employment_type": "special_part_time", "compensation_amount": "300000",
             "compensation_unit": "month", "fills_posting": "y"} for b in people]
    answers = burst([lambda b=b, d=d: b.post_form(path, d) for b, d in zip(people, data, strict=True)])
    no_server_errors(answers)
    assert count(select(Appointment).where(Appointment.application_id == application.id)) == 1
    assert count(select(ReviewEvent).where(ReviewEvent.posting_id == posting.id,
                                           ReviewEvent.action == "close")) == 1


# --------------------------------------------------------------------------- second factor


def test_one_code_posted_by_four_sessions_at_once_opens_one_session(ctx, live):
    clerk = make_user("municipality", municipality_code=MUNI)
    tabs = [Browser(live) for _ in range(4)]
    tokens = []
    for tab in tabs:
        token = csrf_of(tab.page("/login"))
        resp = tab.post_form("/login", {"csrf_token": token, "email": clerk.email, "password": PASSWORD})
        assert resp.headers["Location"].endswith("/login/mfa")
        tokens.append(csrf_of(tab.page("/login/mfa")))
    code = pyotp.TOTP(clerk.totp_secret).now()
    answers = burst([lambda t=t, k=k: t.post_form("/login/mfa", {"csrf_token": k, "code": code})
                     for t, k in zip(tabs, tokens, strict=True)])
    no_server_errors(answers)
    assert statuses(answers) == Counter({302: 1, 200: 3})
    assert count(select(UserSession).where(UserSession.user_id == clerk.id)) == 1


# --------------------------------------------------------------------------- cost lines


def test_a_cost_line_sent_eight_times_at_once_is_added_once(ctx, live):
    clerk = make_user("municipality", municipality_code=MUNI)
    (tab,) = browsers(live, [clerk])
    fields = dict(form_fields(tab.page("/subsidies"), action="/subsidies/lines"))
    assert fields.get("submission_key")
    fields.update(category="special_part_time_remuneration", amount="120000",
                  fiscal_year="2026", date="", note="二重送信")
    answers = burst([lambda: tab.post_form("/subsidies/lines", fields) for _ in range(AT_ONCE)])
    no_server_errors(answers)
    assert statuses(answers) == Counter({302: AT_ONCE})
    assert count(select(CostLine).where(CostLine.municipality_code == MUNI)) == 1


def test_taking_costs_from_postings_in_bursts_leaves_the_lines_of_one_click(ctx, live):
    for days in (2, 4, 6):
        cloud_posting(MUNI, days_per_month=days,
                      period_start=date.today() + timedelta(days=30),
                      period_end=date.today() + timedelta(days=400))
    clerks = staff("municipality", AT_ONCE, municipality_code=MUNI)
    people = browsers(live, clerks)
    lines = select(CostLine).where(CostLine.municipality_code == MUNI)

    def taken() -> list[tuple]:
        db.session.expire_all()
        return sorted((ln.source_id, ln.fiscal_year, ln.amount) for ln in db.session.scalars(lines))

    def click_at_once() -> list[tuple]:
        tokens = [csrf_of(b.page("/subsidies")) for b in people]
        answers = burst([lambda b=b, t=t: b.post_form("/subsidies/from-postings", {"csrf_token": t})
                         for b, t in zip(people, tokens, strict=True)])
        no_server_errors(answers)
        assert statuses(answers) == Counter({302: AT_ONCE})
        return taken()

    # The very first click, sent by everyone at once (no lines yet), then more bursts.
    bursts = [click_at_once() for _ in range(3)]
    once = people[0].post_form("/subsidies/from-postings",
                               {"csrf_token": csrf_of(people[0].page("/subsidies"))})
    assert once.status_code == 302
    expected = taken()  # what one click takes
    assert len(expected) >= 3 and len({ln[0] for ln in expected}) == 3
    assert bursts == [expected] * 3


# --------------------------------------------------------------------------- grant measures


def test_overlapping_measures_published_at_once_leave_one_published(ctx, live):
    from talentmatch.subsidies import measure_services as ms
    from talentmatch.subsidies.models import SubsidyMeasure
    from talentmatch.subsidies.services import estimate

    people = staff("ministry", AT_ONCE)
    # Each has drafted a FY2026 recruitment measure of their own: any two would overlap.
    drafts = [ms.create_draft(p, {
        "key": f"recruitment_2026_{i}", "name_ja": f"募集経費（令和8年度）案{i}",
        "categories": ["recruitment"], "rate": "1/2", "cap": None, "first_fy": 2026,
        "last_fy": 2026, "body_kinds": ["city", "town", "village", "designated_city"]})
        for i, p in enumerate(people)]
    db.session.commit()
    sessions = browsers(live, people)
    tokens = [csrf_of(b.page(f"/subsidies/measures/{d.id}/preview"))
              for b, d in zip(sessions, drafts, strict=True)]
    answers = burst([lambda b=b, t=t, d=d: b.post_form(f"/subsidies/measures/{d.id}/publish",
                                                        {"csrf_token": t})
                     for b, t, d in zip(sessions, tokens, drafts, strict=True)])
    no_server_errors(answers)
    assert count(select(SubsidyMeasure).where(SubsidyMeasure.state == "published",
                                              SubsidyMeasure.first_fy == 2026)) == 1
    assert count(select(AuditEvent).where(AuditEvent.action == "subsidy.measure_published")) == 1
    # Estimates still apply one table without ambiguity.
    body, ok = estimate({"municipality_code": MUNI, "lines": [
        {"id": "a", "fiscal_year": 2026, "category": "recruitment", "amount": 1000}]})
    assert ok and body["lines"][0]["grant"] == 500 and body["lines"][0]["measure"]


def test_the_same_measure_published_at_once_is_one_version(ctx, live):
    from talentmatch.subsidies import measure_services as ms
    from talentmatch.subsidies.models import SubsidyMeasure

    people = staff("ministry", AT_ONCE)
    draft = ms.create_draft(people[0], {
        "key": "recruitment_2026", "name_ja": "募集経費（令和8年度）", "categories": ["recruitment"],
        "rate": "1/2", "cap": None, "first_fy": 2026, "last_fy": 2026, "body_kinds": ["city"]})
    db.session.commit()
    sessions = browsers(live, people)
    tokens = [csrf_of(b.page(f"/subsidies/measures/{draft.id}/preview")) for b in sessions]
    answers = burst([lambda b=b, t=t: b.post_form(f"/subsidies/measures/{draft.id}/publish",
                                                   {"csrf_token": t})
                     for b, t in zip(sessions, tokens, strict=True)])
    no_server_errors(answers)
    assert count(select(SubsidyMeasure).where(SubsidyMeasure.key == "recruitment_2026",
                                              SubsidyMeasure.state == "published")) == 1
    assert count(select(AuditEvent).where(AuditEvent.action == "subsidy.measure_published")) == 1
