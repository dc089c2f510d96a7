"""The pure grouping of insights/stats.py against figures computed by hand on a small fixture:
groups, medians, shares, days to the first application, pay per day, channel mixes, the
suppression of every count below the threshold, and when the evidence is clear enough."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from talentmatch.insights import stats
from talentmatch.insights.stats import Group, PostingFacts

PUB = date(2026, 5, 1)


def facts(i: int, apps: int, *, first_after: int | None = None, **kw) -> PostingFacts:
    first = PUB + timedelta(days=first_after) if first_after is not None else None
    if apps and first is None:
        first = PUB + timedelta(days=i + 1)
    return PostingFacts(posting_id=i, published_on=PUB, applications=apps,
                        first_application_on=first, **kw)


def by(groups, condition, value) -> Group:
    return next(g for g in groups if g.condition == condition and g.value == value)


def test_side_job_groups_against_hand_computed_figures():
    yes_apps = [0, 2, 3, 5, 1, 4]  # sorted 0 1 2 3 4 5 → median 2.5; 5 of 6 with one
    no_apps = [1, 1, 0, 2, 1]  # sorted 0 1 1 1 2 → median 1; 4 of 5
    rows = [facts(i, a, side_job_ok=True, first_after=[None, 3, 1, 2, 10, 6][i])
            for i, a in enumerate(yes_apps)]
    rows += [facts(10 + i, a, side_job_ok=False, first_after=[4, 8, None, 2, 6][i])
             for i, a in enumerate(no_apps)]
    rows += [facts(20 + i, 9) for i in range(3)]  # side job not stated: in no side_job group
    groups = stats.group(rows, conditions=["side_job"], order={"side_job": ("yes", "no")})
    assert [(g.value, g.suppressed) for g in groups] == [("yes", False), ("no", False)]
    yes, no = groups
    assert (yes.postings, yes.applications, yes.median_applications) == (6, 15, 2.5)
    assert yes.with_application_share == round(5 / 6, 3)
    assert yes.median_days_to_first == 3.0  # days 3 1 2 10 6 → sorted 1 2 3 6 10
    assert (no.postings, no.applications, no.median_applications) == (5, 5, 1.0)
    assert no.with_application_share == 0.8
    assert no.median_days_to_first == 5.0  # days 4 8 2 6 → (4 + 6) / 2


def test_a_group_below_the_threshold_carries_no_figures():
    rows = [facts(i, 3, remote="full") for i in range(4)]  # 4 postings, 12 applications
    rows += [facts(10 + i, 1 if i < 4 else 0, remote="none") for i in range(6)]  # 4 apps
    rows += [facts(20 + i, 0, remote="partial") for i in range(7)]  # 0 applications
    groups = stats.group(rows, conditions=["remote"])
    assert all(g.suppressed for g in groups)
    for g in groups:
        assert g.as_dict() == {"condition": "remote", "value": g.value, "suppressed": True}
        assert g.postings is None and g.applications is None
        assert g.median_applications is None and g.with_application_share is None


def test_exactly_the_threshold_is_shown():
    rows = [facts(i, 1, remote="full") for i in range(stats.MIN_GROUP)]
    (g,) = stats.group(rows, conditions=["remote"])
    assert not g.suppressed and g.postings == g.applications == stats.MIN_GROUP


@pytest.mark.parametrize(("amount", "unit", "days", "months", "expected"), [
    (3000, "hour", 4, None, 24000),
    (25000, "day", 4, None, 25000),
    (300000, "month", 4, None, 75000),
    (1200000, "year", 5, None, 20000),
    (960000, "contract", 4, 12, 20000),
    (960000, "contract", 4, None, None),
    (300000, "month", None, None, None),
    (None, "month", 4, None, None),
])
def test_pay_is_normalised_per_day(amount, unit, days, months, expected):
    assert stats.pay_per_day(amount, unit, days, months) == expected


@pytest.mark.parametrize(("channels", "mix"), [
    (("own_website",), "own_website_only"),
    (("own_website", "job_sites"), "job_sites"),
    (("mic_listing", "prefecture"), "other_channels"),
])
def test_channels_group_by_the_mix_the_seed_compares(channels, mix):
    assert stats.values_of(facts(1, 0, channels=channels), "channels") == [mix]


def test_bands_of_deadline_days_and_pay():
    f = facts(1, 0, deadline=PUB + timedelta(days=20), days_per_month=4.0,
              compensation_amount=30000, compensation_unit="day", joint=True)
    assert stats.values_of(f, "deadline_window") == ["under_21"]
    assert stats.values_of(facts(1, 0, deadline=PUB + timedelta(days=21)),
                           "deadline_window") == ["21_41"]
    assert stats.values_of(f, "days_per_month") == ["1_4"]
    assert stats.values_of(f, "pay_band") == ["30000_49999"]
    assert stats.values_of(f, "joint") == ["yes"]
    assert stats.values_of(facts(1, 0), "side_job") == []


def _groups(yes: list[int], no: list[int]) -> list[Group]:
    rows = [facts(i, a, side_job_ok=True) for i, a in enumerate(yes)]
    rows += [facts(100 + i, a, side_job_ok=False) for i, a in enumerate(no)]
    return stats.group(rows, conditions=["side_job"])


def test_evidence_when_both_groups_are_large_and_differ_clearly():
    groups = _groups([3] * 12, [1] * 10)
    ev = stats.evidence(groups, "side_job", "no")
    assert ev is not None and ev.better.value == "yes" and ev.worse.value == "no"
    assert (ev.better.median_applications, ev.worse.median_applications) == (3.0, 1.0)
    # The posting already has the better value: nothing to advise.
    assert stats.evidence(groups, "side_job", "yes") is None


@pytest.mark.parametrize(("yes", "no"), [
    ([3] * 12, [1] * 9),  # one group below EVIDENCE_MIN_POSTINGS
    ([3] * 9, [1] * 12),
    ([2] * 12, [2] * 10),  # no difference
    ([4] * 12, [3] * 10),  # a difference of 1 but only 1.33 times
    ([2] * 12, [1, 2] * 5),  # 1.33 times and half an application
    ([1] * 12, [0] * 10),  # the no-group has no applications: suppressed
])
def test_no_evidence_when_it_is_thin(yes, no):
    assert stats.evidence(_groups(yes, no), "side_job", "no") is None


def test_the_boundary_of_a_clear_difference_is_enough():
    # Exactly EVIDENCE_MIN_RATIO (3 / 2) and EVIDENCE_MIN_DIFFERENCE (1), both groups exactly
    # EVIDENCE_MIN_POSTINGS large.
    assert stats.evidence(_groups([3] * 10, [2] * 10), "side_job", "no") is not None


def test_funnel_values_below_the_threshold_are_hidden():
    assert [stats.funnel_value(n) for n in (0, 1, 4, 5, 120)] == [None, None, None, 5, 120]
