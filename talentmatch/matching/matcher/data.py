"""PURE: the matcher's plain inputs (services turn database rows into these) and results.

`ProfileData` is one professional, `NeedData` one posting's need (or a joint role's, made
by `combine_needs`); rankings come back as `Ranking` / `Recommendations` of plain values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from talentmatch import vocab
from talentmatch.messages import Msg

# The values the matcher's bit tables and codes are built from (talentmatch.vocab).
EMPLOYMENT_TYPES = vocab.values(vocab.EMPLOYMENT_TYPES)
REMOTE_MODES = vocab.values(vocab.REMOTE_OPTIONS)  # in order: least remote first
REMOTE_PREFERENCES = vocab.values(vocab.REMOTE_PREFERENCES)
FOCUS_KEYS = vocab.values(vocab.FOCUS_AREAS)
PREF_CODES = vocab.PREFECTURE_CODES


def pref_code(code: object) -> str | None:
    """'01'..'47' from a 2-digit prefecture code (or a 6-digit municipality code)."""
    text = str(code or "").strip()
    if text.isdigit() and len(text) in (1, 2, 5, 6):
        value = int(text[:2]) if len(text) >= 5 else int(text)
        if 1 <= value <= 47:
            return f"{value:02d}"
    return None


# --------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------
@dataclass
class ProfileData:
    id: int
    display_name: str
    skills: Sequence[str] = ()  # raw tags or skill keys
    focus_areas: Sequence[str] = ()
    experience: str = ""
    qualifications: Sequence[str] = ()  # names or keys
    public_sector_experience: bool = False
    preferred_prefectures: Sequence[str] = ()  # 2-digit codes
    remote_preference: str = "hybrid"
    available_days: float = 0.0
    used_days: float = 0.0  # days already taken by current appointments (兼務)
    accepted_employment_types: Sequence[str] = ()  # empty: any
    discoverable: bool = True
    # On MIC's 外部人材リスト for the current fiscal year (a small bonus, never a condition).
    talent_listed: bool = False
    # Skill keys already extracted from `experience` (e.g. stored when the profile was
    # saved); skips the extraction when an index is built.
    experience_keys: Sequence[str] | None = None


@dataclass
class NeedData:
    id: int
    required_skills: Sequence[str] = ()
    preferred_skills: Sequence[str] = ()
    focus_areas: Sequence[str] = ()
    required_experience: str = ""
    duties: str = ""
    employment_type: str = ""
    days_per_month: float = 0.0
    remote: str = "none"
    prefecture_codes: Sequence[str] = ()  # one for a posting, every participant's for a joint role
    preferred_qualifications: Sequence[str] = ()
    title: str = ""


def combine_needs(needs: Sequence[NeedData]) -> NeedData:
    """One need for a joint appointment: the union of the participants' skills, focus areas
    and qualifications, the sum of their days, every participant's prefecture (location fit
    must hold for all of them) and the least remote mode (someone must be on site wherever
    a participant wants it). The first need is the lead: its id and employment type."""
    if not needs:
        raise ValueError("combine_needs needs at least one need")
    lead = needs[0]

    def union(values: Iterable[Iterable[str]]) -> list[str]:
        out: list[str] = []
        for vs in values:
            out.extend(v for v in vs if v not in out)
        return out

    required = union(n.required_skills for n in needs)
    preferred = [s for s in union(n.preferred_skills for n in needs) if s not in required]
    modes = [n.remote if n.remote in REMOTE_MODES else "none" for n in needs]
    return NeedData(
        id=lead.id,
        required_skills=required,
        preferred_skills=preferred,
        focus_areas=union(n.focus_areas for n in needs),
        required_experience="\n".join(
            n.required_experience for n in needs if n.required_experience
        ),
        duties="\n".join(n.duties for n in needs if n.duties),
        employment_type=lead.employment_type,
        days_per_month=float(sum(n.days_per_month or 0 for n in needs)),
        remote=min(modes, key=REMOTE_MODES.index),
        prefecture_codes=union(
            [pref_code(c)] for n in needs for c in n.prefecture_codes if pref_code(c)
        ),
        preferred_qualifications=union(n.preferred_qualifications for n in needs),
        title=" / ".join(n.title for n in needs if n.title),
    )


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    professional_id: int
    display_name: str
    score: int
    breakdown: dict[str, Any]


@dataclass(frozen=True)
class Excluded:
    professional_id: int
    display_name: str
    reason: Msg


@dataclass(frozen=True)
class Ranking:
    candidates: list[Candidate]
    excluded: list[Excluded]
    eligible: int  # how many passed the hard filters


@dataclass(frozen=True)
class PostingMatch:
    posting_id: int
    title: str
    score: int
    breakdown: dict[str, Any]


@dataclass(frozen=True)
class ExcludedPosting:
    posting_id: int
    title: str
    reason: Msg


@dataclass(frozen=True)
class Recommendations:
    postings: list[PostingMatch]
    excluded: list[ExcludedPosting]
    eligible: int


def days_text(value: float | None) -> str:
    """Days as a reader writes them: 4, 4.5 (nothing given: 0)."""
    value = float(value or 0)
    return str(int(value)) if value.is_integer() else f"{value:.1f}"
