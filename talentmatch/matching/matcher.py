"""PURE: the explainable ranking of professionals for a posting, and of postings for a
professional (DESIGN §5).

Scores are 0–100 integers made of the components in `WEIGHTS`; each candidate carries a
plain-data breakdown a municipality can read. Hard filters (discoverable, employment type,
capacity) exclude with a reason instead of lowering the score.

Speed: profiles live in flat numpy arrays (one int32 array of skill-token ids with row
offsets and its inverted lists token → rows, bitmasks for focus areas / employment types /
prefectures / qualifications, float arrays for days), so a ranking is a few vector
operations over every profile plus adds over only the rows holding the posting's skills;
only the top `limit` rows get a Python breakdown.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from talentmatch.messages import N_, Msg
from talentmatch.professionals.vocabulary import (
    FOCUS_AREAS,
    Vocabulary,
    load_vocabulary,
    split_tags,
)
from talentmatch.text import normalize

EMPLOYMENT_TYPES = ("full_time_staff", "special_part_time", "fiscal_year_appointee", "outsourcing")
REMOTE_MODES = ("none", "partial", "full")
REMOTE_PREFERENCES = ("remote_only", "hybrid", "onsite_ok")
FOCUS_KEYS = tuple(FOCUS_AREAS)


# --------------------------------------------------------------------------------------
# Weights: the one place that says how much each part counts (a help page renders it).
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Component:
    """One scored component: its points out of 100, a label and an explanation (msgids),
    and how its points split between parts."""

    points: float
    label: str
    help: str
    parts: Mapping[str, float] = field(default_factory=dict)


WEIGHTS: Mapping[str, Component] = MappingProxyType(
    {
        "skills": Component(
            40,
            N_("Skills"),
            N_(
                "The posting's skills the professional has. Required skills count twice as much "
                "as preferred ones, and broad skills (DX promotion, information security, "
                "networks, cloud, staff training) count half. Synonyms, Japanese and English "
                "names and width or kana variants are the same skill."
            ),
        ),
        "focus_areas": Component(
            15,
            N_("Focus areas"),
            N_(
                "The posting's focus areas the professional works in; an area implied only by "
                "their skills counts half."
            ),
        ),
        "experience": Component(
            15,
            N_("Experience"),
            N_(
                "Skills named both in the professional's experience and in the posting's "
                "required experience and duties."
            ),
        ),
        "work_style": Component(
            20,
            N_("Work style and location"),
            N_(
                "Remote work against the professional's preference, the posting's prefectures "
                "(every participant of a joint role) against their preferred prefectures, and "
                "free days beyond what the role needs."
            ),
            MappingProxyType({"remote": 8, "location": 7, "days": 5}),
        ),
        "bonuses": Component(
            10,
            N_("Bonuses"),
            N_(
                "Public-sector experience, and the posting's preferred qualifications the "
                "professional holds. A bonus only: never a condition."
            ),
            MappingProxyType({"public_sector": 5, "qualifications": 5}),
        ),
    }
)

# Flat parts in scoring order; a component without parts is its own single part.
_PARTS: tuple[tuple[str, str, float], ...] = tuple(
    (comp, part, pts)
    for comp, c in WEIGHTS.items()
    for part, pts in (c.parts.items() if c.parts else ((comp, c.points),))
)
_PART_POINTS: dict[str, float] = {part: pts for _, part, pts in _PARTS}
REQUIRED_WEIGHT = 2.0
PREFERRED_WEIGHT = 1.0
# Location fit for a professional who named no prefecture: flexible, but a stated match is
# a stronger signal for an on-site role.
NO_PREFERENCE_FIT = 0.75
# Remote fit by the role's mode (rows) and the professional's preference (columns).
REMOTE_FIT = np.array(
    [
        [0.0, 0.5, 1.0],  # role on site: remote_only, hybrid, onsite_ok
        [0.5, 1.0, 1.0],  # partly remote
        [1.0, 1.0, 1.0],  # fully remote
    ],
    dtype=np.float32,
)
_EPS = 1e-6
# Vector work is float32: half the memory traffic of float64, ample for points out of 100.
_F = np.float32
_HALF = np.float32(0.5)

_NOT_DISCOVERABLE = N_("Has not opted in to being found by municipalities")
_NO_EMPLOYMENT = {
    "full_time_staff": N_("Does not accept appointment as full-time staff"),
    "special_part_time": N_("Does not accept appointment as special part-time staff"),
    "fiscal_year_appointee": N_("Does not accept appointment as a fiscal-year appointee"),
    "outsourcing": N_("Does not accept outsourcing contracts"),
}
_NO_CAPACITY = N_("Has %(free)s free days per month; the role needs %(needed)s")
_YOU_NO_EMPLOYMENT = {
    "full_time_staff": N_("A full-time staff appointment, which you do not accept"),
    "special_part_time": N_("A special part-time appointment, which you do not accept"),
    "fiscal_year_appointee": N_("A fiscal-year appointment, which you do not accept"),
    "outsourcing": N_("An outsourcing contract, which you do not accept"),
}
_YOU_NO_CAPACITY = N_("You have %(free)s free days per month; the role needs %(needed)s")


# --------------------------------------------------------------------------------------
# Plain inputs (services turn database rows into these)
# --------------------------------------------------------------------------------------
@dataclass
class ProfileData:
    id: int
    display_name: str
    skills: Sequence[str] = ()  # raw tags or skill keys
    focus_areas: Sequence[str] = ()
    experience: str = ""
    qualifications: Sequence[str] = ()  # names or keys
    public_sector_experience: bool = False
    preferred_prefectures: Sequence[str] = ()  # 2-digit codes
    remote_preference: str = "hybrid"
    available_days: float = 0.0
    used_days: float = 0.0  # days already taken by current appointments (兼務)
    accepted_employment_types: Sequence[str] = ()  # empty: any
    discoverable: bool = True
    # Skill keys already extracted from `experience` (e.g. stored when the profile was
    # saved); skips the extraction when an index is built.
    experience_keys: Sequence[str] | None = None


@dataclass
class NeedData:
    id: int
    required_skills: Sequence[str] = ()
    preferred_skills: Sequence[str] = ()
    focus_areas: Sequence[str] = ()
    required_experience: str = ""
    duties: str = ""
    employment_type: str = ""
    days_per_month: float = 0.0
    remote: str = "none"
    prefecture_codes: Sequence[str] = ()  # one for a posting, every participant's for a joint role
    preferred_qualifications: Sequence[str] = ()
    title: str = ""


def combine_needs(needs: Sequence[NeedData]) -> NeedData:
    """One need for a joint appointment: the union of the participants' skills, focus areas
    and qualifications, the sum of their days, every participant's prefecture (location fit
    must hold for all of them) and the least remote mode (someone must be on site wherever
    a participant wants it). The first need is the lead: its id and employment type."""
    if not needs:
        raise ValueError("combine_needs needs at least one need")
    lead = needs[0]

    def union(values: Iterable[Iterable[str]]) -> list[str]:
        out: list[str] = []
        for vs in values:
            out.extend(v for v in vs if v not in out)
        return out

    required = union(n.required_skills for n in needs)
    preferred = [s for s in union(n.preferred_skills for n in needs) if s not in required]
    modes = [n.remote if n.remote in REMOTE_MODES else "none" for n in needs]
    return NeedData(
        id=lead.id,
        required_skills=required,
        preferred_skills=preferred,
        focus_areas=union(n.focus_areas for n in needs),
        required_experience="\n".join(
            n.required_experience for n in needs if n.required_experience
        ),
        duties="\n".join(n.duties for n in needs if n.duties),
        employment_type=lead.employment_type,
        days_per_month=float(sum(n.days_per_month or 0 for n in needs)),
        remote=min(modes, key=REMOTE_MODES.index),
        prefecture_codes=union(
            [_pref_code(c)] for n in needs for c in n.prefecture_codes if _pref_code(c)
        ),
        preferred_qualifications=union(n.preferred_qualifications for n in needs),
        title=" / ".join(n.title for n in needs if n.title),
    )


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    professional_id: int
    display_name: str
    score: int
    breakdown: dict[str, Any]


@dataclass(frozen=True)
class Excluded:
    professional_id: int
    display_name: str
    reason: Msg


@dataclass(frozen=True)
class Ranking:
    candidates: list[Candidate]
    excluded: list[Excluded]
    eligible: int  # how many passed the hard filters


@dataclass(frozen=True)
class PostingMatch:
    posting_id: int
    title: str
    score: int
    breakdown: dict[str, Any]


@dataclass(frozen=True)
class ExcludedPosting:
    posting_id: int
    title: str
    reason: Msg


@dataclass(frozen=True)
class Recommendations:
    postings: list[PostingMatch]
    excluded: list[ExcludedPosting]
    eligible: int


# --------------------------------------------------------------------------------------
# Compilation of inputs into token ids and bitmasks
# --------------------------------------------------------------------------------------
_PREF_CODES = tuple(f"{i:02d}" for i in range(1, 48))
_FOCUS_BIT = {k: 1 << i for i, k in enumerate(FOCUS_KEYS)}
_EMPLOYMENT_BIT = {k: 1 << i for i, k in enumerate(EMPLOYMENT_TYPES)}
_ANY_EMPLOYMENT = (1 << len(EMPLOYMENT_TYPES)) - 1


def _pref_code(code: object) -> str | None:
    """'01'..'47' from a 2-digit prefecture code (or a 6-digit municipality code)."""
    text = str(code or "").strip()
    if text.isdigit() and len(text) in (1, 2, 5, 6):
        value = int(text[:2]) if len(text) >= 5 else int(text)
        if 1 <= value <= 47:
            return f"{value:02d}"
    return None


def _pref_mask(codes: Iterable[str]) -> int:
    mask = 0
    for c in codes:
        p = _pref_code(c)
        if p is not None:
            mask |= 1 << (int(p) - 1)
    return mask


def _bits(values: Iterable[str], bits: Mapping[str, int]) -> int:
    mask = 0
    for v in values:
        mask |= bits.get(v, 0)
    return mask


def _keys_of(mask: int, order: Sequence[str]) -> list[str]:
    out = []
    while mask:
        low = mask & -mask
        i = low.bit_length() - 1
        if i < len(order):
            out.append(order[i])
        mask ^= low
    return out


def _days(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


class _Tokens:
    """Token ids shared by the profiles and needs of one index: 0 is a padding token that
    never matches, then every skill key, then free entries as they appear."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.labels: list[str] = ["", *vocab.skill_keys]
        self.ids: dict[str, int] = {k: i for i, k in enumerate(self.labels) if k}
        self.weights: list[float] = [0.0, *(vocab.weight(k) for k in vocab.skill_keys)]
        self.focus: list[int] = [
            0,
            *(_bits(vocab.focus_areas(k), _FOCUS_BIT) for k in vocab.skill_keys),
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
class _CProfile:
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

    @property
    def free(self) -> float:
        return max(0.0, self.available - self.used)


@dataclass(slots=True)
class _CNeed:
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


def _compile_profile(p: ProfileData, tokens: _Tokens, *, create: bool) -> _CProfile:
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
    declared = _bits(p.focus_areas or (), _FOCUS_BIT)
    return _CProfile(
        id=int(p.id),
        name=p.display_name,
        tokens=ids,
        exp=exp_ids,
        focus_decl=declared,
        focus_der=derived & ~declared,
        emp=_bits(p.accepted_employment_types or (), _EMPLOYMENT_BIT) or _ANY_EMPLOYMENT,
        remote=REMOTE_PREFERENCES.index(p.remote_preference)
        if p.remote_preference in REMOTE_PREFERENCES
        else 1,
        prefs=_pref_mask(p.preferred_prefectures or ()),
        available=float(p.available_days or 0),
        used=float(p.used_days or 0),
        public=bool(p.public_sector_experience),
        quals=_bits(tokens.vocab.held_qualifications(qual_keys), tokens.qual_bit),
        discoverable=bool(p.discoverable),
    )


def _compile_need(n: NeedData, tokens: _Tokens, *, create: bool) -> _CNeed:
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
    emp_type = n.employment_type if n.employment_type in _EMPLOYMENT_BIT else ""
    return _CNeed(
        id=int(n.id),
        title=n.title,
        required=required,
        preferred=preferred,
        skill_w=skill_w,
        focus=_bits(n.focus_areas or (), _FOCUS_BIT),
        exp=exp,
        emp_type=emp_type,
        emp_bit=_EMPLOYMENT_BIT.get(emp_type, 0),
        days=max(0.0, float(n.days_per_month or 0)),
        remote=REMOTE_MODES.index(n.remote) if n.remote in REMOTE_MODES else 0,
        prefs=_pref_mask(n.prefecture_codes or ()),
        quals=_bits(qual_keys, tokens.qual_bit),
        qual_free=qual_free,
    )


# --------------------------------------------------------------------------------------
# Scoring shared by both directions. numpy broadcasting: one side is scalars, the other
# arrays (profiles when ranking professionals, postings when recommending postings).
# --------------------------------------------------------------------------------------
Fractions = dict[str, tuple[Any, Any]]  # part → (applicable, fraction 0..1)


def _popcount(x: Any) -> Any:
    return np.bitwise_count(x).astype(_F)


def _is_off(applicable: Any) -> bool:
    return np.ndim(applicable) == 0 and not applicable


def _masked(ok: Any, value: Any) -> Any:
    """`value` where the part applies, else 0 (no array pass when `ok` is one scalar)."""
    return value if np.ndim(ok) == 0 else np.where(ok, value, 0.0)


def _fractions(
    *,
    skill_got: Any,
    skill_max: Any,
    focus_need: Any,
    focus_decl: Any,
    focus_der: Any,
    exp_got: Any,
    exp_max: Any,
    role_remote: Any,
    pref_remote: Any,
    role_prefs: Any,
    pro_prefs: Any,
    needed: Any,
    free: Any,
    public: Any,
    qual_need: Any,
    qual_held: Any,
) -> Fractions:
    """(applicable, fraction 0..1) per part; parts a need leaves open are skipped."""
    out: Fractions = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = np.greater(skill_max, 0)
        out["skills"] = (ok, 0.0 if _is_off(ok) else _masked(ok, skill_got / skill_max))

        n_focus = _popcount(focus_need)
        ok = np.greater(n_focus, 0)
        if _is_off(ok):
            out["focus_areas"] = (ok, 0.0)
        else:
            if np.ndim(focus_need) == 0:
                # One posting: a 8,192-entry table of shares replaces popcounts per row.
                share = _popcount(np.arange(1 << len(FOCUS_KEYS), dtype=np.uint16) & focus_need)
                share /= n_focus
                frac = share.take(focus_decl) + _HALF * share.take(focus_der)
            else:
                got = _popcount(focus_need & focus_decl) + _HALF * _popcount(focus_need & focus_der)
                frac = got / n_focus
            out["focus_areas"] = (ok, _masked(ok, frac))

        ok = np.greater(exp_max, 0)
        out["experience"] = (ok, 0.0 if _is_off(ok) else _masked(ok, exp_got / exp_max))

        if np.ndim(role_remote) == 0:
            out["remote"] = (np.True_, REMOTE_FIT[int(role_remote)].take(pref_remote))
        else:
            out["remote"] = (np.True_, REMOTE_FIT[role_remote, pref_remote])

        ok = (role_prefs != 0) & (role_remote != REMOTE_MODES.index("full"))
        if _is_off(ok):
            out["location"] = (ok, 0.0)
        else:
            shared = role_prefs & pro_prefs
            if np.ndim(role_prefs) == 0 and _popcount(role_prefs) == 1:
                fit = (shared != 0).astype(_F)  # one prefecture: in it or not
            else:
                partial = _HALF * _popcount(shared) / _popcount(role_prefs)
                fit = np.where(shared == role_prefs, _F(1.0), partial)
            fit = np.where(pro_prefs == 0, _F(NO_PREFERENCE_FIT), fit)
            out["location"] = (ok, _masked(ok, fit))

        if np.ndim(needed) == 0 and needed <= 0:
            out["days"] = (np.True_, 1.0)
        else:
            per_day = max(float(needed), 1e-9) if np.ndim(needed) == 0 else np.maximum(needed, 1e-9)
            headroom = np.clip((free - needed) / per_day, 0.0, 1.0)
            fit = 0.7 + 0.3 * headroom
            out["days"] = (
                np.True_,
                fit if np.ndim(needed) == 0 else np.where(needed > 0, fit, 1.0),
            )

        out["public_sector"] = (np.True_, public)

        n_q = _popcount(qual_need)
        ok = np.greater(n_q, 0)
        if _is_off(ok):
            out["qualifications"] = (ok, 0.0)
        else:
            out["qualifications"] = (ok, _masked(ok, _popcount(qual_need & qual_held) / n_q))
    return out


def _scores(fr: Fractions) -> tuple[np.ndarray, Any]:
    """(int scores 0..100, scale). Parts a need leaves open are left out and the rest
    scaled up, so a perfect fit scores 100 whatever the posting specifies."""
    total: Any = None
    constant = 0.0  # parts equal for every row (e.g. a need without days)
    denom: Any = 0.0
    for _comp, part, pts in _PARTS:
        applicable, frac = fr[part]
        if _is_off(applicable):
            continue
        w = np.where(applicable, _F(pts), _F(0.0)) if np.ndim(applicable) else pts
        denom = denom + w
        if np.ndim(frac) == 0 and np.ndim(w) == 0:
            constant += float(frac) * w
        elif total is None:
            total = np.multiply(frac, w, dtype=_F)
        else:
            total += np.multiply(frac, w, dtype=_F)  # in place: no new array per part
    if np.ndim(denom) == 0:
        scale: Any = 100.0 / float(denom) if denom > 0 else 0.0
    else:
        scale = np.where(denom > 0, 100.0 / np.maximum(denom, 1e-9), 0.0).astype(_F)
    if total is None:
        total = np.zeros(np.shape(denom), dtype=_F)
    total += _F(constant)
    total *= scale
    total += _F(0.5)
    np.floor(total, out=total)
    np.clip(total, 0, 100, out=total)
    scores = total.astype(np.int64)
    return scores, scale


_HEADS = {
    **{part: (part,) for _, part, _ in _PARTS},
    **{comp: tuple(c.parts) for comp, c in WEIGHTS.items() if c.parts},
}
# Row h, column p: 1 when part p adds to heading h (a part, or a component of parts).
_HEAD_MATRIX = np.array(
    [[1.0 if part in parts else 0.0 for _, part, _ in _PARTS] for parts in _HEADS.values()]
)
_PART_WEIGHTS = np.array([w for _, _, w in _PARTS])


def _rows_heads(fr: Fractions, rows: list[int], scale: Any) -> list[dict[str, tuple[float, float]]]:
    """Rounded (points, max) of every part and component for each chosen row, on the
    0–100 scale (max 0: the need leaves it open). A few matrix operations per ranking."""
    k = len(rows)
    applicable = np.empty((len(_PARTS), k), dtype=bool)
    frac = np.empty((len(_PARTS), k))
    for i, (_comp, name, _w) in enumerate(_PARTS):
        a, f = fr[name]
        applicable[i] = np.asarray(a)[rows] if np.ndim(a) else bool(a)
        frac[i] = np.asarray(f)[rows] if np.ndim(f) else float(f)
    row_scale = np.asarray(scale, dtype=np.float64)[rows] if np.ndim(scale) else float(scale)
    mx = applicable * _PART_WEIGHTS[:, None] * row_scale
    points = np.round(_HEAD_MATRIX @ (frac * mx), 1).T.tolist()
    maxima = np.round(_HEAD_MATRIX @ mx, 1).T.tolist()
    names = list(_HEADS)
    return [
        dict(zip(names, zip(p, m, strict=True), strict=True))
        for p, m in zip(points, maxima, strict=True)
    ]


def _breakdown(
    heads: dict[str, tuple[float, float]], need: _CNeed, pro: _CProfile, tokens: _Tokens
) -> dict[str, Any]:
    """Plain JSON-serialisable data per component for one (need, professional) pair."""
    vocab = tokens.vocab

    def head(name: str) -> dict[str, Any]:
        p, m = heads[name]
        return {"applicable": m > 0, "points": p, "max": m}

    owned = set(pro.tokens)
    matched = [lbl for lbl, t in need.required + need.preferred if t is not None and t in owned]
    missing_req = [lbl for lbl, t in need.required if t is None or t not in owned]
    missing = missing_req + [lbl for lbl, t in need.preferred if t is None or t not in owned]
    decl = need.focus & pro.focus_decl
    via = need.focus & pro.focus_der
    pro_exp = set(pro.exp)
    role_codes = _keys_of(need.prefs, _PREF_CODES)
    pro_codes = _keys_of(pro.prefs, _PREF_CODES)
    return {
        "skills": {
            **head("skills"),
            "matched": matched,
            "missing": missing,
            "missing_required": missing_req,
            "broad": [k for k in matched if k in vocab.skills and vocab.skills[k].broad],
        },
        "focus_areas": {
            **head("focus_areas"),
            "matched": _keys_of(decl, FOCUS_KEYS),
            "via_skills": _keys_of(via, FOCUS_KEYS),
            "missing": _keys_of(need.focus & ~(decl | via), FOCUS_KEYS),
        },
        "experience": {
            **head("experience"),
            "matched": [tokens.label(t) for t in need.exp if t in pro_exp],
            "missing": [tokens.label(t) for t in need.exp if t not in pro_exp],
        },
        "work_style": {
            **head("work_style"),
            "remote": {
                **head("remote"),
                "role": REMOTE_MODES[need.remote],
                "preference": REMOTE_PREFERENCES[pro.remote],
            },
            "location": {
                **head("location"),
                "role_prefectures": role_codes,
                "preferred_prefectures": pro_codes,
                "matched": [c for c in role_codes if c in pro_codes],
                "no_preference": not pro_codes,
            },
            "days": {
                **head("days"),
                "needed": need.days,
                "available": pro.available,
                "used": pro.used,
                "free": pro.free,
            },
        },
        "bonuses": {
            **head("bonuses"),
            "public_sector": {**head("public_sector"), "value": pro.public},
            "qualifications": {
                **head("qualifications"),
                "matched": _keys_of(need.quals & pro.quals, tokens.qual_keys),
                "missing": _keys_of(need.quals & ~pro.quals, tokens.qual_keys) + need.qual_free,
            },
        },
    }


# --------------------------------------------------------------------------------------
# Growable flat storage
# --------------------------------------------------------------------------------------
class _Column:
    """A numpy array with amortised appends (capacity doubling)."""

    __slots__ = ("data", "n")

    def __init__(self, dtype: Any, values: Sequence[Any] | np.ndarray = ()) -> None:
        arr = np.asarray(values, dtype=dtype)
        self.data = np.empty(max(16, len(arr)), dtype=dtype)
        self.data[: len(arr)] = arr
        self.n = len(arr)

    def append(self, value: Any) -> None:
        if self.n == len(self.data):
            self._grow(self.n + 1)
        self.data[self.n] = value
        self.n += 1

    def extend(self, values: Sequence[Any]) -> None:
        k = len(values)
        if self.n + k > len(self.data):
            self._grow(self.n + k)
        self.data[self.n : self.n + k] = values
        self.n += k

    def _grow(self, need: int) -> None:
        grown = np.empty(max(2 * len(self.data), need), dtype=self.data.dtype)
        grown[: self.n] = self.data[: self.n]
        self.data = grown

    @property
    def view(self) -> np.ndarray:
        return self.data[: self.n]

    def replace(self, values: np.ndarray) -> None:
        self.data = np.array(values, dtype=self.data.dtype)
        self.n = len(values)


class _FlatLists:
    """Variable-length int32 token lists as one flat array plus row offsets, with the
    inverted lists (token → rows holding it, and a weight per row) that scoring uses:
    a posting's ten tokens touch only the rows that have them."""

    def __init__(
        self, rows: Sequence[Sequence[int]] = (), weights: Sequence[Sequence[float]] | None = None
    ) -> None:
        # Without weights (profiles) every pair counts as the caller's per-token weight.
        self.weighted = weights is not None
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        starts = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        total = int(starts[-1])
        self.flat = _Column(np.int32, np.fromiter((t for r in rows for t in r), np.int32, total))
        self.weights = _Column(
            np.float32,
            np.fromiter((x for r in weights for x in r), np.float32, total) if weights else (),
        )
        self.starts = _Column(np.int64, starts)  # n_rows + 1 offsets
        self._index()

    def _index(self) -> None:
        flat = self.flat.view
        rows = np.repeat(np.arange(self.starts.n - 1, dtype=np.int32), np.diff(self.starts.view))
        order = np.argsort(flat, kind="stable")
        sorted_tokens = flat[order]
        n_tokens = int(flat.max()) + 1 if len(flat) else 0
        bounds = np.searchsorted(sorted_tokens, np.arange(n_tokens + 1))
        self.inv_rows: list[_Column | None] = []
        self.inv_weights: list[_Column | None] = []
        for t in range(n_tokens):
            a, b = int(bounds[t]), int(bounds[t + 1])
            if a == b:
                self.inv_rows.append(None)
                self.inv_weights.append(None)
            else:
                self.inv_rows.append(_Column(np.int32, rows[order[a:b]]))
                self.inv_weights.append(
                    _Column(np.float32, self.weights.view[order[a:b]]) if self.weighted else None
                )

    def append(self, tokens: Sequence[int], weights: Sequence[float] | None = None) -> None:
        row = self.starts.n - 1
        self.flat.extend(list(tokens))
        if self.weighted:
            self.weights.extend(list(weights or [1.0] * len(tokens)))
        self.starts.append(self.flat.n)
        for j, t in enumerate(tokens):
            while t >= len(self.inv_rows):
                self.inv_rows.append(None)
                self.inv_weights.append(None)
            rows = self.inv_rows[t]
            if rows is None:
                rows = self.inv_rows[t] = _Column(np.int32)
                if self.weighted:
                    self.inv_weights[t] = _Column(np.float32)
            rows.append(row)
            if self.weighted:
                self.inv_weights[t].append(weights[j] if weights else 1.0)  # type: ignore[union-attr,index]

    def row(self, r: int) -> np.ndarray:
        return self.flat.data[int(self.starts.data[r]) : int(self.starts.data[r + 1])]

    def accumulate(
        self,
        out: np.ndarray,
        token_weights: Mapping[int, float] | None = None,
        tokens: Iterable[int] = (),
    ) -> np.ndarray:
        """out[row] += weight for every (token, row) pair: with `token_weights` the weight
        is the token's (ranking professionals), otherwise each row's own (postings)."""
        if token_weights is not None:
            for t, w in token_weights.items():
                if 0 <= t < len(self.inv_rows) and (col := self.inv_rows[t]) is not None:
                    out[col.view] += w  # a row holds a token once: no repeated indices
        else:
            for t in tokens:
                if 0 <= t < len(self.inv_rows) and (col := self.inv_rows[t]) is not None:
                    out[col.view] += self.inv_weights[t].view  # type: ignore[union-attr]
        return out

    def keep(self, alive: np.ndarray) -> None:
        lengths = np.diff(self.starts.view)
        tok_alive = np.repeat(alive, lengths)
        self.flat.replace(self.flat.view[tok_alive])
        if self.weighted:
            self.weights.replace(self.weights.view[tok_alive])
        starts = np.zeros(int(alive.sum()) + 1, dtype=np.int64)
        np.cumsum(lengths[alive], out=starts[1:])
        self.starts.replace(starts)
        self._index()

    @property
    def nbytes(self) -> int:
        inv = sum(c.data.nbytes for c in self.inv_rows if c is not None)
        inv += sum(c.data.nbytes for c in self.inv_weights if c is not None)
        return self.flat.data.nbytes + self.weights.data.nbytes + self.starts.data.nbytes + inv


def _spare(free: Any) -> Any:
    """Remaining capacity in 1/100 days, the tie-break after the score."""
    return np.clip(np.round(np.asarray(free, dtype=np.float64) * 100), 0, 9_999).astype(np.int64)


def _top(
    scores: np.ndarray, spare: np.ndarray, ids: np.ndarray, ok: np.ndarray, limit: int
) -> np.ndarray:
    """The `limit` rows of `ok` with the highest score, then most spare capacity (a
    candidate who already holds another appointment ranks by what is left of their
    month), then lowest id. Scores are integers 0–100, so a histogram finds the cut-off
    score and only rows at or above it are sorted, never every row."""
    if limit <= 0:
        return np.zeros(0, dtype=np.intp)
    counts = np.bincount(scores, weights=ok, minlength=101)[::-1]
    cut = 100 - min(int(np.searchsorted(np.cumsum(counts), limit)), 100)
    rows = np.flatnonzero(ok & (scores >= cut))
    key = scores[rows] * 10_000 + spare[rows]
    if len(rows) > 4 * limit:  # many ties at the cut-off score
        kth = np.partition(key, len(rows) - limit)[len(rows) - limit]
        sel = key >= kth
        rows, key = rows[sel], key[sel]
    order = np.lexsort((ids[rows], -key))
    return rows[order[:limit]]


# --------------------------------------------------------------------------------------
# Professionals for a posting
# --------------------------------------------------------------------------------------
class MatchIndex:
    """Every professional in flat arrays, for ranking against a posting.

    `upsert` / `remove` keep it current: a change appends a new row and tombstones the old
    one; tombstones are compacted away once they make up a quarter of the rows. Not safe
    for concurrent writers: guard updates with a lock if several threads share an index.
    """

    def __init__(
        self, profiles: Iterable[ProfileData] = (), vocabulary: Vocabulary | None = None
    ) -> None:
        self.vocab = vocabulary or load_vocabulary()
        self.tokens = _Tokens(self.vocab)
        latest: dict[int, _CProfile] = {}
        for p in profiles:  # the last of duplicate ids wins, as with upserts
            c = _compile_profile(p, self.tokens, create=True)
            latest.pop(c.id, None)
            latest[c.id] = c
        rows = list(latest.values())
        self._row: dict[int, int] = {c.id: r for r, c in enumerate(rows)}
        self._names: list[str | None] = [c.name for c in rows]
        self._skills = _FlatLists([c.tokens for c in rows])
        self._exp = _FlatLists([c.exp for c in rows])
        self._ids = _Column(np.int64, [c.id for c in rows])
        self._alive = _Column(np.bool_, [True] * len(rows))
        self._discoverable = _Column(np.bool_, [c.discoverable for c in rows])
        self._focus_decl = _Column(np.uint16, [c.focus_decl for c in rows])
        self._focus_der = _Column(np.uint16, [c.focus_der for c in rows])
        self._emp = _Column(np.uint8, [c.emp for c in rows])
        self._remote = _Column(np.uint8, [c.remote for c in rows])
        self._prefs = _Column(np.uint64, [c.prefs for c in rows])
        self._available = _Column(np.float32, [c.available for c in rows])
        self._used = _Column(np.float32, [c.used for c in rows])
        self._free = _Column(np.float32, [c.free for c in rows])
        self._spare = _Column(np.int64, _spare([c.free for c in rows]))
        self._public = _Column(np.float32, [c.public for c in rows])
        self._quals = _Column(np.uint64, [c.quals for c in rows])
        self._dead = 0

    def _columns(self) -> list[_Column]:
        return [
            self._ids,
            self._alive,
            self._discoverable,
            self._focus_decl,
            self._focus_der,
            self._emp,
            self._remote,
            self._prefs,
            self._available,
            self._used,
            self._free,
            self._spare,
            self._public,
            self._quals,
        ]

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, professional_id: object) -> bool:
        return professional_id in self._row

    def upsert(self, profile: ProfileData) -> None:
        """Add or replace one professional (after a profile edit, an appointment, …)."""
        c = _compile_profile(profile, self.tokens, create=True)
        self.remove(c.id)
        self._row[c.id] = self._ids.n
        self._names.append(c.name)
        self._skills.append(c.tokens)
        self._exp.append(c.exp)
        values = (
            c.id,
            True,
            c.discoverable,
            c.focus_decl,
            c.focus_der,
            c.emp,
            c.remote,
            c.prefs,
            c.available,
            c.used,
            c.free,
            int(_spare(c.free)),
            c.public,
            c.quals,
        )
        for column, value in zip(self._columns(), values, strict=True):
            column.append(value)

    def remove(self, professional_id: int) -> bool:
        row = self._row.pop(int(professional_id), None)
        if row is None:
            return False
        self._alive.data[row] = False
        self._names[row] = None
        self._dead += 1
        if self._dead > max(1_000, self._ids.n // 4):
            self.compact()
        return True

    def compact(self) -> None:
        """Drop tombstoned rows (amortised: runs when they pile up)."""
        alive = self._alive.view.copy()
        for column in self._columns():
            column.replace(column.view[alive])
        self._skills.keep(alive)
        self._exp.keep(alive)
        self._names = [n for n, a in zip(self._names, alive, strict=True) if a]
        self._row = {int(pid): r for r, pid in enumerate(self._ids.view)}
        self._dead = 0

    def memory_bytes(self) -> int:
        """Bytes held by the index: arrays plus the per-profile Python id map and names."""
        arrays = sum(c.data.nbytes for c in self._columns())
        arrays += self._skills.nbytes + self._exp.nbytes
        names = sum(50 + 2 * len(n) for n in self._names if n is not None) + 8 * len(self._names)
        return arrays + names + 100 * len(self._row)

    def _profiles(self, rows: list[int]) -> list[_CProfile]:
        """The chosen rows as Python values, read column by column (not cell by cell)."""
        cols = [
            c.data[rows].tolist()
            for c in (
                self._ids,
                self._focus_decl,
                self._focus_der,
                self._emp,
                self._remote,
                self._prefs,
                self._available,
                self._used,
                self._public,
                self._quals,
                self._discoverable,
            )
        ]
        return [
            _CProfile(
                id=pid,
                name=self._names[r] or "",
                tokens=tuple(self._skills.row(r).tolist()),
                exp=tuple(self._exp.row(r).tolist()),
                focus_decl=fd,
                focus_der=fv,
                emp=emp,
                remote=remote,
                prefs=prefs,
                available=available,
                used=used,
                public=bool(public),
                quals=quals,
                discoverable=disc,
            )
            for r, pid, fd, fv, emp, remote, prefs, available, used, public, quals, disc in zip(
                rows, *cols, strict=True
            )
        ]

    def rank(
        self,
        need: NeedData,
        limit: int = 50,
        include_excluded: bool = False,
        among: Collection[int] | None = None,
    ) -> Ranking:
        """Professionals for `need`, best first. `among` restricts the ranking to some
        professionals (e.g. a posting's applicants). Excluded ones, with the reason, are
        listed when asked: at most `limit`, best would-be score first."""
        cn = _compile_need(need, self.tokens, create=False)
        n = self._ids.n
        if n == 0:
            return Ranking([], [], 0)
        free = self._free.view
        fr = _fractions(
            skill_got=self._skills.accumulate(np.zeros(n, _F), cn.skill_w),
            skill_max=cn.skill_max,
            focus_need=np.uint16(cn.focus),
            focus_decl=self._focus_decl.view,
            focus_der=self._focus_der.view,
            exp_got=self._exp.accumulate(np.zeros(n, _F), cn.exp) if cn.exp else 0.0,
            exp_max=cn.exp_max,
            role_remote=cn.remote,
            pref_remote=self._remote.view,
            role_prefs=np.uint64(cn.prefs),
            pro_prefs=self._prefs.view,
            needed=cn.days,
            free=free,
            public=self._public.view,
            qual_need=np.uint64(cn.quals),
            qual_held=self._quals.view,
        )
        scores, scale = _scores(fr)

        alive = self._alive.view
        if among is not None:
            subset = np.zeros(n, dtype=bool)
            subset[[self._row[i] for i in among if i in self._row]] = True
            alive = alive & subset
        ok = alive & self._discoverable.view & (free + _EPS >= cn.days)
        if cn.emp_bit:
            ok &= (self._emp.view & cn.emp_bit) != 0

        ids = self._ids.view
        spare = self._spare.view
        chosen = _top(scores, spare, ids, ok, limit).tolist()
        candidates = [
            Candidate(
                professional_id=pro.id,
                display_name=pro.name,
                score=score,
                breakdown=_breakdown(parts, cn, pro, self.tokens),
            )
            for pro, score, parts in zip(
                self._profiles(chosen),
                scores[chosen].tolist(),
                _rows_heads(fr, chosen, scale),
                strict=True,
            )
        ]
        excluded: list[Excluded] = []
        if include_excluded:
            for r in _top(scores, spare, ids, alive & ~ok, limit).tolist():
                reason = self._reason(r, cn, float(free[r]))
                excluded.append(Excluded(int(ids[r]), self._names[r] or "", reason))
        return Ranking(candidates, excluded, int(np.count_nonzero(ok)))

    def _reason(self, r: int, cn: _CNeed, free: float) -> Msg:
        if not self._discoverable.data[r]:
            return Msg(_NOT_DISCOVERABLE)
        if cn.emp_bit and not self._emp.data[r] & cn.emp_bit:
            return Msg(_NO_EMPLOYMENT[cn.emp_type])
        return Msg(_NO_CAPACITY, {"free": _days(round(free, 1)), "needed": _days(cn.days)})


# --------------------------------------------------------------------------------------
# Postings for a professional
# --------------------------------------------------------------------------------------
class PostingIndex:
    """Open postings in flat arrays, for recommending postings to a professional. Same
    scores and breakdown as `MatchIndex`; the employment-type and capacity filters apply
    (being discoverable is about being found, not about browsing, so it does not)."""

    def __init__(self, needs: Iterable[NeedData] = (), vocabulary: Vocabulary | None = None):
        self.vocab = vocabulary or load_vocabulary()
        self.tokens = _Tokens(self.vocab)
        latest: dict[int, _CNeed] = {}
        for need in needs:
            c = _compile_need(need, self.tokens, create=True)
            latest.pop(c.id, None)
            latest[c.id] = c
        rows = list(latest.values())
        self._needs: list[_CNeed | None] = list(rows)
        self._row: dict[int, int] = {c.id: r for r, c in enumerate(rows)}
        known = [[(t, w) for t, w in c.skill_w.items() if t >= 0] for c in rows]
        self._skills = _FlatLists(
            [[t for t, _ in k] for k in known], [[w for _, w in k] for k in known]
        )
        self._exp = _FlatLists([list(c.exp) for c in rows], [list(c.exp.values()) for c in rows])
        self._ids = _Column(np.int64, [c.id for c in rows])
        self._alive = _Column(np.bool_, [True] * len(rows))
        self._skill_max = _Column(np.float32, [c.skill_max for c in rows])
        self._exp_max = _Column(np.float32, [c.exp_max for c in rows])
        self._focus = _Column(np.uint16, [c.focus for c in rows])
        self._emp = _Column(np.uint8, [c.emp_bit for c in rows])
        self._remote = _Column(np.uint8, [c.remote for c in rows])
        self._prefs = _Column(np.uint64, [c.prefs for c in rows])
        self._days = _Column(np.float32, [c.days for c in rows])
        self._quals = _Column(np.uint64, [c.quals for c in rows])
        self._dead = 0

    def _columns(self) -> list[_Column]:
        return [
            self._ids,
            self._alive,
            self._skill_max,
            self._exp_max,
            self._focus,
            self._emp,
            self._remote,
            self._prefs,
            self._days,
            self._quals,
        ]

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, posting_id: object) -> bool:
        return posting_id in self._row

    def upsert(self, need: NeedData) -> None:
        """Add or replace one open posting (published, revised)."""
        cn = _compile_need(need, self.tokens, create=True)
        self.remove(cn.id)
        self._row[cn.id] = self._ids.n
        self._needs.append(cn)
        known = [(t, w) for t, w in cn.skill_w.items() if t >= 0]
        self._skills.append([t for t, _ in known], [w for _, w in known])
        self._exp.append(list(cn.exp), list(cn.exp.values()))
        values = (
            cn.id,
            True,
            cn.skill_max,
            cn.exp_max,
            cn.focus,
            cn.emp_bit,
            cn.remote,
            cn.prefs,
            cn.days,
            cn.quals,
        )
        for column, value in zip(self._columns(), values, strict=True):
            column.append(value)

    def remove(self, posting_id: int) -> bool:
        """Forget a posting (closed, withdrawn)."""
        row = self._row.pop(int(posting_id), None)
        if row is None:
            return False
        self._alive.data[row] = False
        self._needs[row] = None
        self._dead += 1
        if self._dead > max(1_000, self._ids.n // 4):
            self.compact()
        return True

    def compact(self) -> None:
        alive = self._alive.view.copy()
        for column in self._columns():
            column.replace(column.view[alive])
        self._skills.keep(alive)
        self._exp.keep(alive)
        self._needs = [c for c, a in zip(self._needs, alive, strict=True) if a]
        self._row = {int(pid): r for r, pid in enumerate(self._ids.view)}
        self._dead = 0

    def memory_bytes(self) -> int:
        arrays = sum(c.data.nbytes for c in self._columns())
        return arrays + self._skills.nbytes + self._exp.nbytes

    def rank_for(
        self, profile: ProfileData, limit: int = 20, include_excluded: bool = False
    ) -> Recommendations:
        """Open postings for a professional, best first, with the same breakdown."""
        n = self._ids.n
        if n == 0:
            return Recommendations([], [], 0)
        cp = _compile_profile(profile, self.tokens, create=False)
        free = cp.free
        days = self._days.view
        fr = _fractions(
            skill_got=self._skills.accumulate(np.zeros(n, _F), tokens=cp.tokens),
            skill_max=self._skill_max.view,
            focus_need=self._focus.view,
            focus_decl=np.uint16(cp.focus_decl),
            focus_der=np.uint16(cp.focus_der),
            exp_got=self._exp.accumulate(np.zeros(n, _F), tokens=cp.exp),
            exp_max=self._exp_max.view,
            role_remote=self._remote.view,
            pref_remote=cp.remote,
            role_prefs=self._prefs.view,
            pro_prefs=np.uint64(cp.prefs),
            needed=days,
            free=free,
            public=float(cp.public),
            qual_need=self._quals.view,
            qual_held=np.uint64(cp.quals),
        )
        scores, scale = _scores(fr)
        emp = self._emp.view
        alive = self._alive.view
        ok = alive & ((emp == 0) | ((emp & cp.emp) != 0)) & (days <= free + _EPS)
        # Ties: score, then the posting that leaves more of the month free, then id.
        spare = _spare(np.maximum(free - days, 0.0))
        ids = self._ids.view
        postings = []
        chosen = _top(scores, spare, ids, ok, limit).tolist()
        for r, parts in zip(chosen, _rows_heads(fr, chosen, scale), strict=True):
            cn = self._needs[r]
            assert cn is not None
            breakdown = _breakdown(parts, cn, cp, self.tokens)
            postings.append(PostingMatch(int(ids[r]), cn.title, int(scores[r]), breakdown))
        excluded: list[ExcludedPosting] = []
        if include_excluded:
            for r in _top(scores, spare, ids, alive & ~ok, limit).tolist():
                cn = self._needs[r]
                assert cn is not None
                if cn.emp_bit and not cp.emp & cn.emp_bit:
                    reason = Msg(_YOU_NO_EMPLOYMENT[cn.emp_type])
                else:
                    params = {"free": _days(round(free, 1)), "needed": _days(cn.days)}
                    reason = Msg(_YOU_NO_CAPACITY, params)
                excluded.append(ExcludedPosting(int(ids[r]), cn.title, reason))
        return Recommendations(postings, excluded, int(np.count_nonzero(ok)))
