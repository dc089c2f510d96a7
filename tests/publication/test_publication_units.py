"""Pure pieces of the publication domain: filters, lexicon groups, engine, feed."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from xml.etree import ElementTree as ET

from werkzeug.datastructures import MultiDict

from talentmatch.professionals.vocabulary import load_vocabulary
from talentmatch.publication.engine import Row, Snapshot
from talentmatch.publication.feed import FeedEntry, atom
from talentmatch.publication.filters import ListingFilters, matches, parse_filters
from talentmatch.publication.jsonld import dumps_for_html
from talentmatch.publication.keywords import PlaceName, place_groups
from talentmatch.text import parse_query, search_text


def test_parse_filters_keeps_good_values_and_names_bad_ones():
    f, errors = parse_filters(MultiDict({"prefecture": "13", "remote": "full", "joint": "1",
                                         "q": " セキュリティ ", "page": "2", "per_page": "50"}))
    assert (f.prefecture, f.remote, f.joint, f.q, f.page, f.per_page) == (
        "13", "full", True, "セキュリティ", 2, 50)
    assert errors == []
    f, errors = parse_filters(MultiDict({"prefecture": "48", "side_job": "perhaps",
                                         "municipality": "131016"}),
                              municipality_exists=lambda code: False)
    assert [e.field for e in errors] == ["prefecture", "municipality", "side_job"]
    assert f == ListingFilters()
    f, _ = parse_filters(MultiDict({"q": "x" * 5000}))
    assert len(f.q) == 200


def test_query_args_round_trip():
    f = ListingFilters(prefecture="01", joint=True, q="dx", page=3)
    assert f.query_args() == {"prefecture": "01", "joint": "1", "q": "dx", "page": "3"}
    assert f.query_args(page=1, joint=False) == {"prefecture": "01", "q": "dx"}
    again, errors = parse_filters(MultiDict(f.query_args()))
    assert again == f and not errors


def test_place_groups_have_readings_and_stems():
    groups = place_groups([PlaceName("東京都", "トウキョウト", "prefecture", "Tokyo"),
                           PlaceName("北海道", "ホッカイドウ", "prefecture", "Hokkaido"),
                           PlaceName("札幌市", "サッポロシ", "designated_city"),
                           PlaceName("津市", "ツシ", "city"),
                           PlaceName("余市町", "ヨイチチョウ", "town"),
                           PlaceName("檜原村", "ヒノハラムラ", "village")])
    assert groups[0] == ["東京都", "トウキョウト", "東京", "トウキョウ", "Tokyo"]
    assert groups[1] == ["北海道", "ホッカイドウ", "Hokkaido"]
    assert groups[2] == ["札幌市", "サッポロシ", "札幌", "サッポロ"]
    assert groups[3] == ["津市", "ツシ"]  # "津" alone would match 津波
    assert groups[4] == ["余市町", "ヨイチチョウ", "余市", "ヨイチ"]
    assert groups[5] == ["檜原村", "ヒノハラムラ", "檜原", "ヒノハラ"]


def _row(i, **kw) -> Row:
    base = dict(id=i, posting_id=i, prefecture_code="13", municipality_code="131016",
                employment_type="special_part_time", focus_key="|dx_strategy|", remote="partial",
                joint_wish="none", side_job_ok=True, deadline=date(2027, 1, i % 28 + 1),
                published_at=datetime(2026, 11, 1, tzinfo=UTC), search_text="")
    base.update(kw)
    return Row(**base)


def test_engine_pages_counts_and_matches_agree():
    lexicon = load_vocabulary().lexicon()
    rows = [_row(i, remote="full" if i % 3 == 0 else "partial",
                 focus_key="|security|bpr|" if i % 4 == 0 else "|dx_strategy|",
                 search_text=search_text("情報セキュリティ" if i % 5 == 0 else "業務改革"))
            for i in range(1, 41)]
    snap = Snapshot(rows)
    kq = parse_query("セキュリティ", lexicon)
    f = ListingFilters(per_page=3, page=2)
    result = snap.search(f, kq)
    expected = [r.id for r in sorted(rows, key=lambda r: (r.deadline, -r.id))
                if matches(f, r, kq)]
    assert result.total == len(expected) == 8  # every fifth row
    assert result.ids == expected[3:6]
    assert result.counts["remote"] == {"full": 2, "partial": 6}  # 15 and 30 are remote
    assert result.counts["focus_area"]["security"] == 2  # 20 and 40
    assert result.counts["focus_area"]["dx_strategy"] == 6
    assert result.counts["focus_area"]["telework"] == 0
    narrowed = snap.search(f.with_(remote="full", page=1), kq)
    assert narrowed.total == 2 and narrowed.counts["remote"] == {"full": 2, "partial": 6}
    assert narrowed.counts["focus_area"]["security"] == 0
    assert snap.search(ListingFilters(), None).total == 40


def test_json_for_html_script_is_still_the_same_json():
    data = {"t": "</script><!-- & \u2028", "n": 1}
    text = dumps_for_html(data)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == data


def test_atom_drops_characters_xml_cannot_hold():
    entry = FeedEntry(id="urn:x:1", title="bad\x00\x07title", url="http://localhost/postings/1",
                      updated=datetime(2026, 11, 1, tzinfo=UTC), published=None, summary="s\x1b",
                      author="札幌市", categories=["セキュリティ"])
    root = ET.fromstring(atom(feed_id="urn:x", title="t", self_url="http://localhost/feed.atom",  # noqa: S314
                              alternate_url="http://localhost/postings", author="TalentMatch",
                              entries=[entry]))
    ns = "{http://www.w3.org/2005/Atom}"
    assert root.find(f"{ns}entry/{ns}title").text == "badtitle"
    assert root.find(f"{ns}updated").text == "2026-11-01T00:00:00Z"


def test_page_numbers_show_the_ends_and_the_neighbourhood():
    from talentmatch.publication.pages import page_numbers

    assert page_numbers(1, 1) == [1]
    assert page_numbers(1, 3) == [1, 2, 3]
    assert page_numbers(1, 500) == [1, 2, 3, None, 500]
    assert page_numbers(250, 500) == [1, None, 248, 249, 250, 251, 252, None, 500]
    assert page_numbers(4, 500) == [1, 2, 3, 4, 5, 6, None, 500]
    assert page_numbers(500, 500) == [1, None, 498, 499, 500]
