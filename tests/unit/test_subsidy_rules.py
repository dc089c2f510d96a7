"""The special grant calculator, rule by rule and boundary by boundary (DESIGN §6)."""

from __future__ import annotations

import csv
import dataclasses
import functools
import re
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from talentmatch.subsidies import rules
from talentmatch.subsidies.rules import (
    CSV_HEADER,
    JA_MESSAGES,
    MEASURES,
    InvalidInput,
    Measure,
    MunicipalityInfo,
    calculate,
    requested_lang,
    result_rows_for_csv,
    split_shares,
)

MUNICIPALITIES_CSV = (
    Path(__file__).resolve().parents[2] / "talentmatch" / "data" / "municipalities.csv"
)
TODAY = date(2026, 11, 26)

PREFECTURE = "010006"  # 北海道
SPECIAL_WARD = "131016"  # 千代田区
DESIGNATED_CITY = "011002"  # 札幌市
CITY = "012025"  # 函館市
TOWN = "013030"  # 当別町
VILLAGE = "013048"  # 新篠津村


@functools.cache
def _master() -> dict[str, MunicipalityInfo]:
    with MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as f:
        return {
            r["code"]: MunicipalityInfo(
                r["code"], r["name"], r["kind"], r["prefecture_code"], r["prefecture"]
            )
            for r in csv.DictReader(f)
        }


def lookup(code: str) -> MunicipalityInfo | None:
    return _master().get(code)


def line(
    id: str = "a",
    category: str = "recruitment",
    amount: int = 100_000,
    date: str | None = None,
    fiscal_year: int | None = None,
) -> dict[str, Any]:
    d: dict[str, Any] = {"id": id, "category": category, "amount": amount}
    if date is not None:
        d["date"] = date
    if fiscal_year is not None:
        d["fiscal_year"] = fiscal_year
    return d


def run(lines: list[dict[str, Any]], code: str = CITY, **kw: Any) -> dict[str, Any]:
    kw.setdefault("today", TODAY)
    return calculate({"municipality_code": code, "lines": lines}, lookup, **kw).to_dict()


def by_id(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {ln["id"]: ln for ln in result["lines"]}


def test_the_test_lookup_sees_real_bodies() -> None:
    kinds = {
        c: lookup(c).kind for c in (PREFECTURE, SPECIAL_WARD, DESIGNATED_CITY, CITY, TOWN, VILLAGE)
    }  # type: ignore[union-attr]
    assert kinds == {
        PREFECTURE: "prefecture",
        SPECIAL_WARD: "special_ward",
        DESIGNATED_CITY: "designated_city",
        CITY: "city",
        TOWN: "town",
        VILLAGE: "village",
    }


# --- periods ---------------------------------------------------------------------------------

APPOINTMENT = ("special_part_time_remuneration", "outsourcing_fee")


@pytest.mark.parametrize(
    ("category", "day", "fy", "reason"),
    [
        # appointment costs: FY2021 (from 1 April 2021) through FY2025 (to 31 March 2026)
        *[(c, "2021-03-31", 2020, "out_of_period") for c in APPOINTMENT],
        *[(c, "2021-04-01", 2021, "eligible") for c in APPOINTMENT],
        *[(c, "2022-03-31", 2021, "eligible") for c in APPOINTMENT],
        *[(c, "2022-04-01", 2022, "eligible") for c in APPOINTMENT],
        *[(c, "2026-03-31", 2025, "eligible") for c in APPOINTMENT],
        *[(c, "2026-04-01", 2026, "out_of_period") for c in APPOINTMENT],
        # recruitment costs: FY2022 (from 1 April 2022) through FY2025
        ("recruitment", "2021-03-31", 2020, "out_of_period"),
        ("recruitment", "2021-04-01", 2021, "out_of_period"),
        ("recruitment", "2022-03-31", 2021, "out_of_period"),
        ("recruitment", "2022-04-01", 2022, "eligible"),
        ("recruitment", "2026-03-31", 2025, "eligible"),
        ("recruitment", "2026-04-01", 2026, "out_of_period"),
    ],
)
def test_boundary_dates(category: str, day: str, fy: int, reason: str) -> None:
    out = run([line(category=category, amount=500_000, date=day)])["lines"][0]
    assert (out["fiscal_year"], out["reason"]) == (fy, reason)
    assert out["date"] == day
    assert out["eligible_amount"] == (500_000 if reason == "eligible" else 0)
    assert out["grant"] == (250_000 if reason == "eligible" else 0)


@pytest.mark.parametrize(
    ("category", "fy", "reason"),
    [
        *[(c, 2020, "out_of_period") for c in APPOINTMENT],
        *[(c, 2021, "eligible") for c in APPOINTMENT],  # first year of the appointment measure
        *[(c, 2025, "eligible") for c in APPOINTMENT],  # last year
        *[(c, 2026, "out_of_period") for c in APPOINTMENT],
        ("recruitment", 2021, "out_of_period"),
        ("recruitment", 2022, "eligible"),  # first year of the recruitment measure
        ("recruitment", 2025, "eligible"),  # last year
        ("recruitment", 2026, "out_of_period"),
    ],
)
def test_first_and_last_fiscal_year_of_each_measure(category: str, fy: int, reason: str) -> None:
    out = run([line(category=category, fiscal_year=fy)])["lines"][0]
    assert out["reason"] == reason
    assert out["date"] is None
    assert out["fiscal_year"] == fy


def test_date_and_agreeing_fiscal_year_are_accepted() -> None:
    out = run([line(date="2024-03-31", fiscal_year=2023)])["lines"][0]
    assert out["fiscal_year"] == 2023
    assert out["fiscal_year_label"] == "令和5年度"


# --- the recruitment cap ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "eligible", "grant", "reason"),
    [
        (999_999, 999_999, 499_999, "eligible"),
        (1_000_000, 1_000_000, 500_000, "eligible"),
        (1_000_001, 1_000_000, 500_000, "capped"),
        (5_000_000, 1_000_000, 500_000, "capped"),
    ],
)
def test_cap_below_at_and_above(amount: int, eligible: int, grant: int, reason: str) -> None:
    out = run([line(amount=amount, fiscal_year=2023)])["lines"][0]
    assert (out["eligible_amount"], out["grant"], out["reason"]) == (eligible, grant, reason)


