"""The Japanese catalogue follows translations/glossary.csv: one Japanese term per concept.

A glossary row marked strict means every English message that uses the term is translated with
its Japanese term; the `avoid` column lists wordings that must not appear in any translation
(regular expressions; for example 貴県, which is wrong when the reader is 北海道, 東京都, 大阪府 or 京都府)."""
import csv
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
AVOID = "avoid (regular expressions separated by |)"
GLOSSARY = list(csv.DictReader((ROOT / "translations" / "glossary.csv").open(encoding="utf-8")))


def _catalogue():
    with (ROOT / "translations" / "ja" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return [m for m in read_po(f) if m.id]


def _text(value) -> str:
    return "".join(value) if isinstance(value, tuple) else (value or "")


CATALOGUE = _catalogue()


def test_glossary_has_one_japanese_term_per_concept():
    concepts = [row["concept"] for row in GLOSSARY]
    assert len(concepts) == len(set(concepts))
    assert all(row["ja"] and row["en"] for row in GLOSSARY)


@pytest.mark.parametrize("row", [r for r in GLOSSARY if r["strict"] == "yes"], ids=lambda r: r["en"])
def test_strict_terms_are_translated_with_the_glossary_term(row):
    pattern = re.compile(r"\b" + re.escape(row["en"]), re.IGNORECASE)
    uses = [m for m in CATALOGUE if pattern.search(_text(m.id))]
    assert uses, f"no message uses {row['en']!r}: the glossary row is stale"
    wrong = [(_text(m.id), _text(m.string)) for m in uses if row["ja"] not in _text(m.string)]
    assert wrong == []


@pytest.mark.parametrize("row", [r for r in GLOSSARY if r[AVOID]], ids=lambda r: r["en"])
def test_no_translation_uses_an_avoided_wording(row):
    avoided = re.compile(row[AVOID])
    found = [(_text(m.string)) for m in CATALOGUE if avoided.search(_text(m.string))]
    assert found == []
