"""PURE: scores shared by both directions, their breakdown, and the choice of the best rows.

numpy broadcasting: one side is scalars, the other arrays (profiles when ranking
professionals, postings when recommending postings). `fractions` gives each part's fit
0..1, `total_scores` weighs them into 0–100 integers, `rows_heads` and `breakdown_of` explain
the few rows `top_rows` chooses.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from talentmatch.matching.matcher.compiled import CNeed, CProfile, Tokens, keys_of
from talentmatch.matching.matcher.data import (
    FOCUS_KEYS,
    PREF_CODES,
    REMOTE_MODES,
    REMOTE_PREFERENCES,
)
from talentmatch.matching.matcher.weights import NO_PREFERENCE_FIT, PARTS, REMOTE_FIT, WEIGHTS

# Vector work is float32: half the memory traffic of float64, ample for points out of 100.
F = np.float32
_HALF = np.float32(0.5)

Fractions = dict[str, tuple[Any, Any]]  # part → (applicable, fraction 0..1)


def _popcount(x: Any) -> Any:
    return np.bitwise_count(x).astype(F)


def _is_off(applicable: Any) -> bool:
    return np.ndim(applicable) == 0 and not applicable


def _masked(ok: Any, value: Any) -> Any:
    """`value` where the part applies, else 0 (no array pass when `ok` is one scalar)."""
    return value if np.ndim(ok) == 0 else np.where(ok, value, 0.0)


def fractions(
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
    listed: Any = 0.0,
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
                fit = (shared != 0).astype(F)  # one prefecture: in it or not
            else:
                partial = _HALF * _popcount(shared) / _popcount(role_prefs)
                fit = np.where(shared == role_prefs, F(1.0), partial)
            fit = np.where(pro_prefs == 0, F(NO_PREFERENCE_FIT), fit)
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
        out["talent_list"] = (np.True_, listed)

        n_q = _popcount(qual_need)
        ok = np.greater(n_q, 0)
        if _is_off(ok):
            out["qualifications"] = (ok, 0.0)
        else:
            out["qualifications"] = (ok, _masked(ok, _popcount(qual_need & qual_held) / n_q))
    return out


def total_scores(fr: Fractions) -> tuple[np.ndarray, Any]:
    """(int scores 0..100, scale). Parts a need leaves open are left out and the rest
    scaled up, so a perfect fit scores 100 whatever the posting specifies."""
    total: Any = None
    constant = 0.0  # parts equal for every row (e.g. a need without days)
    denom: Any = 0.0
    for _comp, part, pts in PARTS:
        applicable, frac = fr[part]
        if _is_off(applicable):
            continue
        w = np.where(applicable, F(pts), F(0.0)) if np.ndim(applicable) else pts
        denom = denom + w
        if np.ndim(frac) == 0 and np.ndim(w) == 0:
            constant += float(frac) * w
        elif total is None:
            total = np.multiply(frac, w, dtype=F)
        else:
            total += np.multiply(frac, w, dtype=F)  # in place: no new array per part
    if np.ndim(denom) == 0:
        scale: Any = 100.0 / float(denom) if denom > 0 else 0.0
    else:
        scale = np.where(denom > 0, 100.0 / np.maximum(denom, 1e-9), 0.0).astype(F)
    if total is None:
        total = np.zeros(np.shape(denom), dtype=F)
    total += F(constant)
    total *= scale
    total += F(0.5)
    np.floor(total, out=total)
    np.clip(total, 0, 100, out=total)
    scores = total.astype(np.int64)
    return scores, scale


_HEADS = {
    **{part: (part,) for _, part, _ in PARTS},
    **{comp: tuple(c.parts) for comp, c in WEIGHTS.items() if c.parts},
}
# Row h, column p: 1 when part p adds to heading h (a part, or a component of parts).
_HEAD_MATRIX = np.array(
    [[1.0 if part in parts else 0.0 for _, part, _ in PARTS] for parts in _HEADS.values()]
)
_PART_WEIGHTS = np.array([w for _, _, w in PARTS])


def rows_heads(fr: Fractions, rows: list[int], scale: Any) -> list[dict[str, tuple[float, float]]]:
    """Rounded (points, max) of every part and component for each chosen row, on the
    0–100 scale (max 0: the need leaves it open). A few matrix operations per ranking."""
    k = len(rows)
    applicable = np.empty((len(PARTS), k), dtype=bool)
    frac = np.empty((len(PARTS), k))
    for i, (_comp, name, _w) in enumerate(PARTS):
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


def breakdown_of(
    heads: dict[str, tuple[float, float]], need: CNeed, pro: CProfile, tokens: Tokens
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
    role_codes = keys_of(need.prefs, PREF_CODES)
    pro_codes = keys_of(pro.prefs, PREF_CODES)
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
            "matched": keys_of(decl, FOCUS_KEYS),
            "via_skills": keys_of(via, FOCUS_KEYS),
            "missing": keys_of(need.focus & ~(decl | via), FOCUS_KEYS),
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
            "talent_list": {**head("talent_list"), "value": pro.listed},
            "qualifications": {
                **head("qualifications"),
                "matched": keys_of(need.quals & pro.quals, tokens.qual_keys),
                "missing": keys_of(need.quals & ~pro.quals, tokens.qual_keys) + need.qual_free,
            },
        },
    }


def spare_key(free: Any) -> Any:
    """Remaining capacity in 1/100 days, the tie-break after the score."""
    return np.clip(np.round(np.asarray(free, dtype=np.float64) * 100), 0, 9_999).astype(np.int64)


def top_rows(
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