def test_cap_is_per_fiscal_year() -> None:
    res = run(
        [
            line("a", amount=800_000, date="2024-03-31"),  # FY2023
            line("b", amount=800_000, date="2024-04-01"),  # FY2024: a fresh cap
            line("c", amount=800_000, date="2025-03-31"),  # FY2024: over it
        ]
    )
    lines = by_id(res)
    assert [lines[k]["reason"] for k in "abc"] == ["eligible", "eligible", "capped"]
    assert [lines[k]["eligible_amount"] for k in "abc"] == [800_000, 800_000, 200_000]
    assert [(fy["fiscal_year"], fy["eligible_amount"]) for fy in res["fiscal_years"]] == [
        (2023, 800_000),
        (2024, 1_000_000),
    ]


def test_cap_applies_in_date_order_with_fiscal_year_only_lines_last() -> None:
    res = run(
        [
            line("z", amount=300_000, fiscal_year=2023),  # first in input, last in cap order
            line("b", amount=400_000, date="2023-09-01"),
            line("a", amount=500_000, date="2023-05-01"),
            line("c", amount=300_000, date="2023-09-01"),  # same date as b, after it in input
            line("y", amount=10, fiscal_year=2023),
        ]
    )
    assert [ln["id"] for ln in res["lines"]] == ["z", "b", "a", "c", "y"]  # input order kept
    got = {k: (v["eligible_amount"], v["grant"], v["reason"]) for k, v in by_id(res).items()}
    assert got == {
        "a": (500_000, 250_000, "eligible"),
        "b": (400_000, 200_000, "eligible"),
        "c": (100_000, 50_000, "capped"),
        "z": (0, 0, "capped"),
        "y": (0, 0, "capped"),
    }
    assert res["total_eligible"] == 1_000_000
    assert res["total_grant"] == 500_000


def test_same_date_lines_use_the_cap_by_id_whatever_their_input_order() -> None:
    # Input order would let rounding move a yen: 3 first gives 1 + 499,998, not 0 + 500,000.
    a = [line("2", amount=1_000_000, date="2024-05-01"), line("10", amount=3, date="2024-05-01")]
    for lines in (a, a[::-1]):
        res = run(lines)
        assert by_id(res)["2"]["eligible_amount"] == 1_000_000  # "2" before "10", as numbered
        assert by_id(res)["10"]["reason"] == "capped"
        assert res["total_grant"] == 500_000


