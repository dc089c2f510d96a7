"""The answers a repeated or outdated request gets, on SQLite and PostgreSQL alike: the
second of two equal actions is told what a sequential repeat is told, a stale form is
refused with what was typed kept, a form sent twice records once, a code works once.
(test_concurrency sends the same requests at one instant against gunicorn on PostgreSQL.)"""

from __future__ import annotations

import threading

import pyotp
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from talentmatch.accounts import services as accounts
from talentmatch.accounts.models import User
from talentmatch.applications import services as app_svc
from talentmatch.applications.models import Application
from talentmatch.db import StaleEdit, transaction, unique_or
from talentmatch.extensions import db
from talentmatch.postings import services as postings
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.postings.workflow import WorkflowError
from talentmatch.review import services as review
from talentmatch.review.models import ReviewEvent
from talentmatch.submissions.models import SubmissionKey
from talentmatch.submissions.services import AlreadySubmitted, claim, new_key
from talentmatch.subsidies import posting_lines
from talentmatch.subsidies.models import CostLine
from tests.support.factories import PASSWORD, login, make_user
from tests.support.matching import cloud_posting, make_pro
from tests.support.postings import MUNI_A, clerk, coordinator, form_data, submitted


def _text(resp) -> str:
    return resp.get_data(as_text=True)


def _elsewhere(stmt) -> None:
    """Another request's committed change, on its own connection."""
    with Session(db.engine) as other:
        other.execute(stmt)
        other.commit()


# --------------------------------------------------------------------------- lock, then read


def test_a_move_checks_the_state_read_after_its_lock_not_before(ctx):
    muni, coord = clerk(), coordinator()
    posting = submitted(muni)
    # The view has read the posting and its revision ("submitted") ...
    seen = postings.load_posting(posting.id, coord)
    assert seen.current_revision.state == "submitted"
    # ... meanwhile another coordinator's relay commits ...
    _elsewhere(update(PostingRevision).where(PostingRevision.id == seen.current_revision_id)
               .values(state="relayed"))
    # ... and the move, taking its lock now, sees the relay and refuses as a repeat would.
    with pytest.raises(WorkflowError) as refused:
        review.relay(coord, posting.id)
    assert "cannot be relayed" in refused.value.render()
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(ReviewEvent).where(
        ReviewEvent.posting_id == posting.id, ReviewEvent.action == "relay")) == 0


def test_an_edit_after_the_submission_is_refused_even_from_a_form_read_before(ctx, client):
    muni = clerk()
    posting = postings.create_draft(muni, {"title": "下書き"})
    login(client, muni)
    form = client.get(f"/my/postings/{posting.id}/edit")
    assert form.status_code == 200
    review.submit(muni, posting.id, form_data(title="提出した内容"))
    resp = client.post(f"/my/postings/{posting.id}/edit",
                       data=form_data(title="提出後の編集", version="2", action="save"),
                       follow_redirects=True)
    assert "cannot be edited" in _text(resp) or "編集できません" in _text(resp)
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).current_revision.title == "提出した内容"


def test_the_second_relay_is_told_what_a_repeat_is_told(ctx, app):
    muni = clerk()
    posting = submitted(muni)
    first, second = app.test_client(), app.test_client()
    login(first, coordinator())
    login(second, coordinator())
    assert first.post(f"/review/postings/{posting.id}/relay", data={}).status_code == 302
    resp = second.post(f"/review/postings/{posting.id}/relay", data={}, follow_redirects=True)
    assert resp.status_code == 200
    assert "送付できません" in _text(resp)


# --------------------------------------------------------------------------- applications


def test_applying_twice_says_already_applied(ctx, app):
    posting = cloud_posting(MUNI_A)
    pro = make_pro("二度 応募")
    client = app.test_client()
    login(client, pro.user)
    assert client.post(f"/postings/{posting.id}/apply", data={"message": "1"}).status_code == 302
    again = client.post(f"/postings/{posting.id}/apply", data={"message": "2"})
    assert again.status_code == 422
    assert "すでに応募しています" in _text(again)
    assert db.session.scalar(select(func.count()).select_from(Application)) == 1


def test_a_unique_race_becomes_the_refusal_not_a_database_error(ctx):
    user = make_user("professional")
    with transaction():
        claim("k" * 20, user)
    # A concurrent request that passed the "not used yet" check before the first committed
    # meets the primary key instead: it gets the refusal, and nothing of it is saved.
    with pytest.raises(AlreadySubmitted), transaction():
        db.session.add(SubmissionKey(key="k" * 20, user_id=user.id))
        with unique_or(AlreadySubmitted):
            db.session.flush()
    assert db.session.scalar(select(func.count()).select_from(SubmissionKey)) == 1


