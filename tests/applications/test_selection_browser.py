"""Browser story: a municipality reads its ranked candidates, invites the best one, the
professional applies from the invitation, the municipality moves the application forward and
appoints (the posting closes as filled); a coordinator looks at bundle suggestions.
Screenshots go to test-artifacts/matching-selection/."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from talentmatch.applications.models import Appointment
from talentmatch.extensions import db
from talentmatch.postings.models import Posting
from tests.support.browser import browser_marks, sign_in
from tests.support.factories import make_user
from tests.support.matching import appointment, cloud_posting, make_pro

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "matching-selection"

pytestmark = browser_marks


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _logged_in_page(browser, base, user, problems):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.url}"))
    page.on("pageerror", lambda e: problems.append(str(e)))
    return sign_in(page, base, user)


def test_selection_story(app, ctx, server, browser):
    problems: list[str] = []
    posting = cloud_posting("012025", title="DX推進アドバイザー（クラウド・BPR）", remote="full")
    cloud_posting("012033", title="小樽市 業務改革アドバイザー", remote="full", days_per_month=3)
    best = make_pro("佐藤 花子", skills=["cloud_architecture", "bpr", "information_security", "rpa"],
                    focus_areas=["bpr", "security"], public_sector_experience=True,
                    experience="県庁で業務改革(BPR)とクラウド移行を担当し、情報セキュリティポリシーを改定しました。",
                    preferred_prefectures=["01"], available_days_per_month=10)
    make_pro("鈴木 一郎", skills=["bpr", "project_management"], focus_areas=["bpr"],
             experience="民間企業でPMとして業務改善を推進", available_days_per_month=6)
    busy = make_pro("高橋 健一", skills=["cloud_architecture", "bpr"], available_days_per_month=6)
    appointment(busy, cloud_posting("016438", title="既存の任用"), 4)
    staff = make_user("municipality", municipality_code="012025", name="函館市 デジタル推進課")

    page = _logged_in_page(browser, server, staff, problems)
    page.goto(f"{server}/applications")
    shot(page, "01-overview")
    page.click(f"a[href='/postings/{posting.id}/candidates']")
    page.wait_for_url(f"**/postings/{posting.id}/candidates")
    first = page.locator("#ranked-h ~ ol .candidate").first
    assert "佐藤 花子" in first.inner_text()
    shot(page, "02-candidates")
    page.check("#excluded")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "高橋 健一" in page.locator("#excluded-h ~ .table-wrap").inner_text()
    shot(page, "03-excluded-with-reasons")
    first = page.locator(f"#candidate-{best.id}")
    first.locator("summary").click()
    first.locator("textarea").fill("クラウド移行の経験を活かしていただけると考えています。ぜひご応募ください。")
    first.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".notice.success").count() == 1
    shot(page, "04-invited")

    pro_page = _logged_in_page(browser, server, best.user, problems)
    pro_page.goto(f"{server}/my/applications")
    assert "ぜひご応募ください" in pro_page.content()
    shot(pro_page, "05-invitation")
    pro_page.click(f"a[href='/postings/{posting.id}/apply']")
    pro_page.fill("#message", "県庁での経験を活かして貢献します。月4日の勤務が可能です。")
    shot(pro_page, "06-apply")
    pro_page.click("main form button[type=submit]")
    pro_page.wait_for_url("**/my/applications")
    shot(pro_page, "07-my-applications")
    pro_page.goto(f"{server}/home")
    shot(pro_page, "08-home-postings-for-you")

    page.goto(f"{server}/postings/{posting.id}/applications")
    shot(page, "09-pipeline")
    page.click("a:has-text('佐藤 花子')")
    page.click("button[value=interview]")
    page.wait_for_load_state()
    shot(page, "10-moved-to-interview")
    page.click("a[href$='/appoint']")
    page.fill("#days_per_month", "12")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#error-summary").count() == 1
    shot(page, "11-over-capacity")
    page.fill("#days_per_month", "4")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    shot(page, "12-appointed")
    db.session.expire_all()
    assert db.session.scalar(select(Appointment.professional_id).where(Appointment.posting_id == posting.id)) == best.id
    assert db.session.get(Posting, posting.id).close_reason == "filled"

    coord = make_user("prefecture", prefecture_code="01", name="北海道 調整担当")
    cpage = _logged_in_page(browser, server, coord, problems)
    cpage.goto(f"{server}/bundles")
    shot(cpage, "13-bundles")
    cpage.goto(f"{server}/help/matching")
    shot(cpage, "14-help")
    assert not [p for p in problems if "/appoint" not in p], problems
