import csv
from pathlib import Path

from sqlalchemy import func, select

from talentmatch.geo.codes import check_digit, is_valid_code, normalize_code
from talentmatch.geo.models import Municipality, Prefecture

DATA = Path(__file__).resolve().parents[2] / "talentmatch" / "data" / "municipalities.csv"


def test_check_digit_examples_from_the_standard():
    assert check_digit("01100") == 2  # 札幌市 011002
    assert check_digit("13101") == 6  # 千代田区 131016
    assert check_digit("01000") == 6  # 北海道 010006
    assert is_valid_code("011002") and not is_valid_code("011003")
    assert not is_valid_code("01100") and not is_valid_code("abcdef")
    assert normalize_code("０１１００２") == "011002"
    assert normalize_code("01100") == "011002"
    assert normalize_code("011009") is None


def test_every_row_of_the_master_list_passes_its_check_digit():
    with DATA.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 47 + 1741
    assert all(is_valid_code(r["code"]) for r in rows)


def test_master_data_counts(ctx):
    from talentmatch.extensions import db

    assert db.session.scalar(select(func.count()).select_from(Prefecture)) == 47
    by_kind = dict(db.session.execute(select(Municipality.kind, func.count()).group_by(Municipality.kind)).all())
    assert by_kind == {"special_ward": 23, "designated_city": 20, "city": 772, "town": 743, "village": 183}
    assert sum(by_kind.values()) == 1741


def test_geo_load_is_idempotent_and_prints_counts(runner):
    result = runner.invoke(args=["geo", "load"])
    assert result.exit_code == 0, result.output
    assert "prefectures: 47" in result.output
    assert "municipalities: 1741" in result.output
    assert "inserted: 0, updated: 0" in result.output


def test_geo_load_refuses_a_bad_check_digit(app, tmp_path):
    from talentmatch.geo.services import MasterDataError, read_master

    bad = tmp_path / "m.csv"
    bad.write_text("code,prefecture_code,prefecture,name,name_kana,kind\n011003,01,北海道,札幌市,サッポロシ,designated_city\n",
                   encoding="utf-8")
    try:
        read_master(bad)
    except MasterDataError as exc:
        assert "011003" in str(exc)
    else:
        raise AssertionError("a bad check digit must be refused")


def test_public_pages_list_prefectures_and_municipalities(client):
    page = client.get("/prefectures").get_data(as_text=True)
    assert "北海道" in page and "沖縄県" in page
    page = client.get("/prefectures/13").get_data(as_text=True)
    assert "千代田区" in page and "131016" in page
    assert client.get("/prefectures/99").status_code == 404


def test_municipalities_api_filters_by_prefecture(client):
    data = client.get("/api/v1/municipalities").get_json()
    assert data["count"] == 1741
    tokyo = client.get("/api/v1/municipalities?prefecture=13").get_json()
    assert tokyo["count"] == 62
    assert {i["prefecture_code"] for i in tokyo["items"]} == {"13"}
    chiyoda = next(i for i in tokyo["items"] if i["code"] == "131016")
    assert chiyoda == {"code": "131016", "name": "千代田区", "name_kana": "チヨダク", "kind": "special_ward",
                       "prefecture_code": "13", "prefecture": "東京都"}
    bad = client.get("/api/v1/municipalities?prefecture=99")
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "prefecture"