def test_fiscal_year_only_lines_share_the_cap_in_input_order() -> None:
    res = run(
        [
            line("p", amount=600_000, fiscal_year=2024),
            line("q", amount=600_000, fiscal_year=2024),
            line("r", amount=600_000, fiscal_year=2024),
        ]
    )
    assert [ln["eligible_amount"] for ln in res["lines"]] == [600_000, 400_000, 0]


def test_appointment_costs_have_no_cap_and_do_not_use_the_recruitment_cap() -> None:
    res = run(
        [
            line(
                "a", category="special_part_time_remuneration", amount=5_000_000, fiscal_year=2023
            ),
            line("b", category="outsourcing_fee", amount=3_000_000, fiscal_year=2023),
            line("c", category="recruitment", amount=1_000_000, fiscal_year=2023),
        ]
    )
    assert [ln["reason"] for ln in res["lines"]] == ["eligible"] * 3
    assert res["total_grant"] == 4_500_000


def test_out_of_period_and_uncovered_lines_do_not_use_the_cap() -> None:
    res = run(
        [
            line("old", amount=900_000, date="2022-03-31"),  # FY2021: out of period
            line("new", amount=1_000_000, date="2022-04-01"),  # FY2022: whole cap still there
        ]
    )
    assert by_id(res)["new"]["reason"] == "eligible"


# --- rounding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "grant"),
    [(333_333, 166_666), (1, 0), (3, 1), (0, 0), (999_999, 499_999), (12_345_677, 6_172_838)],
)
def test_grant_is_rounded_down_to_the_yen(amount: int, grant: int) -> None:
    out = run([line(category="outsourcing_fee", amount=amount, fiscal_year=2024)])["lines"][0]
    assert out["grant"] == grant


def test_totals_are_sums_of_rounded_lines() -> None:
    res = run(
        [line(str(i), category="outsourcing_fee", amount=3, fiscal_year=2024) for i in range(3)]
    )
    assert res["total_grant"] == 3  # 1 + 1 + 1, not floor(9 / 2)
    assert res["fiscal_years"][0]["grant"] == 3


# --- categories and bodies -------------------------------------------------------------------


@pytest.mark.parametrize("category", ["full_time_salary", "fiscal_year_appointee_pay"])
@pytest.mark.parametrize("code", [DESIGNATED_CITY, CITY, TOWN, VILLAGE])
def test_uncovered_categories(category: str, code: str) -> None:
    out = run([line(category=category, amount=4_000_000, fiscal_year=2023)], code=code)["lines"][0]
    assert (out["reason"], out["eligible_amount"], out["grant"]) == ("category_not_covered", 0, 0)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (PREFECTURE, "body_not_covered"),
        (SPECIAL_WARD, "body_not_covered"),
        (DESIGNATED_CITY, "eligible"),
        (CITY, "eligible"),
        (TOWN, "eligible"),
        (VILLAGE, "eligible"),
    ],
)
@pytest.mark.parametrize("category", ["recruitment", *APPOINTMENT])
def test_bodies(code: str, reason: str, category: str) -> None:
    res = run([line(category=category, amount=200_000, fiscal_year=2024)], code=code)
    assert res["municipality_code"] == code
    assert res["municipality_kind"] == lookup(code).kind  # type: ignore[union-attr]
    assert res["lines"][0]["reason"] == reason
    assert res["lines"][0]["grant"] == (100_000 if reason == "eligible" else 0)


@pytest.mark.parametrize(
    ("code", "category", "fy", "reason"),
    [
        # the body is checked first ...
        (PREFECTURE, "full_time_salary", 2030, "body_not_covered"),
        (SPECIAL_WARD, "fiscal_year_appointee_pay", 2021, "body_not_covered"),
        (SPECIAL_WARD, "recruitment", 2021, "body_not_covered"),
        # ... then the category ...
        (CITY, "full_time_salary", 2030, "category_not_covered"),
        (CITY, "fiscal_year_appointee_pay", 2021, "category_not_covered"),
        # ... then the period, per measure
        (CITY, "recruitment", 2021, "out_of_period"),
        (CITY, "special_part_time_remuneration", 2021, "eligible"),
        (CITY, "outsourcing_fee", 2030, "out_of_period"),
    ],
)
def test_order_of_reasons(code: str, category: str, fy: int, reason: str) -> None:
    # An amount over the cap shows the cap is checked last.
    out = run([line(category=category, amount=2_000_000, fiscal_year=fy)], code=code)["lines"][0]
    assert out["reason"] == reason


