"""PURE: the keyword lexicon of the public listing.

People search for "さっぽろ", "札幌" or "Sapporo" as often as for a skill, and type without
spaces ("札幌市セキュリティ"), so the lexicon that segments queries holds the skills
vocabulary plus every prefecture and municipality name with its reading, with and without
the 都府県 / 市区町村 suffix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Name suffixes and the readings they take (katakana, as the master list writes readings).
_PREFECTURE_SUFFIXES = {"都": ("ト",), "府": ("フ",), "県": ("ケン",)}
_MUNICIPAL_SUFFIXES = {"市": ("シ",), "区": ("ク",), "町": ("チョウ", "マチ"), "村": ("ムラ", "ソン")}
# Shorter stems would segment unrelated words ("津" in 津波, "アキ" in アキレス).
MIN_KANJI_STEM = 2
MIN_KANA_STEM = 3


@dataclass(frozen=True)
class PlaceName:
    name: str
    kana: str
    kind: str  # "prefecture" or a municipal kind
    name_en: str = ""


def _stems(name: str, kana: str, suffixes: dict[str, tuple[str, ...]]) -> list[str]:
    """The name and reading without their suffix, when long enough to be specific."""
    suffix = name[-1:]
    if suffix not in suffixes or len(name) - 1 < MIN_KANJI_STEM:
        return []
    stems = [name[:-1]]
    for kana_suffix in suffixes[suffix]:
        if kana.endswith(kana_suffix) and len(kana) - len(kana_suffix) >= MIN_KANA_STEM:
            stems.append(kana[: -len(kana_suffix)])
            break
    return stems


def place_groups(places: Iterable[PlaceName]) -> list[list[str]]:
    """One synonym group per place: its name, reading, stems and English name."""
    groups: list[list[str]] = []
    for place in places:
        suffixes = _PREFECTURE_SUFFIXES if place.kind == "prefecture" else _MUNICIPAL_SUFFIXES
        group = [place.name, place.kana]
        if place.name != "北海道":  # 道 is part of the name, not a suffix
            group.extend(_stems(place.name, place.kana, suffixes))
        if place.name_en:
            group.append(place.name_en)
        groups.append([g for g in group if g])
    return groups

