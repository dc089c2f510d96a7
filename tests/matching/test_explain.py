"""The breakdown in words (matching/explain.py): one function per score component,
composed in the order of the weights."""

import pytest

from talentmatch.matching import explain
from talentmatch.matching.matcher import WEIGHTS, MatchIndex, NeedData, ProfileData
from talentmatch.professionals.vocabulary import load_vocabulary

VOCAB = load_vocabulary()
PREFECTURES = {"01": "北海道", "02": "青森県", "13": "東京都"}


def words(breakdown, *, required=(), lang="ja"):
    lines = explain.explain(
        breakdown,
        required_labels=list(required),
        vocabulary=VOCAB,
        prefecture_name=PREFECTURES.get,
        lang=lang,
    )
    return [(line.render(), line.tone) for line in lines]


def test_breakdown_in_words():
    vocab = load_vocabulary()
    need = NeedData(1, required_skills=["クラウド設計", "AWS", "業務改革"], preferred_skills=["RPA"],
                    focus_areas=["bpr", "ai_rpa"], required_experience="業務改革の経験",
                    employment_type="special_part_time", days_per_month=4, remote="partial",
                    prefecture_codes=["01"], preferred_qualifications=["ITストラテジスト"])
    pro = ProfileData(1, "A", skills=["クラウド設計", "BPR"], focus_areas=["bpr"],
                      experience="自治体でBPRを担当", preferred_prefectures=["01"],
                      remote_preference="remote_only", available_days=8, used_days=4,
                      public_sector_experience=True)
    cand = MatchIndex([pro], vocab).rank(need).candidates[0]
    keys, free = vocab.tag_keys(need.required_skills)
    lines = explain.explain(cand.breakdown, required_labels=[*keys, *free], vocabulary=vocab,
                            prefecture_name={"01": "北海道"}.get, lang="ja")
    text = [line.render() for line in lines]
    missing = vocab.label("cloud_aws", "ja")
    assert f"Required skills: 2 of 3 match (missing: {missing})" in text
    assert "Preferred skills: 0 of 1 match" in text
    assert "Preferred locations include 北海道" in text
    assert "4 days a month free (4 used by other appointments); the role needs 4" in text
    assert "Has public-sector experience" in text
    assert any(t.startswith("Focus areas: 1 in common") for t in text)
    assert any(t.startswith("Remote work preference differs") for t in text)
    assert [p.key for p in explain.parts(cand.breakdown)] == [
        "skills", "focus_areas", "experience", "work_style", "bonuses"]


def test_every_component_speaks_in_the_order_of_the_weights():
    need = NeedData(1, required_skills=["BPR"], focus_areas=["bpr"], days_per_month=2,
                    required_experience="業務改革の経験", prefecture_codes=["13"],
                    preferred_qualifications=["ITストラテジスト"])
    pro = ProfileData(1, "A", skills=["BPR"], focus_areas=["bpr"], experience="業務改革を担当",
                      preferred_prefectures=["13"], available_days=10, remote_preference="onsite_ok",
                      public_sector_experience=True, qualifications=["ITストラテジスト"])
    breakdown = MatchIndex([pro], VOCAB).rank(need).candidates[0].breakdown
    bpr = VOCAB.label("bpr", "ja")
    assert list(WEIGHTS) == ["skills", "focus_areas", "experience", "work_style", "bonuses"]
    assert words(breakdown, required=["bpr"]) == [
        ("Required skills: 1 of 1 match", explain.GOOD),
        (f"Focus areas: 1 in common ({explain.focus_label('bpr')})", explain.GOOD),
        (f"Experience mentions {bpr}", explain.GOOD),
        ("Remote work preference matches (on site role)", explain.GOOD),
        ("Preferred locations include 東京都", explain.GOOD),
        ("10 days a month free; the role needs 2", explain.GOOD),
        ("Has public-sector experience", explain.GOOD),
        (f"Holds preferred qualifications: {VOCAB.label('ipa_st', 'ja')}", explain.GOOD),
    ]


def test_components_the_posting_leaves_open_say_nothing():
    assert words({}) == []
    assert words({"skills": {"applicable": False, "matched": ["bpr"]}}) == []
    assert words({"bonuses": {"public_sector": {"value": True}}}) == [
        ("Has public-sector experience", explain.GOOD)]


@pytest.mark.parametrize(("matched", "no_preference", "expected"), [
    (["01", "02"], False, ("Preferred locations include 北海道、青森県", explain.GOOD)),
    (["02"], False, ("Preferred locations include 青森県 but not 北海道", explain.PARTIAL)),
    ([], False, ("Preferred locations do not include 北海道、青森県", explain.WEAK)),
    ([], True, ("No preferred prefecture given (open to any location)", explain.PARTIAL)),
])
def test_location_for_a_joint_role_names_every_participant(matched, no_preference, expected):
    location = {"applicable": True, "role_prefectures": ["01", "02"], "matched": matched,
                "no_preference": no_preference}
    assert words({"work_style": {"location": location}}) == [expected]


def test_skills_split_required_from_preferred_in_the_readers_language():
    skills = {"applicable": True, "matched": ["bpr", "gis"], "missing": ["rpa"],
              "missing_required": []}
    en = words({"skills": skills}, required=["bpr"], lang="en")
    gis, rpa = VOCAB.label("gis", "en"), VOCAB.label("rpa", "en")
    assert en == [
        ("Required skills: 1 of 1 match", explain.GOOD),
        (f"Preferred skills: 1 of 2 match ({gis})", explain.PARTIAL),
    ]
    assert rpa not in en[1][0]


def test_days_and_qualifications_when_short():
    breakdown = {
        "work_style": {"days": {"applicable": True, "free": 2.5, "used": 0, "needed": 4}},
        "bonuses": {"qualifications": {"applicable": True, "matched": [], "missing": ["ipa_st"]}},
    }
    st = VOCAB.label("ipa_st", "ja")
    assert words(breakdown) == [
        ("2.5 days a month free; the role needs 4", explain.WEAK),
        (f"Does not hold the preferred qualifications ({st}); this is only a bonus", explain.INFO),
    ]


def test_marks_read_right_none_matched_is_weak_and_a_finding_is_never_a_cross():
    skills = {"applicable": True, "matched": [], "missing": ["gis", "rpa"], "missing_required": []}
    assert words({"skills": skills}, lang="en") == [("Preferred skills: 0 of 2 match", explain.WEAK)]
    # experience mentions one of many asked-for skills: few points, but what was found is no ×
    experience = {"applicable": True, "matched": ["bpr"], "points": 1, "max": 10}
    (text, tone), = words({"experience": experience}, lang="en")
    assert text.startswith("Experience mentions") and tone == explain.PARTIAL
    areas = {"applicable": True, "matched": ["dx_planning"], "via_skills": [], "points": 1, "max": 10}
    assert [tone for _, tone in words({"focus_areas": areas}, lang="en")] == [explain.PARTIAL]
