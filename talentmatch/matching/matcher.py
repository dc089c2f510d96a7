"""PURE: the explainable ranking of professionals for a posting, and of postings for a
professional (DESIGN §5).

Scores are 0–100 integers made of the components in `WEIGHTS`; each candidate carries a
plain-data breakdown a municipality can read. Hard filters (discoverable, employment type,
capacity) exclude with a reason instead of lowering the score.

Speed: profiles live in flat numpy arrays (one int32 array of skill-token ids with row
offsets, bitmasks for focus areas / employment types / prefectures / qualifications), so a
ranking is a few vector operations over every profile; only the top `limit` rows get a
Python breakdown.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from talentmatch.messages import N_, Msg
from talentmatch.professionals.vocabulary import FOCUS_AREAS, Vocabulary, load_vocabulary

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
    ]
)
_EPS = 1e-9

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
        required_experience="\n".join(n.required_experience for n in needs if n.required_experience),
        duties="\n".join(n.duties for n in needs if n.duties),
        employment_type=lead.employment_type,
        days_per_month=float(sum(n.days_per_month or 0 for n in needs)),
        remote=min(modes, key=REMOTE_MODES.index),
        prefecture_codes=union([_pref_code(c)] for n in needs for c in n.prefecture_codes if _pref_code(c)),
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


def _bits(values: Iterable[str], order: Sequence[str]) -> int:
    mask = 0
    for v in values:
        if v in order:
            mask |= 1 << order.index(v)
    return mask


def _keys_of(mask: int, order: Sequence[str]) -> list[str]:
    return [k for i, k in enumerate(order) if mask >> i & 1]


def _days(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


class _Tokens:
    """Token ids shared by profiles and needs of one index: 0 is a padding token that
    never matches, then every skill key, then free entries as they appear."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.labels: list[str] = ["", *vocab.skill_keys]
        self.ids: dict[str, int] = {k: i for i, k in enumerate(self.labels) if k}
        self.weights: list[float] = [0.0, *(vocab.weight(k) for k in vocab.skill_keys)]
        self._tag_cache: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def __len__(self) -> int:
        return len(self.labels)

    def resolve_tags(self, tags: Iterable[str] | str) -> tuple[list[str], list[str]]:
        """(skill keys, normalised free entries) with a cache: the same tags recur."""
        keys: list[str] = []
        free: list[str] = []
        items = [tags] if isinstance(tags, str) else tags
        for tag in items:
            hit = self._tag_cache.get(tag)
            if hit is None:
                k, f = self.vocab.tag_keys([tag])
                hit = (tuple(k), tuple(f))
                if len(self._tag_cache) > 200_000:
                    self._tag_cache.clear()
                self._tag_cache[tag] = hit
            keys.extend(k for k in hit[0] if k not in keys)
            free.extend(f for f in hit[1] if f not in free)
        return keys, free

    def id_of(self, key_or_free: str, *, free: bool, create: bool) -> int | None:
        label = f"~{key_or_free}" if free else key_or_free
        tid = self.ids.get(label)
        if tid is None and create:
            tid = len(self.labels)
            self.labels.append(label)
            self.ids[label] = tid
            self.weights.append(1.0)
        return tid

    def label(self, tid: int) -> str:
        label = self.labels[tid]
        return label[1:] if label.startswith("~") else label


@dataclass(slots=True)
class _CProfile:
    id: int
    name: str
    tokens: tuple[int, ...]
    exp: tuple[int, ...]
    focus_decl: int
    focus_der: int
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
    required: list[tuple[str, int | None]]  # (display key/free text, token id)
    preferred: list[tuple[str, int | None]]
    skill_w: dict[int, float]
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
        return sum(self.skill_w.values())


