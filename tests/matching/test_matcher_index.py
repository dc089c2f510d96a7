"""The upkeep both match indexes share (matcher/index.py): upserts, removals and compaction
leave an index answering exactly as one built afresh from what is left."""

from hypothesis import given, settings
from hypothesis import strategies as st

from talentmatch.matching.matcher import MatchIndex, NeedData, PostingIndex, ProfileData
from tests.support.matcher_strategies import ALL_TAGS, needs, profiles

# Few ids and tags, so that updates replace rows and rows share skills and experience.
IDS = st.integers(1, 12)
TAGS = ALL_TAGS[:12] + ["独自タグ", "議会答弁支援"]
PROFILES = profiles(ids=IDS, tags=TAGS)
NEEDS = needs(ids=IDS, tags=TAGS)


def _ranking(index: MatchIndex, need: NeedData):
    r = index.rank(need, limit=100, include_excluded=True)
    return (
        [(c.professional_id, c.display_name, c.score, c.breakdown) for c in r.candidates],
        [(e.professional_id, e.display_name, e.reason) for e in r.excluded],
        r.eligible,
    )


def _recommendations(index: PostingIndex, profile: ProfileData):
    r = index.rank_for(profile, limit=100, include_excluded=True)
    return (
        [(m.posting_id, m.title, m.score, m.breakdown) for m in r.postings],
        [(e.posting_id, e.title, e.reason) for e in r.excluded],
        r.eligible,
    )


def _replay(index, start, ops):
    """Apply (op, item) pairs to an index built from `start`; returns what it should hold."""
    expected = {item.id: item for item in start}
    for op, item in ops:
        if op == "upsert":
            index.upsert(item)
            expected[item.id] = item
        elif op == "remove":
            assert index.remove(item.id) == (item.id in expected)
            expected.pop(item.id, None)
        else:
            index.compact()
    assert len(index) == len(expected)
    assert all(i in index for i in expected)
    assert not any(item.id in index for _, item in ops if item.id not in expected)
    return expected


def _ops(items):
    return st.lists(
        st.tuples(st.sampled_from(["upsert", "upsert", "remove", "compact"]), items), max_size=30
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(PROFILES, max_size=12), _ops(PROFILES), NEEDS)
def test_professionals_after_updates_rank_as_a_fresh_index(start, ops, need):
    index = MatchIndex(start)
    fresh = MatchIndex(_replay(index, start, ops).values())
    assert _ranking(index, need) == _ranking(fresh, need)


@settings(max_examples=40, deadline=None)
@given(st.lists(NEEDS, max_size=12), _ops(NEEDS), PROFILES)
def test_postings_after_updates_recommend_as_a_fresh_index(start, ops, profile):
    index = PostingIndex(start)
    fresh = PostingIndex(_replay(index, start, ops).values())
    assert _recommendations(index, profile) == _recommendations(fresh, profile)


def test_removed_postings_are_compacted_away_once_they_pile_up():
    def need(i: int, skill: str) -> NeedData:
        return NeedData(id=i, required_skills=[skill], days_per_month=i % 5 + 1)

    index = PostingIndex([need(i, "BPR") for i in range(1, 3001)])
    for i in range(1, 1202):
        assert index.remove(i)
    # The 1,001st tombstone compacted the rows; the last 200 wait for the next time.
    assert len(index) == 3000 - 1201 and index._ids.n == 3000 - 1001
    for i in range(1, 1202):
        index.upsert(need(i, "GIS"))
    fresh = PostingIndex(
        [need(i, "GIS") for i in range(1, 1202)] + [need(i, "BPR") for i in range(1202, 3001)]
    )
    pro = ProfileData(id=1, display_name="P", skills=["GIS"], available_days=20)
    assert _recommendations(index, pro) == _recommendations(fresh, pro)
    assert index.memory_bytes() > 0


def test_an_upserted_row_keeps_its_tie_break_on_spare_capacity():
    def pro(pid: int, days: float) -> ProfileData:
        return ProfileData(id=pid, display_name=f"P{pid}", skills=["BPR"], available_days=days)

    need = NeedData(id=1, required_skills=["BPR"], days_per_month=1)
    index = MatchIndex([pro(1, 5)])
    index.upsert(pro(2, 10))
    ranking = index.rank(need)
    assert ranking.candidates[0].score == ranking.candidates[1].score
    assert [c.professional_id for c in ranking.candidates] == [2, 1]  # more days left over
    assert _ranking(index, need) == _ranking(MatchIndex([pro(1, 5), pro(2, 10)]), need)
