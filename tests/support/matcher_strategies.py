"""Hypothesis strategies for the matcher's inputs: profiles and needs with real vocabulary
tags, variants, unknown values and edge numbers."""

from hypothesis import strategies as st

from talentmatch.matching.matcher import (
    EMPLOYMENT_TYPES,
    REMOTE_MODES,
    REMOTE_PREFERENCES,
    NeedData,
    ProfileData,
)
from talentmatch.professionals.vocabulary import load_vocabulary

ALL_TAGS = [t for s in list(load_vocabulary().skills.values())[:60] for t in s.terms[:3]] + [
    "独自タグ",
    "",
]


PIDS = st.integers(1, 10_000)
NIDS = st.integers(1, 100)


def texts(tags):
    """Free text, or a sentence naming skills (what experience matching looks for)."""
    return st.one_of(
        st.text(max_size=40),
        st.lists(st.sampled_from(tags), max_size=4).map(lambda terms: "、".join(terms) + "の経験"),
    )


@st.composite
def profiles(draw, ids=PIDS, tags=ALL_TAGS):
    return ProfileData(
        id=draw(ids),
        display_name=draw(st.text(max_size=10)),
        skills=draw(st.lists(st.sampled_from(tags), max_size=15)),
        focus_areas=draw(
            st.lists(st.sampled_from(["security", "bpr", "ai_rpa", "bogus"]), max_size=3)
        ),
        experience=draw(texts(tags)),
        qualifications=draw(
            st.lists(st.sampled_from(["ITストラテジスト", "PMP", "x"]), max_size=2)
        ),
        public_sector_experience=draw(st.booleans()),
        preferred_prefectures=draw(
            st.lists(st.sampled_from(["01", "13", "47", "99", ""]), max_size=3)
        ),
        remote_preference=draw(st.sampled_from([*REMOTE_PREFERENCES, "bogus"])),
        available_days=draw(st.floats(0, 31)),
        used_days=draw(st.floats(0, 40)),
        accepted_employment_types=draw(st.lists(st.sampled_from(EMPLOYMENT_TYPES), max_size=4)),
        discoverable=draw(st.booleans()),
    )


@st.composite
def needs(draw, ids=NIDS, tags=ALL_TAGS):
    return NeedData(
        id=draw(ids),
        required_skills=draw(st.lists(st.sampled_from(tags), max_size=6)),
        preferred_skills=draw(st.lists(st.sampled_from(tags), max_size=4)),
        focus_areas=draw(st.lists(st.sampled_from(["security", "bpr", "ai_rpa"]), max_size=3)),
        required_experience=draw(texts(tags)),
        employment_type=draw(st.sampled_from([*EMPLOYMENT_TYPES, ""])),
        days_per_month=draw(st.floats(0, 20)),
        remote=draw(st.sampled_from(REMOTE_MODES)),
        prefecture_codes=draw(st.lists(st.sampled_from(["01", "13", "47"]), max_size=3)),
        preferred_qualifications=draw(
            st.lists(st.sampled_from(["ITストラテジスト", "PMP"]), max_size=2)
        ),
    )
