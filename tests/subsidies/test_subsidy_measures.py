"""The measures table: the seed's two measures, and a change of policy as one new row."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

import pytest

from talentmatch.subsidies.measures import Measure, format_rate, seed_measures
from talentmatch.subsidies.validation import InvalidInput
from tests.support.subsidy_cases import SPECIAL_WARD, line, run

MEASURES = seed_measures()  # the shipped data file


def test_the_table_matches_the_measure() -> None:
    appointment, recruitment = MEASURES
    assert set(appointment.categories) == {"special_part_time_remuneration", "outsourcing_fee"}
    assert (appointment.rate, appointment.cap) == (Fraction(1, 2), None)
    assert (appointment.first_fy, appointment.last_fy) == (2021, 2025)
    assert recruitment.categories == ("recruitment",)
    assert (recruitment.rate, recruitment.cap) == (Fraction(1, 2), 1_000_000)
    assert (recruitment.first_fy, recruitment.last_fy) == (2022, 2025)
    for m in MEASURES:
        assert set(m.eligible_kinds) == {"designated_city", "city", "town", "village"}


def test_an_extension_is_one_new_row() -> None:
    extension = dataclasses.replace(
        MEASURES[1], key="recruitment_2026", first_fy=2026, last_fy=2027
    )
    table = (*MEASURES, extension)
    lines = [line("a", date="2026-04-01", amount=1_200_000)]

    before = run(lines)
    after = run(lines, measures=table)
    assert before["lines"][0]["reason"] == "out_of_period"
    assert (after["lines"][0]["reason"], after["lines"][0]["eligible_amount"]) == (
        "capped",
        1_000_000,
    )
    assert after["covered_fiscal_years"] == [2021, 2022, 2023, 2024, 2025, 2026, 2027]
    assert (after["measure_ended"], after["notice"]) == (False, None)
    assert before["measure_ended"] is True
    assert MEASURES[1].last_fy == 2025  # the shared table is untouched


def test_a_new_measure_with_a_new_category_and_decimal_rate_is_one_new_row() -> None:
    training = Measure(
        key="training",
        name_ja="外部人材による職員研修",
        name_en="Training of municipal staff by external talent",
        categories=("training_fee",),
        rate=Decimal("0.75"),
        cap=300_000,
        first_fy=2026,
        last_fy=2028,
        eligible_kinds=("city", "special_ward"),
    )
    lines = [line("t", category="training_fee", amount=400_001, fiscal_year=2026)]
    with pytest.raises(InvalidInput):  # unknown category without the row
        run(lines)
    out = run(lines, measures=(*MEASURES, training), lang="en")["lines"][0]
    assert (out["reason"], out["eligible_amount"], out["grant"]) == ("capped", 300_000, 225_000)
    assert "0.75" in out["message"]
    ward = run(lines, code=SPECIAL_WARD, measures=(*MEASURES, training))["lines"][0]
    assert ward["reason"] == "capped"
    # The new row opens nothing else to special wards.
    other = run(
        [line(category="recruitment", fiscal_year=2023)],
        code=SPECIAL_WARD,
        measures=(*MEASURES, training),
    )
    assert other["lines"][0]["reason"] == "body_not_covered"


def test_overlapping_rows_are_refused() -> None:
    twice = dataclasses.replace(MEASURES[1], key="recruitment_again", first_fy=2025, last_fy=2026)
    with pytest.raises(ValueError, match="overlap"):
        run([line(fiscal_year=2023)], measures=(*MEASURES, twice))


@pytest.mark.parametrize("rate", [0.5, True, "0.5"])
def test_rates_must_be_exact(rate: object) -> None:
    with pytest.raises(TypeError):
        dataclasses.replace(MEASURES[0], rate=rate)


def test_bad_rows_are_refused() -> None:
    with pytest.raises(ValueError):
        dataclasses.replace(MEASURES[0], first_fy=2026, last_fy=2025)
    with pytest.raises(ValueError):
        dataclasses.replace(MEASURES[0], rate=Fraction(3, 2))
    with pytest.raises(ValueError):
        dataclasses.replace(MEASURES[1], cap=-1)




@pytest.mark.parametrize(
    ("rate", "text"),
    [(Fraction(1, 2), "0.5"), (Fraction(3, 4), "0.75"), (Fraction(1), "1"), (Fraction(1, 3), "1/3")],
)
def test_rates_read_as_the_seed_writes_them(rate: Fraction, text: str) -> None:
    assert format_rate(rate) == text
