"""Browser story: every step of a posting tells the next person by mail.

The clerk submits; the coordinator receives the mail (read from the .eml the file backend
wrote), follows its link and returns the posting with a comment; the clerk receives that
comment by mail, follows the link and resubmits; the coordinator relays; the ministry gets
its mail and publishes; the clerk gets the published mail. A professional applies and gets a
confirmation; the clerk gets the notice, follows it and sees the application. The header
shows what waits (確認待ち 1 …). Each page is checked with axe-core and screenshotted at
1280 px and 390 px into test-artifacts/workflow-mail-story/.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from talentmatch.applications.models import Application
from talentmatch.extensions import db
from talentmatch.notifications.worker import run_once
from talentmatch.postings import services as postings
from talentmatch.postings.models import Posting
from tests.support.browser import Person, Story, browser_marks, mail_files, report_axe, serve
from tests.support.factories import make_user
from tests.support.matching import make_pro
from tests.support.postings import service_data

pytestmark = browser_marks

SAPPORO = "011002"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def live_server(app):
    yield from serve(app)


@pytest.fixture(scope="module", autouse=True)
def _axe_figures(request):
    yield
    report_axe(request)


def _both(person: Person, label: str) -> None:
    """axe and a screenshot at 1280 px, then the same page at 390 px (no sideways scroll)."""
    page = person.page
    person.story.check(page, f"{label}-1280")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(100)
    person.story.check(page, f"{label}-390")
    page.set_viewport_size(DESKTOP)


def _mail_to(app, address: str, subject_part: str):
    """The newest delivered mail to ``address`` whose subject holds ``subject_part``."""
    run_once()
    for msg in reversed(mail_files(app)):
        if address in msg["To"] and subject_part in msg["Subject"]:
            return msg
    raise AssertionError(f"no mail to {address} about {subject_part!r}: "
                         f"{[(m['To'], m['Subject']) for m in mail_files(app)]}")


def _text(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def _path(msg, base="http://localhost") -> str:
    """The direct link of a workflow mail, as a path on the story's server."""
    for line in _text(msg).splitlines():
        if line.startswith(base + "/"):
            return line[len(base):].strip()
    raise AssertionError(_text(msg))


def _state(posting_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Posting, posting_id).current_revision.state


