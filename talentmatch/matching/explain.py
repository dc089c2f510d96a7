"""PURE: the matcher's breakdown in words a municipal clerk understands.

`explain()` turns one candidate's breakdown (plain data from `matcher`) into short lines,
each a `Msg` with its parameters already in the reader's language (skill, area and
prefecture names), so the view only translates the sentence around them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from talentmatch.matching.matcher import WEIGHTS
from talentmatch.messages import N_, Msg
from talentmatch.professionals.vocabulary import FOCUS_AREAS, Vocabulary

GOOD, PARTIAL, WEAK, INFO = "good", "partial", "weak", "info"

REMOTE_ROLE_LABELS = {
    "none": N_("on site"),
    "partial": N_("partly remote"),
    "full": N_("fully remote"),
}
REMOTE_PREFERENCE_LABELS = {
    "remote_only": N_("Remote only"),
    "hybrid": N_("Remote with some days on site"),
    "onsite_ok": N_("On-site work is fine"),
}


@dataclass(frozen=True)
class Line:
    component: str
    message: Msg
    tone: str  # good | partial | weak | info
    # Params holding msgids (translated along with the sentence).
    label_params: tuple[str, ...] = ()

    def render(self, gettext: Callable[[str], str] | None = None) -> str:
        translate = gettext or (lambda s: s)
        params = {
            k: translate(v) if k in self.label_params else v for k, v in self.message.params.items()
        }
        return Msg(self.message.msgid, params).render(translate)


@dataclass(frozen=True)
class Part:
    """One component's points, for the small score table."""

    key: str
    label: str  # msgid
    points: int
    max: int


def _days(value: float) -> str:
    value = float(value or 0)
    return str(int(value)) if value.is_integer() else f"{value:.1f}"


def _join(items: Sequence[str], lang: str) -> str:
    return ("、" if lang == "ja" else ", ").join(items)


def focus_label(key: str, lang: str = "ja") -> str:
    ja, en = FOCUS_AREAS.get(key, (key, key))
    return en if lang == "en" else ja


def _tone(points: float, mx: float) -> str:
    if mx <= 0:
        return INFO
    ratio = points / mx
    return GOOD if ratio >= 0.85 else PARTIAL if ratio >= 0.4 else WEAK


def parts(breakdown: Mapping[str, Any]) -> list[Part]:
    """Points per component (those the posting leaves open are left out)."""
    out = []
    for key, comp in WEIGHTS.items():
        b = breakdown.get(key) or {}
        if b.get("applicable"):
            out.append(Part(key, comp.label, round(b.get("points", 0)), round(b.get("max", 0))))
    return out


