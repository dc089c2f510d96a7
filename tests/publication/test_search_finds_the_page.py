"""The public keyword search finds what a posting's page shows (department, location,
selection, how to apply, PR…), forgives one-character slips (セキュリテイ, CIO補左官) and
offers 「もしかして」 links when nothing matches."""

from __future__ import annotations

import re

import pytest

from tests.support.factories import make_posting

SAPPORO, HAKODATE, HACHIOJI = "011002", "012025", "132012"


@pytest.fixture
def postings(app):
    with app.app_context():
        made = {
            "policy": make_posting(
                SAPPORO, title="DX推進アドバイザー", contact_department="情報政策課",
                work_location="札幌市役所本庁舎（中央区北1条西2丁目）",
                selection_process="書類選考の後にオンライン面接を1回",
                how_to_apply="応募フォームから職務経歴書をお送りください",
                pr_text="雪まつりの街で行政のデジタル化を一緒に進めましょう",
                hours_note="週1日、10時から16時"),
            "security": make_posting(
                HAKODATE, title="情報セキュリティアドバイザー", required_skills=["情報セキュリティ"]),
            "cio": make_posting(HACHIOJI, title="CIO補佐官", contact_department="デジタル推進課"),
        }
        return {k: type("P", (), {"id": p.id})() for k, p in made.items()}


def _found(client, q: str) -> set[int]:
    data = client.get("/api/v1/postings", query_string={"q": q, "per_page": 100}).get_json()
    return {item["id"] for item in data["items"]}


@pytest.mark.parametrize("q, key", [
    ("情報政策", "policy"),           # the department
    ("情報政策課", "policy"),
    ("北1条西2丁目", "policy"),       # the place of work
    ("オンライン面接", "policy"),     # the selection
    ("職務経歴書", "policy"),         # how to apply
    ("雪まつり", "policy"),           # PR
    ("デジタル推進課", "cio"),
    ("セキュリティ", "security"),      # kana/width/synonyms kept
    ("ｾｷｭﾘﾃｨ", "security"),
    ("security", "security"),
])
def test_every_public_text_is_searched(client, postings, q, key):
    assert postings[key].id in _found(client, q), q


@pytest.mark.parametrize("q, key", [
    ("セキュリテイ", "security"),      # イ for ィ
    ("せきゅりてい", "security"),
    ("CIO補左官", "cio"),              # 左 for 佐
    ("cio補佐管", "cio"),
    ("情報制策課", "policy"),
])
def test_one_character_slips_are_forgiven(client, postings, q, key):
    assert postings[key].id in _found(client, q), q
    page = client.get("/postings", query_string={"q": q}).get_data(as_text=True)
    assert 'id="search-corrected"' in page or "search-corrected" not in page


def test_a_slip_is_said_on_the_page(client, postings):
    page = client.get("/postings", query_string={"q": "CIO補左官"}).get_data(as_text=True)
    assert 'id="search-corrected"' in page
    assert "CIO補佐官" in page


def test_nothing_found_offers_did_you_mean_links_that_find_something(client, postings):
    page = client.get("/postings", query_string={"q": "セキュリテーイ"}).get_data(as_text=True)
    box = re.search(r'<p class="did-you-mean" id="did-you-mean">(.*?)</p>', page, re.S)
    assert box, "no 「もしかして」"
    assert "もしかして" in box.group(0)
    links = re.findall(r'href="([^"]+)"', box.group(1))
    assert links
    for link in links:
        hit = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
        assert "情報セキュリティアドバイザー" in hit or "CIO補佐官" in hit, link


def test_an_unrelated_word_finds_nothing_and_widens_nothing(client, postings):
    assert _found(client, "ブロックチェーン農業") == set()
    assert _found(client, "情報") >= {postings["policy"].id, postings["security"].id}
