"""PURE: how many registered professionals a posting's conditions reach, and what each
narrowing condition costs (「フルリモート可にすると約M人」).

A professional is reached when all of these hold (the matcher's hard filters, plus the
conditions a clerk can relax):
  - they opted in to being found (and their account is active): `discoverable`;
  - they accept the employment form (no stated form: any);
  - their free days (available minus current appointments) cover the days a month;
  - place or remote: an on-site role does not reach people who want remote work only, and a
    role that is not fully remote reaches only people who named no prefecture or named one of
    the role's prefectures;
  - they have every required skill (a required tag naming a qualification is also met by
    holding that qualification);
  - when side jobs are not allowed, they hold no other appointment (兼務).

Figures leave the service only through `rounded`: fewer than `THRESHOLD` is suppressed and
larger counts are rounded to a step, so a count never singles out a person.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from talentmatch.matching.matcher import (
    EMPLOYMENT_TYPES,
    REMOTE_MODES,
    REMOTE_PREFERENCES,
    MatchIndex,
    NeedData,
)
from talentmatch.matching.matcher.compiled import EMPLOYMENT_BIT, pref_mask
from talentmatch.matching.matcher.index import EPS
from talentmatch.professionals.vocabulary import split_tags

THRESHOLD = 5  # fewer reached people than this are never shown as a number
MAX_WHAT_IFS = 5
_REMOTE_ONLY = REMOTE_PREFERENCES.index("remote_only")


@dataclass(frozen=True)
class Conditions:
    """What a posting asks that narrows who it reaches."""

    need: NeedData
    side_job_ok: bool | None = None  # False: people holding another appointment don't count


@dataclass(frozen=True)
class WhatIf:
    change: str  # e.g. "remote:full", "employment_type:outsourcing", "required_skill:Python",
    # "required_skills" (every required skill made preferred)
    reach: int
    params: dict


@dataclass(frozen=True)
class Reach:
    reach: int
    what_if: list[WhatIf]


def rounded(n: int) -> int | None:
    """A count as it may be shown: None below THRESHOLD (suppressed); to the nearest 5 below
    100, 10 below 1,000, then 100 (never below THRESHOLD)."""
    if n < THRESHOLD:
        return None
    step = 5 if n < 100 else 10 if n < 1000 else 100
    return max(THRESHOLD, (n + step // 2) // step * step)


# --------------------------------------------------------------------------- counting


class _Columns:
    """The index's columns that reach reads (one place to follow if the index changes)."""

    def __init__(self, index: MatchIndex) -> None:
        col = index._col  # noqa: SLF001 - read-only use of the index's columns
        self.alive = index._alive.view  # noqa: SLF001
        self.discoverable = col["discoverable"].view
        self.emp = col["emp"].view
        self.free = col["free"].view
        self.used = col["used"].view
        self.remote = col["remote"].view
        self.prefs = col["prefs"].view
        self.quals = col["quals"].view
        self.skills = index._skills  # noqa: SLF001
        self.tokens = index.tokens
        self.n = index._ids.n  # noqa: SLF001


def _has_tag(c: _Columns, tag: str) -> np.ndarray:
    """Rows holding a required tag: any of the skill tokens it names, or the qualification."""
    keys, free = c.tokens.resolve_tags([tag])
    ids = [c.tokens.id_of(k, free=False, create=False) for k in keys]
    ids += [c.tokens.id_of(f, free=True, create=False) for f in free]
    weights = {t: 1.0 for t in ids if t is not None}
    held = c.skills.accumulate(np.zeros(c.n, np.float32), weights) > 0 if weights else np.zeros(
        c.n, bool
    )
    qual = c.tokens.vocab.resolve_qualification(tag)
    if qual in c.tokens.qual_bit:  # the column holds every qualification a profile implies
        held = held | ((c.quals & np.uint64(c.tokens.qual_bit[qual])) != 0)
    return held


def _required_tags(need: NeedData) -> list[str]:
    out: list[str] = []
    for tag in split_tags(need.required_skills or ()):
        if tag.strip() and tag.strip() not in out:
            out.append(tag.strip())
    return out


