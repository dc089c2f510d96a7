"""Evidence for better postings in a real browser, with axe-core on every page (the
dashboards: no violation at all) and screenshots in test-artifacts/insights/:

- the ministry reads what draws applicants on the national dashboard, in Japanese and in
  English: a chart and the same figures as a table, small groups hidden;
- a clerk writes a posting that forbids side jobs and the form's live advice cites the
  evidence with its figures and source;
- a reader opens a posting page and its beacon counts one view; a robot's does not.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from talentmatch.extensions import db
from talentmatch.insights.models import PostingView
from tests.support.browser import Person, Story, axe_check, browser_marks, report_axe
from tests.support.factories import make_posting, make_user
from tests.support.insights import SAPPORO, build

pytestmark = browser_marks

BROWSER_UA = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/131.0 Safari/537.36")


@pytest.fixture(scope="module", autouse=True)
def _axe_figures(request):
    yield
    report_axe(request)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_ministry_reads_what_draws_applicants(app, ctx, server, browser, lang):
    build(app, yes=[3] * 12, no=[1] * 10)
    story = Story(f"insights-dashboard-{lang}")
    mic = Person(browser, server, story, locale="ja-JP" if lang == "ja" else "en-US")
    mic.login(make_user("ministry", name="総務省 担当 鈴木"))
    page = mic.go(f"/dashboards/national?lang={lang}")
    violations = axe_check(page, story.problems)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    section = page.locator("#chart-conditions")
    section.scroll_into_view_if_needed()
    hidden = "件数が少ないため非表示" if lang == "ja" else "Hidden because the number is small"
    assert section.locator("svg").count() >= 8
    section.locator("details summary").click()
    table = section.locator("table")
    assert table.is_visible()
    assert table.get_by_text(hidden).count() >= 1  # the three fully remote postings
    section.screenshot(path=str(story.dir / "conditions.png"))
    page.locator("#chart-funnel").screenshot(path=str(story.dir / "funnel.png"))
    assert not story.problems, "\n".join(story.problems)
    mic.close()


def test_clerk_sees_advice_citing_the_evidence(app, ctx, server, browser):
    build(app, yes=[3] * 12, no=[1] * 10)
    story = Story("insights-advice")
    clerk = Person(browser, server, story)
    clerk.login(make_user("municipality", municipality_code=SAPPORO, name="札幌市 DX担当 佐藤"))
    page = clerk.go("/my/postings/new")
    page.fill("#title", "CIO補佐官")
    page.check("input[name=side_job_ok][value=no]")
    advice = page.locator("[data-advice-for=side_job_ok]")
    advice.get_by_text("全国の令和", exact=False).wait_for()
    text = advice.inner_text()
    assert "中央値は3件" in text and "n=12件・10件" in text and "出典" in text
    story.check(page, "evidence-advice")
    advice.scroll_into_view_if_needed()
    page.locator("#advice-summary").screenshot(path=str(story.dir / "advice-summary.png"))
    assert not story.problems, "\n".join(story.problems)
    clerk.close()


def test_a_reader_is_counted_and_a_robot_is_not(app, ctx, server, browser):
    posting = make_posting(SAPPORO)
    for ua in (BROWSER_UA, None):  # None: headless chromium's own HeadlessChrome agent
        context = browser.new_context(**({"user_agent": ua} if ua else {}))
        page = context.new_page()
        with page.expect_response(lambda r: r.url.endswith(f"/postings/{posting.id}/view")):
            page.goto(f"{server}/postings/{posting.id}")
        assert context.cookies() == []
        context.close()
    db.session.expire_all()
    assert db.session.scalar(select(func.sum(PostingView.views))) == 1