def test_the_same_appointment_recorded_twice_is_refused_the_second_time(ctx, app):
    posting = cloud_posting(MUNI_A, days_per_month=4)
    pro = make_pro("任用 二郎", available_days_per_month=8)
    application = app_svc.apply(pro.user, [posting.id], "応募")[0]
    staff = make_user("municipality", municipality_code=MUNI_A)
    app_svc.move(staff, application.id, "screening")
    app_svc.move(staff, application.id, "offered")
    rev = posting.published_revision
    data = {"days_per_month": "4", "period_start": rev.period_start.isoformat(),
            "period_end": rev.period_end.isoformat(), "employment_type": "special_part_time",
            "compensation_amount": "300000", "compensation_unit": "month"}
    client = app.test_client()
    login(client, staff)
    assert client.post(f"/applications/{application.id}/appoint", data=data).status_code == 302
    again = client.post(f"/applications/{application.id}/appoint", data=data,
                        follow_redirects=True)
    assert again.status_code < 500


# --------------------------------------------------------------------------- stale forms


def test_a_save_from_an_outdated_form_is_refused_keeping_what_was_typed(ctx, app):
    a_user, b_user = clerk(), clerk()
    posting = postings.create_draft(a_user, {"title": "元のタイトル", "work_location": "本庁舎"})
    a, b = app.test_client(), app.test_client()
    login(a, a_user)
    login(b, b_user)
    path = f"/my/postings/{posting.id}/edit"
    assert 'name="version" type="hidden" value="1"' in _text(b.get(path))
    saved = a.post(path, data=form_data(title="Aさんのタイトル", work_location="本庁舎",
                                        version="1", action="save"))
    assert saved.status_code == 302
    late = b.post(path, data=form_data(title="元のタイトル", work_location="第二庁舎",
                                       version="1", action="save"))
    assert late.status_code == 409
    page = _text(late)
    assert "第二庁舎" in page and "Aさんのタイトル" in page
    assert 'name="version" type="hidden" value="2"' in page  # saving again is now possible
    db.session.expire_all()
    rev = db.session.get(Posting, posting.id).current_revision
    assert (rev.title, rev.work_location, rev.version) == ("Aさんのタイトル", "本庁舎", 2)
    assert b.post(path, data=form_data(title="Aさんのタイトル", work_location="第二庁舎",
                                       version="2", action="save")).status_code == 302


def test_edits_of_different_fields_from_two_tabs_are_merged(ctx, app):
    from werkzeug.datastructures import MultiDict

    from talentmatch.bench.soak_users import form_fields

    def save(client, form, field, value):
        return client.post(path, data=MultiDict(
            [(k, value if k == field else v) for k, v in form] + [("action", "save")]))

    a_user, b_user = clerk(), clerk()
    posting = postings.create_draft(a_user, {"title": "元のタイトル", "work_location": "本庁舎"})
    a, b = app.test_client(), app.test_client()
    login(a, a_user)
    login(b, b_user)
    path = f"/my/postings/{posting.id}/edit"
    form_a = form_fields(_text(a.get(path)), form_id="posting-form")
    form_b = form_fields(_text(b.get(path)), form_id="posting-form")
    assert save(a, form_a, "title", "Aのタイトル").status_code == 302
    assert save(b, form_b, "work_location", "第二庁舎").status_code == 302
    db.session.expire_all()
    rev = db.session.get(Posting, posting.id).current_revision
    assert (rev.title, rev.work_location, rev.version) == ("Aのタイトル", "第二庁舎", 3)
    # The same field changed differently in both tabs is not merged: it is the user's call.
    form_a = form_fields(_text(a.get(path)), form_id="posting-form")
    form_b = form_fields(_text(b.get(path)), form_id="posting-form")
    assert save(a, form_a, "title", "Aの二度目").status_code == 302
    late = save(b, form_b, "title", "Bの案")
    assert late.status_code == 409 and "Bの案" in _text(late) and "Aの二度目" in _text(late)


def test_the_service_refuses_a_stale_version_and_saves_nothing(ctx):
    muni = clerk()
    posting = postings.create_draft(muni, {"title": "一"})
    postings.save_draft(muni, posting.id, {"title": "二"}, version=1)
    with pytest.raises(StaleEdit):
        postings.save_draft(muni, posting.id, {"title": "三"}, version=1)
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).current_revision.title == "二"


# --------------------------------------------------------------------------- create forms


