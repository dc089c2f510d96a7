"""Application mail: the applicant's confirmation (applied, withdrew) and the municipality
staff's notice of a new application — recipient, language, link, once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from talentmatch.accounts.models import MAIL_DAILY
from talentmatch.applications import mail as app_mail
from talentmatch.applications import services as svc
from talentmatch.extensions import db
from talentmatch.notifications.models import OutboxMessage
from tests.support.factories import make_user
from tests.support.matching import cloud_posting, make_pro

MUNI_A = "012025"  # 函館市
MUNI_B = "012033"  # 小樽市
BASE = "http://localhost"


def _mail(kind: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)
                                   .order_by(OutboxMessage.id)))


@pytest.fixture
def world(ctx):
    posting = cloud_posting(MUNI_A)
    staff_ja = make_user("municipality", municipality_code=MUNI_A)
    staff_en = make_user("municipality", municipality_code=MUNI_A, locale="en")
    other = make_user("municipality", municipality_code=MUNI_B)
    ja = make_pro("応募 花子")
    en = make_pro("Applicant Taro", locale="en")
    return posting, staff_ja, staff_en, other, ja, en


def test_applying_confirms_to_the_applicant_and_tells_the_municipality(world):
    posting, staff_ja, staff_en, other, ja, en = world
    application = svc.apply(ja.user, [posting.id], "よろしくお願いします")[0]

    confirmed = _mail("application_confirmed")
    assert [m.to_email for m in confirmed] == [ja.user.email]
    assert confirmed[0].locale == "ja" and "応募を受け付けました" in confirmed[0].subject
    assert "DX推進アドバイザー" in confirmed[0].subject and "函館市" in confirmed[0].text_body
    assert f"{BASE}/my/applications" in confirmed[0].text_body

    received = _mail("application_received")
    assert sorted(m.to_email for m in received) == sorted([staff_ja.email, staff_en.email])
    assert other.email not in {m.to_email for m in received}
    for m in received:
        assert f"{BASE}/applications/{application.id}" in m.text_body
        assert f'href="{BASE}/applications/{application.id}"' in m.html_body
        assert "よろしくお願いします" not in m.text_body  # the message is read on the page
    en_mail = next(m for m in received if m.to_email == staff_en.email)
    assert en_mail.locale == "en" and en_mail.subject.startswith("New application")

    svc.apply(en.user, [posting.id])
    assert next(m for m in _mail("application_confirmed") if m.to_email == en.user.email).locale == "en"


def test_withdrawing_confirms_to_the_applicant_only(world):
    posting, staff_ja, *_rest, ja, _en = world
    application = svc.apply(ja.user, [posting.id])[0]
    svc.withdraw(ja.user, application.id)
    withdrawn = _mail("application_withdrawn")
    assert [m.to_email for m in withdrawn] == [ja.user.email]
    assert "取り下げ" in withdrawn[0].subject and f"{BASE}/my/applications" in withdrawn[0].text_body


def test_each_application_event_is_told_once(world):
    posting, staff_ja, staff_en, _other, ja, _en = world
    application = svc.apply(ja.user, [posting.id])[0]
    assert app_mail.applied(application) == 0  # the same event again adds nothing
    db.session.commit()
    assert len(_mail("application_received")) == 2 and len(_mail("application_confirmed")) == 1
    # Applying again after withdrawing is a new event, told again.
    svc.withdraw(ja.user, application.id)
    svc.apply(ja.user, [posting.id])
    assert len(_mail("application_received")) == 4 and len(_mail("application_confirmed")) == 2


def test_daily_summary_staff_get_no_notice_per_application(world):
    posting, staff_ja, staff_en, _other, ja, _en = world
    staff_en.mail_preference = MAIL_DAILY
    db.session.commit()
    svc.apply(ja.user, [posting.id])
    assert [m.to_email for m in _mail("application_received")] == [staff_ja.email]


def test_the_withdrawal_confirmation_is_in_the_applicants_language_and_told_once(world):
    posting, *_staff, _other, _ja, en = world
    application = svc.apply(en.user, [posting.id])[0]
    svc.withdraw(en.user, application.id)
    assert app_mail.withdrew(application) == 0  # the same withdrawal again adds nothing
    db.session.commit()
    with pytest.raises(svc.ApplicationRefused):
        svc.withdraw(en.user, application.id)  # already withdrawn: refused, nothing sent
    withdrawn = _mail("application_withdrawn")
    assert [m.to_email for m in withdrawn] == [en.user.email]
    assert withdrawn[0].locale == "en" and "DX推進アドバイザー" in withdrawn[0].subject
    assert f'href="{BASE}/my/applications"' in withdrawn[0].html_body
