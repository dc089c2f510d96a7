"""The special grant calculation, rule by rule and boundary by boundary (DESIGN §6)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from babel.messages.extract import extract

from talentmatch import catalog, messages, vocab
from talentmatch.subsidies import calculation, measures, validation
from talentmatch.subsidies.calculation import calculate
from talentmatch.subsidies.measures import seed_measures
from tests.support.subsidy_cases import (
    APPOINTMENT,
    CITY,
    DESIGNATED_CITY,
    PREFECTURE,
    SPECIAL_WARD,
    TODAY,
    TOWN,
    VILLAGE,
    by_id,
    line,
    lookup,
    run,
)


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


# The seed: 「市町村が支出した対象経費の合計額に0.5を乗じて得た額」: half of the TOTAL per body,
# measure and fiscal year, rounded down once; each line shows its share and the shares add up.
@pytest.mark.parametrize(
    ("amounts", "category", "total", "shares"),
    [
        ([1_000_001] * 3, "special_part_time_remuneration", 1_500_001, [500_001, 500_000, 500_000]),
        ([3, 3, 3], "outsourcing_fee", 4, [2, 1, 1]),
        ([1, 1], "outsourcing_fee", 1, [1, 0]),
        ([333_333, 1], "outsourcing_fee", 166_667, [166_667, 0]),
        ([400_001, 400_001, 400_001], "recruitment", 500_000, [200_001, 200_000, 99_999]),
        ([5], "outsourcing_fee", 2, [2]),
    ],
)
def test_the_grant_is_half_the_total_rounded_down_once(
    amounts: list[int], category: str, total: int, shares: list[int]
) -> None:
    res = run(
        [line(str(i), category=category, amount=a, fiscal_year=2024) for i, a in enumerate(amounts)]
    )
    assert res["total_grant"] == total
    assert res["fiscal_years"][0]["grant"] == total
    assert [ln["grant"] for ln in res["lines"]] == shares
    assert sum(ln["grant"] for ln in res["lines"]) == total


def test_two_measures_in_one_year_are_rounded_each() -> None:
    res = run([line("a", category="outsourcing_fee", amount=3, fiscal_year=2024),
               line("b", category="recruitment", amount=3, fiscal_year=2024)])
    assert [ln["measure"] for ln in res["lines"]] == ["appointment", "recruitment"]
    assert res["total_grant"] == 2  # floor(1.5) per measure, not floor(3)


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
    res = calculate({"municipality_code": CITY, "lines": [line(fiscal_year=2023)]}, lookup,
                    measures=seed_measures())
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
                "measure": "appointment",
                "measure_version": 1,
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
                "measure": "recruitment",
                "measure_version": 1,
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
                "measures": ["appointment", "recruitment"],
                "notice": None,
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
            line("recruitment_2021", amount=5, date="2021-04-01"),
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
    # No measure is registered for FY2026: said in words, never guessed.
    assert "令和8年度の措置はTalentMatchに登録されていません" in m["period"]
    assert "令和4年度（2022年度）から令和7年度（2025年度）まで" in m["recruitment_2021"]
    assert "令和3年4月1日（2021年4月1日）" in m["recruitment_2021"]
    assert "令和2年度の措置はTalentMatchに登録されていません" in m["period_fy"]
    assert "常勤職員の給与" in m["category"]
    body = run([line(fiscal_year=2023)], code=SPECIAL_WARD)["lines"][0]["message"]
    assert "千代田区（特別区）" in body and "政令指定都市、市、町、村" in body


def test_english_messages() -> None:
    m = _messages("en")
    assert "FY2023 (Reiwa 5)" in m["eligible"] and "¥400,000" in m["eligible"]
    assert "¥1,000,000" in m["capped"] and "¥1,200,000" in m["capped"]
    assert "already used" in m["used"]
    assert "no measure for 令和8年度 (FY2026) is registered in TalentMatch" in m["period"]
    assert "from FY2022 (Reiwa 4) through FY2025 (Reiwa 7)" in m["recruitment_2021"]
    assert "April 1, 2021 (Reiwa 3)" in m["recruitment_2021"]
    assert "Salaries of full-time staff" in m["category"]
    body = run([line(fiscal_year=2023)], code=PREFECTURE, lang="en")["lines"][0]["message"]
    assert "北海道 (Prefecture)" in body
    # Only the ministry's own spelling of the year (令和8年度) stays Japanese.
    assert all(not re.search(r"[\u3040-\u30ff]", text.replace("令和8年度", "")) for text in m.values())


def test_the_callers_gettext_is_used() -> None:
    loud = _messages("en", gettext=lambda s: "» " + s)
    assert loud["eligible"].startswith("» Eligible under")
    # A Japanese gettext that lacks a msgid falls back to the catalogue (talentmatch.catalog).
    partial = _messages("ja", gettext=lambda s: s)
    assert partial == _messages("ja")


RULE_MODULES = (measures, validation, calculation)
MSGIDS = [
    value
    for module in RULE_MODULES
    for name, value in vars(module).items()
    if re.fullmatch(r"(MSG|ERR)_[A-Z_]+|[A-Z]+_NAME", name) and isinstance(value, str)
] + [
    *measures.CATEGORY_LABELS.values(),
    *measures.CAP_OF.values(),
    "The file must hold a JSON list of measures.",
    "The key %(key)s is used twice in the file.",
]
# Labels the rules' sentences use from the service's vocabulary (kinds of body).
VOCABULARY_LABELS = list(vocab.KIND_LABELS.values())


@pytest.mark.parametrize("msgid", sorted(set(MSGIDS + VOCABULARY_LABELS)))
def test_every_msgid_has_a_japanese_translation_with_the_same_placeholders(msgid: str) -> None:
    japanese = catalog.translator("ja")(msgid)
    assert japanese != msgid
    placeholders = re.compile(r"%\((\w+)\)s")
    assert set(placeholders.findall(japanese)) == set(placeholders.findall(msgid))


def test_every_msgid_the_rules_mark_is_checked_above() -> None:
    marked = set()
    for module in RULE_MODULES:
        with open(module.__file__, "rb") as f:
            marked |= {msg for _line, msg, _c, _ctx in extract("python", f, keywords={"N_": None})}
    assert marked == set(MSGIDS) - {messages.MSG_REQUIRED}  # the shared one, marked elsewhere
