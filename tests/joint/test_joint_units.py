"""Pure parts of the joint domain: shares and the proposal's state rule."""

from __future__ import annotations

from fractions import Fraction

import pytest

from talentmatch.joint.shares import (
    ParticipantInput,
    parse_days,
    parse_share,
    participants_text,
    percent_text,
    proposal_state,
    share_text,
    validate_participants,
)


@pytest.mark.parametrize(("text", "value"), [
    ("50", Fraction(1, 2)), ("50%", Fraction(1, 2)), ("５０％", Fraction(1, 2)),
    ("1/3", Fraction(1, 3)), ("33.3", Fraction(333, 1000)), ("100", Fraction(1)),
    ("0", None), ("-10", None), ("120", None), ("abc", None), ("1/0", None), ("", None),
    ("Infinity", None), ("-Infinity%", None), ("NaN", None), ("1/Infinity", None), ("Infinity/2", None),
])
def test_parse_share(text, value):
    assert parse_share(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("4", 4.0), ("2.5", 2.5), ("４", 4.0), ("0", None), ("32", None), ("1.25", None), ("x", None),
])
def test_parse_days(text, value):
    assert parse_days(text) == value


def test_share_texts():
    assert percent_text(Fraction(1, 2)) == "50%"
    assert share_text(Fraction(1, 3)) == "1/3 (33.33%)"
    assert share_text(Fraction(1, 8)) == "12.5%"


def _validate(rows, lead="013340", days=8.0, pref="01"):
    return validate_participants(
        [ParticipantInput(*r) for r in rows], lead_code=lead, days_per_month=days,
        proposing_prefecture=pref, municipality_exists=lambda c: c[:2] in ("01", "02"))


def test_exact_thirds_add_up_to_one_and_the_lead_comes_first():
    parts, errors = _validate([("013331", "3", "1/3"), ("013340", "3", "1/3"),
                               ("013374", "2", "1/3")])
    assert errors == []
    assert [p.municipality_code for p in parts] == ["013340", "013331", "013374"]
    assert sum(p.share_cost for p in parts) == 1


def test_empty_shares_follow_the_days_and_empty_rows_are_ignored():
    parts, errors = _validate([("013340", "6", ""), ("", "", ""), ("013331", "2", "")])
    assert errors == [] and [p.share_cost for p in parts] == [Fraction(3, 4), Fraction(1, 4)]


@pytest.mark.parametrize(("rows", "kw", "field"), [
    ([("013340", "4", "60"), ("013331", "4", "50")], {}, "participants-0-share_cost"),
    ([("013340", "4", "50"), ("013331", "5", "50")], {}, "days_per_month"),
    ([("013340", "4", "50"), ("", "4", "50")], {}, "participants-1-municipality_code"),
    ([("013340", "4", "50"), ("999999", "4", "50")], {}, "participants-1-municipality_code"),
    ([("013340", "4", "50"), ("013331", "4", "half")], {}, "participants-1-share_cost"),
    ([("013340", "8", "")], {}, "participants"),
    ([("013331", "4", "50"), ("013374", "4", "50")], {}, "lead_municipality_code"),
    ([("013340", "4", "50"), ("022012", "4", "50")], {"lead": "022012"},
     "lead_municipality_code"),
])
def test_errors_name_the_field(rows, kw, field):
    parts, errors = _validate(rows, **kw)
    assert parts == [] and field in {e.field for e in errors}


def test_proposal_state_rule():
    assert proposal_state("proposed", ["accepted", "pending"], []) == "proposed"
    assert proposal_state("proposed", ["accepted", "accepted"], ["pending"]) == "proposed"
    assert proposal_state("proposed", ["accepted", "accepted"], ["accepted"]) == "accepted"
    assert proposal_state("proposed", ["accepted", "declined"], []) == "declined"
    assert proposal_state("proposed", ["accepted", "accepted"], ["declined"]) == "declined"
    assert proposal_state("withdrawn", ["accepted", "accepted"], []) == "withdrawn"


def test_participants_text_for_exports():
    assert participants_text(None) == ""
    assert participants_text([{"code": "013340", "name": "木古内町", "share": None}]) == ""
    assert participants_text([
        {"code": "013340", "name": "木古内町", "share": 0.666667, "share_days": 4.0},
        {"code": "013331", "name": "知内町", "share": 0.333333, "share_days": 2.0},
    ]) == "木古内町（013340）66.67% 4日/月; 知内町（013331）33.33% 2日/月"
