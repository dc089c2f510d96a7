"""PURE: the matcher's breakdown in words a municipal clerk understands.

`explain()` turns one candidate's breakdown (plain data from `matcher`) into short lines,
each a `Msg` with its parameters already in the reader's language (skill, area and
prefecture names), so the view only translates the sentence around them. Each score
component has its own function below, called in the order of `WEIGHTS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from talentmatch import vocab
from talentmatch.catalog import translator
from talentmatch.matching.matcher import WEIGHTS
from talentmatch.matching.matcher.data import days_text
from talentmatch.messages import N_, Msg
from talentmatch.professionals.vocabulary import Vocabulary

GOOD, PARTIAL, WEAK, INFO = "good", "partial", "weak", "info"

REMOTE_ROLE_LABELS = {
    "none": N_("on site"),
    "partial": N_("partly remote"),
    "full": N_("fully remote"),
}
REMOTE_PREFERENCE_LABELS = vocab.labels(vocab.REMOTE_PREFERENCES)
FOCUS_LABELS = vocab.labels(vocab.FOCUS_AREAS)
PART_LABELS = {
    "remote": N_("Remote work"),
    "location": N_("Location"),
    "days": N_("Free days"),
    "public_sector": N_("Public-sector experience"),
    "qualifications": N_("Preferred qualifications"),
}


@dataclass(frozen=True)
class Line:
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


def focus_label(key: str, lang: str = "ja") -> str:
    """A focus area's name in the reader's language (the catalogue's; the key if unknown)."""
    label = FOCUS_LABELS.get(key)
    return translator(lang)(label) if label is not None else key


def _tone(points: float, mx: float) -> str:
    if mx <= 0:
        return INFO
    ratio = points / mx
    return GOOD if ratio >= 0.85 else PARTIAL if ratio >= 0.4 else WEAK


def _found_tone(points: float, mx: float) -> str:
    """Something the role asks for was found: never marked as a weak fit (×), which would read
    as if the finding counted against the person."""
    tone = _tone(points, mx)
    return PARTIAL if tone == WEAK else tone


def parts(breakdown: Mapping[str, Any]) -> list[Part]:
    """Points per component (those the posting leaves open are left out)."""
    out = []
    for key, comp in WEIGHTS.items():
        b = breakdown.get(key) or {}
        if b.get("applicable"):
            out.append(Part(key, comp.label, round(b.get("points", 0)), round(b.get("max", 0))))
    return out


@dataclass(frozen=True)
class _Reader:
    """What the sentences need to name things in the reader's language."""

    required_labels: Sequence[str]
    vocabulary: Vocabulary
    prefecture_name: Callable[[str], str]
    lang: str

    def join(self, items: Sequence[str]) -> str:
        return ("、" if self.lang == "ja" else ", ").join(items)

    def skills(self, labels: Sequence[str]) -> str:
        return self.join([self.vocabulary.label(label, self.lang) for label in labels])

    def areas(self, keys: Sequence[str]) -> str:
        return self.join([focus_label(a, self.lang) for a in keys])

    def prefectures(self, codes: Sequence[str]) -> str:
        return self.join([self.prefecture_name(c) for c in codes])


def _skills(sk: Mapping[str, Any], r: _Reader) -> Iterator[Line]:
    if not sk.get("applicable"):
        return
    matched = list(sk.get("matched") or [])
    missing_req = list(sk.get("missing_required") or [])
    required = list(dict.fromkeys(r.required_labels))
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
                {**params, "missing": r.skills(missing_req)},
            )
        else:
            msg = Msg(N_("Required skills: %(matched)s of %(total)s match"), params)
        yield Line(msg, GOOD if not missing_req else PARTIAL if req_matched else WEAK)
    if n_pref:
        msg = Msg(
            N_("Preferred skills: %(matched)s of %(total)s match"),
            {"matched": len(pref_matched), "total": n_pref},
        )
        if pref_matched:
            msg = Msg(
                N_("Preferred skills: %(matched)s of %(total)s match (%(skills)s)"),
                {**msg.params, "skills": r.skills(pref_matched)},
            )
        yield Line(msg, GOOD if not pref_missing else PARTIAL if pref_matched else WEAK)


def _focus_areas(fa: Mapping[str, Any], r: _Reader) -> Iterator[Line]:
    if not fa.get("applicable"):
        return
    shared = list(fa.get("matched") or [])
    via = list(fa.get("via_skills") or [])
    if shared:
        yield Line(
            Msg(
                N_("Focus areas: %(count)s in common (%(areas)s)"),
                {"count": len(shared), "areas": r.areas(shared)},
            ),
            _found_tone(fa.get("points", 0), fa.get("max", 0)),
        )
    if via:
        yield Line(Msg(N_("Skills related to %(areas)s"), {"areas": r.areas(via)}), PARTIAL)
    if not shared and not via:
        yield Line(Msg(N_("No focus area in common")), WEAK)


