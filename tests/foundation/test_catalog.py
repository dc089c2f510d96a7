"""The catalogue outside Flask: the compiled .mo, else the .po compiled in memory."""

from __future__ import annotations

import os
import shutil
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from talentmatch import catalog

PO = catalog.TRANSLATIONS / "ja" / "LC_MESSAGES" / "messages.po"


def _po(messages: dict[str, str], fuzzy: tuple[str, ...] = ()) -> Catalog:
    cat = Catalog(locale="ja")
    for msgid, text in messages.items():
        cat.add(msgid, text, flags=("fuzzy",) if msgid in fuzzy else ())
    return cat


def _write(directory: Path, cat: Catalog, kind: str, mtime: float) -> None:
    folder = directory / "ja" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"messages.{kind}"
    with path.open("wb") as f:
        (write_po if kind == "po" else write_mo)(f, cat)
    os.utime(path, (mtime, mtime))


def test_the_shipped_catalogue_translates() -> None:
    ja = catalog.translator("ja")
    assert ja("Recruitment costs") == "募集経費"
    assert ja("This field is required.") == "この項目は必須です。"


def test_english_reads_the_msgids() -> None:
    en = catalog.translator("en")
    assert en("Recruitment costs") == "Recruitment costs"


def test_without_a_compiled_catalogue_the_po_is_compiled_in_memory(tmp_path: Path) -> None:
    folder = tmp_path / "ja" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(PO, folder / "messages.po")
    assert not (folder / "messages.mo").exists()
    fresh = catalog.translations("ja", tmp_path)
    shipped = read_po(BytesIO(PO.read_bytes()), locale="ja")
    checked = 0
    for msg in shipped:
        if msg.id and isinstance(msg.id, str) and msg.string and not msg.fuzzy:
            assert fresh.gettext(msg.id) == msg.string
            checked += 1
    assert checked > 500
    assert not (folder / "messages.mo").exists()  # nothing is written into the checkout


def test_the_compiled_catalogue_is_read_when_it_is_current(tmp_path: Path) -> None:
    _write(tmp_path, _po({"Recruitment costs": "募集経費 (po)"}), "po", 1_000_000)
    _write(tmp_path, _po({"Recruitment costs": "募集経費 (mo)"}), "mo", 2_000_000)
    assert catalog.translations("ja", tmp_path).gettext("Recruitment costs") == "募集経費 (mo)"


def test_a_po_edited_after_compiling_wins(tmp_path: Path) -> None:
    _write(tmp_path, _po({"Recruitment costs": "募集経費 (po)"}), "po", 2_000_000)
    _write(tmp_path, _po({"Recruitment costs": "募集経費 (mo)"}), "mo", 1_000_000)
    assert catalog.translations("ja", tmp_path).gettext("Recruitment costs") == "募集経費 (po)"


def test_fuzzy_and_empty_entries_are_not_used(tmp_path: Path) -> None:
    _write(tmp_path, _po({"Fuzzy": "曖昧", "Empty": "", "Kept": "訳"}, fuzzy=("Fuzzy",)), "po", 1)
    t = catalog.translations("ja", tmp_path)
    assert (t.gettext("Fuzzy"), t.gettext("Empty"), t.gettext("Kept")) == ("Fuzzy", "Empty", "訳")


def test_a_language_without_a_catalogue_reads_the_msgids(tmp_path: Path) -> None:
    assert catalog.translations("fr", tmp_path).gettext("Recruitment costs") == "Recruitment costs"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_translator_without_a_gettext_is_the_catalogue(lang: str) -> None:
    t = catalog.translator(lang)
    expected = {"ja": "委託料", "en": "Outsourcing fees"}[lang]
    assert t("Outsourcing fees") == expected
    assert catalog.translations(lang).gettext("Outsourcing fees") == expected


def test_translator_prefers_the_callers_gettext_and_fills_its_gaps() -> None:
    def callers(msgid: str) -> str:
        return {"Outsourcing fees": "委託料（呼び出し側）"}.get(msgid, msgid)

    t = catalog.translator("ja", callers)
    assert t("Outsourcing fees") == "委託料（呼び出し側）"
    assert t("Recruitment costs") == "募集経費"
    assert t("A msgid nobody translates") == "A msgid nobody translates"
