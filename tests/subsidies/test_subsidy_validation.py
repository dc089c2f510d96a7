"""The estimate's input: every mistake refused at once, each naming its field (DESIGN §6)."""

from __future__ import annotations

from typing import Any

import pytest

from talentmatch.subsidies.calculation import calculate
from talentmatch.subsidies.measures import seed_measures
from talentmatch.subsidies.validation import InvalidInput, requested_lang
from tests.support.subsidy_cases import CITY, TODAY, line, lookup, run


def test_payload_lang_overrides_the_default() -> None:
    payload = {"municipality_code": CITY, "lines": [line(fiscal_year=2023)], "lang": "en"}
    assert requested_lang(payload) == "en"
    res = calculate(payload, lookup, lang="ja", today=TODAY, measures=seed_measures()).to_dict()
    assert res["lines"][0]["fiscal_year_label"] == "FY2023"
    assert requested_lang({"lang": "fr"}, "ja") == "ja"


def _errors(payload: Any, **kw: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        calculate(payload, lookup, today=TODAY, **{"measures": seed_measures(), **kw})
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
        ({"municipality_code": CITY, "lines": [line("", fiscal_year=2023)]}, ["lines[0].id"]),
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
            {"municipality_code": CITY, "lines": [line(amount=100.25, fiscal_year=2023)]},
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
            {"municipality_code": CITY, "lines": [line(fiscal_year=2023.5)]},
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
    res = calculate({"municipality_code": "０１２０２５", "lines": [OK]}, lookup, today=TODAY,
                    measures=seed_measures())
    assert res.municipality.code == CITY


def test_extra_keys_are_ignored() -> None:
    res = run([{**OK, "note": "CIO補佐官 4月分"}])
    assert res["lines"][0]["reason"] == "eligible"




def test_repeated_ids_and_whole_float_numbers_are_accepted() -> None:
    # JSON Schema (the published API schema) can forbid neither: 100.0 is an integer there,
    # and uniqueness of one key across array items cannot be stated.
    payload = {"municipality_code": CITY,
               "lines": [OK, line("b", fiscal_year=2023.0, amount=100.0), OK]}  # type: ignore[arg-type]
    res = calculate(payload, lookup, today=TODAY, measures=seed_measures()).to_dict()
    assert [(ln["id"], ln["fiscal_year"], ln["amount"]) for ln in res["lines"]] == [
        ("a", 2023, OK["amount"]), ("b", 2023, 100), ("a", 2023, OK["amount"])]
    assert isinstance(res["lines"][1]["amount"], int)