def _mask(c: _Columns, cond: Conditions, tag_masks: dict[str, np.ndarray]) -> np.ndarray:
    need = cond.need
    ok = c.alive & c.discoverable
    days = max(0.0, float(need.days_per_month or 0))
    ok = ok & (c.free + EPS >= days)
    bit = EMPLOYMENT_BIT.get(need.employment_type or "", 0)
    if bit:
        ok = ok & ((c.emp & bit) != 0)
    remote = need.remote if need.remote in REMOTE_MODES else "none"
    if remote == "none":
        ok = ok & (c.remote != _REMOTE_ONLY)
    role_prefs = pref_mask(need.prefecture_codes or ())
    if remote != "full" and role_prefs:
        ok = ok & ((c.prefs == 0) | ((c.prefs & np.uint64(role_prefs)) != 0))
    for tag in _required_tags(need):
        if tag not in tag_masks:
            tag_masks[tag] = _has_tag(c, tag)
        ok = ok & tag_masks[tag]
    if cond.side_job_ok is False:
        ok = ok & (c.used <= EPS)
    return ok


def count(index: MatchIndex, cond: Conditions) -> int:
    """How many professionals of `index` the conditions reach (exact: never show it as is)."""
    c = _Columns(index)
    if c.n == 0:
        return 0
    return int(np.count_nonzero(_mask(c, cond, {})))


def _relaxations(cond: Conditions) -> list[tuple[str, dict, Conditions]]:
    """Each condition eased on its own: (change key, label parameters, new conditions)."""
    need = cond.need
    out: list[tuple[str, dict, Conditions]] = []
    remote = need.remote if need.remote in REMOTE_MODES else "none"
    if remote == "none":
        out.append(("remote:partial", {}, replace(cond, need=replace(need, remote="partial"))))
    if remote != "full":
        out.append(("remote:full", {}, replace(cond, need=replace(need, remote="full"))))
    if cond.side_job_ok is False:
        out.append(("side_job_ok", {}, replace(cond, side_job_ok=True)))
    days = float(need.days_per_month or 0)
    if days >= 2:
        fewer = float(math.floor(days / 2))
        out.append(
            ("days_per_month", {"days": fewer},
             replace(cond, need=replace(need, days_per_month=fewer)))
        )
    if need.employment_type in EMPLOYMENT_BIT:
        for other in EMPLOYMENT_TYPES:
            if other != need.employment_type:
                out.append(
                    (f"employment_type:{other}", {"employment_type": other},
                     replace(cond, need=replace(need, employment_type=other)))
                )
    tags = _required_tags(need)
    if len(tags) >= 2:  # with one, the line below says the same
        out.append(("required_skills", {}, replace(cond, need=replace(need, required_skills=[]))))
    for tag in tags:
        rest = [t for t in tags if t != tag]
        out.append(
            (f"required_skill:{tag}", {"skill": tag},
             replace(cond, need=replace(need, required_skills=rest)))
        )
    return out


def reach(index: MatchIndex, cond: Conditions, *, limit: int = MAX_WHAT_IFS) -> Reach:
    """The count for `cond` and the relaxations that reach more people, most first. Only
    the best other employment form is kept; a relaxation is kept only when its rounded
    figure is larger than the posting's own (a gain of one or two people is not shown)."""
    c = _Columns(index)
    if c.n == 0:
        return Reach(0, [])
    tags: dict[str, np.ndarray] = {}
    base = int(np.count_nonzero(_mask(c, cond, tags)))
    shown = rounded(base) or 0
    found: list[WhatIf] = []
    best_form: WhatIf | None = None
    for key, params, relaxed in _relaxations(cond):
        n = int(np.count_nonzero(_mask(c, relaxed, tags)))
        r = rounded(n)
        if r is None or r <= shown:
            continue
        item = WhatIf(key, n, params)
        if key.startswith("employment_type:"):
            if best_form is None or n > best_form.reach:
                best_form = item
            continue
        found.append(item)
    if best_form is not None:
        found.append(best_form)
    found.sort(key=lambda w: -w.reach)  # stable: ties keep the order above
    return Reach(base, found[:limit])