# --- the measures table ----------------------------------------------------------------------


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
        name="Training of municipal staff by external talent",
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


# --- the end of the measure ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "ended"),
    [
        (date(2026, 3, 31), False),
        (date(2026, 4, 1), True),
        (TODAY, True),
        (date(2023, 1, 1), False),
    ],
)
def test_measure_ended(today: date, ended: bool) -> None:
    res = run([line(fiscal_year=2023)], today=today)
    assert res["measure_ended"] is ended
    assert (res["notice"] is not None) is ended
    assert res["covered_fiscal_years"] == [2021, 2022, 2023, 2024, 2025]


def test_notice_names_the_last_year_and_its_end_in_both_calendars() -> None:
    ja = run([line(fiscal_year=2023)])["notice"]
    en = run([line(fiscal_year=2023)], lang="en")["notice"]
    assert "令和7年度（2025年度）" in ja and "令和8年3月31日（2026年3月31日）" in ja
    assert "FY2025 (Reiwa 7)" in en and "March 31, 2026" in en


def test_today_defaults_to_the_current_date() -> None:
    res = calculate({"municipality_code": CITY, "lines": [line(fiscal_year=2023)]}, lookup)
    assert isinstance(res.measure_ended, bool)


# --- the JSON contract -----------------------------------------------------------------------


def test_json_contract() -> None:
    res = run(
        [
            line("a", category="special_part_time_remuneration", amount=800_000, date="2023-06-30"),
            line("b", category="recruitment", amount=1_200_000, fiscal_year=2023),
        ]
    )
    assert res == {
        "municipality_code": "012025",
        "municipality_name": "函館市",
        "municipality_kind": "city",
        "lines": [
            {
                "id": "a",
                "fiscal_year": 2023,
                "fiscal_year_label": "令和5年度",
                "date": "2023-06-30",
                "category": "special_part_time_remuneration",
                "amount": 800_000,
                "eligible_amount": 800_000,
                "grant": 400_000,
                "reason": "eligible",
                "message": res["lines"][0]["message"],
            },
            {
                "id": "b",
                "fiscal_year": 2023,
                "fiscal_year_label": "令和5年度",
                "date": None,
                "category": "recruitment",
                "amount": 1_200_000,
                "eligible_amount": 1_000_000,
                "grant": 500_000,
                "reason": "capped",
                "message": res["lines"][1]["message"],
            },
        ],
        "fiscal_years": [
            {
                "fiscal_year": 2023,
                "fiscal_year_label": "令和5年度",
                "amount": 2_000_000,
                "eligible_amount": 1_800_000,
                "grant": 900_000,
            }
        ],
        "total_amount": 2_000_000,
        "total_eligible": 1_800_000,
        "total_grant": 900_000,
        "covered_fiscal_years": [2021, 2022, 2023, 2024, 2025],
        "measure_ended": True,
        "notice": res["notice"],
    }
    assert res["notice"]


def test_fiscal_years_are_sorted_and_totals_add_up() -> None:
    res = run(
        [
            line("a", category="outsourcing_fee", amount=101, fiscal_year=2025),
            line("b", category="recruitment", amount=1_500_001, date="2022-04-01"),
            line("c", category="full_time_salary", amount=7, date="2024-01-01"),
            line("d", category="outsourcing_fee", amount=55, date="2026-04-01"),
        ]
    )
    fys = res["fiscal_years"]
    assert [fy["fiscal_year"] for fy in fys] == [2022, 2023, 2025, 2026]
    for key_fy, key_total in (
        ("amount", "total_amount"),
        ("eligible_amount", "total_eligible"),
        ("grant", "total_grant"),
    ):
        assert sum(fy[key_fy] for fy in fys) == res[key_total]
        assert sum(ln[key_fy] for ln in res["lines"]) == res[key_total]


# --- messages --------------------------------------------------------------------------------


def _messages(lang: str, **kw: Any) -> dict[str, str]:
    res = run(
        [
            line("eligible", category="outsourcing_fee", amount=800_000, fiscal_year=2023),
            line("capped", amount=1_200_000, date="2023-06-30"),
            line("used", amount=5, fiscal_year=2023),
            line("period", amount=5, date="2026-04-01"),
            line("period_fy", category="outsourcing_fee", amount=5, fiscal_year=2020),
            line("category", category="full_time_salary", amount=5, fiscal_year=2023),
        ],
        lang=lang,
        **kw,
    )
    return {ln["id"]: ln["message"] for ln in res["lines"]}


