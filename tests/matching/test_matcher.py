import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentmatch.matching.matcher import (
    WEIGHTS,
    MatchIndex,
    NeedData,
    PostingIndex,
    ProfileData,
    combine_needs,
)
from tests.support.matcher_strategies import needs, profiles


def profile(pid: int, **kw) -> ProfileData:
    base = {
        "display_name": f"P{pid}",
        "skills": ["情報セキュリティ"],
        "available_days": 10.0,
        "accepted_employment_types": ["special_part_time", "outsourcing"],
        "remote_preference": "hybrid",
    }
    base.update(kw)
    return ProfileData(id=pid, **base)


NEED = NeedData(
    id=100,
    required_skills=["セキュリティ", "業務改革"],
    preferred_skills=["データ分析"],
    focus_areas=["security", "bpr"],
    required_experience="自治体の情報セキュリティポリシー策定の経験",
    duties="全庁のBPRとセキュリティ対策の助言",
    employment_type="special_part_time",
    days_per_month=4,
    remote="partial",
    prefecture_codes=["01"],
    preferred_qualifications=["ITストラテジスト"],
    title="CIO補佐官",
)

EXACT = profile(
    1,
    display_name="Exact fit",
    skills=["情報セキュリティ", "BPR", "data analysis"],
    focus_areas=["security", "bpr"],
    experience="市役所で情報セキュリティポリシー策定、セキュリティ対策と業務改革を担当",
    qualifications=["ITストラテジスト試験"],
    public_sector_experience=True,
    preferred_prefectures=["01"],
)


def ids(ranking) -> list[int]:
    return [c.professional_id for c in ranking.candidates]


def test_weights_are_one_place_and_sum_to_100():
    assert sum(c.points for c in WEIGHTS.values()) == 100
    for comp in WEIGHTS.values():
        assert comp.label and comp.help
        if comp.parts:
            assert sum(comp.parts.values()) == comp.points


def test_exact_fit_ranks_first_with_a_readable_breakdown():
    others = [
        profile(2, skills=["BPR"]),
        profile(3, skills=["Python", "GIS"]),
        profile(4, skills=["情報セキュリティ", "BPR"], preferred_prefectures=["13"]),
    ]
    ranking = MatchIndex([*others, EXACT]).rank(NEED)
    assert ids(ranking)[0] == 1
    best = ranking.candidates[0]
    assert best.score == 100
    b = best.breakdown
    assert b["skills"]["matched"] == ["information_security", "bpr", "data_analysis"]
    assert b["skills"]["missing"] == []
    assert b["focus_areas"]["matched"] == ["security", "bpr"]
    assert "security_policy" in b["experience"]["matched"]
    assert b["work_style"]["location"]["matched"] == ["01"]
    assert b["bonuses"]["qualifications"]["matched"] == ["ipa_st"]
    assert b["bonuses"]["public_sector"]["value"] is True
    json.dumps(b)  # plain data
    last = ranking.candidates[-1]
    assert last.professional_id == 3
    assert last.breakdown["skills"]["missing_required"] == ["information_security", "bpr"]


@pytest.mark.parametrize(
    "tag", ["ｾｷｭﾘﾃｨ", "せきゅりてぃ", "情報セキュリティ", "Security", "SECURITY", "cybersecurity"]
)
def test_width_kana_and_synonyms_count_as_the_same_skill(tag):
    need = NeedData(id=1, required_skills=["セキュリティ"], employment_type="special_part_time")
    ranking = MatchIndex([profile(1, skills=[tag]), profile(2, skills=["BPR"])]).rank(need)
    first = ranking.candidates[0]
    assert first.professional_id == 1
    assert first.breakdown["skills"]["matched"] == ["information_security"]
    assert first.breakdown["skills"]["points"] == first.breakdown["skills"]["max"]


def test_broad_skills_count_less_than_specific_ones():
    need = NeedData(id=1, required_skills=["情報セキュリティ", "セキュリティポリシー策定"])
    ranking = MatchIndex(
        [profile(1, skills=["情報セキュリティ"]), profile(2, skills=["セキュリティポリシー"])]
    ).rank(need)
    by_id = {c.professional_id: c for c in ranking.candidates}
    assert by_id[2].score > by_id[1].score
    assert by_id[1].breakdown["skills"]["broad"] == ["information_security"]