def test_a_new_posting_form_sent_twice_creates_one_posting(ctx, client):
    muni = clerk()
    login(client, muni)
    data = form_data(submission_key=new_key(), action="save")
    assert client.post("/my/postings/new", data=data).status_code == 302
    again = client.post("/my/postings/new", data=data)
    assert again.status_code == 302 and "/my/postings/" in again.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Posting)) == 1


def test_a_cost_line_form_sent_twice_adds_one_line(ctx, client):
    muni = clerk()
    login(client, muni)
    page = _text(client.get("/subsidies"))
    assert 'name="submission_key"' in page
    data = {"submission_key": new_key(), "category": "recruitment", "amount": "50000",
            "fiscal_year": "2026", "date": "", "note": ""}
    assert client.post("/subsidies/lines", data=data).status_code == 302
    again = client.post("/subsidies/lines", data=data, follow_redirects=True)
    assert again.status_code == 200 and "一度だけ" in _text(again)
    assert db.session.scalar(select(func.count()).select_from(CostLine)) == 1


def test_taking_costs_from_postings_twice_leaves_the_lines_of_once(ctx):
    muni = clerk(code=MUNI_A)
    cloud_posting(MUNI_A, days_per_month=4)
    posting_lines.take_from_postings(muni, MUNI_A)
    first = sorted((ln.source_id, ln.fiscal_year, ln.amount)
                   for ln in db.session.scalars(select(CostLine)))
    posting_lines.take_from_postings(muni, MUNI_A)
    db.session.expire_all()
    assert sorted((ln.source_id, ln.fiscal_year, ln.amount)
                  for ln in db.session.scalars(select(CostLine))) == first and first


# --------------------------------------------------------------------------- second factor


def test_a_code_used_by_another_request_meanwhile_is_refused(ctx):
    user = make_user("municipality", municipality_code=MUNI_A)
    totp = pyotp.TOTP(user.totp_secret)
    code = totp.now()
    step = totp.timecode(accounts.utcnow())
    # This request read the account before another one used the code and committed.
    assert user.totp_last_counter is None
    _elsewhere(update(User).where(User.id == user.id).values(totp_last_counter=step))
    assert accounts.verify_totp(user, code) is False


def test_a_code_works_once(ctx):
    user = make_user("municipality", municipality_code=MUNI_A)
    code = pyotp.TOTP(user.totp_secret).now()
    assert accounts.verify_totp(user, code) is True
    assert accounts.verify_totp(user, code) is False


def test_concurrent_wrong_passwords_are_all_counted(ctx, app):
    email = make_user("professional").email
    answers: list[int] = []
    barrier = threading.Barrier(8)

    def attempt():
        client = app.test_client()
        barrier.wait()
        answers.append(client.post("/login", data={"email": email,
                                                   "password": "wrong " + PASSWORD}).status_code)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    # The per-account limit is 5 per 10 minutes: 5 are checked, the other 3 refused at once.
    assert sorted(answers) == [200] * 5 + [429] * 3


def test_a_successful_login_does_not_use_up_the_limit(ctx, client):
    user = make_user("professional")
    for _ in range(7):
        login(client, user)
        client.post("/logout")


# --------------------------------------------------------------------------- other records


def test_a_profile_saved_from_another_tab_is_not_undone(ctx, app):
    from tests.support.professionals import form_data as profile_form

    user = make_user("professional")
    first, second = app.test_client(), app.test_client()
    login(first, user)
    login(second, user)
    assert first.post("/profile/edit", data=profile_form(headline="最初の見出し")).status_code == 302
    old_tab = _text(second.get("/profile/edit"))
    assert 'name="version" type="hidden" value="1"' in old_tab
    assert first.post("/profile/edit", data=profile_form(headline="一つ目のタブ", version="1")
                      ).status_code == 302
    late = second.post("/profile/edit", data=profile_form(headline="二つ目のタブ", version="1"))
    assert late.status_code == 200 and "二つ目のタブ" in _text(late) and "一つ目のタブ" in _text(late)
    db.session.expire_all()
    from talentmatch.professionals.models import Professional

    prof = db.session.scalar(select(Professional).where(Professional.user_id == user.id))
    assert (prof.headline, prof.version) == ("一つ目のタブ", 2)


def test_a_pool_entry_saved_by_a_colleague_is_not_undone(ctx):
    from talentmatch.pool import services as pool

    coord = coordinator()
    pro = make_pro("プール 太郎")
    entry = pool.add_to_pool(coord, coord.prefecture_code, [pro.id], tags=["OB"], note="")[0]
    db.session.commit()
    pool.update_entry(coord, entry.id, tags="OB、IT企業", note="同僚のメモ", version="1")
    with pytest.raises(StaleEdit):
        pool.update_entry(coord, entry.id, tags="OB", note="古い画面から", version="1")
    db.session.expire_all()
    assert (entry.note, entry.version) == ("同僚のメモ", 2)