def explain(
    breakdown: Mapping[str, Any],
    *,
    required_labels: Sequence[str],
    vocabulary: Vocabulary,
    prefecture_name: Callable[[str], str],
    lang: str = "ja",
) -> list[Line]:
    """Sentences for one candidate. `required_labels` are the posting's required skills as
    the matcher labels them (skill keys, normalised free entries)."""
    lines: list[Line] = []

    def skill(label: str) -> str:
        return vocabulary.label(label, lang)

    # -- skills
    sk = breakdown.get("skills") or {}
    if sk.get("applicable"):
        matched = list(sk.get("matched") or [])
        missing_req = list(sk.get("missing_required") or [])
        required = list(dict.fromkeys(required_labels))
        n_req = len(required)
        req_matched = [m for m in matched if m in required]
        pref_matched = [m for m in matched if m not in required]
        pref_missing = [m for m in sk.get("missing") or [] if m not in missing_req]
        n_pref = len(pref_matched) + len(pref_missing)
        if n_req:
            params = {"matched": len(req_matched), "total": n_req}
            if missing_req:
                msg = Msg(
                    N_("Required skills: %(matched)s of %(total)s match (missing: %(missing)s)"),
                    {**params, "missing": _join([skill(m) for m in missing_req], lang)},
                )
            else:
                msg = Msg(N_("Required skills: %(matched)s of %(total)s match"), params)
            tone = GOOD if not missing_req else PARTIAL if req_matched else WEAK
            lines.append(Line("skills", msg, tone))
        if n_pref:
            msg = Msg(
                N_("Preferred skills: %(matched)s of %(total)s match"),
                {"matched": len(pref_matched), "total": n_pref},
            )
            if pref_matched:
                msg = Msg(
                    N_("Preferred skills: %(matched)s of %(total)s match (%(skills)s)"),
                    {**msg.params, "skills": _join([skill(m) for m in pref_matched], lang)},
                )
            lines.append(Line("skills", msg, GOOD if not pref_missing else PARTIAL))

    # -- focus areas
    fa = breakdown.get("focus_areas") or {}
    if fa.get("applicable"):
        shared = list(fa.get("matched") or [])
        via = list(fa.get("via_skills") or [])
        if shared:
            lines.append(
                Line(
                    "focus_areas",
                    Msg(
                        N_("Focus areas: %(count)s in common (%(areas)s)"),
                        {
                            "count": len(shared),
                            "areas": _join([focus_label(a, lang) for a in shared], lang),
                        },
                    ),
                    _tone(fa.get("points", 0), fa.get("max", 0)),
                )
            )
        if via:
            lines.append(
                Line(
                    "focus_areas",
                    Msg(
                        N_("Skills related to %(areas)s"),
                        {"areas": _join([focus_label(a, lang) for a in via], lang)},
                    ),
                    PARTIAL,
                )
            )
        if not shared and not via:
            lines.append(Line("focus_areas", Msg(N_("No focus area in common")), WEAK))

    # -- experience
    ex = breakdown.get("experience") or {}
    if ex.get("applicable"):
        found = list(ex.get("matched") or [])
        if found:
            lines.append(
                Line(
                    "experience",
                    Msg(
                        N_("Experience mentions %(skills)s"),
                        {"skills": _join([skill(k) for k in found], lang)},
                    ),
                    _tone(ex.get("points", 0), ex.get("max", 0)),
                )
            )
        else:
            lines.append(
                Line(
                    "experience",
                    Msg(N_("Experience does not mention what the role asks for")),
                    WEAK,
                )
            )

    # -- work style
    ws = breakdown.get("work_style") or {}
    remote = ws.get("remote") or {}
    if remote.get("applicable"):
        r_pts, r_max = remote.get("points", 0), remote.get("max", 0)
        role = remote.get("role", "none")
        pref = remote.get("preference", "hybrid")
        if r_max and r_pts >= r_max - 1e-6:
            msg = Msg(
                N_("Remote work preference matches (%(role)s role)"),
                {"role": REMOTE_ROLE_LABELS.get(role, role)},
            )
            tone = GOOD
        else:
            msg = Msg(
                N_(
                    "Remote work preference differs: prefers “%(preference)s”, the role is %(role)s"
                ),
                {
                    "preference": REMOTE_PREFERENCE_LABELS.get(pref, pref),
                    "role": REMOTE_ROLE_LABELS.get(role, role),
                },
            )
            tone = PARTIAL if r_pts > 0 else WEAK
        lines.append(Line("work_style", msg, tone, ("role", "preference")))

    loc = ws.get("location") or {}
    if loc.get("applicable"):
        role_prefs = list(loc.get("role_prefectures") or [])
        matched = list(loc.get("matched") or [])
        names = _join([prefecture_name(c) for c in role_prefs], lang)
        if loc.get("no_preference"):
            msg, tone = Msg(N_("No preferred prefecture given (open to any location)")), PARTIAL
        elif len(matched) == len(role_prefs):
            msg, tone = (
                Msg(N_("Preferred locations include %(prefectures)s"), {"prefectures": names}),
                GOOD,
            )
        elif matched:
            missing = [c for c in role_prefs if c not in matched]
            msg = Msg(
                N_("Preferred locations include %(prefectures)s but not %(missing)s"),
                {
                    "prefectures": _join([prefecture_name(c) for c in matched], lang),
                    "missing": _join([prefecture_name(c) for c in missing], lang),
                },
            )
            tone = PARTIAL
        else:
            msg, tone = (
                Msg(
                    N_("Preferred locations do not include %(prefectures)s"), {"prefectures": names}
                ),
                WEAK,
            )
        lines.append(Line("work_style", msg, tone))

    days = ws.get("days") or {}
    if days.get("applicable"):
        free, used, needed = days.get("free", 0), days.get("used", 0), days.get("needed", 0)
        params = {"free": _days(free), "used": _days(used), "needed": _days(needed)}
        if used > 0:
            msg = Msg(
                N_(
                    "%(free)s days a month free (%(used)s used by other appointments); the role needs %(needed)s"
                ),
                params,
            )
        else:
            msg = Msg(N_("%(free)s days a month free; the role needs %(needed)s"), params)
        lines.append(Line("work_style", msg, GOOD if free >= needed else WEAK))

    # -- bonuses
    bo = breakdown.get("bonuses") or {}
    public = bo.get("public_sector") or {}
    if public.get("value"):
        lines.append(Line("bonuses", Msg(N_("Has public-sector experience")), GOOD))
    quals = bo.get("qualifications") or {}
    if quals.get("applicable"):
        held = list(quals.get("matched") or [])
        lacking = list(quals.get("missing") or [])
        if held:
            lines.append(
                Line(
                    "bonuses",
                    Msg(
                        N_("Holds preferred qualifications: %(names)s"),
                        {"names": _join([skill(q) for q in held], lang)},
                    ),
                    GOOD,
                )
            )
        elif lacking:
            lines.append(
                Line(
                    "bonuses",
                    Msg(
                        N_(
                            "Does not hold the preferred qualifications (%(names)s); this is only a bonus"
                        ),
                        {"names": _join([skill(q) for q in lacking], lang)},
                    ),
                    INFO,
                )
            )
    return lines


PART_LABELS = {
    "remote": N_("Remote work"),
    "location": N_("Location"),
    "days": N_("Free days"),
    "public_sector": N_("Public-sector experience"),
    "qualifications": N_("Preferred qualifications"),
}