def test_every_step_tells_the_next_person(app, ctx, live_server, browser):
    story = Story("workflow-mail-story")
    clerk_user = make_user("municipality", municipality_code=SAPPORO, name="札幌市 DX担当 佐藤")
    coord_user = make_user("prefecture", prefecture_code="01", name="北海道 調整担当 高橋")
    mic_user = make_user("ministry", name="総務省 担当 鈴木")
    draft = postings.create_draft(clerk_user, service_data(title="DX推進アドバイザー"))

    # 1. The clerk submits the draft to the prefecture.
    clerk = Person(browser, live_server, story)
    clerk.login(clerk_user)
    page = clerk.go(f"/my/postings/{draft.id}")
    page.get_by_role("button", name="都道府県へ提出する").click()
    page.wait_for_load_state()
    assert _state(draft.id) == "submitted"
    _both(clerk, "01-clerk-submitted")

    # 2. The coordinator receives the mail and follows its link; the header counts the inbox.
    mail = _mail_to(app, coord_user.email, "確認依頼")
    assert "DX推進アドバイザー" in mail["Subject"] and "札幌市" in mail["Subject"]
    coord = Person(browser, live_server, story)
    coord.login(coord_user)
    assert coord.page.locator(".nav-badge", has_text="確認待ち 1").is_visible()
    page = coord.go(_path(mail))
    assert page.url.endswith(f"/review/postings/{draft.id}")
    _both(coord, "02-coordinator-from-mail")

    # 3. … and returns it with a comment.
    comment = "求める経験は「ICTを活用した業務改革を担った経験」のように具体的に書いてください。"
    page.fill("[name=comment]", comment)
    page.click(f"button[formaction$='/review/postings/{draft.id}/return']")
    page.wait_for_url("**/review/prefecture")
    assert _state(draft.id) == "returned"
    assert coord.page.locator(".nav-badge").count() == 0  # nothing waits any more

    # 4. The clerk receives the comment by mail, follows the link and resubmits.
    mail = _mail_to(app, clerk_user.email, "差し戻されました")
    assert comment in _text(mail)
    assert comment in mail.get_body(preferencelist=("html",)).get_content()
    page = clerk.go(_path(mail))
    assert page.locator(".nav-badge", has_text="差し戻し 1").is_visible()
    _both(clerk, "03-clerk-returned-from-mail")
    page.set_viewport_size(PHONE)  # on a phone the counts fold into the menu button
    assert page.get_by_role("button", name="メニュー 要対応 1").is_visible()
    badge = page.locator(".menu-toggle .nav-badge")
    assert badge.is_visible() and badge.bounding_box()["width"] < 40  # just the number shows
    # … and stays beside the name, the header one row high.
    brand, button = (page.locator(s).bounding_box() for s in (".brand", ".menu-toggle"))
    assert button["y"] < brand["y"] + brand["height"], (brand, button)
    assert page.locator(".site-nav .nav-badge").first.is_hidden()
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="都道府県へ提出する").click()
    page.wait_for_load_state()
    assert _state(draft.id) == "submitted"

    # 5. The coordinator relays it from the new mail's link.
    page = coord.go(_path(_mail_to(app, coord_user.email, "確認依頼")))
    page.click(f"button[formaction$='/review/postings/{draft.id}/relay']")
    page.wait_for_url("**/review/prefecture")
    assert _state(draft.id) == "relayed"

    # 6. The ministry receives its mail and publishes.
    mail = _mail_to(app, mic_user.email, "公開の確認依頼")
    ministry = Person(browser, live_server, story)
    ministry.login(mic_user)
    page = ministry.go(_path(mail))
    assert page.locator(".nav-badge", has_text="公開待ち 1").is_visible()
    _both(ministry, "04-ministry-from-mail")
    page.click(f"button[formaction$='/review/postings/{draft.id}/publish']")
    page.wait_for_url("**/review/ministry")
    assert _state(draft.id) == "published"

    # 7. The clerk gets the published mail (and knew of the relay too).
    assert "DX推進アドバイザー" in _mail_to(app, clerk_user.email, "総務省へ送付されました")["Subject"]
    mail = _mail_to(app, clerk_user.email, "公開されました")
    page = clerk.go(_path(mail))
    _both(clerk, "05-clerk-published-from-mail")

    # 8. A professional applies and gets a confirmation.
    pro = make_pro("山田 花子", skills=["bpr"])
    applicant = Person(browser, live_server, story)
    applicant.login(pro.user)
    page = applicant.go(f"/postings/{draft.id}/apply")
    page.fill("[name=message]", "業務改革の経験を生かしてお手伝いします。")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/my/applications")
    _both(applicant, "06-applicant-applied")
    mail = _mail_to(app, pro.user.email, "応募を受け付けました")
    assert "DX推進アドバイザー" in mail["Subject"] and "札幌市" in _text(mail)
    assert _path(mail) == "/my/applications"

    # 9. The clerk gets the notice, follows it and sees the application.
    application = db.session.scalars(select(Application)).one()
    mail = _mail_to(app, clerk_user.email, "新しい応募")
    assert _path(mail) == f"/applications/{application.id}"
    page = clerk.go("/my/postings")
    assert page.locator(".nav-badge", has_text="新着 1").is_visible()
    page = clerk.go(_path(mail))
    assert page.get_by_text("業務改革の経験を生かしてお手伝いします。").is_visible()
    assert page.get_by_text("山田 花子").first.is_visible()
    _both(clerk, "07-clerk-sees-the-application")

    # 10. The clerk may take one daily summary instead (the account page).
    page = clerk.go("/account")
    _both(clerk, "08-account-mail-setting")
    page.check("input[name='mail-mail_preference'][value=daily]")
    page.get_by_role("button", name="メールの設定を保存する").click()
    page.wait_for_load_state()
    db.session.expire_all()
    assert db.session.get(type(clerk_user), clerk_user.id).mail_preference == "daily"

    # Each event told each person once: two submissions, one of everything else.
    from collections import Counter

    from talentmatch.notifications.models import OutboxMessage

    db.session.expire_all()
    sent = Counter((m.to_email, m.kind) for m in db.session.scalars(select(OutboxMessage)))
    assert sent == {
        (coord_user.email, "workflow_submitted"): 2,
        (clerk_user.email, "workflow_returned"): 1,
        (clerk_user.email, "workflow_relayed"): 1,
        (mic_user.email, "workflow_to_publish"): 1,
        (clerk_user.email, "workflow_published"): 1,
        (pro.user.email, "application_confirmed"): 1,
        (clerk_user.email, "application_received"): 1,
    }
    assert not story.problems, "\n".join(story.problems)
