"""Posting pages, JSON-LD, the home page and what the public may never see."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from html import unescape
from io import BytesIO

import pytest
from openpyxl import load_workbook

from talentmatch.extensions import db
from talentmatch.review.models import ReviewEvent
from tests.support.factories import add_revision, make_posting
from tests.support.jsonld import expanded_job_posting

SAPPORO, CHIYODA, NAHA = "011002", "131016", "472018"
SECRET = "INTERNAL-REVIEW-NOTE-7f3a"


def json_ld(html: str) -> dict | None:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) <= 1
    return json.loads(found[0]) if found else None


def visible_text(html: str) -> str:
    body = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def hidden(app):
    """Postings in every state the public must not see, and review comments."""
    with app.app_context():
        public = make_posting(SAPPORO, title="公開中の求人")
        add_revision(public, state="submitted", title=f"改訂案{SECRET}")
        db.session.add(ReviewEvent(posting_id=public.id, revision_id=public.published_revision_id,
                                   actor_role="prefecture", action="return", from_state="submitted",
                                   to_state="returned", comment=SECRET))
        others = {state: make_posting(CHIYODA, state=state, title=f"{state}の求人{SECRET}").id
                  for state in ("draft", "submitted", "returned", "relayed", "withdrawn")}
        closed = make_posting(NAHA, state="closed", title=f"終了した求人{SECRET}")
        db.session.commit()
        yield {"public": public.id, "closed": closed.id, **others}


def test_nothing_hidden_reaches_any_public_output(client, hidden):
    urls = ["/", "/postings", "/postings?q=求人", f"/postings/{hidden['public']}", "/postings.csv",
            "/feed.atom", "/feed.atom?q=求人", "/api/v1/postings", f"/api/v1/postings/{hidden['public']}"]
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200, url
        body = resp.get_data(as_text=True)
        assert SECRET not in body, url
        for state in ("draft", "submitted", "returned", "relayed", "withdrawn"):
            assert f"{state}の求人" not in body, (url, state)
        if url != f"/postings/{hidden['public']}":
            assert "終了した求人" not in body, url
    wb = load_workbook(BytesIO(client.get("/postings.xlsx").data))
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not any(SECRET in c for c in cells)
    assert any("公開中の求人" in c for c in cells)


def test_unpublished_and_withdrawn_postings_are_not_found(client, hidden):
    for state in ("draft", "submitted", "returned", "relayed", "withdrawn"):
        assert client.get(f"/postings/{hidden[state]}").status_code == 404, state
        resp = client.get(f"/api/v1/postings/{hidden[state]}")
        assert resp.status_code == 404 and resp.get_json()["error"]["status"] == 404
    assert client.get("/postings/999999").status_code == 404


def test_closed_posting_keeps_its_page_with_a_notice_and_no_markup(client, hidden):
    resp = client.get(f"/postings/{hidden['closed']}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "This posting is closed" in html or "この募集は終了しました" in html
    assert json_ld(html) is None
    assert SECRET in html  # its own (public) title, shown for reference
    assert 'href="https://www.city.example.lg.jp/recruit"' not in html  # no way to apply
    assert client.get(f"/api/v1/postings/{hidden['closed']}").status_code == 404


def test_a_published_posting_shows_its_published_revision_not_the_edit_in_progress(client, hidden):
    html = client.get(f"/postings/{hidden['public']}").get_data(as_text=True)
    assert "公開中の求人" in html
    assert "改訂案" not in html


@pytest.fixture
def full_posting(app):
    with app.app_context():
        p = make_posting(
            SAPPORO, title="CIO補佐官（デジタル戦略）", employment_type="outsourcing",
            remote="full", compensation_amount=350000, compensation_unit="month",
            deadline=date.today() + timedelta(days=25), hours_note="月4日、日程は相談",
            duties="全庁のDX推進を統括し、<b>計画</b>の策定を支援します。\n二行目です。",
            required_experience="ICTを活用した業務改革を担った経験",
            dx_policy_status="adopted", dx_organization="市長を本部長とするDX推進本部",
            cio_title="副市長", pr_text="一緒に札幌のDXを進めましょう。",
            title_en="CIO adviser (digital strategy)", summary_en="Lead Sapporo's DX plan.")
        yield p.id


def test_posting_page_shows_everything_needed_to_decide(client, full_posting):
    html = client.get(f"/postings/{full_posting}").get_data(as_text=True)
    text = visible_text(html)
    for expected in ("CIO補佐官（デジタル戦略）", "北海道 札幌市", "350,000円", "ICTを活用した業務改革を担った経験",
                     "市長を本部長とするDX推進本部", "副市長", "dx@city.example.lg.jp", "03-1234-5678",
                     "デジタル推進課", "一緒に札幌のDXを進めましょう。", "令和", "月4日、日程は相談"):
        assert expected in text, expected
    # Stored text is escaped, never markup; line breaks are kept by CSS.
    assert "&lt;b&gt;計画&lt;/b&gt;" in html and "<b>計画</b>" not in html
    assert '<a href="https://www.city.example.lg.jp/recruit" rel="noopener noreferrer nofollow">' in html
    assert 'href="mailto:dx@city.example.lg.jp"' in html


def test_how_to_apply_links_only_http_and_https(client, app):
    with app.app_context():
        bad = make_posting(SAPPORO, how_to_apply="javascript:alert(1)").id
        text = make_posting(SAPPORO, how_to_apply="郵送で履歴書を送ってください https://x.example").id
    html = client.get(f"/postings/{bad}").get_data(as_text=True)
    assert 'href="javascript' not in html and "javascript:alert(1)" in html
    html = client.get(f"/postings/{text}").get_data(as_text=True)
    assert 'href="https://x.example"' not in html


def test_json_ld_has_the_required_properties_and_matches_the_page(client, full_posting):
    html = client.get(f"/postings/{full_posting}").get_data(as_text=True)
    data = json_ld(html)
    assert data["@type"] == "JobPosting" and data["@context"].startswith("https://schema.org")
    for key in ("title", "description", "datePosted", "hiringOrganization", "jobLocation",
                "validThrough", "employmentType", "baseSalary", "identifier"):
        assert key in data, key
    assert data["employmentType"] == "CONTRACTOR"
    assert data["baseSalary"] == {"@type": "MonetaryAmount", "currency": "JPY", "value": {
        "@type": "QuantitativeValue", "value": 350000, "unitText": "MONTH"}}
    assert data["jobLocation"]["address"] == {
        "@type": "PostalAddress", "addressRegion": "北海道", "addressLocality": "札幌市",
        "addressCountry": "JP"}
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "JP"}
    assert data["identifier"]["value"] == str(full_posting)
    deadline = date.today() + timedelta(days=25)
    assert data["validThrough"].startswith(deadline.isoformat())
    # Everything in the markup is visible on the page.
    text = visible_text(html)
    assert data["title"] in text
    # The description is the whole page's content as HTML: every piece of its text is shown.
    assert data["description"].startswith("<h2>") and "<dt>" in data["description"]
    for piece in re.split(r"<[^>]+>", unescape(data["description"])):
        assert piece.strip() in text, piece
    assert data["directApply"] is True
    assert data["hiringOrganization"]["name"] in text
    assert f"{deadline.year}年{deadline.month}月{deadline.day}日" in text
    posted = date.fromisoformat(data["datePosted"])
    assert f"{posted.year}年{posted.month}月{posted.day}日" in text
    assert "350,000円" in text and data["workHours"] in text
    # What a JSON-LD processor reads (pyld): every property is a schema.org term.
    node = expanded_job_posting(html)
    for key in ("title", "description", "datePosted", "hiringOrganization", "jobLocation",
                "validThrough", "employmentType", "baseSalary", "identifier", "directApply"):
        assert f"https://schema.org/{key}" in node, key
    assert node["https://schema.org/directApply"] == [{"@value": True}]
    salary = node["https://schema.org/baseSalary"][0]["https://schema.org/value"][0]
    assert salary["https://schema.org/unitText"] == [{"@value": "MONTH"}]


@pytest.mark.parametrize("employment,unit,remote,expect_type,expect_unit", [
    ("full_time_staff", "year", "none", "FULL_TIME", "YEAR"),
    ("special_part_time", "day", "partial", "PART_TIME", "DAY"),
    ("fiscal_year_appointee", "hour", "none", "PART_TIME", "HOUR"),
    ("outsourcing", "contract", "partial", "CONTRACTOR", None),
])
def test_json_ld_mappings(client, app, employment, unit, remote, expect_type, expect_unit):
    with app.app_context():
        pid = make_posting(SAPPORO, employment_type=employment, compensation_unit=unit,
                           remote=remote).id
    data = json_ld(client.get(f"/postings/{pid}").get_data(as_text=True))
    assert data["employmentType"] == expect_type
    if expect_unit is None:
        # A whole-contract amount has no schema.org unit: the page's words say what it is.
        value = data["baseSalary"]["value"]
        assert "unitText" not in value and value["description"] == "契約額"
        assert value["description"] in visible_text(client.get(f"/postings/{pid}").get_data(as_text=True))
    else:
        assert data["baseSalary"]["value"]["unitText"] == expect_unit
    assert "jobLocationType" not in data and "applicantLocationRequirements" not in data


def test_json_ld_cannot_break_out_of_its_script_element(client, app):
    title = '</script><script>alert("x")</script> & <!--'
    with app.app_context():
        pid = make_posting(SAPPORO, title=title).id
    html = client.get(f"/postings/{pid}").get_data(as_text=True)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["title"] == title
    assert '<script>alert("x")</script>' not in html


def test_english_readers_see_the_english_title_and_summary(client, full_posting):
    client.set_cookie("tm_lang", "en")
    html = client.get(f"/postings/{full_posting}").get_data(as_text=True)
    assert "<h1" in html and "CIO adviser (digital strategy)" in html
    assert "Lead Sapporo&#39;s DX plan." in html
    data = json_ld(html)
    assert data["title"] == "CIO adviser (digital strategy)"
    assert data["description"].startswith("<h2>Summary</h2><dl><dt>Summary in English</dt><dd>Lead Sapporo&#x27;s DX plan.</dd>")
    assert data["jobLocation"]["address"]["addressRegion"] == "Hokkaido"
    listing = client.get("/postings").get_data(as_text=True)
    assert "CIO adviser (digital strategy)" in listing


def test_home_page_has_latest_postings_counts_and_an_accessible_tile_map(client, app):
    with app.app_context():
        for _ in range(3):
            make_posting(SAPPORO)
        make_posting(CHIYODA, title="最新の求人", remote="full")
        make_posting(CHIYODA, state="draft", title="下書き")
    html = client.get("/").get_data(as_text=True)
    assert "最新の求人" in html and "下書き" not in html
    tiles = re.findall(r'<a href="/postings\?prefecture=(\d\d)" aria-label="([^"]+)" '
                       r'class="tm-tile tm-l(\d)"', html)
    assert len(tiles) == 47
    by_code = {code: (label, int(level)) for code, label, level in tiles}
    assert "3" in by_code["01"][0] and "北海道" in by_code["01"][0]
    assert "1" in by_code["13"][0] and "東京都" in by_code["13"][0]
    assert by_code["02"][1] == 0 and by_code["01"][1] > by_code["13"][1] > 0
    titles = re.findall(r"<title>([^<]+)</title>", html)
    assert any("北海道" in t and "3" in t for t in titles)
    assert 'class="tilemap-legend"' in html
    assert re.search(r"<strong>4</strong>", html)  # open postings
    assert re.search(r"<strong>2</strong>", html)  # municipalities recruiting


def test_public_pages_need_no_login_and_are_in_the_navigation(client):
    for url in ("/", "/postings", "/postings.csv", "/postings.xlsx", "/feed.atom",
                "/api/v1/postings", "/api/v1/openapi.json"):
        assert client.get(url).status_code == 200, url
    assert 'href="/postings"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("employment,pay,period", [
    ("full_time_staff", "給料・給与", "任用期間（開始）"),
    ("fiscal_year_appointee", "報酬", "任用期間（開始）"),
    ("outsourcing", "委託料・契約金額", "契約（履行）期間（開始）"),
])
def test_pay_and_period_are_named_as_the_form_of_employment_names_them(client, app, employment, pay, period):
    with app.app_context():
        posting = make_posting("011002", employment_type=employment, compensation_amount=300000,
                               compensation_unit="month", period_start=date(2027, 4, 1),
                               period_end=date(2028, 3, 31))
        pid = posting.id
    page = visible_text(client.get(f"/postings/{pid}").get_data(as_text=True))
    assert pay in page and period in page
    others = {"給料・給与", "報酬", "委託料・契約金額"} - {pay}
    assert not any(f"{word}\n月額" in page or f"{word} 月額" in page for word in others)
    listing = visible_text(client.get("/postings").get_data(as_text=True))
    assert pay in listing
    # The section's heading fits every form alike: no 報酬 above a salary or a contract fee,
    # no 任用期間 above a contract's period.
    html = client.get(f"/postings/{pid}").get_data(as_text=True)
    headings = [visible_text(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]
    assert "金額と期間" in headings, headings
    assert not any(word in h for h in headings for word in (*others, "任用期間", "契約期間")), headings


def test_the_municipalitys_staff_find_candidates_and_applicants_from_the_posting_page(app, ctx):
    from tests.support.factories import login, make_user

    posting = make_posting("011002", title="札幌市 CIO補佐官")
    pid = posting.id
    own = make_user("municipality", municipality_code="011002")
    other = make_user("municipality", municipality_code="012025")
    links = (f'href="/postings/{pid}/candidates"', f'href="/postings/{pid}/applications"')
    anonymous = app.test_client().get(f"/postings/{pid}").get_data(as_text=True)
    assert not any(link in anonymous for link in links)
    for user, expected in ((own, True), (other, False)):
        staff = app.test_client()
        login(staff, user)
        page = staff.get(f"/postings/{pid}")
        assert "private" in page.headers["Cache-Control"]
        assert all((link in page.get_data(as_text=True)) is expected for link in links)
        detail = staff.get(f"/my/postings/{pid}")
        if expected:
            assert all(link in detail.get_data(as_text=True) for link in links)


def test_the_posting_badges_show_for_everyone_and_staff_with_waiting_work_get_the_page(app, ctx):
    # The header's inbox counts once took the page's `badges` name: the badges vanished for
    # everybody, and staff with something waiting got an error instead of the posting.
    from tests.support.factories import login, make_user

    pid = make_posting("011002", employment_type="fixed_term_staff", remote="full").id
    make_posting("011002", "relayed")  # waits for MIC: the ministry's header counts it
    db.session.commit()

    def badges(client) -> str:
        resp = client.get(f"/postings/{pid}")
        assert resp.status_code == 200
        return re.search(r'<p class="posting-badges">(.*?)</p>', resp.get_data(as_text=True), re.S).group(1)

    mic = app.test_client()
    login(mic, make_user("ministry"))
    assert "nav-badge" in mic.get("/home").get_data(as_text=True)
    for client in (app.test_client(), mic):
        shown = badges(client)
        assert "任期付職員" in shown and "フルリモート可" in shown, shown