def test_required_skills_count_more_than_preferred():
    need = NeedData(id=1, required_skills=["GIS"], preferred_skills=["Python"])
    ranking = MatchIndex([profile(1, skills=["Python"]), profile(2, skills=["GIS"])]).rank(need)
    assert ids(ranking) == [2, 1]


def test_hard_filters_exclude_with_reasons():
    people = [
        EXACT,
        profile(2, discoverable=False),
        profile(3, accepted_employment_types=["full_time_staff"]),
        profile(4, available_days=5, used_days=3),
    ]
    ranking = MatchIndex(people).rank(NEED, include_excluded=True)
    assert ids(ranking) == [1]
    assert ranking.eligible == 1
    reasons = {e.professional_id: e.reason for e in ranking.excluded}
    assert set(reasons) == {2, 3, 4}
    assert reasons[2].render() == "Has not opted in to being found by municipalities"
    assert reasons[3].render() == "Does not accept appointment as special part-time staff"
    assert reasons[4].render() == "Has 2 free days per month; the role needs 4"
    assert reasons[4].params == {"free": "2", "needed": "4"}
    ja = {
        "Has %(free)s free days per month; the role needs %(needed)s": "空きは月%(free)s日、必要なのは%(needed)s日"
    }
    assert reasons[4].render(lambda s: ja.get(s, s)) == "空きは月2日、必要なのは4日"
    assert MatchIndex(people).rank(NEED).excluded == []


def test_empty_accepted_types_means_any():
    ranking = MatchIndex([profile(1, accepted_employment_types=[])]).rank(NEED)
    assert ids(ranking) == [1]


def test_used_days_rank_by_remaining_capacity():
    people = [
        profile(1, available_days=10, used_days=5),
        profile(2, available_days=10, used_days=0),
        profile(3, available_days=10, used_days=7),
    ]
    ranking = MatchIndex(people).rank(
        NeedData(id=1, required_skills=["セキュリティ"], days_per_month=4)
    )
    assert ids(ranking) == [2, 1]
    free = [c.breakdown["work_style"]["days"]["free"] for c in ranking.candidates]
    assert free == [10.0, 5.0]
    assert ranking.candidates[0].score >= ranking.candidates[1].score


def test_joint_role_needs_summed_days_and_every_participant_location():
    a = NeedData(
        id=1,
        required_skills=["セキュリティ"],
        employment_type="special_part_time",
        days_per_month=4,
        remote="none",
        prefecture_codes=["01"],
    )
    b = NeedData(
        id=2,
        required_skills=["BPR"],
        preferred_skills=["セキュリティ"],
        employment_type="special_part_time",
        days_per_month=6,
        remote="partial",
        prefecture_codes=["02"],
    )
    joint = combine_needs([a, b])
    assert joint.days_per_month == 10
    assert joint.required_skills == ["セキュリティ", "BPR"] and joint.preferred_skills == []
    assert joint.prefecture_codes == ["01", "02"] and joint.remote == "none" and joint.id == 1
    people = [
        profile(
            1,
            skills=["セキュリティ", "BPR"],
            available_days=12,
            preferred_prefectures=["01", "02"],
            remote_preference="onsite_ok",
        ),
        profile(
            2,
            skills=["セキュリティ", "BPR"],
            available_days=12,
            preferred_prefectures=["01"],
            remote_preference="onsite_ok",
        ),
        profile(
            3,
            skills=["セキュリティ", "BPR"],
            available_days=8,
            preferred_prefectures=["01", "02"],
            remote_preference="onsite_ok",
        ),
    ]
    ranking = MatchIndex(people).rank(joint, include_excluded=True)
    assert ids(ranking) == [1, 2]
    loc = {c.professional_id: c.breakdown["work_style"]["location"] for c in ranking.candidates}
    assert loc[1]["points"] == loc[1]["max"] > 0
    assert loc[2]["points"] < loc[1]["points"] / 2
    assert loc[2]["matched"] == ["01"]
    assert [(e.professional_id, e.reason.params) for e in ranking.excluded] == [
        (3, {"free": "8", "needed": "10"})
    ]
    # Each participant alone fits the 8-day professional.
    assert 3 in ids(MatchIndex(people).rank(a))


