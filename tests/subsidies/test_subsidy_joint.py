"""Joint appointments: each participant's part of the costs and its own grant."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from talentmatch.extensions import db
from talentmatch.subsidies import calculation, services, validation
from talentmatch.subsidies.measures import seed_measures
from talentmatch.subsidies.models import CostLine
from tests.support.factories import login, make_user
from tests.support.subsidies import (
    HAKODATE,
    HOKKAIDO,
    MAKUBETSU,
    OTARU,
    SHIBUYA,
    master_lookup,
)

TOTAL = [
    {"id": "1", "fiscal_year": 2024, "category": "special_part_time_remuneration", "amount": 2_400_001},
    {"id": "2", "date": "2024-05-01", "category": "recruitment", "amount": 3_000_000},
    {"id": "3", "date": "2026-06-01", "category": "outsourcing_fee", "amount": 100},
]


def test_joint_split_gives_each_participant_its_part_and_grant(ctx):
    shares = {HAKODATE: "2", OTARU: "1", HOKKAIDO: "0.5", SHIBUYA: "0.5"}
    parts = services.joint_split(TOTAL, shares)
    assert [p.code for p in parts] == list(shares)
    for ln in TOTAL:
        assert sum(p.amounts[ln["id"]] for p in parts) == ln["amount"]  # nothing lost to rounding
    by_code = {p.code: p for p in parts}
    assert by_code[HAKODATE].amounts["1"] == 1_200_001  # 2 / 4 of 2,400,001, remainder yen to the largest
    for p in parts:
        lines = [dict(ln, amount=p.amounts[ln["id"]]) for ln in TOTAL]
        expected = calculation.calculate({"municipality_code": p.code, "lines": lines}, master_lookup,
                                         measures=seed_measures())
        assert p.result.to_dict() == expected.to_dict()
    for code in (HOKKAIDO, SHIBUYA):
        assert {ln.reason for ln in by_code[code].result.lines} == {"body_not_covered"}
        assert by_code[code].result.total_grant == 0
    # Each municipality's recruitment cap applies to its own part.
    assert by_code[HAKODATE].result.lines[1].reason == "capped"
    assert by_code[HAKODATE].result.lines[1].eligible_amount == 1_000_000
    assert by_code[OTARU].result.lines[1].reason == "eligible"
    assert by_code[HAKODATE].result.lines[2].reason == "out_of_period"


def test_joint_split_refuses_bad_input_naming_fields(ctx):
    with pytest.raises(validation.InvalidInput) as exc:
        services.joint_split([{"id": "1", "category": "x", "amount": -1}],
                             {HAKODATE: "abc", "012026": "1", OTARU: "-1"})
    fields = {e.field for e in exc.value.errors}
    assert fields == {f"shares.{HAKODATE}", "shares.012026", f"shares.{OTARU}",
                      "lines[0].category", "lines[0].amount", "lines[0].date"}
    with pytest.raises(validation.InvalidInput) as exc:
        services.joint_split(TOTAL, {HAKODATE: "0", OTARU: "0"})
    assert [e.field for e in exc.value.errors] == ["shares"]


def _form(lines, participants, action="compute"):
    data = {"action": action}
    for i, ln in enumerate(lines):
        for k, v in ln.items():
            data[f"lines-{i}-{k}"] = v
    for i, (code, share) in enumerate(participants):
        data[f"participants-{i}-municipality_code"] = code
        data[f"participants-{i}-share"] = share
    return data


LINES_FORM = [
    {"category": "special_part_time_remuneration", "amount": "2,400,001", "fiscal_year": "2024"},
    {"category": "recruitment", "amount": "3000000", "date": "2024-05-01"},
]


def test_coordinator_splits_costs_on_the_page(app, ctx):
    c = app.test_client()
    login(c, make_user("prefecture", prefecture_code="01"))
    r = c.post("/subsidies/joint", data=_form(LINES_FORM, [(HAKODATE, "2"), (MAKUBETSU, "1"), (HOKKAIDO, "1")]))
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    parts = {p.code: p for p in services.joint_split(
        [{"id": "1", "fiscal_year": 2024, "category": "special_part_time_remuneration", "amount": 2_400_001},
         {"id": "2", "date": "2024-05-01", "category": "recruitment", "amount": 3_000_000}],
        {HAKODATE: "2", MAKUBETSU: "1", HOKKAIDO: "1"})}
    from talentmatch.wareki import format_yen

    for code, p in parts.items():
        row = re.search(rf'<tr data-code="{code}">(.*?)</tr>', html, re.S)
        assert row and format_yen(p.result.total_grant) in row[1], code
    assert "reason-body_not_covered" in html  # the prefecture's own part
    assert "Add my part" not in html and 'value="save"' not in html  # coordinators only compute
    assert db.session.scalar(select(CostLine.id)) is None


def test_bad_joint_input_names_the_field(app, ctx):
    c = app.test_client()
    login(c, make_user("prefecture", prefecture_code="01"))
    lines = [dict(LINES_FORM[0], amount="12x")]
    r = c.post("/subsidies/joint", data=_form(lines, [(HAKODATE, "abc"), (OTARU, "")]))
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert 'id="lines-0-amount-error"' in html
    assert 'id="participants-1-share-error"' in html
    r = c.post("/subsidies/joint", data=_form(LINES_FORM, [(HAKODATE, "abc")]))
    assert r.status_code == 400 and 'id="participants-0-share-error"' in r.get_data(as_text=True)


def test_staff_save_their_own_part_once(app, ctx):
    c = app.test_client()
    login(c, make_user("municipality", municipality_code=HAKODATE))
    page = c.get("/subsidies/joint").get_data(as_text=True)
    assert f'<option selected value="{HAKODATE}">' in page  # starts with the user's municipality
    data = _form(LINES_FORM, [(HAKODATE, "2"), (OTARU, "1")], action="save")
    for _ in range(2):
        r = c.post("/subsidies/joint", data=data)
        assert r.status_code == 302
    lines = db.session.scalars(select(CostLine).order_by(CostLine.id)).all()
    assert [(ln.municipality_code, ln.source, ln.amount) for ln in lines] == [
        (HAKODATE, "joint", 1_600_001), (HAKODATE, "joint", 2_000_000)]
    # Saving a split the user's municipality is not part of is refused.
    r = c.post("/subsidies/joint", data=_form(LINES_FORM, [(OTARU, "1"), (MAKUBETSU, "1")], action="save"))
    assert r.status_code == 403
    assert len(db.session.scalars(select(CostLine)).all()) == 2


def test_joint_page_roles(app, ctx):
    for role, kw in (("ministry", {}), ("professional", {})):
        c = app.test_client()
        login(c, make_user(role, **kw))
        assert c.get("/subsidies/joint").status_code == 403
    assert app.test_client().get("/subsidies/joint").status_code == 302


def test_full_width_amounts_years_and_shares_split_as_typed_in_ascii(app, ctx):
    """What a Japanese IME types into the amount and share boxes (２，４００，００１, ０．５)
    splits the costs exactly as the same figures typed in ASCII (dates come from the
    browser's date picker)."""
    c = app.test_client()
    login(c, make_user("prefecture", prefecture_code="01"))
    wide = str.maketrans("0123456789,.-", "０１２３４５６７８９，．ー")
    ascii_form = _form(LINES_FORM, [(HAKODATE, "2"), (MAKUBETSU, "1"), (HOKKAIDO, "0.5")])
    typed = {k: (v.translate(wide) if re.search(r"-(amount|share)$", k) else v)
             for k, v in ascii_form.items()}
    assert typed != ascii_form
    expected = c.post("/subsidies/joint", data=ascii_form)
    got = c.post("/subsidies/joint", data=typed)
    assert (expected.status_code, got.status_code) == (200, 200), got.get_data(as_text=True)[:300]

    def rows(resp):
        return re.findall(r'<tr data-code="\d+">.*?</tr>', resp.get_data(as_text=True), re.S)

    assert rows(got) == rows(expected) and len(rows(expected)) == 3


def test_a_share_that_is_no_number_names_its_field(app, ctx):
    """'Infinity' (a value a robot or a paste may send) is refused like 'abc', never a 500."""
    c = app.test_client()
    login(c, make_user("prefecture", prefecture_code="01"))
    for bad in ("Infinity", "-Infinity", "NaN"):
        r = c.post("/subsidies/joint", data=_form(LINES_FORM, [(HAKODATE, bad), (MAKUBETSU, "1")]))
        assert r.status_code == 400, (bad, r.status_code)
        assert 'id="participants-0-share-error"' in r.get_data(as_text=True), bad