def _experience(ex: Mapping[str, Any], r: _Reader) -> Iterator[Line]:
    if not ex.get("applicable"):
        return
    found = list(ex.get("matched") or [])
    if found:
        yield Line(
            Msg(N_("Experience mentions %(skills)s"), {"skills": r.skills(found)}),
            _found_tone(ex.get("points", 0), ex.get("max", 0)),
        )
    else:
        yield Line(Msg(N_("Experience does not mention what the role asks for")), WEAK)


def _work_style(ws: Mapping[str, Any], r: _Reader) -> Iterator[Line]:
    yield from _remote(ws.get("remote") or {})
    yield from _location(ws.get("location") or {}, r)
    yield from _days(ws.get("days") or {})


def _remote(remote: Mapping[str, Any]) -> Iterator[Line]:
    if not remote.get("applicable"):
        return
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
            N_("Remote work preference differs: prefers “%(preference)s”, the role is %(role)s"),
            {
                "preference": REMOTE_PREFERENCE_LABELS.get(pref, pref),
                "role": REMOTE_ROLE_LABELS.get(role, role),
            },
        )
        tone = PARTIAL if r_pts > 0 else WEAK
    yield Line(msg, tone, ("role", "preference"))


def _location(loc: Mapping[str, Any], r: _Reader) -> Iterator[Line]:
    if not loc.get("applicable"):
        return
    role_prefs = list(loc.get("role_prefectures") or [])
    matched = list(loc.get("matched") or [])
    names = r.prefectures(role_prefs)
    if loc.get("no_preference"):
        yield Line(Msg(N_("No preferred prefecture given (open to any location)")), PARTIAL)
    elif len(matched) == len(role_prefs):
        yield Line(
            Msg(N_("Preferred locations include %(prefectures)s"), {"prefectures": names}), GOOD
        )
    elif matched:
        missing = [c for c in role_prefs if c not in matched]
        msg = Msg(
            N_("Preferred locations include %(prefectures)s but not %(missing)s"),
            {"prefectures": r.prefectures(matched), "missing": r.prefectures(missing)},
        )
        yield Line(msg, PARTIAL)
    else:
        yield Line(
            Msg(N_("Preferred locations do not include %(prefectures)s"), {"prefectures": names}),
            WEAK,
        )


def _days(days: Mapping[str, Any]) -> Iterator[Line]:
    if not days.get("applicable"):
        return
    free, used, needed = days.get("free", 0), days.get("used", 0), days.get("needed", 0)
    params = {"free": days_text(free), "used": days_text(used), "needed": days_text(needed)}
    if used > 0:
        msg = Msg(
            N_(
                "%(free)s days a month free (%(used)s used by other appointments); the role needs %(needed)s"
            ),
            params,
        )
    else:
        msg = Msg(N_("%(free)s days a month free; the role needs %(needed)s"), params)
    yield Line(msg, GOOD if free >= needed else WEAK)


def _bonuses(bo: Mapping[str, Any], r: _Reader) -> Iterator[Line]:
    if (bo.get("public_sector") or {}).get("value"):
        yield Line(Msg(N_("Has public-sector experience")), GOOD)
    quals = bo.get("qualifications") or {}
    if not quals.get("applicable"):
        return
    held = list(quals.get("matched") or [])
    lacking = list(quals.get("missing") or [])
    if held:
        yield Line(
            Msg(N_("Holds preferred qualifications: %(names)s"), {"names": r.skills(held)}),
            GOOD,
        )
    elif lacking:
        yield Line(
            Msg(
                N_("Does not hold the preferred qualifications (%(names)s); this is only a bonus"),
                {"names": r.skills(lacking)},
            ),
            INFO,
        )


# One function per component of `WEIGHTS`: its part of the breakdown → its sentences.
_COMPONENTS: Mapping[str, Callable[[Mapping[str, Any], _Reader], Iterator[Line]]] = {
    "skills": _skills,
    "focus_areas": _focus_areas,
    "experience": _experience,
    "work_style": _work_style,
    "bonuses": _bonuses,
}


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
    reader = _Reader(required_labels, vocabulary, prefecture_name, lang)
    return [line for key in WEIGHTS for line in _COMPONENTS[key](breakdown.get(key) or {}, reader)]
