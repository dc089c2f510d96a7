"""Layout a clerk and a phone user rely on, in a real browser: no page scrolls sideways on a
390 px phone (wide tables scroll inside their own box), the header stays on one line at
1280 px for every role however many menu entries it has, and below 900 px the navigation folds
behind a menu button that opens it."""

from __future__ import annotations

import pytest

from tests.support.browser import Person, Story, browser_marks
from tests.support.factories import make_posting, make_user

pytestmark = browser_marks

SAPPORO = "011002"
PUBLIC = ("/", "/postings", "/subscribe", "/register", "/login", "/help/matching")


@pytest.fixture
def world(ctx):
    posting = make_posting(SAPPORO, title="札幌市 CIO補佐官（DX推進・情報システム標準化）",
                           employment_type="outsourcing", compensation_amount=50000,
                           compensation_unit="day")
    return {
        "posting": posting.id,
        "municipality": make_user("municipality", municipality_code=SAPPORO,
                                  name="札幌市 総務局 行政部 デジタル推進課 人事担当"),
        "prefecture": make_user("prefecture", prefecture_code="01", name="北海道 総合政策部 調整担当"),
        "ministry": make_user("ministry", name="総務省 自治行政局 デジタル人材担当"),
    }


def _width(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")


def _nav_paths(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('#site-nav a')].map(a => a.pathname)")


def test_no_page_scrolls_sideways_at_390_px(app, world, server, browser):
    story = Story("layout-390")
    visitor = Person(browser, server, story)
    visitor.context.close()
    visitor.context = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    visitor.page = visitor.context.new_page()
    wide = []
    for path in (*PUBLIC, f"/postings/{world['posting']}"):
        page = visitor.go(path)
        scroll, client = _width(page)
        if scroll > client:
            wide.append((path, scroll))
    story.shot(visitor.page, "posting")
    for role in ("municipality", "prefecture", "ministry"):
        visitor.login(world[role])
        for path in ["/home", *_nav_paths(visitor.page)]:
            page = visitor.go(path)
            scroll, client = _width(page)
            if scroll > client:
                wide.append((role, path, scroll))
        story.shot(visitor.page, role)
        visitor.context.clear_cookies()
    assert wide == []


def test_header_is_one_line_at_1280_and_a_menu_button_below_900(app, world, server, browser):
    story = Story("layout-header")
    for role in ("municipality", "prefecture", "ministry"):
        person = Person(browser, server, story)
        page = person.login(world[role])
        height = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
        assert height < 80, (role, height)  # one row: the brand's height, not two rows of links
        assert _width(page)[0] <= 1280
        everything = _nav_paths(page)
        page.click("details.nav-more:not(.nav-account) summary") if page.locator(
            "details.nav-more:not(.nav-account)").count() else None
        story.shot(page, f"{role}-1280")
        page.set_viewport_size({"width": 800, "height": 900})
        toggle = page.locator("button.menu-toggle")
        assert toggle.is_visible() and not page.locator("#site-nav").is_visible()
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true" and page.locator("#site-nav").is_visible()
        assert _nav_paths(page) == everything
        story.shot(page, f"{role}-800-menu")
        person.close()


LAYOUT_SHIFT = """new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value;
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(total), 300);
})"""


def test_a_phone_draws_the_folded_header_at_once_without_moving_the_page(app, world, server, browser):
    """At 390 px the header is drawn with its menu folded from the first paint: the page does
    not jump when the scripts arrive (a layout shift of 0.19 before), and the policy lets the
    one inline script run (no console error)."""
    context = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    shifts = {}
    for path in ("/", "/postings", f"/postings/{world['posting']}"):
        page.goto(server + path)
        shifts[path] = page.evaluate(LAYOUT_SHIFT)
        assert page.locator("button.menu-toggle").is_visible(), path
        assert not page.locator("#site-nav").is_visible(), path
    context.close()
    assert all(v < 0.05 for v in shifts.values()), shifts
    assert errors == []
