"""PURE: inputs compiled for scoring: skill tags to token ids, sets to bitmasks.

`Tokens` gives the ids shared by the profiles and needs of one index (skill keys from the
vocabulary, then free entries as they appear); `compile_profile` / `compile_need` turn
`ProfileData` / `NeedData` into `CProfile` / `CNeed` rows of ints and floats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from talentmatch.matching.matcher.data import (
    EMPLOYMENT_TYPES,
    FOCUS_KEYS,
    REMOTE_MODES,
    REMOTE_PREFERENCES,
    NeedData,
    ProfileData,
    pref_code,
)
from talentmatch.matching.matcher.weights import PREFERRED_WEIGHT, REQUIRED_WEIGHT
from talentmatch.professionals.vocabulary import Vocabulary, split_tags
from talentmatch.text import normalize

FOCUS_BIT = {k: 1 << i for i, k in enumerate(FOCUS_KEYS)}
EMPLOYMENT_BIT = {k: 1 << i for i, k in enumerate(EMPLOYMENT_TYPES)}
ANY_EMPLOYMENT = (1 << len(EMPLOYMENT_TYPES)) - 1


def pref_mask(codes: Iterable[str]) -> int:
    mask = 0
    for c in codes:
        p = pref_code(c)
        if p is not None:
            mask |= 1 << (int(p) - 1)
    return mask


def bits(values: Iterable[str], table: Mapping[str, int]) -> int:
    mask = 0
    for v in values:
        mask |= table.get(v, 0)
    return mask


def keys_of(mask: int, order: Sequence[str]) -> list[str]:
    out = []
    while mask:
        low = mask & -mask
        i = low.bit_length() - 1
        if i < len(order):
            out.append(order[i])
        mask ^= low
    return out


class Tokens:
    """Token ids shared by the profiles and needs of one index: 0 is a padding token that
    never matches, then every skill key, then free entries as they appear."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.labels: list[str] = ["", *vocab.skill_keys]
        self.ids: dict[str, int] = {k: i for i, k in enumerate(self.labels) if k}
        self.weights: list[float] = [0.0, *(vocab.weight(k) for k in vocab.skill_keys)]
        self.focus: list[int] = [
            0,
            *(bits(vocab.focus_areas(k), FOCUS_BIT) for k in vocab.skill_keys),
        ]
        self.qual_bit = {k: 1 << i for i, k in enumerate(vocab.qualifications)}
        self.qual_keys = tuple(vocab.qualifications)
        # The same tags and qualification names recur across thousands of profiles.
        self._tag_cache: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._id_cache: dict[str, tuple[int, ...]] = {}
        self._qual_cache: dict[str, str | None] = {}

    def __len__(self) -> int:
        return len(self.labels)

    def _resolve_tag(self, tag: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        hit = self._tag_cache.get(tag)
        if hit is None:
            k, f = self.vocab.tag_keys([tag])
            hit = (tuple(k), tuple(f))
            if len(self._tag_cache) > 200_000:
                self._tag_cache.clear()
                self._id_cache.clear()
            self._tag_cache[tag] = hit
        return hit

    def resolve_tags(self, tags: Iterable[str] | str) -> tuple[list[str], list[str]]:
        """(skill keys, normalised free entries) of raw tags or keys."""
        keys: list[str] = []
        free: list[str] = []
        for tag in split_tags(tags) if isinstance(tags, str) else tags:
            hit_keys, hit_free = self._resolve_tag(tag)
            keys.extend(k for k in hit_keys if k not in keys)
            free.extend(f for f in hit_free if f not in free)
        return keys, free

    def tag_ids(self, tags: Iterable[str] | str) -> tuple[int, ...]:
        """Token ids of a profile's tags, creating ids for new free entries (cached: the
        same tags recur across thousands of profiles)."""
        ids: list[int] = []
        for tag in split_tags(tags) if isinstance(tags, str) else tags:
            hit = self._id_cache.get(tag)
            if hit is None:
                keys, free = self._resolve_tag(tag)
                hit = tuple(self.ids[k] for k in keys) + tuple(
                    self.id_of(f, free=True, create=True) or 0 for f in free
                )
                self._id_cache[tag] = hit
            ids.extend(hit)
        return tuple(dict.fromkeys(ids))

    def resolve_qualifications(self, names: Iterable[str]) -> tuple[list[str], list[str]]:
        keys: list[str] = []
        free: list[str] = []
        for name in names:
            if name not in self._qual_cache:
                if len(self._qual_cache) > 50_000:
                    self._qual_cache.clear()
                self._qual_cache[name] = self.vocab.resolve_qualification(name)
            key = self._qual_cache[name]
            if key is not None:
                keys.append(key)
            elif name.strip() and name.strip() not in free:
                free.append(name.strip())
        return keys, free

    @staticmethod
    def key(label: str, *, free: bool) -> str:
        """Lookup key: a skill key, or "~" and the normalised form of a free entry."""
        return f"~{normalize(label)}" if free else label

    def id_of(self, label: str, *, free: bool, create: bool) -> int | None:
        key = self.key(label, free=free)
        tid = self.ids.get(key)
        if tid is None and create:
            tid = len(self.labels)
            self.labels.append(label)  # shown as the first professional wrote it
            self.ids[key] = tid
            self.weights.append(1.0)
            self.focus.append(0)
        return tid

    def label(self, tid: int) -> str:
        return self.labels[tid]


@dataclass(slots=True)
class CProfile:
    id: int
    name: str
    tokens: tuple[int, ...]
    exp: tuple[int, ...]
    focus_decl: int
    focus_der: int  # areas implied by skills only (declared ones excluded)
    emp: int
    remote: int
    prefs: int
    available: float
    used: float
    public: bool
    quals: int
    discoverable: bool
    listed: bool = False

    @property
    def free(self) -> float:
        return max(0.0, self.available - self.used)


@dataclass(slots=True)
class CNeed:
    id: int
    title: str
    required: list[tuple[str, int | None]]  # (skill key or free text, token id)
    preferred: list[tuple[str, int | None]]
    skill_w: dict[int, float]  # token id → weight (negative ids: a skill nobody has)
    focus: int
    exp: dict[int, float]
    emp_type: str
    emp_bit: int
    days: float
    remote: int
    prefs: int
    quals: int
    qual_free: list[str]

    @property
    def skill_max(self) -> float:
        return float(sum(self.skill_w.values()))

    @property
    def exp_max(self) -> float:
        return float(sum(self.exp.values()))


def compile_profile(p: ProfileData, tokens: Tokens, *, create: bool) -> CProfile:
    if create:
        ids = tokens.tag_ids(p.skills or ())
    else:  # scoring a profile against an index it is not in: unknown free entries can't match
        keys, free = tokens.resolve_tags(p.skills or ())
        found = [tokens.id_of(k, free=False, create=False) for k in keys]
        found += [tokens.id_of(f, free=True, create=False) for f in free]
        ids = tuple(dict.fromkeys(t for t in found if t is not None))
    derived = 0
    for tid in ids:
        derived |= tokens.focus[tid]
    exp_keys = (
        p.experience_keys if p.experience_keys is not None else tokens.vocab.extract(p.experience)
    )
    exp_ids = tuple(dict.fromkeys(tokens.ids[k] for k in exp_keys if k in tokens.ids))
    qual_keys, _ = tokens.resolve_qualifications(p.qualifications or ())
    declared = bits(p.focus_areas or (), FOCUS_BIT)
    return CProfile(
        id=int(p.id),
        name=p.display_name,
        tokens=ids,
        exp=exp_ids,
        focus_decl=declared,
        focus_der=derived & ~declared,
        emp=bits(p.accepted_employment_types or (), EMPLOYMENT_BIT) or ANY_EMPLOYMENT,
        remote=REMOTE_PREFERENCES.index(p.remote_preference)
        if p.remote_preference in REMOTE_PREFERENCES
        else 1,
        prefs=pref_mask(p.preferred_prefectures or ()),
        available=float(p.available_days or 0),
        used=float(p.used_days or 0),
        public=bool(p.public_sector_experience),
        quals=bits(tokens.vocab.held_qualifications(qual_keys), tokens.qual_bit),
        discoverable=bool(p.discoverable),
        listed=bool(p.talent_listed),
    )


def compile_need(n: NeedData, tokens: Tokens, *, create: bool) -> CNeed:
    required: list[tuple[str, int | None]] = []
    preferred: list[tuple[str, int | None]] = []
    skill_w: dict[int, float] = {}
    seen: set[str] = set()
    for tags, out, base in (
        (n.required_skills, required, REQUIRED_WEIGHT),
        (n.preferred_skills, preferred, PREFERRED_WEIGHT),
    ):
        keys, free = tokens.resolve_tags(tags or ())
        for label, is_free in [(k, False) for k in keys] + [(f, True) for f in free]:
            key = tokens.key(label, free=is_free)
            if key in seen:
                continue
            seen.add(key)
            tid = tokens.id_of(label, free=is_free, create=create)
            out.append((label, tid))
            # A free skill no profile has still counts in the maximum: missing for all.
            skill_w[tid if tid is not None else -len(seen)] = base * (
                tokens.weights[tid] if tid is not None else 1.0
            )
    exp_keys = tokens.vocab.extract(f"{n.required_experience or ''}\n{n.duties or ''}")
    exp = {tokens.ids[k]: tokens.weights[tokens.ids[k]] for k in exp_keys if k in tokens.ids}
    qual_keys, qual_free = tokens.resolve_qualifications(n.preferred_qualifications or ())
    emp_type = n.employment_type if n.employment_type in EMPLOYMENT_BIT else ""
    return CNeed(
        id=int(n.id),
        title=n.title,
        required=required,
        preferred=preferred,
        skill_w=skill_w,
        focus=bits(n.focus_areas or (), FOCUS_BIT),
        exp=exp,
        emp_type=emp_type,
        emp_bit=EMPLOYMENT_BIT.get(emp_type, 0),
        days=max(0.0, float(n.days_per_month or 0)),
        remote=REMOTE_MODES.index(n.remote) if n.remote in REMOTE_MODES else 0,
        prefs=pref_mask(n.prefecture_codes or ()),
        quals=bits(qual_keys, tokens.qual_bit),
        qual_free=qual_free,
    )
