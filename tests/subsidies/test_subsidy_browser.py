"""Browser story: a clerk records the costs of appointing a CIO adviser, imports more from a
spreadsheet, prints the estimate and splits a joint appointment; the prefecture and MIC
look at their dashboards. Screenshots go to test-artifacts/subsidy-story/."""

from __future__ import annotations

from pathlib import Path

from tests.support.browser import browser_marks, sign_in
from tests.support.factories import make_user
from tests.support.subsidies import HAKODATE, MAKUBETSU, OTARU, SENDAI

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "subsidy-story"

pytestmark = browser_marks


def _page(browser, base, user, problems):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    return sign_in(page, base, user)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_subsidy_story(app, ctx, server, browser, add_lines, tmp_path):
    problems: list[str] = []
    add_lines(OTARU, [{"fiscal_year": 2023, "category": "outsourcing_fee", "amount": 3_600_000}])
    add_lines(MAKUBETSU, [{"fiscal_year": 2024, "category": "special_part_time_remuneration", "amount": 2_000_000}])
    add_lines(SENDAI, [{"fiscal_year": 2022, "category": "outsourcing_fee", "amount": 5_000_000}])

    clerk = make_user("municipality", municipality_code=HAKODATE, name="函館市 総務課")
    page = _page(browser, server, clerk, problems)
    page.goto(f"{server}/subsidies")
    assert page.locator(".measure-period").is_visible()
    assert "令和8年3月31日" in page.locator(".measure-period").inner_text()
    shot(page, "01-empty-page")

    # A mistake first: the amount is not a number.
    page.select_option("#category", "special_part_time_remuneration")
    page.fill("#amount", "月30万円")
    page.select_option("#fiscal_year", "2023")
    page.click("#add-line button[type=submit]")
    assert page.locator("#amount-error").is_visible()
    shot(page, "02-field-error")
    page.fill("#amount", "3,600,000")
    page.fill("#note", "CIO補佐官 報酬（令和5年度）")
    page.click("#add-line button[type=submit]")
    page.wait_for_load_state()

    csv_file = tmp_path / "経費.csv"
    csv_file.write_text("日付,年度,費目,金額,備考\n2023-06-01,,募集経費,700000,求人サイト掲載\n"
                        "2023-10-01,,募集経費,500000,スカウトサービス\n"
                        "2026-05-01,,委託料,400000,措置期間後の委託\n", encoding="utf-8")
    page.set_input_files("#file", str(csv_file))
    page.click("#import button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("tr.reason-row-capped").count() == 1
    assert page.locator("tr.reason-row-out_of_period").count() == 1
    assert "2,300,000円" in page.locator(".total-grant").inner_text()  # 1,800,000 + 350,000 + 150,000
    shot(page, "03-estimate")
    page.emulate_media(media="print")
    shot(page, "04-print")
    page.emulate_media(media="screen")

    page.goto(f"{server}/subsidies/joint")
    page.select_option("#lines-0-category", "outsourcing_fee")
    page.fill("#lines-0-amount", "2400000")
    page.select_option("#lines-0-fiscal_year", "2024")
    page.select_option("#participants-1-municipality_code", OTARU)
    page.fill("#participants-0-share", "2")
    page.fill("#participants-1-share", "1")
    page.select_option("#participants-2-municipality_code", "010006")
    page.fill("#participants-2-share", "1")
    page.click("button[value=compute]")
    page.wait_for_load_state()
    assert page.locator("#parts").is_visible()
    shot(page, "05-joint-split")

    coordinator = make_user("prefecture", prefecture_code="01", name="北海道 調整担当")
    page = _page(browser, server, coordinator, problems)
    page.goto(f"{server}/subsidies/prefecture")
    assert page.locator(".chart svg").is_visible()
    shot(page, "06-prefecture-dashboard")

    ministry = make_user("ministry", name="総務省")
    page = _page(browser, server, ministry, problems)
    page.goto(f"{server}/subsidies/national")
    assert page.locator("table.national-pref tr[data-code='04']").is_visible()
    shot(page, "07-national-dashboard")
    # Form errors answer 400 and there is no favicon; anything else (a CSP refusal, a script
    # error) is a problem.
    assert [p for p in problems if not p.startswith("Failed to load resource")] == []