def _compile_profile(p: ProfileData, tokens: _Tokens, *, create: bool) -> _CProfile:
    vocab = tokens.vocab
    keys, free = tokens.resolve_tags(p.skills or ())
    ids: list[int] = []
    for k in keys:
        tid = tokens.id_of(k, free=False, create=False)
        if tid is not None and tid not in ids:
            ids.append(tid)
    for f in free:
        tid = tokens.id_of(f, free=True, create=create)
        if tid is not None and tid not in ids:
            ids.append(tid)
    exp_keys = p.experience_keys if p.experience_keys is not None else vocab.extract(p.experience)
    exp_ids = [tokens.ids[k] for k in dict.fromkeys(exp_keys) if k in tokens.ids]
    derived = {fa for k in keys for fa in vocab.focus_areas(k)}
    qual_keys, _ = vocab.normalize_qualifications(list(p.qualifications or ()))
    return _CProfile(
        id=int(p.id),
        name=p.display_name,
        tokens=tuple(ids),
        exp=tuple(exp_ids),
        focus_decl=_bits(p.focus_areas or (), FOCUS_KEYS),
        focus_der=_bits(derived, FOCUS_KEYS),
        emp=_bits(p.accepted_employment_types or (), EMPLOYMENT_TYPES) or (1 << len(EMPLOYMENT_TYPES)) - 1,
        remote=REMOTE_PREFERENCES.index(p.remote_preference)
        if p.remote_preference in REMOTE_PREFERENCES
        else 1,
        prefs=_pref_mask(p.preferred_prefectures or ()),
        available=float(p.available_days or 0),
        used=float(p.used_days or 0),
        public=bool(p.public_sector_experience),
        quals=_bits(vocab.held_qualifications(qual_keys), tuple(vocab.qualifications)),
        discoverable=bool(p.discoverable),
    )


def _compile_need(n: NeedData, tokens: _Tokens, *, create: bool) -> _CNeed:
    vocab = tokens.vocab
    required: list[tuple[str, int | None]] = []
    preferred: list[tuple[str, int | None]] = []
    skill_w: dict[int, float] = {}
    for tags, out, base in (
        (n.required_skills, required, REQUIRED_WEIGHT),
        (n.preferred_skills, preferred, PREFERRED_WEIGHT),
    ):
        keys, free = tokens.resolve_tags(tags or ())
        for label, is_free in [(k, False) for k in keys] + [(f, True) for f in free]:
            tid = tokens.id_of(label, free=is_free, create=create)
            if any(label == seen for seen, _ in required + preferred):
                continue
            out.append((label, tid))
            if tid is not None:
                skill_w[tid] = base * tokens.weights[tid]
            # A skill nobody has still counts in the maximum: it is missing for everyone.
            else:
                skill_w[-len(skill_w) - 1] = base * 1.0
    exp_keys = vocab.extract(f"{n.required_experience or ''}\n{n.duties or ''}")
    exp = {tokens.ids[k]: tokens.weights[tokens.ids[k]] for k in exp_keys if k in tokens.ids}
    qual_keys, qual_free = vocab.normalize_qualifications(list(n.preferred_qualifications or ()))
    emp_type = n.employment_type if n.employment_type in EMPLOYMENT_TYPES else ""
    codes = [c for c in (_pref_code(c) for c in n.prefecture_codes or ()) if c]
    return _CNeed(
        id=int(n.id),
        title=n.title,
        required=required,
        preferred=preferred,
        skill_w=skill_w,
        focus=_bits(n.focus_areas or (), FOCUS_KEYS),
        exp=exp,
        emp_type=emp_type,
        emp_bit=_bits([emp_type], EMPLOYMENT_TYPES) if emp_type else 0,
        days=max(0.0, float(n.days_per_month or 0)),
        remote=REMOTE_MODES.index(n.remote) if n.remote in REMOTE_MODES else 0,
        prefs=_pref_mask(codes),
        quals=_bits(qual_keys, tuple(vocab.qualifications)),
        qual_free=qual_free,
    )


# --------------------------------------------------------------------------------------
# Scoring shared by both directions (numpy broadcasting: scalars on one side, arrays on
# the other)
# --------------------------------------------------------------------------------------
def _popcount(x: np.ndarray | int) -> np.ndarray:
    return np.bitwise_count(np.asarray(x, dtype=np.uint64)).astype(np.float64)


