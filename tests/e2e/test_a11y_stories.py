"""The stories of the launch issue in a real browser, with axe-core on every page visited
(no serious or critical violation anywhere) and a screenshot of each step in
test-artifacts/<story>/:

- a professional registers, confirms through the link in the mail file, saves a search,
  receives the mail of a matching posting (the worker runs) and applies — in Japanese and
  in English;
- a clerk writes and submits a posting, the coordinator returns it, the clerk revises and
  resubmits, the coordinator relays it and the ministry publishes it;
- the clerk ranks the candidates of a posting and appoints one;
- the coordinator proposes a joint role.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from talentmatch.clock import today_jst
from talentmatch.extensions import db
from talentmatch.postings.models import Posting
from tests.support.browser import Person, Story, browser_marks, link_in_mail, report_axe
from tests.support.factories import PASSWORD, make_user

pytestmark = browser_marks

SAPPORO, HAKODATE = "011002", "012025"


@pytest.fixture(scope="module", autouse=True)
def _axe_figures(request):
    yield
    report_axe(request)


def _staff():
    clerk = make_user("municipality", municipality_code=SAPPORO, name="札幌市 DX担当 佐藤")
    coordinator = make_user("prefecture", prefecture_code="01", name="北海道 調整担当 高橋")
    mic = make_user("ministry", name="総務省 担当 鈴木")
    return clerk, coordinator, mic


def _publish(clerk, coordinator, mic, **overrides):
    from talentmatch.review import services as review
    from tests.support.postings import submitted

    posting = submitted(clerk, **overrides)
    review.relay(coordinator, posting.id)
    review.publish(mic, posting.id)
    return posting


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_professional_registers_subscribes_receives_mail_and_applies(app, ctx, server,
                                                                     browser, lang):
    from talentmatch.notifications.worker import run_once

    story = Story(f"a11y-professional-{lang}")
    visitor = Person(browser, server, story, locale="ja-JP" if lang == "ja" else "en-US")
    page = visitor.go("/", "home")
    if lang == "en":
        page.click("form.lang-switch button[value=en]")
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
    visitor.go("/postings", "listing")

    address = f"hanako-{lang}@example.jp"
    page = visitor.go("/register", "register")
    page.fill("[name=display_name]", "山田 花子" if lang == "ja" else "Hanako Yamada")
    page.fill("[name=email]", address)
    page.fill("[name=password]", PASSWORD)
    page.check("[name=consent]")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    story.check(page, "check-your-mail")

    run_once()  # the worker sends the confirmation mail (file backend)
    page = visitor.go(link_in_mail(app, address, r"https?://\S+/confirm/\S+"), "confirm")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    story.check(page, "confirmed")
    from talentmatch.accounts.services import find_user

    user = find_user(address)
    assert user.email_confirmed_at is not None
    visitor.login(user, label="login")
    story.check(visitor.page, "my-page")

    page = visitor.go("/subscriptions/new", "new-search")
    page.fill("[name=q]", "セキュリティ")
    page.check("input[name=frequency][value=immediately]")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    story.check(page, "saved-searches")

    clerk, coordinator, mic = _staff()
    posting = _publish(clerk, coordinator, mic, title="情報セキュリティアドバイザー",
                       required_skills="情報セキュリティ、リスク管理")
    run_once()  # the fan-out of the publication, then the mail itself
    run_once()
    link = link_in_mail(app, address, rf"https?://\S+/postings/{posting.id}\b")
    page = visitor.go(link, "posting-from-mail")
    visitor.go(f"/postings/{posting.id}/apply", "apply")
    page.fill("[name=message]", "よろしくお願いいたします。" if lang == "ja" else "I would be glad to help.")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/my/applications")
    story.check(page, "my-applications")
    assert not story.problems, "\n".join(story.problems)


def _fill_posting(page) -> None:
    today = today_jst()
    page.fill("[name=title]", "DX推進アドバイザー")
    page.check("input[name=role_type][value=project_manager]")
    page.check("input[name=employment_type][value=special_part_time]")
    page.check("input[name=joint_wish][value=none]")
    page.check("input[name=focus_areas][value=dx_strategy]")
    page.fill("[name=duties]", "DX推進計画に基づく電子申請の拡充を伴走支援します。")
    page.fill("[name=required_experience]", "ICTを活用した業務改革を担った経験")
    page.fill("[name=required_skills]", "プロジェクト管理、業務改革")
    page.fill("[name=days_per_month]", "4")
    page.check("input[name=remote][value=partial]")
    page.check("input[name=side_job_ok][value=yes]")
    page.fill("[name=compensation_amount]", "45,000")
    page.select_option("[name=compensation_unit]", "day")
    page.fill("[name=period_start]", (today + timedelta(days=70)).isoformat())
    page.fill("[name=period_end]", (today + timedelta(days=400)).isoformat())
    page.fill("[name=deadline]", (today + timedelta(days=35)).isoformat())
    page.fill("[name=how_to_apply]", "https://www.city.sapporo.example.lg.jp/recruit/dx")
    page.fill("[name=contact_department]", "デジタル戦略推進局")
    page.fill("[name=contact_email]", "dx@city.sapporo.example.lg.jp")
    page.check("input[name=publication_channels][value=job_sites]")


def _posting() -> Posting:
    db.session.expire_all()
    return db.session.scalars(select(Posting)).one()


def test_posting_written_returned_revised_relayed_and_published(app, ctx, server, browser):
    story = Story("a11y-posting-review")
    clerk, coordinator, mic = _staff()
    staff = Person(browser, server, story)
    staff.login(clerk, label="clerk-login")
    page = staff.go("/my/postings/new", "empty-template")
    # Submitting the empty template: every error at once, in a summary that takes the focus.
    page.click("button[name=action][value=submit]")
    page.locator("#error-summary").wait_for(state="visible", timeout=5000)
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'",
                           timeout=5000)
    assert page.locator("#error-summary a").count() >= 16
    story.check(page, "empty-template-every-error")
    _fill_posting(page)
    page.locator("#advice-summary").wait_for(state="attached", timeout=5000)
    story.check(page, "filled-template")
    page.click("button[name=action][value=submit]")
    page.wait_for_url("**/my/postings/*")
    story.check(page, "submitted")
    posting = _posting()

    pref = Person(browser, server, story)
    pref.login(coordinator, label="coordinator-login")
    pref.go("/review/prefecture", "prefecture-inbox")
    page = pref.go(f"/review/postings/{posting.id}", "review-detail")
    page.fill("[name=comment]", "応募方法の説明をもう少し具体的にしてください。")
    page.click(f"button[formaction$='/review/postings/{posting.id}/return']")
    page.wait_for_url("**/review/prefecture")
    story.check(page, "returned")

    page = staff.go("/my/postings", "my-postings-returned")
    page = staff.go(f"/my/postings/{posting.id}/edit", "revise")
    page.fill("[name=selection_process]", "書類選考の上、オンライン面接（1回）")
    page.click("button[name=action][value=submit]")
    page.wait_for_url(f"**/my/postings/{posting.id}")
    story.check(page, "resubmitted")

    page = pref.go(f"/review/postings/{posting.id}")
    page.click(f"button[formaction$='/review/postings/{posting.id}/relay']")
    page.wait_for_url("**/review/prefecture")
    story.check(page, "relayed")

    ministry = Person(browser, server, story)
    ministry.login(mic, label="ministry-login")
    ministry.go("/review/ministry", "ministry-inbox")
    page = ministry.go(f"/review/postings/{posting.id}", "ministry-reads")
    page.click(f"button[formaction$='/review/postings/{posting.id}/publish']")
    page.wait_for_url("**/review/ministry")
    story.check(page, "published")
    assert _posting().current_revision.state == "published"
    staff.go(f"/my/postings/{posting.id}", "timeline")
    Person(browser, server, story).go(f"/postings/{posting.id}", "public-page")
    assert not story.problems, "\n".join(story.problems)


def test_clerk_ranks_candidates_and_appoints_one(app, ctx, server, browser):
    from talentmatch.applications import services as applications
    from tests.support.matching import cloud_posting, make_pro

    story = Story("a11y-selection")
    clerk = make_user("municipality", municipality_code=HAKODATE, name="函館市 DX担当 伊藤")
    posting = cloud_posting(HAKODATE, title="DX推進アドバイザー（クラウド・BPR）", remote="full")
    best = make_pro("佐藤 花子", skills=["cloud_architecture", "bpr", "information_security"],
                    focus_areas=["bpr", "security"], available_days_per_month=8,
                    accepted_employment_types=["special_part_time"])
    make_pro("鈴木 一郎", skills=["bpr"], focus_areas=["bpr"], available_days_per_month=2)
    app_row = applications.apply(best.user, [posting.id], "クラウド移行の経験があります。")[0]
    applications.move(clerk, app_row.id, "interview")
    applications.move(clerk, app_row.id, "offered")

    staff = Person(browser, server, story)
    staff.login(clerk, label="clerk-login")
    page = staff.go(f"/postings/{posting.id}/candidates", "ranked-candidates")
    assert page.get_by_text("佐藤 花子").first.is_visible()
    staff.go(f"/postings/{posting.id}/applications", "pipeline")
    staff.go(f"/applications/{app_row.id}", "application")
    page = staff.go(f"/applications/{app_row.id}/appoint", "appoint-form")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    story.check(page, "appointed")
    db.session.expire_all()
    assert applications.load_application(clerk, app_row.id).status == "appointed"
    assert not story.problems, "\n".join(story.problems)


def test_coordinator_proposes_a_joint_role(app, ctx, server, browser):
    from talentmatch.joint.models import JointProposal

    story = Story("a11y-joint")
    coordinator = make_user("prefecture", prefecture_code="01", name="北海道 調整担当 高橋")
    make_user("municipality", municipality_code="016438", name="幕別町 担当")
    pref = Person(browser, server, story)
    pref.login(coordinator, label="coordinator-login")
    pref.go("/prefectures/01/joint", "joint-home")
    page = pref.go("/prefectures/01/joint/new", "proposal-form")
    page.fill("[name=title]", "十勝 DX推進アドバイザー（共同）")
    page.select_option("[name=lead_municipality_code]", "016438")
    page.select_option("[name=employment_type]", "special_part_time")
    page.fill("[name=days_per_month]", "4")
    page.select_option("[name=participants-0-municipality_code]", "016438")
    page.fill("[name=participants-0-share_days]", "2")
    page.select_option("[name=participants-1-municipality_code]", "016454")
    page.fill("[name=participants-1-share_days]", "2")
    page.click("main form button[type=submit]:has-text('提案を送る'), main form button[type=submit] >> nth=-1")
    page.wait_for_load_state()
    story.check(page, "proposal-sent")
    db.session.expire_all()
    assert db.session.scalars(select(JointProposal)).one().title.startswith("十勝")
    assert not story.problems, "\n".join(story.problems)