def test_japanese_messages() -> None:
    m = _messages("ja")
    assert "令和5年度（2023年度）" in m["eligible"]
    assert "400,000円" in m["eligible"] and "800,000円" in m["eligible"]
    assert "1,000,000円" in m["capped"] and "1,200,000円" in m["capped"]
    assert "500,000円" in m["capped"]  # the grant
    assert "使い切っています" in m["used"]
    assert "令和8年4月1日（2026年4月1日）" in m["period"]
    assert "令和8年度（2026年度）" in m["period"]
    assert "令和4年度（2022年度）から令和7年度（2025年度）まで" in m["period"]
    assert "令和2年度（2020年度）" in m["period_fy"]
    assert "令和3年度（2021年度）" in m["period_fy"]
    assert "常勤職員の給与" in m["category"]
    body = run([line(fiscal_year=2023)], code=SPECIAL_WARD)["lines"][0]["message"]
    assert "千代田区（特別区）" in body and "政令指定都市、市、町、村" in body


def test_english_messages() -> None:
    m = _messages("en")
    assert "FY2023 (Reiwa 5)" in m["eligible"] and "¥400,000" in m["eligible"]
    assert "¥1,000,000" in m["capped"] and "¥1,200,000" in m["capped"]
    assert "already used" in m["used"]
    assert "April 1, 2026 (Reiwa 8)" in m["period"] and "FY2026 (Reiwa 8)" in m["period"]
    assert "from FY2022 (Reiwa 4) through FY2025 (Reiwa 7)" in m["period"]
    assert "Salaries of full-time staff" in m["category"]
    body = run([line(fiscal_year=2023)], code=PREFECTURE, lang="en")["lines"][0]["message"]
    assert "北海道 (prefecture)" in body
    assert all(not re.search(r"[\u3040-\u30ff]", text) for text in m.values())


def test_payload_lang_overrides_the_default() -> None:
    payload = {"municipality_code": CITY, "lines": [line(fiscal_year=2023)], "lang": "en"}
    assert requested_lang(payload) == "en"
    res = calculate(payload, lookup, lang="ja", today=TODAY).to_dict()
    assert res["lines"][0]["fiscal_year_label"] == "FY2023"
    assert requested_lang({"lang": "fr"}, "ja") == "ja"


def test_the_callers_gettext_is_used() -> None:
    loud = _messages("en", gettext=lambda s: "» " + s)
    assert loud["eligible"].startswith("» Eligible under")
    # A Japanese catalogue that lacks a msgid falls back to the shipped translation.
    partial = _messages("ja", gettext=lambda s: s)
    assert partial == _messages("ja")


MSGIDS = [
    value
    for name, value in vars(rules).items()
    if re.fullmatch(r"(MSG|ERR)_[A-Z_]+|[A-Z]+_NAME", name) and isinstance(value, str)
] + [*rules.CATEGORY_LABELS.values(), *rules.KIND_LABELS.values(), *(m.name for m in MEASURES)]


@pytest.mark.parametrize("msgid", sorted(set(MSGIDS)))
def test_every_msgid_has_a_japanese_translation_with_the_same_placeholders(msgid: str) -> None:
    assert msgid in JA_MESSAGES
    placeholders = re.compile(r"%\((\w+)\)s")
    assert set(placeholders.findall(JA_MESSAGES[msgid])) == set(placeholders.findall(msgid))


def test_no_stray_japanese_entries() -> None:
    assert set(JA_MESSAGES) == set(MSGIDS)


# --- invalid input ---------------------------------------------------------------------------


