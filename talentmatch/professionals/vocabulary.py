"""PURE: the skills and qualifications vocabulary (talentmatch/data/*.csv).

Free text and tags from postings and profiles become stable skill keys here, following the
data README: normalise both sides the same way, longest term first consuming its span, ASCII
terms only as whole tokens, broad skills weighted lower.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from talentmatch.text import Lexicon, normalize

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Skills that appear in almost every posting; a match on them says less about fit.
BROAD_SKILLS = frozenset(
    {
        "dx_promotion",
        "information_security",
        "network_design",
        "cloud_architecture",
        "staff_training",
    }
)
BROAD_WEIGHT = 0.5

# Registration as 支援士 requires having passed its exam, so it satisfies a wish for either.
QUALIFICATION_IMPLIES: dict[str, tuple[str, ...]] = {"riss": ("ipa_sc",)}

# Short names people write for qualifications; the CSV holds the official names only.
_QUALIFICATION_ALIASES: dict[str, tuple[str, ...]] = {
    "ipa_ip": ("ITパスポート", "iパス"),
    "ipa_sg": ("情報セキュリティマネジメント",),
    "ipa_fe": ("基本情報技術者", "基本情報"),
    "ipa_ap": ("応用情報技術者", "応用情報"),
    "ipa_st": ("ITストラテジスト", "IT Strategist"),
    "ipa_sa": ("システムアーキテクト",),
    "ipa_pm": ("プロジェクトマネージャ", "プロジェクトマネージャー試験"),
    "ipa_nw": ("ネットワークスペシャリスト",),
    "ipa_db": ("データベーススペシャリスト",),
    "ipa_es": ("エンベデッドシステムスペシャリスト",),
    "ipa_sm": ("ITサービスマネージャ", "ITサービスマネージャー"),
    "ipa_au": ("システム監査技術者",),
    "ipa_sc": ("情報処理安全確保支援士", "情報処理安全確保支援士試験", "支援士試験"),
    "riss": (
        "登録情報セキュリティスペシャリスト",
        "情報処理安全確保支援士（登録）",
        "登録セキスペ",
        "RISS",
    ),
    "ipa_sc_former": ("情報セキュリティスペシャリスト", "情報セキュリティスペシャリスト試験"),
    "pe_jp_information": ("技術士", "技術士（情報工学）"),
    "sme_consultant": ("中小企業診断士", "診断士"),
    "it_coordinator": ("ITC",),
    "pmp": ("PMP",),
    "pmi_acp": ("PMI-ACP",),
    "cissp": ("CISSP",),
    "cisa": ("CISA",),
    "cism": ("CISM",),
    "cais": ("CAIS", "公認情報セキュリティ監査人"),
    "itil4_foundation": ("ITIL", "ITIL4", "ITIL 4"),
    "csm": ("CSM", "認定スクラムマスター"),
    "psm1": ("PSM", "PSM I", "PSM1"),
    "aws_ccp": ("AWS CLF", "AWS クラウドプラクティショナー", "AWS Cloud Practitioner"),
    "aws_saa": ("AWS SAA", "AWS ソリューションアーキテクト アソシエイト", "SAA"),
    "aws_sap": ("AWS SAP", "AWS ソリューションアーキテクト プロフェッショナル"),
    "azure_fundamentals": ("AZ-900",),
    "azure_solutions_architect": ("AZ-305", "Azure Solutions Architect"),
    "ms365_fundamentals": ("MS-900",),
    "gcp_pca": ("Professional Cloud Architect", "PCA"),
    "ccna": ("CCNA",),
    "lpic1": ("LPIC-1", "LPIC1", "LPIC レベル1"),
    "toukei_1": ("統計検定 1級",),
    "toukei_jun1": ("統計検定 準1級",),
    "toukei_2": ("統計検定 2級",),
    "jdla_g": ("G検定", "ジェネラリスト検定"),
    "jdla_e": ("E資格",),
    "ds_kentei": ("DS検定", "データサイエンティスト検定"),
    "python3_basic": ("Python3エンジニア認定基礎試験", "Python 3 エンジニア認定基礎"),
    "genai_passport": ("生成AIパスポート",),
    "hcd_specialist": ("人間中心設計専門家", "HCD-Net認定 人間中心設計専門家", "HCD専門家"),
    "web_analyst": ("ウェブ解析士",),
    "drone_class1": ("一等無人航空機操縦士", "一等操縦士"),
    "drone_class2": ("二等無人航空機操縦士", "二等操縦士"),
}

SKILL_FUZZY_CUTOFF = 90.0
MAX_EXTRACT_CHARS = 20_000
MAX_FREE_TAG_CHARS = 80
_TAG_SPLIT = re.compile(r"[;；,，、\n]")


@dataclass(frozen=True)
class Skill:
    key: str
    ja: str
    en: str
    synonyms: tuple[str, ...]
    focus_areas: tuple[str, ...]
    dss_role: str | None
    weight: float

    @property
    def broad(self) -> bool:
        return self.key in BROAD_SKILLS

    @property
    def terms(self) -> tuple[str, ...]:
        return (self.ja, self.en, *self.synonyms)

    def label(self, locale: str = "ja") -> str:
        return self.en if locale.startswith("en") else self.ja


@dataclass(frozen=True)
class Qualification:
    key: str
    ja: str
    en: str
    issuer: str
    scarce: bool
    aliases: tuple[str, ...]

    def label(self, locale: str = "ja") -> str:
        return self.en if locale.startswith("en") else self.ja


def _text_breaks(text: str) -> tuple[str, bytearray]:
    """The normalised text plus where whitespace was, so that "use AI now" still has "ai"
    as a whole token after spaces are removed."""
    parts = [p for p in (normalize(t) for t in text.split()) if p]
    joined = "".join(parts)
    starts = bytearray(len(joined) + 1)
    pos = 0
    for p in parts:
        starts[pos] = 1
        pos += len(p)
    return joined, starts


def _qualification_aliases(row: dict[str, str]) -> tuple[str, ...]:
    """Official names plus the forms people write: without 試験 and without brackets."""
    names = [row["ja"], row["en"], *_QUALIFICATION_ALIASES.get(row["key"], ())]
    out: list[str] = []
    for name in names:
        nfkc = unicodedata.normalize("NFKC", name)
        bare = re.sub(r"\([^)]*\)", "", nfkc).strip()
        for variant in (nfkc, bare, bare.removesuffix("試験").strip()):
            if variant and variant not in out:
                out.append(variant)
        for inner in re.findall(r"\(([^)]*)\)", nfkc):
            # An abbreviation in brackets, e.g. (CISA), (DS検定); not notes like (合格).
            if re.search(r"[A-Za-z]{3}|検定$", inner) and ";" not in inner and inner not in out:
                out.append(inner.strip())
    return tuple(out)


class Vocabulary:
    """Skills and qualifications with their terms; build with `load_vocabulary()`."""

    def __init__(self, skills: Sequence[Skill], qualifications: Sequence[Qualification]) -> None:
        self.skills: dict[str, Skill] = {s.key: s for s in skills}
        self.qualifications: dict[str, Qualification] = {q.key: q for q in qualifications}
        self.skill_keys: tuple[str, ...] = tuple(self.skills)
        self._term_key: dict[str, str] = {}
        for skill in skills:
            for term in skill.terms:
                self._term_key.setdefault(normalize(term), skill.key)
        self._skill_lexicon = Lexicon(skill.terms for skill in skills)
        self._qual_term_key: dict[str, str] = {}
        for q in qualifications:
            for alias in q.aliases:
                self._qual_term_key.setdefault(normalize(alias), q.key)
        self._qual_lexicon = Lexicon(q.aliases for q in qualifications)
        self._lexicon: Lexicon | None = None
        self._version: str | None = None

    @property
    def version(self) -> str:
        """Changes whenever a skill, a qualification, their order or a term does: token ids
        and qualification bits compiled with a profile are valid only for the same version."""
        if self._version is None:
            digest = hashlib.sha1(usedforsecurity=False)
            for skill in self.skills.values():
                digest.update("\x1f".join((skill.key, *skill.terms)).encode() + b"\x1e")
            for q in self.qualifications.values():
                digest.update("\x1f".join((q.key, *q.aliases)).encode() + b"\x1d")
            self._version = digest.hexdigest()[:16]
        return self._version

    # -- skills ---------------------------------------------------------------------------
    def extract(self, text: str | None) -> list[str]:
        """Skill keys named in free text, in order of first appearance."""
        if not text:
            return []
        normalized, starts = _text_breaks(text[:MAX_EXTRACT_CHARS])
        spans, _ = self._skill_lexicon.segment(normalized, starts)
        keys: list[str] = []
        for i, j in spans:
            key = self._term_key[normalized[i:j]]
            if key not in keys:
                keys.append(key)
        return keys

    def resolve(self, term: str | None) -> str | None:
        """The skill key of one tag: a key itself, an exact term after normalising, or the
        closest term by rapidfuzz ratio ≥ 90 (typos such as "Pyhton")."""
        if not term:
            return None
        stripped = term.strip()
        if stripped in self.skills:
            return stripped
        n = normalize(stripped, MAX_FREE_TAG_CHARS * 2)
        key = self._term_key.get(n)
        if key is not None:
            return key
        near = self._skill_lexicon.fuzzy(n, SKILL_FUZZY_CUTOFF)
        return self._term_key[near] if near is not None else None

    def normalize_tags(self, tags: Iterable[str] | str | None) -> tuple[list[str], list[str]]:
        """(skill keys, free entries) for tags typed by a user; free entries are kept
        (NFKC, single spaces, capped) and deduplicated by their normalised form."""
        keys: list[str] = []
        free: list[str] = []
        seen: set[str] = set()
        for tag in split_tags(tags):
            key = self.resolve(tag)
            if key is not None:
                if key not in keys:
                    keys.append(key)
                continue
            clean = " ".join(unicodedata.normalize("NFKC", tag).split())[:MAX_FREE_TAG_CHARS]
            n = normalize(clean)
            if n and n not in seen:
                seen.add(n)
                free.append(clean)
        return keys, free

    def tag_keys(self, tags: Iterable[str] | str | None) -> tuple[list[str], list[str]]:
        """Like `normalize_tags`, but a free entry that names known skills inside it
        ("AWSとAzureの構築") gives those skills; returns (keys, remaining free entries)."""
        keys, free = self.normalize_tags(tags)
        leftovers: list[str] = []
        for entry in free:
            found = self.extract(entry)
            keys.extend(k for k in found if k not in keys)
            if not found:
                leftovers.append(entry)
        return keys, leftovers

    def label(self, key: str, locale: str = "ja") -> str:
        skill = self.skills.get(key)
        if skill is not None:
            return skill.label(locale)
        q = self.qualifications.get(key)
        return q.label(locale) if q is not None else key

    def focus_areas(self, key: str) -> tuple[str, ...]:
        skill = self.skills.get(key)
        return skill.focus_areas if skill is not None else ()

    def weight(self, key: str) -> float:
        skill = self.skills.get(key)
        return skill.weight if skill is not None else 1.0

    # -- qualifications -------------------------------------------------------------------
    def resolve_qualification(self, name: str | None) -> str | None:
        """The qualification key of a name ("ITストラテジスト" → ipa_st), or None."""
        if not name:
            return None
        stripped = name.strip()
        if stripped in self.qualifications:
            return stripped
        n = normalize(stripped, MAX_FREE_TAG_CHARS * 2)
        key = self._qual_term_key.get(n)
        if key is None and n.endswith("試験"):
            key = self._qual_term_key.get(n[: -len("試験")])
        if key is not None:
            return key
        near = self._qual_lexicon.fuzzy(n, SKILL_FUZZY_CUTOFF)
        return self._qual_term_key[near] if near is not None else None

    def normalize_qualifications(
        self, names: Iterable[str] | str | None
    ) -> tuple[list[str], list[str]]:
        """(qualification keys, free entries), like `normalize_tags`."""
        keys: list[str] = []
        free: list[str] = []
        seen: set[str] = set()
        for name in split_tags(names):
            key = self.resolve_qualification(name)
            if key is not None:
                if key not in keys:
                    keys.append(key)
                continue
            clean = " ".join(unicodedata.normalize("NFKC", name).split())[:MAX_FREE_TAG_CHARS]
            n = normalize(clean)
            if n and n not in seen:
                seen.add(n)
                free.append(clean)
        return keys, free

    def held_qualifications(self, keys: Iterable[str]) -> set[str]:
        """Keys plus what they imply (a registered 支援士 has passed the exam)."""
        held = set(keys)
        for key in list(held):
            held.update(QUALIFICATION_IMPLIES.get(key, ()))
        return held

    # -- search ---------------------------------------------------------------------------
    def lexicon(self, extra_groups: Iterable[Iterable[str]] = ()) -> Lexicon:
        """A `text.Lexicon` of every skill and qualification synonym set, plus the caller's
        groups (e.g. a municipality's name with its kana). Build once per process."""
        extra = [list(g) for g in extra_groups]
        if not extra and self._lexicon is not None:
            return self._lexicon
        lex = Lexicon(skill.terms for skill in self.skills.values())
        for q in self.qualifications.values():
            lex.add_group(q.aliases)
        for group in extra:
            lex.add_group(group)
        if not extra:
            self._lexicon = lex
        return lex


def split_tags(tags: Iterable[str] | str | None) -> list[str]:
    """Tags from a list or from one string separated by ; , 、 or newlines."""
    if not tags:
        return []
    items = _TAG_SPLIT.split(tags) if isinstance(tags, str) else list(tags)
    return [t.strip() for t in items if t and t.strip()]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=4)
def load_vocabulary(data_dir: str | Path | None = None) -> Vocabulary:
    """The vocabulary from talentmatch/data (cached: loading once per process suffices)."""
    base = Path(data_dir) if data_dir is not None else DATA_DIR
    skills = [
        Skill(
            key=row["key"],
            ja=row["ja"],
            en=row["en"],
            synonyms=tuple(s for s in row["synonyms"].split("|") if s),
            focus_areas=tuple(f for f in row["focus_areas"].split(";") if f),
            dss_role=row["dss_role"] or None,
            weight=BROAD_WEIGHT if row["key"] in BROAD_SKILLS else 1.0,
        )
        for row in _read_csv(base / "skills.csv")
    ]
    qualifications = [
        Qualification(
            key=row["key"],
            ja=row["ja"],
            en=row["en"],
            issuer=row["issuer"],
            scarce=row["scarce"].strip().lower() == "yes",
            aliases=_qualification_aliases(row),
        )
        for row in _read_csv(base / "qualifications.csv")
    ]
    return Vocabulary(skills, qualifications)
