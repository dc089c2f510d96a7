"""PURE: scarce qualifications (data/qualifications.csv) and finding them named in a text.

Few people hold qualifications such as ITストラテジスト or 情報処理安全確保支援士; the advice
warns when a posting makes one mandatory. Names are matched the way people write them:
full or short forms, full-width letters, マネージャ or マネージャー.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from talentmatch.tabular.headers import fold


@dataclass(frozen=True)
class Qualification:
    key: str
    ja: str
    en: str
    aliases: tuple[str, ...]


_DATA_DIR = Path(__file__).resolve().parents[2] / "data"

# Short forms people actually write. Role-like names (プロジェクトマネージャ, システムアーキテクト)
# only count with 試験, so asking for a project manager is not mistaken for the exam.
_EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "ipa_st": ("ITストラテジスト", "IT Strategist"),
    "ipa_sc": ("情報処理安全確保支援士", "安全確保支援士", "登録セキスペ", "セキスペ"),
    "riss": ("情報処理安全確保支援士", "安全確保支援士"),
    "ipa_au": ("システム監査技術者",),
    "sme_consultant": ("中小企業診断士",),
    "pe_jp_information": ("技術士(情報工学",),
}
# The umbrella name for IPA's advanced exams, often made a requirement as a whole.
_UMBRELLA = Qualification(
    "ipa_advanced",
    "高度情報処理技術者試験",
    "Advanced IPA examinations",
    ("高度情報処理技術者", "高度IT資格"),
)


def _aliases_from_names(ja: str, en: str) -> set[str]:
    names = {ja, en}
    for name in (ja, en):
        stripped = re.sub(r"\s+[–-].*$", "", name)
        stripped = re.sub(r"\s*[（(][^）)]*[）)]\s*$", "", stripped)
        if len(fold(stripped)) >= 3:
            names.add(stripped)
        # An ASCII abbreviation of 3+ letters in brackets (PMP, CISSP, RISS); 2-letter ones
        # like PM or DB are everyday words.
        for abbr in re.findall(r"[（(]([A-Za-z][A-Za-z\-.]{2,})[）)]", name):
            names.add(abbr)
    return names


@lru_cache(maxsize=1)
def scarce_qualifications() -> tuple[Qualification, ...]:
    """Qualifications marked scarce in data/qualifications.csv, with names to match."""
    result: list[Qualification] = []
    with (_DATA_DIR / "qualifications.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if (row.get("scarce") or "").strip().lower() != "yes":
                continue
            names = _aliases_from_names(row["ja"], row["en"]) | set(
                _EXTRA_ALIASES.get(row["key"], ())
            )
            result.append(Qualification(row["key"], row["ja"], row["en"], tuple(sorted(names))))
    result.append(_UMBRELLA)
    return tuple(result)


def _match_form(text: str) -> str:
    # マネージャ/マネージャー and full-width letters compare equal; spaces stay single so that
    # English abbreviations keep their word boundaries.
    text = unicodedata.normalize("NFKC", text).casefold().replace("ー", "")
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1)
def _qualification_patterns() -> tuple[tuple[Qualification, re.Pattern[str]], ...]:
    patterns = []
    for q in scarce_qualifications():
        parts = []
        for alias in {_match_form(a) for a in (q.ja, q.en, *q.aliases)} - {""}:
            escaped = re.escape(alias)
            if alias.isascii():  # whole words only: "cisa" must not match inside a word
                escaped = rf"(?<![a-z0-9]){escaped}(?![a-z0-9])"
            parts.append(escaped)
        patterns.append((q, re.compile("|".join(sorted(parts, key=len, reverse=True)))))
    return tuple(patterns)


def find_scarce_qualifications(text: str) -> list[Qualification]:
    """Scarce qualifications named in a text, in the data file's order."""
    form = _match_form(text)
    found = [q for q, pattern in _qualification_patterns() if pattern.search(form)]
    # The exam and the registration of 情報処理安全確保支援士 are one thing to a reader.
    if any(q.key == "ipa_sc" for q in found):
        found = [q for q in found if q.key != "riss"]
        # "Registered Information Security Specialist Examination" contains the old exam's name.
        if "情報セキュリティスペシャリスト" not in form and "former" not in form:
            found = [q for q in found if q.key != "ipa_sc_former"]
    return found