def test_remote_preference_against_the_role():
    onsite = NeedData(id=1, required_skills=["BPR"], remote="none", prefecture_codes=["01"])
    remote = NeedData(id=2, required_skills=["BPR"], remote="full", prefecture_codes=["01"])
    people = [
        profile(
            1,
            skills=["BPR"],
            remote_preference="remote_only",
            preferred_prefectures=["13"],
            public_sector_experience=True,
        ),
        profile(
            2,
            skills=["BPR"],
            remote_preference="onsite_ok",
            preferred_prefectures=["01"],
            public_sector_experience=True,
        ),
    ]
    index = MatchIndex(people)
    assert ids(index.rank(onsite)) == [2, 1]
    full = {c.professional_id: c for c in index.rank(remote).candidates}
    assert full[1].score == full[2].score == 100
    assert full[1].breakdown["work_style"]["location"]["applicable"] is False


def test_ties_break_deterministically():
    people = [profile(i, skills=["BPR"]) for i in (5, 3, 9, 1, 7)]
    need = NeedData(id=1, required_skills=["BPR"])
    first = ids(MatchIndex(people).rank(need))
    assert first == [1, 3, 5, 7, 9]
    assert ids(MatchIndex(people).rank(need)) == first
    rng = random.Random(4)
    for _ in range(5):
        shuffled = people[:]
        rng.shuffle(shuffled)
        assert ids(MatchIndex(shuffled).rank(need)) == first
    assert ids(MatchIndex(people).rank(need, limit=2)) == [1, 3]


def test_among_restricts_to_some_professionals():
    people = [EXACT, profile(2), profile(3, skills=["BPR"])]
    ranking = MatchIndex(people).rank(NEED, among=[3, 2, 99])
    assert ids(ranking) == [2, 3] or ids(ranking) == [3, 2]
    assert 1 not in ids(ranking)


def test_upsert_and_remove_change_results():
    index = MatchIndex([profile(1, skills=["BPR"]), profile(2, skills=["Python"])])
    assert ids(index.rank(NEED)) == [1, 2]
    index.upsert(EXACT.__class__(**{**EXACT.__dict__, "id": 3}))
    assert ids(index.rank(NEED))[0] == 3
    index.upsert(profile(3, skills=["GIS"], discoverable=False))  # edited: now hidden
    ranking = index.rank(NEED, include_excluded=True)
    assert ids(ranking) == [1, 2]
    assert [e.professional_id for e in ranking.excluded] == [3]
    assert index.remove(1) and not index.remove(1)
    assert ids(index.rank(NEED)) == [2]
    assert len(index) == 2 and 3 in index and 1 not in index
    index.compact()
    assert ids(index.rank(NEED)) == [2]
    index.upsert(profile(4, skills=["業務改革", "新しい独自スキル"]))
    need = NeedData(id=9, required_skills=["新しい独自スキル"])
    ranking = index.rank(need)
    assert ids(ranking) == [4, 2]
    assert ranking.candidates[0].breakdown["skills"]["matched"] == ["新しい独自スキル"]
    assert ranking.candidates[1].breakdown["skills"]["missing"] == ["新しい独自スキル"]


def test_many_updates_compact_and_keep_the_same_answers():
    people = [
        profile(i, skills=["BPR"] if i % 2 else ["GIS"], available_days=i % 20 + 1)
        for i in range(1, 3001)
    ]
    index = MatchIndex(people)
    for i in range(1, 2001):
        index.upsert(profile(i, skills=["GIS"] if i % 2 else ["BPR"], available_days=i % 20 + 1))
    fresh = MatchIndex(
        [
            profile(i, skills=["GIS"] if i % 2 else ["BPR"], available_days=i % 20 + 1)
            for i in range(1, 2001)
        ]
        + people[2000:]
    )
    need = NeedData(id=1, required_skills=["BPR"], days_per_month=3)
    assert ids(index.rank(need, limit=100)) == ids(fresh.rank(need, limit=100))
    assert index._ids.n < 5000  # tombstones were compacted away