def _errors(payload: Any, **kw: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        calculate(payload, lookup, today=TODAY, **kw)
    return info.value


def _fields(payload: Any) -> list[str]:
    return [e.field for e in _errors(payload).errors]


OK = line("a", fiscal_year=2023)
UNKNOWN_VALID_CODE = "99999" + "7"  # right check digit, no such body


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ([], ["payload"]),
        ("012025", ["payload"]),
        ({"lines": [OK]}, ["municipality_code"]),
        ({"municipality_code": 12025, "lines": [OK]}, ["municipality_code"]),
        ({"municipality_code": "12025", "lines": [OK]}, ["municipality_code"]),
        ({"municipality_code": "01202５x", "lines": [OK]}, ["municipality_code"]),
        ({"municipality_code": "012026", "lines": [OK]}, ["municipality_code"]),
        ({"municipality_code": UNKNOWN_VALID_CODE, "lines": [OK]}, ["municipality_code"]),
        ({"municipality_code": CITY}, ["lines"]),
        ({"municipality_code": CITY, "lines": OK}, ["lines"]),
        ({"municipality_code": CITY, "lines": []}, ["lines"]),
        (
            {
                "municipality_code": CITY,
                "lines": [line(str(i), fiscal_year=2023) for i in range(1001)],
            },
            ["lines"],
        ),
        ({"municipality_code": CITY, "lines": [OK], "lang": "fr"}, ["lang"]),
        ({"municipality_code": CITY, "lines": [OK, "b"]}, ["lines[1]"]),
        (
            {
                "municipality_code": CITY,
                "lines": [{"category": "recruitment", "amount": 1, "fiscal_year": 2023}],
            },
            ["lines[0].id"],
        ),
        ({"municipality_code": CITY, "lines": [line(7, fiscal_year=2023)]}, ["lines[0].id"]),  # type: ignore[arg-type]
        ({"municipality_code": CITY, "lines": [line(" ", fiscal_year=2023)]}, ["lines[0].id"]),
        (
            {"municipality_code": CITY, "lines": [OK, line("b", fiscal_year=2023), OK]},
            ["lines[2].id"],
        ),
        (
            {"municipality_code": CITY, "lines": [line(category="salary", fiscal_year=2023)]},
            ["lines[0].category"],
        ),
        (
            {"municipality_code": CITY, "lines": [line(category=None, fiscal_year=2023)]},
            ["lines[0].category"],
        ),  # type: ignore[arg-type]
        (
            {"municipality_code": CITY, "lines": [line(amount=-1, fiscal_year=2023)]},
            ["lines[0].amount"],
        ),
        (
            {"municipality_code": CITY, "lines": [line(amount=1.5, fiscal_year=2023)]},
            ["lines[0].amount"],
        ),  # type: ignore[arg-type]
        (
            {"municipality_code": CITY, "lines": [line(amount=100.0, fiscal_year=2023)]},
            ["lines[0].amount"],
        ),  # type: ignore[arg-type]
        (
            {"municipality_code": CITY, "lines": [line(amount="100", fiscal_year=2023)]},
            ["lines[0].amount"],
        ),  # type: ignore[arg-type]
        (
            {"municipality_code": CITY, "lines": [line(amount=True, fiscal_year=2023)]},
            ["lines[0].amount"],
        ),
        (
            {"municipality_code": CITY, "lines": [line(amount=None, fiscal_year=2023)]},
            ["lines[0].amount"],
        ),  # type: ignore[arg-type]
        (
            {"municipality_code": CITY, "lines": [line(amount=10**12, fiscal_year=2023)]},
            ["lines[0].amount"],
        ),
        ({"municipality_code": CITY, "lines": [line()]}, ["lines[0].date"]),
        ({"municipality_code": CITY, "lines": [line(date="2023-02-30")]}, ["lines[0].date"]),
        ({"municipality_code": CITY, "lines": [line(date="2023/06/30")]}, ["lines[0].date"]),
        ({"municipality_code": CITY, "lines": [line(date="20230630")]}, ["lines[0].date"]),
        ({"municipality_code": CITY, "lines": [line(date=20230630)]}, ["lines[0].date"]),  # type: ignore[arg-type]
        ({"municipality_code": CITY, "lines": [line(date="1999-06-30")]}, ["lines[0].date"]),
        (
            {"municipality_code": CITY, "lines": [line(fiscal_year="2023")]},
            ["lines[0].fiscal_year"],
        ),  # type: ignore[arg-type]
        (
            {"municipality_code": CITY, "lines": [line(fiscal_year=2023.0)]},
            ["lines[0].fiscal_year"],
        ),  # type: ignore[arg-type]
        ({"municipality_code": CITY, "lines": [line(fiscal_year=True)]}, ["lines[0].fiscal_year"]),  # type: ignore[arg-type]
        ({"municipality_code": CITY, "lines": [line(fiscal_year=1999)]}, ["lines[0].fiscal_year"]),
        (
            {"municipality_code": CITY, "lines": [line(date="2024-03-31", fiscal_year=2024)]},
            ["lines[0].fiscal_year"],
        ),
        (
            {"municipality_code": CITY, "lines": [line(date="2023-04-01", fiscal_year=2022)]},
            ["lines[0].fiscal_year"],
        ),
    ],
)
def test_invalid_input_names_the_field(payload: Any, fields: list[str]) -> None:
    assert _fields(payload) == fields


