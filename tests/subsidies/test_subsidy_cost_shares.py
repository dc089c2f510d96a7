"""A joint appointment's costs split by shares, and each participant's grant on its part."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from talentmatch.subsidies.cost_shares import split_shares
from tests.support.subsidy_cases import CITY, TOWN, VILLAGE, by_id, line, run


@pytest.mark.parametrize(
    ("total", "shares", "parts"),
    [
        (1_000, {"a": 1, "b": 1, "c": 1}, {"a": 334, "b": 333, "c": 333}),
        (1_000, {"c": 1, "b": 1, "a": 1}, {"c": 333, "b": 333, "a": 334}),  # tie to the smaller key
        (1_001, {"a": 1, "b": 1, "c": 1}, {"a": 334, "b": 334, "c": 333}),
        (999_999, {"x": Fraction(1, 3), "y": Fraction(2, 3)}, {"x": 333_333, "y": 666_666}),
        (1_000_000, {"x": 4, "y": 2, "z": 2}, {"x": 500_000, "y": 250_000, "z": 250_000}),  # days
        (10, {"a": 0, "b": 3}, {"a": 0, "b": 10}),
        (0, {"a": 1, "b": 2}, {"a": 0, "b": 0}),
        (
            7,
            {"a": Fraction(1, 7), "b": Fraction(2, 7), "c": Fraction(4, 7)},
            {"a": 1, "b": 2, "c": 4},
        ),
        (100, {"a": Decimal("0.333"), "b": Decimal("0.667")}, {"a": 33, "b": 67}),
    ],
)
def test_split_shares(total: int, shares: dict[str, Any], parts: dict[str, int]) -> None:
    got = split_shares(total, shares)
    assert got == parts
    assert list(got) == list(shares)
    assert sum(got.values()) == total


@pytest.mark.parametrize(
    ("total", "shares", "error"),
    [
        (-1, {"a": 1}, ValueError),
        (1.5, {"a": 1}, ValueError),
        (100, {}, ValueError),
        (100, {"a": 0, "b": 0}, ValueError),
        (100, {"a": -1, "b": 2}, ValueError),
        (100, {"a": 0.5, "b": 0.5}, TypeError),
        (100, {"a": True}, TypeError),
    ],
)
def test_split_shares_refuses_bad_input(total: Any, shares: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        split_shares(total, shares)


def test_joint_appointment_counts_for_each_municipality_by_its_share() -> None:
    # Three municipalities share an adviser and a recruitment campaign by days per month.
    participants = {CITY: 2, TOWN: 1, VILLAGE: 1}
    pay = split_shares(2_400_001, participants)
    ads = split_shares(3_000_000, participants)
    grants = {}
    for code in participants:
        res = run(
            [
                line(
                    "pay",
                    category="special_part_time_remuneration",
                    amount=pay[code],
                    fiscal_year=2024,
                ),
                line("ads", category="recruitment", amount=ads[code], date="2024-05-01"),
            ],
            code=code,
        )
        grants[code] = res["total_grant"]
        assert by_id(res)["ads"]["eligible_amount"] == min(ads[code], 1_000_000)
    assert sum(pay.values()) == 2_400_001 and sum(ads.values()) == 3_000_000
    # The city's 1,500,000 of recruitment costs is capped; the town's and village's are not.
    assert grants == {CITY: 600_000 + 500_000, TOWN: 300_000 + 375_000, VILLAGE: 300_000 + 375_000}


