"""PURE: what draws applicants — published postings grouped by each condition, with the
figures a municipality can act on, the suppression that keeps them from revealing a person,
and the comparison behind the posting form's evidence-based advice (DESIGN §3).

Every count a group shows (postings, applications) is at least ``MIN_GROUP``; a group below
it is returned with ``suppressed=True`` and no figures, whoever reads it (public open data,
staff dashboards, the command line). The same threshold hides small counts of a posting's
funnel (``funnel_value``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

MIN_GROUP = 5  # no count below this leaves the service: fewer could point at a person
EVIDENCE_MIN_POSTINGS = 10  # advice compares only groups this large …
EVIDENCE_MIN_RATIO = 1.5  # … whose medians differ by this factor …
EVIDENCE_MIN_DIFFERENCE = 1.0  # … and by at least one application

HOURS_PER_DAY = 8  # an hourly rate becomes a day's pay at 8 hours

CONDITIONS: tuple[str, ...] = (
    "remote", "side_job", "employment_type", "pay_band", "days_per_month",
    "deadline_window", "joint", "channels",
)
# Each condition's values in the order people read them (employment types, remote and
# channels come from vocab; the bands are defined here).
PAY_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("under_20000", 0, 20_000), ("20000_29999", 20_000, 30_000),
    ("30000_49999", 30_000, 50_000), ("50000_plus", 50_000, None),
)
DAY_BANDS: tuple[tuple[str, float, float | None], ...] = (
    ("1_4", 0, 5), ("5_8", 5, 9), ("9_15", 9, 16), ("16_plus", 16, None),
)
DEADLINE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("under_21", -10_000, 21), ("21_41", 21, 42), ("42_plus", 42, None),
)
YES_NO = ("yes", "no")
# Channels are grouped by the mix the seed compares: the own website alone (6 applicants on
# average) against private job sites (247 and 615).
CHANNEL_MIXES = ("own_website_only", "job_sites", "other_channels")


def channel_mix(channels: Iterable[str]) -> str:
    used = set(channels)
    if used == {"own_website"}:
        return "own_website_only"
    return "job_sites" if "job_sites" in used else "other_channels"


@dataclass(frozen=True)
class PostingFacts:
    """One published posting as the grouping sees it (the service reads them)."""

    posting_id: int
    published_on: date
    remote: str | None = None
    side_job_ok: bool | None = None
    employment_type: str | None = None
    compensation_amount: int | None = None
    compensation_unit: str | None = None
    days_per_month: float | None = None
    period_months: int | None = None  # the contract's length, for a per-contract amount
    deadline: date | None = None
    joint: bool = False
    channels: tuple[str, ...] = ()
    applications: int = 0
    first_application_on: date | None = None


@dataclass(frozen=True)
class Group:
    condition: str
    value: str
    suppressed: bool
    postings: int | None = None
    applications: int | None = None
    median_applications: float | None = None
    with_application_share: float | None = None  # 0..1
    median_days_to_first: float | None = None  # among postings with an application

    def as_dict(self) -> dict:
        """The JSON of ``flask insights conditions --json``: a suppressed group carries no
        figures at all."""
        if self.suppressed:
            return {"condition": self.condition, "value": self.value, "suppressed": True}
        return {
            "condition": self.condition, "value": self.value,
            "postings": self.postings, "applications": self.applications,
            "median_applications": self.median_applications,
            "with_application_share": self.with_application_share,
            "median_days_to_first_application": self.median_days_to_first,
        }


def pay_per_day(amount: int | None, unit: str | None, days_per_month: float | None,
                period_months: int | None = None) -> int | None:
    """Pay normalised to one working day (yen, rounded down); None when it cannot be."""
    if amount is None or unit is None:
        return None
    if unit == "hour":
        return int(amount * HOURS_PER_DAY)
    if unit == "day":
        return int(amount)
    if not days_per_month or days_per_month <= 0:
        return None
    if unit == "month":
        return int(amount / days_per_month)
    if unit == "year":
        return int(amount / (days_per_month * 12))
    if unit == "contract" and period_months:
        return int(amount / (days_per_month * period_months))
    return None


def _band(value: float | None, bands) -> str | None:
    if value is None:
        return None
    for key, low, high in bands:
        if value >= low and (high is None or value < high):
            return key
    return None


def values_of(f: PostingFacts, condition: str) -> list[str]:
    """The group a posting falls in for one condition ([] when the posting does not say)."""
    if condition == "remote":
        return [f.remote] if f.remote else []
    if condition == "side_job":
        return [] if f.side_job_ok is None else ["yes" if f.side_job_ok else "no"]
    if condition == "employment_type":
        return [f.employment_type] if f.employment_type else []
    if condition == "pay_band":
        band = _band(pay_per_day(f.compensation_amount, f.compensation_unit,
                                 f.days_per_month, f.period_months), PAY_BANDS)
        return [band] if band else []
    if condition == "days_per_month":
        band = _band(f.days_per_month, DAY_BANDS)
        return [band] if band else []
    if condition == "deadline_window":
        if f.deadline is None:
            return []
        band = _band((f.deadline - f.published_on).days, DEADLINE_BANDS)
        return [band] if band else []
    if condition == "joint":
        return ["yes" if f.joint else "no"]
    if condition == "channels":
        return [channel_mix(f.channels)] if f.channels else []
    raise ValueError(f"unknown condition {condition!r}")


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count), 1 decimal."""
    if not values:
        return None
    xs = sorted(values)
    mid = len(xs) // 2
    m = xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2
    return round(float(m), 1)