def test_free_skill_tags_match_exactly():
    index = MatchIndex([profile(1, skills=["議会答弁支援"]), profile(2, skills=["BPR"])])
    ranking = index.rank(NeedData(id=1, required_skills=["議会答弁 支援"]))
    assert ids(ranking)[0] == 1
    assert ranking.candidates[0].breakdown["skills"]["matched"] == ["議会答弁 支援"]


def test_unspecified_parts_are_left_out_not_counted_as_misses():
    need = NeedData(id=1, required_skills=["BPR"])
    pro = profile(1, skills=["BPR"], remote_preference="onsite_ok", public_sector_experience=True)
    best = MatchIndex([pro]).rank(need).candidates[0]
    assert best.score == 100
    # Public-sector experience is a bonus: without it the same fit scores a little less.
    plain = MatchIndex([profile(1, skills=["BPR"], remote_preference="onsite_ok")])
    assert 85 <= plain.rank(need).candidates[0].score < 100
    assert best.breakdown["focus_areas"]["applicable"] is False
    assert best.breakdown["focus_areas"]["max"] == 0


def test_breakdown_points_add_up_to_the_score():
    people = [EXACT, profile(2, skills=["BPR", "GIS"], focus_areas=["security"]), profile(3)]
    for c in MatchIndex(people).rank(NEED).candidates:
        total = sum(
            c.breakdown[k]["points"]
            for k in ("skills", "focus_areas", "experience", "work_style", "bonuses")
        )
        assert abs(total - c.score) <= 1
        assert sum(c.breakdown[k]["max"] for k in c.breakdown) == pytest.approx(100, abs=0.3)


def test_postings_for_a_professional_use_the_same_scores_and_filters():
    needs = [
        NEED,
        NeedData(
            id=101, required_skills=["GIS"], employment_type="special_part_time", days_per_month=2
        ),
        NeedData(
            id=102,
            required_skills=["セキュリティ"],
            employment_type="full_time_staff",
            days_per_month=2,
        ),
        NeedData(
            id=103,
            required_skills=["セキュリティ"],
            employment_type="outsourcing",
            days_per_month=30,
        ),
    ]
    index = PostingIndex(needs)
    recs = index.rank_for(EXACT, include_excluded=True)
    assert [p.posting_id for p in recs.postings] == [100, 101]
    assert recs.postings[0].title == "CIO補佐官"
    forward = MatchIndex([EXACT]).rank(NEED).candidates[0]
    assert recs.postings[0].score == forward.score
    assert recs.postings[0].breakdown == forward.breakdown
    reasons = {e.posting_id: e.reason.render() for e in recs.excluded}
    assert reasons == {
        102: "A full-time staff appointment, which you do not accept",
        103: "You have 10 free days per month; the role needs 30",
    }
    index.remove(100)
    index.upsert(NeedData(id=104, required_skills=["BPR"], days_per_month=1))
    assert [p.posting_id for p in index.rank_for(EXACT).postings] == [104, 101]


@settings(max_examples=60, deadline=None)
@given(st.lists(profiles(), max_size=25), needs())
def test_scores_are_integers_from_0_to_100(people, need):
    ranking = MatchIndex(people).rank(need, limit=100, include_excluded=True)
    latest = {p.id: p for p in people}
    assert len(ranking.candidates) + len(ranking.excluded) == len(latest)
    for c in ranking.candidates:
        assert isinstance(c.score, int) and 0 <= c.score <= 100
        json.dumps(c.breakdown)
        p = latest[c.professional_id]
        assert p.discoverable
        assert max(0.0, p.available_days - p.used_days) + 1e-6 >= need.days_per_month
    scores = [c.score for c in ranking.candidates]
    assert scores == sorted(scores, reverse=True)
