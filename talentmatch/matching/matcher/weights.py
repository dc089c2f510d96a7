"""PURE: how much each part of a match counts, in one place (the help page renders it).

Scores are 0–100 integers made of the components in `WEIGHTS`; a component with `parts`
splits its points between them, one without is its own single part.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from talentmatch.messages import N_


@dataclass(frozen=True)
class Component:
    """One scored component: its points out of 100, a label and an explanation (msgids),
    and how its points split between parts."""

    points: float
    label: str
    help: str
    parts: Mapping[str, float] = field(default_factory=dict)


WEIGHTS: Mapping[str, Component] = MappingProxyType(
    {
        "skills": Component(
            40,
            N_("Skills"),
            N_(
                "The posting's skills the professional has. Required skills count twice as much "
                "as preferred ones, and broad skills (DX promotion, information security, "
                "networks, cloud, staff training) count half. Synonyms, Japanese and English "
                "names and width or kana variants are the same skill."
            ),
        ),
        "focus_areas": Component(
            15,
            N_("Focus areas"),
            N_(
                "The posting's focus areas the professional works in; an area implied only by "
                "their skills counts half."
            ),
        ),
        "experience": Component(
            15,
            N_("Experience"),
            N_(
                "Skills named both in the professional's experience and in the posting's "
                "required experience and duties."
            ),
        ),
        "work_style": Component(
            20,
            N_("Work style and location"),
            N_(
                "Remote work against the professional's preference, the posting's prefectures "
                "(every participant of a joint role) against their preferred prefectures, and "
                "free days beyond what the role needs."
            ),
            MappingProxyType({"remote": 8, "location": 7, "days": 5}),
        ),
        "bonuses": Component(
            10,
            N_("Bonuses"),
            N_(
                "Public-sector experience, the posting's preferred qualifications the "
                "professional holds, and being on MIC's list of external digital talent "
                "(外部人材リスト) for the current fiscal year (2 points). A bonus only: never a "
                "condition."
            ),
            MappingProxyType({"public_sector": 4, "qualifications": 4, "talent_list": 2}),
        ),
    }
)

# Flat parts in scoring order: (component, part, points).
PARTS: tuple[tuple[str, str, float], ...] = tuple(
    (comp, part, pts)
    for comp, c in WEIGHTS.items()
    for part, pts in (c.parts.items() if c.parts else ((comp, c.points),))
)
REQUIRED_WEIGHT = 2.0
PREFERRED_WEIGHT = 1.0
# Location fit for a professional who named no prefecture: flexible, but a stated match is
# a stronger signal for an on-site role.
NO_PREFERENCE_FIT = 0.75
# Remote fit by the role's mode (rows) and the professional's preference (columns).
REMOTE_FIT = np.array(
    [
        [0.0, 0.5, 1.0],  # role on site: remote_only, hybrid, onsite_ok
        [0.5, 1.0, 1.0],  # partly remote
        [1.0, 1.0, 1.0],  # fully remote
    ],
    dtype=np.float32,
)
