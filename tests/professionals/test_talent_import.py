"""`flask professionals import`: a prefecture's talent list, all or nothing, with row and column
errors; consent handling and the imported person's confirmation link."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from talentmatch.accounts.models import User
from talentmatch.audit.models import AuditEvent
from talentmatch.extensions import db
from talentmatch.professionals import importing, services
from talentmatch.professionals.models import Professional
from talentmatch.professionals.vocabulary import load_vocabulary
from tests.support.factories import login, make_user
from tests.support.mail import links, mailbox

HEADER_EN = (
    "email,display_name,kind,skills,focus_areas,experience,qualifications,public_sector_experience,"
    "preferred_prefectures,remote_preference,available_days_per_month,accepted_employment_types,"
    "discoverable,locale"
)
HEADER_JA = (
    "メールアドレス,氏名,区分,スキル,業務分野,経験,資格,公務経験,希望都道府県,テレワーク希望,"
    "稼働可能日数(月),希望する任用形態,検索への公開,言語"
)
ROWS = [
    "sato@example.jp,佐藤 一郎,個人,セキュリティ;BPR;地域通貨アプリ企画,セキュリティ;業務改革,元市役所情報政策課,"
    "ITストラテジスト;応用情報,はい,大阪府;兵庫;27,ハイブリッド,4,業務委託;特別職非常勤職員,はい,ja",
    "info@naniwa-dx.example.jp,株式会社なにわDX,企業,AI;RPA,ai_rpa,自治体向けRPA導入50件,,no,27,"
    "remote_only,10.5,outsourcing,yes,en",
    "hidden@example.jp,公開しない 花子,individual,データ分析,data_utilization,,,no,13,onsite_ok,2,,no,",
]


def _csv(header: str = HEADER_EN, rows: list[str] = ROWS) -> str:
    return "\n".join([header, *rows]) + "\n"


def _write(tmp_path, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "list.csv"
    path.write_bytes(text.encode(encoding))
    return str(path)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_without_consent_keeps_everyone_hidden_and_invites_them(app, runner, ctx, tmp_path):
    coordinator = make_user("prefecture", prefecture_code="27")
    result = runner.invoke(
        args=[
            "professionals",
            "import",
            _write(tmp_path, _csv(HEADER_JA), "cp932"),
            "--by",
            coordinator.email,
        ]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary == {
        "prefecture": "27",
        "created": 3,
        "discoverable": 0,
        "hidden_until_confirmed": 2,
        "consent_obtained": False,
    }
    profs = {p.user.email: p for p in db.session.scalars(select(Professional))}
    sato = profs["sato@example.jp"]
    assert sato.skills[:2] == ["information_security", "bpr"] and sato.free_skills == [
        "地域通貨アプリ企画"
    ]
    assert sato.focus_areas == ["security", "bpr"] and sato.preferred_prefectures == ["27", "28"]
    assert sato.qualifications == ["ipa_st", "ipa_ap"] and sato.public_sector_experience is True
    assert sato.accepted_employment_types == ["special_part_time", "outsourcing"]
    assert profs["info@naniwa-dx.example.jp"].kind == "company"
    assert profs["info@naniwa-dx.example.jp"].available_days_per_month == 10.5
    assert profs["info@naniwa-dx.example.jp"].user.locale == "en"
    for p in profs.values():
        assert (
            p.discoverable is False
            and p.source == "imported"
            and p.imported_prefecture_code == "27"
        )
        assert p.imported_by_id == coordinator.id and p.import_consent_obtained is False
        assert p.user.password_hash == "" and p.user.email_confirmed_at is None
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "professionals.imported")
    )
    assert event.actor_id == coordinator.id and event.detail["consent_obtained"] is False
    assert "sato" not in json.dumps(event.detail)
    mails = mailbox(app)
    assert len(mails) == 3 and all(links(m, "/professionals/confirm/") for m in mails)


def test_consent_obtained_makes_people_discoverable_as_their_row_says(runner, ctx, tmp_path):
    result = runner.invoke(
        args=[
            "professionals",
            "import",
            _write(tmp_path, "\ufeff" + _csv()),
            "--consent-obtained",
            "--prefecture",
            "大阪府",
        ]
    )
    assert result.exit_code == 0, result.output
    found = {p.user.email: p.discoverable for p in db.session.scalars(select(Professional))}
    assert found == {
        "sato@example.jp": True,
        "info@naniwa-dx.example.jp": True,
        "hidden@example.jp": False,
    }
    assert all(
        p.import_consent_obtained and p.imported_by_id is None
        for p in db.session.scalars(select(Professional))
    )


def _errors_of(runner, tmp_path, text: str, *extra: str) -> list[str]:
    result = runner.invoke(
        args=["professionals", "import", _write(tmp_path, text), "--prefecture", "27", *extra]
    )
    assert result.exit_code == 2, result.output
    assert _count(User) == 0 or _count(Professional) == 0
    return result.output.strip().splitlines()


def test_missing_email_column_is_reported(runner, ctx, tmp_path):
    lines = _errors_of(runner, tmp_path, _csv(HEADER_EN.replace("email,", "mail_address,", 1)))
    assert any("email" in line and "missing" in line for line in lines)
    assert any("mail_address" in line for line in lines)  # the unknown header is named too
    assert _count(Professional) == 0


def test_errors_name_row_and_column_and_nothing_is_imported(runner, ctx, tmp_path):
    make_user("professional", email="taken@example.jp")
    rows = list(ROWS) + [
        "bad-days@example.jp,日数 誤り,,,,,,,,,32,,,",  # row 5
        "bad-pref@example.jp,県 誤り,,,,,,,ムー大陸,,4,,,",  # row 6
        "sato@example.jp,重複 さん,,,,,,,,,4,,,",  # row 7: repeats row 2
        "taken@example.jp,既存 さん,,,,,,,,,4,,,",  # row 8: has an account
        'formula@example.jp,=HYPERLINK("http://x"),,,,,,,,,4,,,',  # row 9
        "not-an-email,名前,,,,,,,,,4,,,",  # row 10
    ]
    lines = _errors_of(runner, tmp_path, _csv(HEADER_EN, rows))
    text = "\n".join(lines)
    assert "Row 5, available_days_per_month: Enter a number of days" in text
    assert "Row 6, preferred_prefectures: 'ムー大陸' is not a prefecture" in text
    assert "Row 7, email: This email address already appears in row 2." in text
    assert "Row 8, email: An account with this email address already exists" in text
    assert "Row 9, display_name:" in text and "formula" in text
    assert "Row 10, email: Enter a valid email address" in text
    assert "nothing was imported" in lines[-1]
    assert _count(Professional) == 0 and _count(User) == 1  # only the account that existed
    taken = db.session.scalar(select(User).where(User.email == "taken@example.jp"))
    assert taken.display_name != "既存 さん"  # never overwritten


def test_japanese_headers_name_the_column_as_written(runner, ctx, tmp_path):
    rows = ["a@example.jp,名前,,,,,,,,,abc,,,"]
    lines = _errors_of(runner, tmp_path, _csv(HEADER_JA, rows))
    assert any(line.startswith("Row 2, 稼働可能日数(月):") for line in lines)


def test_coordinators_import_only_for_their_own_prefecture(runner, ctx, tmp_path):
    coordinator = make_user("prefecture", prefecture_code="13")
    lines = _errors_of(runner, tmp_path, _csv(), "--by", coordinator.email)
    assert any("only for your own prefecture" in line for line in lines)
    staff = make_user("municipality", municipality_code="271004")
    lines = _errors_of(runner, tmp_path, _csv(), "--by", staff.email)
    assert any("--by" in line for line in lines)
    assert _count(Professional) == 0


def test_files_that_are_not_text_are_refused(runner, ctx, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(b"\x00\x01\x02binary")
    result = runner.invoke(args=["professionals", "import", str(path), "--prefecture", "27"])
    assert result.exit_code == 2 and "UTF-8" in result.output


def test_parser_reads_bom_and_cp932_alike():
    text = _csv(HEADER_JA)
    a = importing.parse_csv(("\ufeff" + text).encode("utf-8"))
    b = importing.parse_csv(text.encode("cp932"))
    assert a.errors == b.errors == [] and a.rows == b.rows and len(a.rows) == 3
    cleaned, errors = importing.validate_rows(a.rows, load_vocabulary())
    assert errors == [] and cleaned[0]["email"] == "sato@example.jp"


def _import_one(discoverable: str = "yes") -> Professional:
    rows = importing.parse_csv(
        _csv(HEADER_EN, [ROWS[0].replace(",はい,ja", f",{discoverable},ja")]).encode()
    ).rows
    report = services.import_talent_list(rows, None, "27", consent_obtained=False)
    return db.session.get(Professional, report.professional_ids[0])


def test_confirmation_link_makes_the_person_visible(app, client, ctx):
    prof = _import_one()
    staff = make_user("municipality", municipality_code="271004")
    with pytest.raises(services.NotVisible):
        services.view_profile(staff, prof.id)
    [mail] = mailbox(app)
    [link] = links(mail, "/professionals/confirm/")
    path = urlsplit(link).path
    page = client.get(path).get_data(as_text=True)
    assert "佐藤 一郎" in page and "SendGrid" in page
    assert 'name="discoverable" type="checkbox" value="y" checked' in page or "checked" in page
    # Consent is required; nothing changes without it.
    r = client.post(path, data={"password": "とても長い日本語のパスフレーズ", "discoverable": "y"})
    assert r.status_code == 200 and "consent" in r.get_data(as_text=True)
    db.session.refresh(prof)
    assert prof.discoverable is False and prof.confirmed_at is None
    r = client.post(
        path,
        data={"password": "とても長い日本語のパスフレーズ", "discoverable": "y", "consent": "y"},
    )
    assert r.status_code == 302
    db.session.refresh(prof)
    user = db.session.get(User, prof.user_id)
    assert prof.discoverable is True and prof.confirmed_at is not None
    assert user.consent_version and user.consent_at and user.email_confirmed_at
    assert services.view_profile(staff, prof.id).id == prof.id
    assert (
        client.post(path, data={"password": "x" * 20, "consent": "y"}).status_code == 400
    )  # single use
    login(app.test_client(), user, "とても長い日本語のパスフレーズ")


def test_the_person_can_refuse_and_everything_is_removed(app, client, ctx):
    prof = _import_one()
    uid = prof.user_id
    [mail] = mailbox(app)
    path = urlsplit(links(mail, "/professionals/confirm/")[0]).path
    assert client.post(path + "/decline").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, uid) is None and _count(Professional) == 0
    assert client.get(path).status_code == 400


def test_forged_or_unknown_links_are_refused(client, ctx):
    assert client.get("/professionals/confirm/not-a-token").status_code == 400
    assert client.post("/professionals/confirm/not-a-token/decline").status_code == 400
