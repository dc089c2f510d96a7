"""Browser story: MIC staff draft a FY2026 measure, preview it against sample lines (nothing
changes for anyone yet), publish it; a municipality's estimate for FY2026, which said that no
measure was registered, now applies it. Screenshots (1280 px, and 390 px for the form, the preview and the estimate) go to
test-artifacts/measure-story/.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from talentmatch.extensions import db
from talentmatch.subsidies.models import SubsidyMeasure
from talentmatch.subsidies.services import add_line
from tests.support.browser import Person, Story
from tests.support.factories import make_user

CHROMIUM = "/usr/bin/chromium"
HAKODATE = "012025"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason="needs Debian's chromium at /usr/bin/chromium"),
]


def _on_a_phone(story: Story, page, label: str) -> None:
    """The same page at 390 px: axe, a screenshot, and no sideways scroll of the page (wide
    tables scroll inside their own box)."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(400)  # the page's resize handler waits 100 ms
    story.check(page, f"{label}-390")
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client, (label, scroll, client)
    page.set_viewport_size({"width": 1280, "height": 900})


def _submit(page, selector: str = "main form button[type=submit]") -> None:
    with page.expect_navigation(timeout=60000):
        page.click(selector)


def test_ministry_publishes_a_measure_and_the_estimate_uses_it(app, ctx, server, browser):
    story = Story("measure-story")
    mic = make_user("ministry", name="総務省 地域情報化企画室")
    clerk = make_user("municipality", municipality_code=HAKODATE, name="函館市 デジタル推進課")
    add_line(clerk, HAKODATE, {"fiscal_year": "2026", "category": "recruitment",
                               "amount": "1,200,000", "note": "民間求人サイト掲載料"})
    add_line(clerk, HAKODATE, {"fiscal_year": "2025", "category": "recruitment",
                               "amount": "400,000"})

    town = Person(browser, server, story)
    town.login(clerk)
    page = town.go("/subsidies", "municipality-before")
    assert "令和8年度の措置はTalentMatchに登録されていません。" in page.inner_text("main")
    assert page.inner_text(".total-grant") == "200,000円"  # FY2025 only

    ministry = Person(browser, server, story)
    ministry.login(mic)
    page = ministry.go("/subsidies/measures", "ministry-measures")
    page.click("text=措置の新規登録")
    page.wait_for_load_state()
    page.fill("input[name=key]", "recruitment_2026")
    page.fill("input[name=name_ja]", "外部人材の募集（令和8年度）")
    page.fill("input[name=name_en]", "Recruitment of external talent (FY2026)")
    page.fill("input[name=categories]", "recruitment")
    page.fill("input[name=rate]", "１/２")  # full-width as typed in Japanese input mode
    page.fill("input[name=cap]", "1000000")
    page.fill("input[name=first_fy]", "2026")
    page.fill("input[name=last_fy]", "2025")  # a slip, refused on the field
    for kind in ("designated_city", "city", "town", "village"):
        page.check(f"input[name=body_kinds][value={kind}]")
    page.fill("textarea[name=source]", "総務省 地域情報化企画室の入力（ストーリー用）")
    _submit(page)
    story.check(page, "ministry-draft-refused")
    _on_a_phone(story, page, "ministry-draft-refused")
    assert "最終年度は開始年度より前にできません" in page.inner_text("main")
    page.fill("input[name=last_fy]", "2026")
    _submit(page)
    assert "/preview" in page.url
    story.check(page, "ministry-preview-default")

    page.fill("input[name=municipality_code]", HAKODATE)
    page.fill("textarea[name=lines]", "2026,recruitment,1200000\n2025,recruitment,400000")
    _submit(page, "form.preview-form button[type=submit]")
    story.check(page, "ministry-preview-sample")
    _on_a_phone(story, page, "ministry-preview-sample")
    assert page.inner_text("table.preview-result .preview-total") == "700,000円"
    after = page.locator("table.preview-result .after-grant").all_inner_texts()
    before = page.locator("table.preview-result .before-grant").all_inner_texts()
    assert (after, before) == (["500,000円", "200,000円"], ["0円", "200,000円"])

    # Nothing changed for the municipality by the preview.
    page_town = town.go("/subsidies")
    assert page_town.inner_text(".total-grant") == "200,000円"

    _submit(page, "form[action$='/publish'] button[type=submit]")
    story.check(page, "ministry-published")
    assert "第1版" in page.inner_text("main")
    db.session.expire_all()
    row = db.session.scalar(select(SubsidyMeasure).where(SubsidyMeasure.key == "recruitment_2026"))
    assert (row.state, row.published_by_id, row.rate_numerator, row.rate_denominator) == (
        "published", mic.id, 1, 2)

    page_town = town.go("/subsidies", "municipality-after")
    _on_a_phone(story, page_town, "municipality-after")
    text = page_town.inner_text("main")
    assert page_town.inner_text(".total-grant") == "700,000円"
    assert "令和8年度の措置はTalentMatchに登録されていません。" not in text
    assert "外部人材の募集（令和8年度）" in text
    assert "総務省 地域情報化企画室の入力（ストーリー用）" in text  # the source, on the page
    town.close()
    ministry.close()
    assert story.problems == []
