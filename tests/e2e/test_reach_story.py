"""Browser story: a clerk drafts an on-site posting, sees while typing how many registered
professionals its conditions reach and that allowing fully remote work would reach more
(「フルリモート可にすると約M人」), saves the draft and finds the same figures on its page,
then allows fully remote work and sees the reach grow to that figure.

Every page passes axe-core; screenshots go to test-artifacts/reach-story/. The figures are
checked against an independent count of the same world (tests/support/reach.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from talentmatch.clock import today_jst
from talentmatch.extensions import db
from talentmatch.matching.reach import rounded
from talentmatch.postings.models import Posting
from tests.support.browser import Person, Story, browser_marks, report_axe
from tests.support.factories import make_user
from tests.support.reach import build_world, expected_count

pytestmark = browser_marks

HAKODATE = "012025"


@pytest.fixture(scope="module", autouse=True)
def _axe_figures(request):
    yield
    report_axe(request)


def _fill(page) -> None:
    today = today_jst()
    page.fill("[name=title]", "DX推進アドバイザー")
    page.select_option("select[name=employment_type]", "special_part_time")
    page.check("input[name=joint_wish][value=none]")
    page.check("input[name=focus_areas][value=bpr]")
    page.fill("[name=duties]", "窓口業務の見直しと業務改革を伴走支援します。")
    page.fill("[name=required_experience]", "ICTを活用した業務改革を担った経験")
    page.fill("[name=required_skills]", "業務改革")
    page.fill("[name=days_per_month]", "４")  # typed with the IME on: full-width
    page.check("input[name=remote][value=none]")
    page.check("input[name=side_job_ok][value=yes]")
    page.fill("[name=compensation_amount]", "30,000")
    page.select_option("[name=compensation_unit]", "day")
    page.fill("[name=period_start]", (today + timedelta(days=70)).isoformat())
    page.fill("[name=period_end]", (today + timedelta(days=400)).isoformat())
    page.fill("[name=deadline]", (today + timedelta(days=35)).isoformat())


def test_clerk_sees_reach_and_a_what_if_then_allows_remote_work_and_reach_grows(
        app, ctx, server, browser):
    people = build_world()
    conditions = dict(employment_type="special_part_time", days=4.0, prefecture="01",
                      required=["業務改革"], side_job_ok=True)
    on_site = rounded(expected_count(people, remote="none", **conditions))
    remote = rounded(expected_count(people, remote="full", **conditions))
    assert on_site is not None and remote is not None and remote > on_site
    clerk = make_user("municipality", municipality_code=HAKODATE, name="函館市 DX担当 佐藤")

    story = Story("reach-story")
    person = Person(browser, server, story)
    person.login(clerk)
    page = person.go("/my/postings/new", "empty-form")
    assert page.locator("#reach-panel").is_hidden()

    # 1. While the clerk writes, the reach of the conditions appears, with the what-if.
    _fill(page)
    page.wait_for_function(
        "(t) => { const e = document.getElementById('reach-figure');"
        " return e && e.textContent.includes(t); }",
        arg=f"約{on_site}人が該当します", timeout=10_000)
    what_if = page.locator('#reach-what-if li[data-change="remote:full"]')
    assert what_if.inner_text() == f"フルリモート可にすると約{remote}人"
    page.locator("#reach-panel").scroll_into_view_if_needed()
    story.check(page, "live-reach-on-the-form")

    # 2. Saved as a draft, its page shows the same figures, rendered by the server.
    page.click("button[name=action][value=save]")
    page.wait_for_url("**/my/postings/*/edit")
    posting = db.session.scalars(select(Posting).where(Posting.municipality_code == HAKODATE)).one()
    page = person.go(f"/my/postings/{posting.id}", "draft-page-with-reach")
    assert f"約{on_site}人が該当します" in page.locator("#reach-figure").inner_text()
    assert page.locator('#reach-what-if li[data-change="remote:full"]').inner_text() == \
        f"フルリモート可にすると約{remote}人"

    # 3. The clerk allows fully remote work: the reach grows to the what-if's figure.
    page.click(f"a[href$='/my/postings/{posting.id}/edit']")
    page.wait_for_url("**/edit")
    page.check("input[name=remote][value=full]")
    page.wait_for_function(
        "(t) => { const e = document.getElementById('reach-figure');"
        " return e && e.textContent.includes(t); }",
        arg=f"約{remote}人が該当します", timeout=10_000)
    assert page.locator('#reach-what-if li[data-change="remote:full"]').count() == 0
    story.check(page, "reach-grows-with-remote-work")
    page.click("button[name=action][value=save]")
    page.wait_for_url("**/my/postings/*/edit")
    page = person.go(f"/my/postings/{posting.id}", "draft-page-after-the-change")
    assert f"約{remote}人が該当します" in page.locator("#reach-figure").inner_text()
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).current_revision.remote == "full"
    person.close()
    assert story.problems == []