def test_a_saved_search_edited_in_two_tabs_and_sent_twice(ctx):
    from talentmatch.subscriptions import services as subs

    user = make_user("professional")
    key = new_key()
    sub = subs.create_for(user, {"frequency": "daily", "locale": "ja"}, submission_key=key)
    with pytest.raises(AlreadySubmitted):
        subs.create_for(user, {"frequency": "daily", "locale": "ja"}, submission_key=key)
    subs.update_for(user, sub.id, {"frequency": "weekly", "locale": "ja"}, version="1")
    with pytest.raises(StaleEdit):
        subs.update_for(user, sub.id, {"frequency": "immediately", "locale": "ja"}, version="1")
    db.session.expire_all()
    assert (sub.frequency, sub.version) == ("weekly", 2)
    assert len(subs.list_for(user)) == 1


def test_a_cost_line_replaced_since_the_page_was_read_is_not_deleted(ctx, app):
    from talentmatch.subsidies import services as subsidies

    a_user, b_user = clerk(code=MUNI_A), clerk(code=MUNI_A)
    line = subsidies.add_line(a_user, MUNI_A, {"date": "", "fiscal_year": "2026",
                                               "category": "recruitment", "amount": "50000",
                                               "note": ""})
    a = app.test_client()
    login(a, a_user)
    old_page = _text(a.get("/subsidies"))
    assert 'name="version" value="1"' in old_page
    # A colleague replaces the line by an import naming its id (version 2).
    subsidies.import_csv(b_user, MUNI_A, f"id,fiscal_year,category,amount\n{line.id},2026,"
                                         "recruitment,80000\n".encode())
    # The delete button of the older page is refused, showing the line as it is now.
    resp = a.post(f"/subsidies/lines/{line.id}/delete", data={"version": "1"},
                  follow_redirects=True)
    assert resp.status_code == 200
    assert "削除していません。現在の内容は 令和8年度、募集経費、80,000円 です" in _text(resp)
    db.session.expire_all()
    assert db.session.get(CostLine, line.id).amount == 80000
    # From the page as it is now, the line is deleted, once; a repeat is not found.
    assert 'name="version" value="2"' in _text(a.get("/subsidies"))
    assert a.post(f"/subsidies/lines/{line.id}/delete", data={"version": "2"}).status_code == 302
    assert a.post(f"/subsidies/lines/{line.id}/delete", data={"version": "2"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(CostLine, line.id) is None
    from talentmatch.audit.models import AuditEvent

    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "subsidy.line_deleted")) == 1


def test_a_race_no_service_answers_is_a_409_that_says_nothing_was_saved(ctx, client, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from talentmatch.subsidies import services as subsidies

    def lost_a_race(*_args, **_kwargs):
        raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: cost_line.id"))

    monkeypatch.setattr(subsidies, "add_line", lost_a_race)
    login(client, clerk(code=MUNI_A))
    resp = client.post("/subsidies/lines", data={"category": "recruitment", "amount": "50000",
                                                 "fiscal_year": "2026", "date": "", "note": ""})
    assert resp.status_code == 409
    assert "同じ時に別の操作で変更されたため、何も保存していません" in _text(resp)
    assert db.session.scalar(select(func.count()).select_from(CostLine)) == 0


def test_an_import_replacing_a_line_deleted_meanwhile_is_refused_not_a_crash(ctx, monkeypatch):
    from sqlalchemy import delete

    from talentmatch.subsidies import services as subsidies

    muni = clerk(code=MUNI_A)
    line = subsidies.add_line(muni, MUNI_A, {"date": "", "fiscal_year": "2026",
                                             "category": "recruitment", "amount": "50000",
                                             "note": ""})
    line_id, take_lock = line.id, subsidies.lock_lines

    def colleague_deletes_first(code):  # their delete commits just before this import's lock
        _elsewhere(delete(CostLine).where(CostLine.id == line_id))
        take_lock(code)

    monkeypatch.setattr(subsidies, "lock_lines", colleague_deletes_first)
    with pytest.raises(subsidies.LineError) as refused:
        subsidies.import_csv(muni, MUNI_A, f"id,fiscal_year,category,amount\n{line_id},2026,"
                                           "recruitment,80000\n".encode())
    assert [e.field for e in refused.value.errors] == ["id"]
    assert db.session.scalar(select(func.count()).select_from(CostLine)) == 0
