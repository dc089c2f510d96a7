"""The pure saved-search matcher: one rule, per search and vectorised."""

from __future__ import annotations

import random

from talentmatch.subscriptions.matching import (
    EMPLOYMENT_BITS,
    FOCUS_BITS,
    Columns,
    PostingFacts,
    SearchFilters,
    describe,
    match_columns,
    matches,
)

POSTING = PostingFacts(
    posting_id=1, revision_id=2, prefecture_code="01", municipality_code="011002",
    employment_type="special_part_time", focus_areas=frozenset({"security", "bpr"}),
    remote="partial", joint=False, side_job=True, search_text="cio補佐官\n情報セキュリティ\n札幌市")


def keyword(q: str) -> bool:
    return all(word in POSTING.search_text for word in q.lower().split())


def test_each_filter_narrows_like_the_listing():
    assert matches(SearchFilters(), POSTING, keyword)
    cases = [
        (SearchFilters(prefectures=("01", "13")), True),
        (SearchFilters(prefectures=("13",)), False),
        (SearchFilters(municipality="011002"), True),
        (SearchFilters(municipality="012025"), False),
        (SearchFilters(employment_types=("outsourcing", "special_part_time")), True),
        (SearchFilters(employment_types=("outsourcing",)), False),
        (SearchFilters(focus_areas=("ai_rpa", "bpr")), True),
        (SearchFilters(focus_areas=("ai_rpa",)), False),
        (SearchFilters(remote="partial"), True),
        (SearchFilters(remote="full"), False),  # the same equality as the listing's filter
        (SearchFilters(joint=True), False),
        (SearchFilters(side_job=True), True),
        (SearchFilters(q="セキュリティ"), True),
        (SearchFilters(q="クラウド"), False),
        (SearchFilters(q="   "), True),
    ]
    for f, expected in cases:
        assert matches(f, POSTING, keyword) is expected, f


def test_vectorised_matcher_agrees_with_the_single_one():
    rng = random.Random(3)
    prefs = ["01", "04", "13"]
    searches = []
    for _ in range(400):
        searches.append(SearchFilters(
            prefectures=tuple(rng.sample(prefs, rng.randint(0, 2))),
            municipality=rng.choice([None, None, "011002", "012025"]),
            employment_types=tuple(rng.sample(list(EMPLOYMENT_BITS), rng.randint(0, 2))),
            focus_areas=tuple(rng.sample(list(FOCUS_BITS), rng.randint(0, 2))),
            remote=rng.choice([None, None, "partial", "full", "none"]),
            joint=rng.random() < 0.1, side_job=rng.random() < 0.3,
            q=rng.choice(["", "", "セキュリティ", "クラウド", "札幌 セキュリティ"])))
    for posting in (POSTING, PostingFacts(
            posting_id=3, revision_id=4, prefecture_code="13", municipality_code="131016",
            employment_type=None, focus_areas=frozenset(), remote=None, joint=True,
            side_job=False, search_text="クラウド")):
        calls: list[str] = []

        def check(q: str, p=posting, calls=calls) -> bool:
            calls.append(q)
            return all(w in p.search_text for w in q.lower().split())

        ok = match_columns(posting, Columns(
            prefecture_mask=[s.prefecture_mask for s in searches],
            municipality=[s.municipality for s in searches],
            employment_mask=[s.employment_mask for s in searches],
            focus_mask=[s.focus_mask for s in searches],
            remote=[s.remote for s in searches], joint=[s.joint for s in searches],
            side_job=[s.side_job for s in searches], q=[s.q for s in searches]), check)
        assert len(calls) == len(set(calls))  # each distinct keyword query checked once
        assert list(ok) == [matches(s, posting, check) for s in searches]
    assert len(match_columns(POSTING, Columns(*([],) * 8), keyword)) == 0


def test_bit_positions_are_stable_and_cover_every_choice():
    from talentmatch.postings.template.fields import CHOICES

    assert set(EMPLOYMENT_BITS) == {c.value for c in CHOICES["employment_type"]}
    assert set(FOCUS_BITS) == {c.value for c in CHOICES["focus_areas"]}
    for bits in (EMPLOYMENT_BITS, FOCUS_BITS):
        assert sorted(bits.values()) == list(range(len(bits)))
    assert SearchFilters(prefectures=("47",)).prefecture_mask == 1 << 46


def test_stored_bit_positions_never_move():
    """Saved searches store these masks: the vocabulary may append values, never reorder."""
    assert EMPLOYMENT_BITS == {
        "full_time_staff": 0, "special_part_time": 1, "fiscal_year_appointee": 2,
        "outsourcing": 3,
    }
    assert FOCUS_BITS == {
        "standardization": 0, "my_number_card": 1, "online_procedures": 2, "ai_rpa": 3,
        "telework": 4, "security": 5, "dx_strategy": 6, "organization": 7,
        "talent_development": 8, "bpr": 9, "data_utilization": 10,
        "regional_digitalization": 11, "digital_divide": 12,
    }


def test_a_search_in_words_and_as_listing_parameters():
    f = SearchFilters(prefectures=("01",), employment_types=("outsourcing",), side_job=True,
                      q="RPA")
    parts = describe(f, prefecture_name=lambda c: {"01": "北海道"}[c],
                     municipality_name=lambda c: c, choice_label=lambda field, v: f"{field}:{v}")
    rendered = [(p.label, [str(v) for v in p.values]) for p in parts]
    assert rendered == [("Prefectures", ["北海道"]), ("Employment types", ["employment_type:outsourcing"]),
                        ("Only", ["Side jobs allowed"]), ("Keywords", ["RPA"])]
    assert f.listing_args() == {"prefecture": "01", "employment_type": "outsourcing",
                                "side_job": "1", "q": "RPA"}
    assert SearchFilters(prefectures=("01", "13")).listing_args() is None
    assert [p.label for p in describe(SearchFilters(), prefecture_name=str,
                                      municipality_name=str, choice_label=lambda a, b: b)] == [
        "All new and updated postings"]