def test_every_error_is_reported_at_once() -> None:
    payload = {
        "municipality_code": "012026",
        "lang": "de",
        "lines": [
            {"id": "a", "category": "nope", "amount": -5, "date": "2023-13-01"},
            {"id": "a", "category": "recruitment", "amount": 1.5},
            42,
            {"id": "c", "category": "outsourcing_fee", "amount": "9", "fiscal_year": "FY2023"},
        ],
    }
    assert _fields(payload) == [
        "lang",
        "municipality_code",
        "lines[0].category",
        "lines[0].amount",
        "lines[0].date",
        "lines[1].amount",
        "lines[1].date",
        "lines[1].id",
        "lines[2]",
        "lines[3].amount",
        "lines[3].fiscal_year",
    ]


def test_error_messages_in_both_languages() -> None:
    payload = {"municipality_code": "012026", "lines": [line(amount=-1, fiscal_year=2023)]}
    err = _errors(payload)
    ja = {e["field"]: e["message"] for e in err.to_dict()["errors"]}
    assert "012026" in ja["municipality_code"] and "5" in ja["municipality_code"]
    assert ja["lines[0].amount"] == "金額に負の値は指定できません。"
    en = {e["field"]: e["message"] for e in _errors({**payload, "lang": "en"}).to_dict()["errors"]}
    assert en["municipality_code"] == "012026 has a wrong check digit: the last digit should be 5."
    assert en["lines[0].amount"] == "The amount cannot be negative."
    unknown = _errors({"municipality_code": UNKNOWN_VALID_CODE, "lines": [OK]}, lang="en")
    assert (
        unknown.to_dict()["errors"][0]["message"]
        == f"No municipality has the code {UNKNOWN_VALID_CODE}."
    )


def test_full_width_digits_in_the_code_are_folded() -> None:
    res = calculate({"municipality_code": "０１２０２５", "lines": [OK]}, lookup, today=TODAY)
    assert res.municipality.code == CITY


def test_extra_keys_are_ignored() -> None:
    res = run([{**OK, "note": "CIO補佐官 4月分"}])
    assert res["lines"][0]["reason"] == "eligible"


# --- joint appointments ----------------------------------------------------------------------


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


# --- exports ---------------------------------------------------------------------------------


def test_csv_rows_carry_the_same_figures_as_the_json() -> None:
    result = calculate(
        {
            "municipality_code": CITY,
            "lines": [
                line("a", category="outsourcing_fee", amount=333_333, date="2023-06-30"),
                line("b", amount=1_200_000, fiscal_year=2024),
            ],
        },
        lookup,
        today=TODAY,
    )
    data = result.to_dict()
    rows = result_rows_for_csv(result)
    assert rows[0] == list(CSV_HEADER)
    assert all(len(r) == len(CSV_HEADER) for r in rows)
    records = [dict(zip(CSV_HEADER, r, strict=True)) for r in rows[1:]]
    lines = [r for r in records if r["row_type"] == "line"]
    for rec, ln in zip(lines, data["lines"], strict=True):
        for key in (
            "id",
            "fiscal_year",
            "fiscal_year_label",
            "category",
            "amount",
            "eligible_amount",
            "grant",
            "reason",
            "message",
        ):
            assert rec[key] == ln[key]
        assert rec["date"] == (ln["date"] or "")
        assert (rec["municipality_code"], rec["municipality_name"]) == (CITY, "函館市")
    fys = [r for r in records if r["row_type"] == "fiscal_year"]
    assert [(r["fiscal_year"], r["amount"], r["eligible_amount"], r["grant"]) for r in fys] == [
        (fy["fiscal_year"], fy["amount"], fy["eligible_amount"], fy["grant"])
        for fy in data["fiscal_years"]
    ]
    (total,) = [r for r in records if r["row_type"] == "total"]
    assert (total["amount"], total["eligible_amount"], total["grant"]) == (
        data["total_amount"],
        data["total_eligible"],
        data["total_grant"],
    )
    assert total["message"] == data["notice"]
    assert records[-1] is total
