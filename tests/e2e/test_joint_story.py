"""Browser story: a prefecture coordinator proposes a joint role for two towns, both towns
accept, the lead town completes and submits the joint posting, the prefecture relays it and
MIC publishes it; the public listing shows both towns. Then the coordinator introduces a
person from the prefecture's talent pool and the lead town sees the introduction beside its
candidates. Both dashboards close the story.

The demo world is loaded first so the dashboards have something to show. Screenshots of each
step go to test-artifacts/joint-story/.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from talentmatch import demo
from talentmatch.clock import today_jst
from talentmatch.extensions import db
from talentmatch.joint.models import JointProposal
from talentmatch.pool import services as pool
from talentmatch.pool.models import Introduction
from talentmatch.postings.models import Posting
from tests.support.browser import browser_marks, sign_in
from tests.support.factories import make_user
from tests.support.matching import make_pro

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "joint-story"
KIKONAI, SHIRIUCHI = "013340", "013331"
TITLE = "CIO補佐官（木古内町・知内町 共同任用）"

pytestmark = browser_marks


class Actor:
    """One person in their own browser context, logged in through the real forms."""

    def __init__(self, browser, base: str, user, problems: list[str]) -> None:
        self.context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.base = base
        page = self.page
        page.on("console", lambda m: m.type == "error"
                and not m.text.startswith("Failed to load resource") and problems.append(m.text))
        page.on("pageerror", lambda e: problems.append(str(e)))
        if user is not None:
            sign_in(page, base, user)

    def go(self, path: str):
        self.page.goto(f"{self.base}{path}")
        return self.page


def shot(page, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def press(page, selector: str) -> None:
    """Click a submit button and wait for the page it leads to."""
    with page.expect_navigation(timeout=60000):
        page.click(selector)


def _proposal() -> JointProposal:
    db.session.expire_all()
    return db.session.scalar(select(JointProposal).where(JointProposal.title == TITLE))


def test_joint_story(app, ctx, server, browser):
    demo.load()  # a lively country for the dashboards
    problems: list[str] = []
    coord_user = make_user("prefecture", prefecture_code="01", name="北海道 調整担当 高橋")
    kikonai_user = make_user("municipality", municipality_code=KIKONAI, name="木古内町 総務課 佐藤")
    shiriuchi_user = make_user("municipality", municipality_code=SHIRIUCHI,
                               name="知内町 企画課 鈴木")
    mic_user = make_user("ministry", name="総務省 地域情報化企画室 田中")
    person = make_pro("渡辺 健一", discoverable=False, public_sector_experience=True,
                      skills=["dx_strategy_planning", "bpr"])
    entry = pool.add_to_pool(coord_user, "01", [person.id], tags=["職員OB・OG"],
                             note="元北海道庁 情報政策課。町村のDX計画づくりを多数支援。")[0]
    db.session.commit()

    # 1. The coordinator proposes a joint role for two towns.
    coord = Actor(browser, server, coord_user, problems)
    page = coord.go("/prefectures/01/joint/new")
    page.fill("#title", TITLE)
    page.fill("#summary", "木古内町と知内町のDX推進計画の策定と進行管理を、一人の専門人材が両町で支援します。")
    page.select_option("#lead_municipality_code", KIKONAI)
    page.select_option("#employment_type", "special_part_time")
    page.fill("#days_per_month", "8")
    page.select_option("#participants-0-municipality_code", KIKONAI)
    page.fill("#participants-0-share_days", "4")
    page.fill("#participants-0-share_cost", "50")
    page.select_option("#participants-1-municipality_code", SHIRIUCHI)
    page.fill("#participants-1-share_days", "4")
    page.fill("#participants-1-share_cost", "50")
    page.fill("#compensation_amount", "40000")
    page.select_option("#compensation_unit", "day")
    today = today_jst()
    page.fill("#period_start", (today + timedelta(days=70)).isoformat())
    page.fill("#period_end", (today + timedelta(days=434)).isoformat())
    shot(page, "01-coordinator-proposes")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url("**/joint/proposals/*")
    proposal = _proposal()
    assert proposal.state == "proposed" and len(proposal.participants) == 2
    shot(page, "02-proposal-sent")

    # 2. Both towns accept on their own pages.
    kikonai = Actor(browser, server, kikonai_user, problems)
    page = kikonai.go("/my/joint")
    assert page.get_by_text(TITLE).is_visible()
    shot(page, "03-town-sees-proposal")
    page.get_by_role("link", name=TITLE).click()
    page.fill("#comment", "議会への説明資料を準備します。")
    press(page, "button[name=decision][value=accept]")
    shiriuchi = Actor(browser, server, shiriuchi_user, problems)
    page = shiriuchi.go(f"/joint/proposals/{proposal.id}")
    press(page, "button[name=decision][value=accept]")
    assert _proposal().state == "accepted"
    shot(page, "04-accepted-by-both-towns")

    # 3. The lead town turns it into the joint posting, completes and submits it.
    page = kikonai.go(f"/joint/proposals/{proposal.id}")
    page.get_by_role("button", name="共同募集を作成する").or_(
        page.get_by_role("button", name="Create the joint posting")).click()
    page.wait_for_url("**/my/postings/*/edit")
    posting_id = _proposal().posting_id
    assert page.locator("#title").input_value() == TITLE
    page.check("input[name=role_type][value=producer]")
    page.check("input[name=focus_areas][value=dx_strategy]")
    page.fill("[name=required_experience]", "ICTを活用した業務改革を担った経験")
    page.fill("[name=required_skills]", "DX戦略策定、業務改革")
    page.check("input[name=remote][value=partial]")
    page.check("input[name=side_job_ok][value=yes]")
    page.fill("[name=deadline]", (today + timedelta(days=35)).isoformat())
    page.fill("[name=how_to_apply]", "https://www.town.kikonai.example.lg.jp/recruit/cio")
    page.fill("[name=contact_department]", "木古内町 総務課")
    page.fill("[name=contact_email]", "dx@town.kikonai.example.lg.jp")
    page.check("input[name=publication_channels][value=mic_listing]")
    shot(page, "05-lead-completes-joint-posting")
    page.click("button[name=action][value=submit]")
    page.wait_for_url(f"**/my/postings/{posting_id}")
    assert db.session.get(Posting, posting_id).current_revision.state == "submitted"

    # 4. The prefecture relays it, MIC publishes it.
    page = coord.go(f"/review/postings/{posting_id}")
    shot(page, "06-prefecture-relays")
    page.click(f"button[formaction$='/review/postings/{posting_id}/relay']")
    page.wait_for_url("**/review/prefecture")
    mic = Actor(browser, server, mic_user, problems)
    page = mic.go(f"/review/postings/{posting_id}")
    page.click(f"button[formaction$='/review/postings/{posting_id}/publish']")
    page.wait_for_url("**/review/ministry")
    db.session.expire_all()
    assert db.session.get(Posting, posting_id).current_revision.state == "published"

    # 5. The public listing and the posting page show both towns.
    public = Actor(browser, server, None, problems)
    page = public.go("/postings?joint=1&q=木古内")
    card = page.locator("li.posting-card", has_text=TITLE)
    shared = card.locator(".posting-joint")
    assert "木古内町" in shared.inner_text() and "知内町" in shared.inner_text()
    shot(page, "07-public-listing-both-towns")
    page = public.go(f"/postings/{posting_id}")
    table = page.locator(".joint-participants")
    assert table.get_by_text(SHIRIUCHI).is_visible() and table.get_by_text(KIKONAI).is_visible()
    table.scroll_into_view_if_needed()
    shot(page, "08-public-posting-participants")

    # 6. The coordinator introduces a pooled person to the posting.
    page = coord.go("/prefectures/01/pool?tag=職員OB・OG")
    shot(page, "09-talent-pool")
    page = coord.go(f"/pool/entries/{entry.id}")
    page.select_option("#intro-posting_id", str(posting_id))
    page.fill("#intro-note", "町村のDX計画づくりの経験が豊富で、両町の事情にも詳しい方です。")
    page.click("form[action$='/introduce'] button[type=submit]")
    page.wait_for_url(f"**/pool/entries/{entry.id}")
    assert db.session.scalar(select(Introduction).where(
        Introduction.posting_id == posting_id)) is not None
    shot(page, "10-introduced")

    # 7. The lead town sees the introduction beside its candidates.
    page = kikonai.go(f"/postings/{posting_id}/candidates")
    intro = page.locator("section.joint-introductions")
    assert intro.get_by_text("渡辺 健一").is_visible()
    page.evaluate("document.querySelector('section.joint-introductions').scrollIntoView()")
    shot(page, "11-town-sees-introduction", full_page=False)  # the ranking below is long

    # 8. The dashboards.
    page = coord.go("/dashboards/prefecture/01")
    assert page.locator("svg[role=img]").count() >= 9
    shot(page, "12-prefecture-dashboard")
    page = mic.go("/dashboards/national")
    assert page.locator(".tilemap-svg").is_visible()
    shot(page, "13-national-dashboard")
    assert problems == []