def _fractions(
    *,
    skill_got: np.ndarray,
    skill_max: np.ndarray,
    focus_need: np.ndarray,
    focus_decl: np.ndarray,
    focus_der: np.ndarray,
    exp_got: np.ndarray,
    exp_max: np.ndarray,
    role_remote: np.ndarray,
    pref_remote: np.ndarray,
    role_prefs: np.ndarray,
    pro_prefs: np.ndarray,
    needed: np.ndarray,
    free: np.ndarray,
    public: np.ndarray,
    qual_need: np.ndarray,
    qual_held: np.ndarray,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(applicable, fraction 0..1) per part."""
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        skill_max = np.asarray(skill_max, dtype=np.float64)
        out["skills"] = (skill_max > 0, np.where(skill_max > 0, skill_got / skill_max, 0.0))

        focus_need = np.asarray(focus_need, dtype=np.uint64)
        decl = np.asarray(focus_decl, dtype=np.uint64)
        der = np.asarray(focus_der, dtype=np.uint64) & ~decl
        n_focus = _popcount(focus_need)
        got = _popcount(focus_need & decl) + 0.5 * _popcount(focus_need & der)
        out["focus_areas"] = (n_focus > 0, np.where(n_focus > 0, got / n_focus, 0.0))

        exp_max = np.asarray(exp_max, dtype=np.float64)
        out["experience"] = (exp_max > 0, np.where(exp_max > 0, exp_got / exp_max, 0.0))

        role_remote = np.asarray(role_remote, dtype=np.intp)
        out["remote"] = (np.True_, REMOTE_FIT[role_remote, np.asarray(pref_remote, dtype=np.intp)])

        role_prefs = np.asarray(role_prefs, dtype=np.uint64)
        pro_prefs = np.asarray(pro_prefs, dtype=np.uint64)
        shared = role_prefs & pro_prefs
        n_role = _popcount(role_prefs)
        loc = np.where(
            pro_prefs == 0,
            NO_PREFERENCE_FIT,
            np.where(shared == role_prefs, 1.0, 0.5 * _popcount(shared) / n_role),
        )
        loc_applicable = (role_prefs != 0) & (role_remote != REMOTE_MODES.index("full"))
        out["location"] = (loc_applicable, np.where(loc_applicable, loc, 0.0))

        needed = np.asarray(needed, dtype=np.float64)
        headroom = np.clip((free - needed) / np.where(needed > 0, needed, 1.0), 0.0, 1.0)
        out["days"] = (np.True_, np.where(needed > 0, 0.7 + 0.3 * headroom, 1.0))

        out["public_sector"] = (np.True_, np.asarray(public, dtype=np.float64))

        qual_need = np.asarray(qual_need, dtype=np.uint64)
        n_q = _popcount(qual_need)
        held = _popcount(qual_need & np.asarray(qual_held, dtype=np.uint64))
        out["qualifications"] = (n_q > 0, np.where(n_q > 0, held / n_q, 0.0))
    return out


def _scores(fr: dict[str, tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """(int scores 0..100, scale): components a need leaves unspecified are left out and the
    rest scaled to 100, so a perfect fit always scores 100."""
    total = 0.0
    denom = 0.0
    for _comp, part, pts in _PARTS:
        applicable, frac = fr[part]
        w = np.where(applicable, pts, 0.0)
        total = total + w * frac
        denom = denom + w
    denom = np.asarray(denom, dtype=np.float64)
    scale = np.where(denom > 0, 100.0 / np.where(denom > 0, denom, 1.0), 0.0)
    scores = np.clip(np.floor(np.asarray(total) * scale + 0.5), 0, 100).astype(np.int64)
    return scores, scale


def _r(x: float) -> float:
    return round(float(x), 1)


def _breakdown(
    fr: dict[str, tuple[np.ndarray, np.ndarray]],
    at: int | None,
    scale: float,
    need: _CNeed,
    pro: _CProfile,
    tokens: _Tokens,
) -> dict[str, Any]:
    """Plain JSON-serialisable data per component for one (need, professional) pair."""
    vocab = tokens.vocab

    def part(name: str) -> tuple[bool, float, float]:
        applicable, frac = fr[name]
        a = bool(np.asarray(applicable)[at] if np.ndim(applicable) else applicable)
        f = float(np.asarray(frac)[at] if np.ndim(frac) else frac)
        pts = dict((p, w) for _, p, w in _PARTS)[name]
        mx = pts * scale if a else 0.0
        return a, f * mx, mx

    owned = set(pro.tokens)
    skills_ok, skills_pts, skills_max = part("skills")
    matched = [lbl for lbl, tid in need.required + need.preferred if tid is not None and tid in owned]
    missing_req = [lbl for lbl, tid in need.required if tid is None or tid not in owned]
    missing = missing_req + [lbl for lbl, tid in need.preferred if tid is None or tid not in owned]

    focus_ok, focus_pts, focus_max = part("focus_areas")
    decl = need.focus & pro.focus_decl
    via = need.focus & pro.focus_der & ~pro.focus_decl

    exp_ok, exp_pts, exp_max = part("experience")
    pro_exp = set(pro.exp)

    rem_ok, rem_pts, rem_max = part("remote")
    loc_ok, loc_pts, loc_max = part("location")
    day_ok, day_pts, day_max = part("days")
    pub_ok, pub_pts, pub_max = part("public_sector")
    q_ok, q_pts, q_max = part("qualifications")
    quals = tuple(vocab.qualifications)
    role_codes = [f"{i + 1:02d}" for i in range(47) if need.prefs >> i & 1]
    pro_codes = [f"{i + 1:02d}" for i in range(47) if pro.prefs >> i & 1]

    return {
        "skills": {
            "applicable": skills_ok,
            "points": _r(skills_pts),
            "max": _r(skills_max),
            "matched": matched,
            "missing": missing,
            "missing_required": missing_req,
            "broad": [k for k in matched if k in vocab.skills and vocab.skills[k].broad],
        },
        "focus_areas": {
            "applicable": focus_ok,
            "points": _r(focus_pts),
            "max": _r(focus_max),
            "matched": _keys_of(decl, FOCUS_KEYS),
            "via_skills": _keys_of(via, FOCUS_KEYS),
            "missing": _keys_of(need.focus & ~(decl | via), FOCUS_KEYS),
        },
        "experience": {
            "applicable": exp_ok,
            "points": _r(exp_pts),
            "max": _r(exp_max),
            "matched": [tokens.label(t) for t in need.exp if t in pro_exp],
            "missing": [tokens.label(t) for t in need.exp if t not in pro_exp],
        },
        "work_style": {
            "applicable": True,
            "points": _r(rem_pts + loc_pts + day_pts),
            "max": _r(rem_max + loc_max + day_max),
            "remote": {
                "points": _r(rem_pts),
                "max": _r(rem_max),
                "role": REMOTE_MODES[need.remote],
                "preference": REMOTE_PREFERENCES[pro.remote],
            },
            "location": {
                "applicable": loc_ok,
                "points": _r(loc_pts),
                "max": _r(loc_max),
                "role_prefectures": role_codes,
                "preferred_prefectures": pro_codes,
                "matched": [c for c in role_codes if c in pro_codes],
                "no_preference": not pro_codes,
            },
            "days": {
                "points": _r(day_pts),
                "max": _r(day_max),
                "needed": need.days,
                "available": pro.available,
                "used": pro.used,
                "free": pro.free,
            },
        },
        "bonuses": {
            "applicable": True,
            "points": _r(pub_pts + q_pts),
            "max": _r(pub_max + q_max),
            "public_sector": {"points": _r(pub_pts), "max": _r(pub_max), "value": pro.public},
            "qualifications": {
                "applicable": q_ok,
                "points": _r(q_pts),
                "max": _r(q_max),
                "matched": _keys_of(need.quals & pro.quals, quals),
                "missing": _keys_of(need.quals & ~pro.quals, quals) + list(need.qual_free),
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
        self.extend((value,))

    def extend(self, values: Sequence[Any]) -> None:
        k = len(values)
        if self.n + k > len(self.data):
            grown = np.empty(max(2 * len(self.data), self.n + k), dtype=self.data.dtype)
            grown[: self.n] = self.data[: self.n]
            self.data = grown
        self.data[self.n : self.n + k] = values
        self.n += k

    @property
    def view(self) -> np.ndarray:
        return self.data[: self.n]

    def replace(self, values: np.ndarray) -> None:
        self.data = np.array(values, dtype=self.data.dtype)
        self.n = len(values)


class _FlatLists:
    """Variable-length int32 lists stored as one flat array plus row offsets. Every row
    holds at least the padding token 0 so `np.add.reduceat` never meets an empty row."""

    def __init__(self, rows: Sequence[Sequence[int]] = ()) -> None:
        lengths = np.fromiter((max(1, len(r)) for r in rows), dtype=np.int64, count=len(rows))
        flat = np.zeros(int(lengths.sum()), dtype=np.int32)
        starts = np.zeros(len(rows), dtype=np.int64)
        if len(rows):
            starts[1:] = np.cumsum(lengths)[:-1]
            pos = 0
            buf: list[int] = []
            for r, ln in zip(rows, lengths, strict=True):
                buf.extend(r if r else (0,))
                pos += int(ln)
            flat[:] = buf
        self.flat = _Column(np.int32, flat)
        self.starts = _Column(np.int64, starts)

    def append(self, row: Sequence[int]) -> None:
        self.starts.append(self.flat.n)
        self.flat.extend(list(row) if row else [0])

    def row(self, r: int) -> np.ndarray:
        start = int(self.starts.data[r])
        end = int(self.starts.data[r + 1]) if r + 1 < self.starts.n else self.flat.n
        return self.flat.data[start:end]

    def sums(self, lut: np.ndarray) -> np.ndarray:
        """Per-row sum of lut[token] over each row's tokens."""
        return np.add.reduceat(lut[self.flat.view], self.starts.view)

    def keep(self, alive: np.ndarray) -> None:
        starts = self.starts.view
        lengths = np.diff(np.append(starts, self.flat.n))
        row_of = np.repeat(np.arange(len(starts)), lengths)
        self.flat.replace(self.flat.view[alive[row_of]])
        kept = lengths[alive]
        new_starts = np.zeros(len(kept), dtype=np.int64)
        if len(kept):
            new_starts[1:] = np.cumsum(kept)[:-1]
        self.starts.replace(new_starts)

    @property
    def nbytes(self) -> int:
        return self.flat.data.nbytes + self.starts.data.nbytes


def _top(key: np.ndarray, ids: np.ndarray, rows: np.ndarray, limit: int) -> np.ndarray:
    """The `limit` rows with the highest key, ties by id ascending, in order. Only rows at
    or above the limit-th key are sorted (np.partition), never every row."""
    if limit <= 0 or not len(rows):
        return rows[:0]
    k = key[rows]
    if len(rows) > limit:
        kth = np.partition(k, len(rows) - limit)[len(rows) - limit]
        sel = k >= kth
        rows, k = rows[sel], k[sel]
    order = np.lexsort((ids[rows], -k))
    return rows[order[:limit]]


def _rank_key(scores: np.ndarray, free: np.ndarray) -> np.ndarray:
    """Score first, then remaining capacity (to 1/100 day): a candidate who already holds
    another appointment ranks by what is left of their month."""
    return scores.astype(np.int64) * 10_000 + np.clip(np.round(free * 100), 0, 9_999).astype(np.int64)


# --------------------------------------------------------------------------------------
# Professionals for a posting
# --------------------------------------------------------------------------------------
class MatchIndex:
    """Every professional in flat arrays, for ranking against a posting.

    `upsert` / `remove` keep it current: a change appends a new row and tombstones the old
    one; tombstones are compacted away once they make up a quarter of the rows. Not safe
    for concurrent writers: guard updates with a lock if several threads share an index.
    """

    def __init__(self, profiles: Iterable[ProfileData] = (), vocabulary: Vocabulary | None = None):
        self.vocab = vocabulary or load_vocabulary()
        self.tokens = _Tokens(self.vocab)
        compiled = [_compile_profile(p, self.tokens, create=True) for p in profiles]
        # The last of duplicate ids wins, as with a sequence of upserts.
        last: dict[int, int] = {}
        for i, c in enumerate(compiled):
            last[c.id] = i
        compiled = [compiled[i] for i in sorted(last.values())]
        self._row: dict[int, int] = {c.id: r for r, c in enumerate(compiled)}
        self._names: list[str | None] = [c.name for c in compiled]
        self._skills = _FlatLists([c.tokens for c in compiled])
        self._exp = _FlatLists([c.exp for c in compiled])
        col = _Column
        self._ids = col(np.int64, [c.id for c in compiled])
        self._alive = col(np.bool_, [True] * len(compiled))
        self._discoverable = col(np.bool_, [c.discoverable for c in compiled])
        self._focus_decl = col(np.uint16, [c.focus_decl for c in compiled])
        self._focus_der = col(np.uint16, [c.focus_der for c in compiled])
        self._emp = col(np.uint8, [c.emp for c in compiled])
        self._remote = col(np.uint8, [c.remote for c in compiled])
        self._prefs = col(np.uint64, [c.prefs for c in compiled])
        self._available = col(np.float32, [c.available for c in compiled])
        self._used = col(np.float32, [c.used for c in compiled])
        self._public = col(np.bool_, [c.public for c in compiled])
        self._quals = col(np.uint64, [c.quals for c in compiled])
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
            self._public,
            self._quals,
        ]

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, professional_id: object) -> bool:
        return professional_id in self._row

    def upsert(self, profile: ProfileData) -> None:
        c = _compile_profile(profile, self.tokens, create=True)
        self.remove(c.id)
        self._row[c.id] = self._ids.n
        self._names.append(c.name)
        self._skills.append(c.tokens)
        self._exp.append(c.exp)
        for column, value in zip(
            self._columns(),
            (
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
                c.public,
                c.quals,
            ),
            strict=True,
        ):
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
        """Drop tombstoned rows (amortised: called when they pile up)."""
        alive = self._alive.view.copy()
        for column in self._columns():
            column.replace(column.view[alive])
        self._skills.keep(alive)
        self._exp.keep(alive)
        self._names = [n for n, a in zip(self._names, alive, strict=True) if a]
        self._row = {int(pid): r for r, pid in enumerate(self._ids.view)}
        self._dead = 0

    def memory_bytes(self) -> int:
        """Bytes held by the index's arrays and per-profile Python objects."""
        arrays = sum(c.data.nbytes for c in self._columns()) + self._skills.nbytes + self._exp.nbytes
        names = sum(len(n) * 4 + 56 for n in self._names if n is not None) + 8 * len(self._names)
        row_map = 100 * len(self._row)
        return arrays + names + row_map

    def _profile(self, r: int) -> _CProfile:
        return _CProfile(
            id=int(self._ids.data[r]),
            name=self._names[r] or "",
            tokens=tuple(int(t) for t in self._skills.row(r) if t),
            exp=tuple(int(t) for t in self._exp.row(r) if t),
            focus_decl=int(self._focus_decl.data[r]),
            focus_der=int(self._focus_der.data[r]),
            emp=int(self._emp.data[r]),
            remote=int(self._remote.data[r]),
            prefs=int(self._prefs.data[r]),
            available=float(self._available.data[r]),
            used=float(self._used.data[r]),
            public=bool(self._public.data[r]),
            quals=int(self._quals.data[r]),
            discoverable=bool(self._discoverable.data[r]),
        )

    def rank(
        self,
        need: NeedData,
        limit: int = 50,
        include_excluded: bool = False,
        among: Collection[int] | None = None,
    ) -> Ranking:
        """Professionals for `need`, best first. `among` restricts the ranking to some
        professionals (e.g. a posting's applicants). Excluded ones (with the reason) are
        listed when asked, at most `limit` of them, best would-be score first."""
        cn = _compile_need(need, self.tokens, create=False)
        n = self._ids.n
        if n == 0:
            return Ranking([], [], 0)

        lut = np.zeros(len(self.tokens), dtype=np.float32)
        for tid, w in cn.skill_w.items():
            if tid >= 0:
                lut[tid] = w
        skill_got = self._skills.sums(lut).astype(np.float64) if cn.skill_w else 0.0
        exp_lut = np.zeros(len(self.tokens), dtype=np.float32)
        for tid, w in cn.exp.items():
            exp_lut[tid] = w
        exp_got = self._exp.sums(exp_lut).astype(np.float64) if cn.exp else 0.0
        available = self._available.view.astype(np.float64)
        free = np.maximum(available - self._used.view, 0.0)

        fr = _fractions(
            skill_got=skill_got,
            skill_max=np.float64(cn.skill_max),
            focus_need=np.uint64(cn.focus),
            focus_decl=self._focus_decl.view,
            focus_der=self._focus_der.view,
            exp_got=exp_got,
            exp_max=np.float64(sum(cn.exp.values())),
            role_remote=np.intp(cn.remote),
            pref_remote=self._remote.view,
            role_prefs=np.uint64(cn.prefs),
            pro_prefs=self._prefs.view,
            needed=np.float64(cn.days),
            free=free,
            public=self._public.view,
            qual_need=np.uint64(cn.quals),
            qual_held=self._quals.view,
        )
        scores, scale = _scores(fr)
        scores = np.broadcast_to(scores, (n,))

        alive = self._alive.view.copy()
        if among is not None:
            subset = np.zeros(n, dtype=bool)
            rows = [self._row[i] for i in among if i in self._row]
            subset[rows] = True
            alive &= subset
        emp_ok = (self._emp.view & cn.emp_bit) != 0 if cn.emp_bit else np.True_
        cap_ok = free + _EPS >= cn.days
        ok = alive & self._discoverable.view & emp_ok & cap_ok

        key = _rank_key(scores, free)
        ids = self._ids.view
        chosen = _top(key, ids, np.flatnonzero(ok), limit)
        s = float(scale)
        candidates = [
            Candidate(
                professional_id=int(ids[r]),
                display_name=self._names[r] or "",
                score=int(scores[r]),
                breakdown=_breakdown(fr, int(r), s, cn, self._profile(int(r)), self.tokens),
            )
            for r in chosen
        ]
        excluded: list[Excluded] = []
        if include_excluded:
            out = np.flatnonzero(alive & ~ok)
            for r in _top(key, ids, out, limit):
                excluded.append(
                    Excluded(int(ids[r]), self._names[r] or "", self._reason(int(r), cn, float(free[r])))
                )
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
    scores and breakdown as `MatchIndex`; the employment type and capacity filters apply
    (being discoverable is about being found, not about browsing, so it does not)."""

    def __init__(self, needs: Iterable[NeedData] = (), vocabulary: Vocabulary | None = None):
        self.vocab = vocabulary or load_vocabulary()
        self.tokens = _Tokens(self.vocab)
        self._needs: list[_CNeed | None] = []
        self._row: dict[int, int] = {}
        self._skills = _FlatLists()
        self._skill_w = _Column(np.float32)
        self._exp = _FlatLists()
        self._exp_w = _Column(np.float32)
        col = _Column
        self._ids = col(np.int64)
        self._alive = col(np.bool_)
        self._skill_max = col(np.float64)
        self._exp_max = col(np.float64)
        self._focus = col(np.uint16)
        self._emp = col(np.uint8)
        self._remote = col(np.uint8)
        self._prefs = col(np.uint64)
        self._days = col(np.float64)
        self._quals = col(np.uint64)
        self._dead = 0
        for need in needs:
            self.upsert(need)

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

    def upsert(self, need: NeedData) -> None:
        cn = _compile_need(need, self.tokens, create=True)
        self.remove(cn.id)
        self._row[cn.id] = self._ids.n
        self._needs.append(cn)
        skill_items = [(t, w) for t, w in cn.skill_w.items() if t >= 0]
        self._skills.append([t for t, _ in skill_items])
        self._skill_w.extend([w for _, w in skill_items] or [0.0])
        self._exp.append(list(cn.exp))
        self._exp_w.extend(list(cn.exp.values()) or [0.0])
        for column, value in zip(
            self._columns(),
            (
                cn.id,
                True,
                cn.skill_max,
                float(sum(cn.exp.values())),
                cn.focus,
                cn.emp_bit,
                cn.remote,
                cn.prefs,
                cn.days,
                cn.quals,
            ),
            strict=True,
        ):
            column.append(value)

    def remove(self, posting_id: int) -> bool:
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
        tok_rows = np.repeat(alive, np.diff(np.append(self._skills.starts.view, self._skills.flat.n)))
        exp_rows = np.repeat(alive, np.diff(np.append(self._exp.starts.view, self._exp.flat.n)))
        self._skill_w.replace(self._skill_w.view[tok_rows])
        self._exp_w.replace(self._exp_w.view[exp_rows])
        self._skills.keep(alive)
        self._exp.keep(alive)
        for column in self._columns():
            column.replace(column.view[alive])
        self._needs = [c for c, a in zip(self._needs, alive, strict=True) if a]
        self._row = {int(pid): r for r, pid in enumerate(self._ids.view)}
        self._dead = 0

    def memory_bytes(self) -> int:
        return (
            sum(c.data.nbytes for c in self._columns())
            + self._skills.nbytes
            + self._exp.nbytes
            + self._skill_w.data.nbytes
            + self._exp_w.data.nbytes
        )

    def rank_for(
        self, profile: ProfileData, limit: int = 20, include_excluded: bool = False
    ) -> Recommendations:
        """Open postings for a professional, best first, with the same breakdown."""
        n = self._ids.n
        if n == 0:
            return Recommendations([], [], 0)
        cp = _compile_profile(profile, self.tokens, create=False)
        has = np.zeros(len(self.tokens), dtype=np.float32)
        has[list(cp.tokens)] = 1.0
        has[0] = 0.0
        has_exp = np.zeros(len(self.tokens), dtype=np.float32)
        has_exp[list(cp.exp)] = 1.0
        has_exp[0] = 0.0
        skill_got = np.add.reduceat(
            has[self._skills.flat.view] * self._skill_w.view, self._skills.starts.view
        ).astype(np.float64)
        exp_got = np.add.reduceat(
            has_exp[self._exp.flat.view] * self._exp_w.view, self._exp.starts.view
        ).astype(np.float64)
        free = cp.free
        fr = _fractions(
            skill_got=skill_got,
            skill_max=self._skill_max.view,
            focus_need=self._focus.view,
            focus_decl=np.uint64(cp.focus_decl),
            focus_der=np.uint64(cp.focus_der),
            exp_got=exp_got,
            exp_max=self._exp_max.view,
            role_remote=self._remote.view,
            pref_remote=np.intp(cp.remote),
            role_prefs=self._prefs.view,
            pro_prefs=np.uint64(cp.prefs),
            needed=self._days.view,
            free=np.float64(free),
            public=np.float64(cp.public),
            qual_need=self._quals.view,
            qual_held=np.uint64(cp.quals),
        )
        scores, scale = _scores(fr)
        scores = np.broadcast_to(scores, (n,))
        scale = np.broadcast_to(scale, (n,))
        emp = self._emp.view
        alive = self._alive.view
        ok = alive & ((emp == 0) | ((emp & cp.emp) != 0)) & (self._days.view <= free + _EPS)
        # Ties: score, then the posting that leaves more of the month free, then id.
        key = _rank_key(scores, np.maximum(free - self._days.view, 0.0))
        ids = self._ids.view
        postings = []
        for r in _top(key, ids, np.flatnonzero(ok), limit):
            cn = self._needs[r]
            assert cn is not None
            postings.append(
                PostingMatch(
                    posting_id=int(ids[r]),
                    title=cn.title,
                    score=int(scores[r]),
                    breakdown=_breakdown(fr, int(r), float(scale[r]), cn, cp, self.tokens),
                )
            )
        excluded: list[ExcludedPosting] = []
        if include_excluded:
            for r in _top(key, ids, np.flatnonzero(alive & ~ok), limit):
                cn = self._needs[r]
                assert cn is not None
                if cn.emp_bit and not cp.emp & cn.emp_bit:
                    reason = Msg(_YOU_NO_EMPLOYMENT[cn.emp_type])
                else:
                    reason = Msg(_YOU_NO_CAPACITY, {"free": _days(round(free, 1)), "needed": _days(cn.days)})
                excluded.append(ExcludedPosting(int(ids[r]), cn.title, reason))
        return Recommendations(postings, excluded, int(np.count_nonzero(ok)))


def score_pair(need: NeedData, profile: ProfileData, vocabulary: Vocabulary | None = None) -> Candidate:
    """Score one professional for one need, ignoring the hard filters (for a detail page
    or a check of an application)."""
    index = MatchIndex([replace_discoverable(profile)], vocabulary)
    need_any = NeedData(**{**need.__dict__, "employment_type": "", "days_per_month": need.days_per_month})
    ranking = index.rank(need_any, limit=1)
    if ranking.candidates:
        return ranking.candidates[0]
    # Only the capacity filter can remain: score it as if it had the days.
    index = MatchIndex([replace_discoverable(profile, free_days=need.days_per_month)], vocabulary)
    return index.rank(need_any, limit=1).candidates[0]


def replace_discoverable(profile: ProfileData, free_days: float | None = None) -> ProfileData:
    data = dict(profile.__dict__)
    data["discoverable"] = True
    if free_days is not None:
        data["available_days"] = max(float(profile.available_days or 0), float(free_days) + float(profile.used_days or 0))
    return ProfileData(**data)


def _unused() -> None:  # pragma: no cover - keeps math imported for type checkers
    math.isfinite(0.0)
