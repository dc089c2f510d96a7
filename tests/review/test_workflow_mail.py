"""Workflow mail: each move tells the next people (recipient), in their language, with a
direct absolute link, and never twice for one event; accounts that chose a daily summary get
no mail per event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from talentmatch.accounts.models import MAIL_DAILY
from talentmatch.clock import today_jst
from talentmatch.extensions import db
from talentmatch.notifications.models import OutboxMessage
from talentmatch.postings import services as postings
from talentmatch.review import mail as review_mail
from talentmatch.review import services as review
from talentmatch.review.models import ReviewEvent
from tests.support.postings import (
    MUNI_B,
    PREF_Q,
    clerk,
    coordinator,
    ministry,
    published,
    relayed,
    service_data,
    submitted,
)

BASE = "http://localhost"  # the tests' TALENTMATCH_BASE_URL


def _mail(kind: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)
                                   .order_by(OutboxMessage.id)))


def _to(kind: str) -> list[str]:
    return sorted(m.to_email for m in _mail(kind))


def test_submit_mails_the_prefectures_coordinators_in_their_language(ctx):
    a = clerk()
    p_ja, p_en = coordinator(), coordinator(locale="en")
    other_pref, colleague, mic = coordinator(PREF_Q), clerk(), ministry()
    posting = submitted(a, title="データ利活用アドバイザー")

    assert _to("workflow_submitted") == sorted([p_ja.email, p_en.email])
    for m in _mail("workflow_submitted"):
        assert other_pref.email != m.to_email and colleague.email != m.to_email
        assert mic.email != m.to_email
        assert f"{BASE}/review/postings/{posting.id}" in m.text_body
        assert f'href="{BASE}/review/postings/{posting.id}"' in m.html_body
    ja = next(m for m in _mail("workflow_submitted") if m.to_email == p_ja.email)
    en = next(m for m in _mail("workflow_submitted") if m.to_email == p_en.email)
    assert ja.locale == "ja" and "確認依頼" in ja.subject and "データ利活用アドバイザー" in ja.subject
    assert "札幌市" in ja.subject and "総務省へ送付するか" in ja.text_body
    assert en.locale == "en" and en.subject.startswith("Review requested")


def test_return_mails_the_municipality_staff_with_the_comment_not_the_actor(ctx):
    a, a2, other = clerk(), clerk(locale="en"), clerk(MUNI_B)
    p = coordinator()
    posting = submitted(a)
    review.return_posting(p, posting.id, "報酬の単位を「月額」にしてください")

    assert _to("workflow_returned") == sorted([a.email, a2.email])
    ja = next(m for m in _mail("workflow_returned") if m.to_email == a.email)
    assert "差し戻されました" in ja.subject
    assert "報酬の単位を「月額」にしてください" in ja.text_body
    assert "報酬の単位を「月額」にしてください" in ja.html_body
    assert "コメント:" not in ja.text_body  # the lead sentence already introduces it
    assert f"{BASE}/my/postings/{posting.id}" in ja.text_body
    en = next(m for m in _mail("workflow_returned") if m.to_email == a2.email)
    assert en.subject.startswith("Returned for changes") and "Prefecture coordinator" in en.text_body
    assert other.email not in _to("workflow_returned")
    assert p.email not in _to("workflow_returned")  # the coordinator who returned it


def test_comment_is_escaped_in_the_html_part(ctx):
    a, p = clerk(), coordinator()
    posting = submitted(a)
    review.return_posting(p, posting.id, "<script>alert(1)</script> を直してください")
    mail = _mail("workflow_returned")[0]
    assert "<script>" not in mail.html_body and "&lt;script&gt;" in mail.html_body
    assert "<script>alert(1)</script>" in mail.text_body


def test_relay_mails_the_municipality_and_the_ministry(ctx):
    a, p = clerk(), coordinator()
    mic_ja, mic_en = ministry(), ministry(locale="en")
    posting = relayed(a, p)
    assert _to("workflow_relayed") == [a.email]
    assert _to("workflow_to_publish") == sorted([mic_ja.email, mic_en.email])
    to_mic = next(m for m in _mail("workflow_to_publish") if m.to_email == mic_ja.email)
    assert "公開の確認依頼" in to_mic.subject
    assert f"{BASE}/review/postings/{posting.id}" in to_mic.text_body
    assert next(m for m in _mail("workflow_to_publish") if m.to_email == mic_en.email).locale == "en"


def test_publish_and_revision_publish_mail_the_municipality(ctx):
    a, p, mic = clerk(), coordinator(), ministry()
    posting = published(a, p, mic, title="CIO補佐官")
    first = _mail("workflow_published")
    assert [m.to_email for m in first] == [a.email]
    assert "公開されました" in first[0].subject and f"{BASE}/my/postings/{posting.id}" in first[0].text_body

    review.revise(a, posting.id)
    postings.save_draft(a, posting.id, service_data(title="CIO補佐官（改訂）"))
    review.submit(a, posting.id)
    review.relay(p, posting.id)
    review.publish(mic, posting.id)
    again = _mail("workflow_revision_published")
    assert [m.to_email for m in again] == [a.email]
    assert "第2版" in again[0].subject and "CIO補佐官（改訂）" in again[0].subject
    assert len(_mail("workflow_published")) == 1  # the first publication only


def test_closing_by_hand_and_by_the_deadline_job_mail_the_municipality(ctx):
    a, a2, p, mic = clerk(), clerk(), coordinator(), ministry()
    by_hand = published(a, p, mic)
    review.close(a, by_hand.id, "filled")
    closed = _mail("workflow_closed")
    assert [m.to_email for m in closed] == [a2.email]  # not the clerk who closed it
    assert "採用決定" in closed[0].text_body

    soon = published(a, p, mic, deadline=today_jst() + timedelta(days=1))
    review.close_expired(today=today_jst() + timedelta(days=2))
    by_job = [m for m in _mail("workflow_closed") if f"/my/postings/{soon.id}" in m.text_body]
    assert sorted(m.to_email for m in by_job) == sorted([a.email, a2.email])
    assert all("応募締切" in m.text_body and "過ぎた" in m.text_body for m in by_job)


def test_one_event_never_mails_one_person_twice(ctx):
    a, p = clerk(), coordinator()
    posting = submitted(a)
    event = db.session.scalars(select(ReviewEvent).where(ReviewEvent.posting_id == posting.id,
                                                         ReviewEvent.action == "submit")).one()
    rev = db.session.get(type(posting), posting.id).current_revision
    assert review_mail.notify(posting, rev, event) == 0  # the same event again: nothing new
    db.session.commit()
    assert _to("workflow_submitted") == [p.email]
    # A second submission is a new event: it is told again.
    review.return_posting(p, posting.id, "確認してください")
    review.submit(a, posting.id)
    assert _to("workflow_submitted") == [p.email, p.email]


def test_daily_summary_readers_get_no_mail_per_event(ctx):
    a = clerk()
    daily = coordinator()
    daily.mail_preference = MAIL_DAILY
    db.session.commit()
    each = coordinator()
    submitted(a)
    assert _to("workflow_submitted") == [each.email]


def test_a_refused_move_mails_nobody(ctx):
    a, p = clerk(), coordinator()
    posting = submitted(a)
    with pytest.raises(review.WorkflowError):
        review.publish(p, posting.id)  # a coordinator cannot publish
    assert _mail("workflow_published") == [] and _mail("workflow_to_publish") == []


def test_each_mail_to_the_municipality_speaks_each_readers_language_with_its_link_once(ctx):
    """Relayed, published, revision published, closed by hand and closed by the deadline job:
    every clerk of the municipality gets each one once, in the language of their account, with
    the direct link to the posting's page; running the job again tells nobody twice."""
    ja, en, p, mic = clerk(), clerk(locale="en"), coordinator(), ministry()
    closer = clerk()
    posting = published(ja, p, mic, title="CIO補佐官")
    review.revise(ja, posting.id)
    postings.save_draft(ja, posting.id, service_data(title="CIO補佐官（改訂）"))
    review.submit(ja, posting.id)
    review.relay(p, posting.id)
    review.publish(mic, posting.id)
    review.close(closer, posting.id, "filled")
    soon = published(ja, p, mic, title="データ利活用アドバイザー",
                     deadline=today_jst() + timedelta(days=1))
    later = today_jst() + timedelta(days=2)
    review.close_expired(today=later)
    review.close_expired(today=later)  # the job runs again: nothing new

    # kind → (posting, the subject's words in Japanese, in English, number of events)
    expected = {
        "workflow_relayed": (posting, "総務省へ送付されました", "Relayed to MIC", 2),
        "workflow_published": (posting, "公開されました", "Published:", 1),
        "workflow_revision_published": (posting, "第2版が公開されました", "Revision 2 published", 1),
        "workflow_closed": (posting, "募集終了", "Closed:", 1),
    }
    for kind, (target, words_ja, words_en, events) in expected.items():
        mails = [m for m in _mail(kind) if f"/my/postings/{target.id}" in m.text_body]
        readers = [ja.email, en.email, closer.email]
        if kind == "workflow_closed":
            readers.remove(closer.email)  # the clerk who closed it knows
        assert sorted(m.to_email for m in mails) == sorted(readers * events), kind
        for m in mails:
            link = f"{BASE}/my/postings/{target.id}"
            assert link in m.text_body and f'href="{link}"' in m.html_body, kind
            want = "en" if m.to_email == en.email else "ja"
            assert m.locale == want, (kind, m.to_email, m.locale)
            assert (words_en if want == "en" else words_ja) in m.subject, (kind, m.subject)

    by_job = [m for m in _mail("workflow_closed") if f"/my/postings/{soon.id}" in m.text_body]
    assert sorted(m.to_email for m in by_job) == sorted([ja.email, en.email, closer.email])
    assert next(m for m in by_job if m.to_email == en.email).locale == "en"
    assert all(f'href="{BASE}/my/postings/{soon.id}"' in m.html_body for m in by_job)