def is_shown(count: int, min_size: int = MIN_GROUP) -> bool:
    """A count may be shown only when it is at least the threshold (0 included: below)."""
    return count >= min_size


def summarise(condition: str, value: str, facts: Sequence[PostingFacts],
              min_size: int = MIN_GROUP) -> Group:
    n = len(facts)
    applications = sum(f.applications for f in facts)
    if not is_shown(n, min_size) or not is_shown(applications, min_size):
        return Group(condition, value, suppressed=True)
    with_app = [f for f in facts if f.applications > 0]
    days = [(f.first_application_on - f.published_on).days for f in with_app
            if f.first_application_on is not None]
    return Group(
        condition, value, suppressed=False, postings=n, applications=applications,
        median_applications=median([f.applications for f in facts]),
        with_application_share=round(len(with_app) / n, 3),
        median_days_to_first=median([max(d, 0) for d in days]),
    )


def group(facts: Iterable[PostingFacts], *, conditions: Sequence[str] = CONDITIONS,
          order: dict[str, Sequence[str]] | None = None,
          min_size: int = MIN_GROUP) -> list[Group]:
    """Every condition's groups, in ``order`` (value keys per condition; values not named
    there follow, sorted). A value no posting has is left out."""
    facts = list(facts)
    result: list[Group] = []
    for condition in conditions:
        members: dict[str, list[PostingFacts]] = {}
        for f in facts:
            for value in values_of(f, condition):
                members.setdefault(value, []).append(f)
        known = list((order or {}).get(condition, ()))
        keys = [k for k in known if k in members] + sorted(k for k in members if k not in known)
        result.extend(summarise(condition, k, members[k], min_size) for k in keys)
    return result


@dataclass(frozen=True)
class Evidence:
    """A clear difference between two large groups of one condition: the form's value
    (worse) and the group that drew more applications (better)."""

    condition: str
    better: Group
    worse: Group


def evidence(groups: Sequence[Group], condition: str, value: str) -> Evidence | None:
    """The clearest better group of ``condition`` than the posting's ``value``, when both
    have at least EVIDENCE_MIN_POSTINGS postings, neither is suppressed, and the medians
    differ by EVIDENCE_MIN_RATIO and EVIDENCE_MIN_DIFFERENCE; None when the evidence is thin."""
    mine = next((g for g in groups if g.condition == condition and g.value == value), None)
    if mine is None or not _large(mine):
        return None
    best: Group | None = None
    for g in groups:
        if g.condition != condition or g.value == value or not _large(g):
            continue
        hi, lo = g.median_applications or 0.0, mine.median_applications or 0.0
        clear = hi - lo >= EVIDENCE_MIN_DIFFERENCE and (lo == 0 or hi / lo >= EVIDENCE_MIN_RATIO)
        if clear and (best is None or hi > (best.median_applications or 0.0)):
            best = g
    return Evidence(condition, best, mine) if best is not None else None


def _large(g: Group) -> bool:
    return not g.suppressed and (g.postings or 0) >= EVIDENCE_MIN_POSTINGS


# --------------------------------------------------------------------------- funnel

FUNNEL_STAGES = ("views", "mailed", "applications", "interviews", "appointments")


def funnel_value(count: int, min_size: int = MIN_GROUP) -> int | None:
    """A funnel stage's count as it may be shown: None (「5件未満」) below the threshold."""
    return count if is_shown(count, min_size) else None


def months_between(start: date | None, end: date | None) -> int | None:
    """Whole months a contract runs (at least one), for a per-contract amount."""
    if start is None or end is None or end < start:
        return None
    return max(1, math.ceil(((end - start).days + 1) / 30.4))
