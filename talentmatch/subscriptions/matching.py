"""PURE: does a published posting match a saved search?

A saved search holds the public listing's filters (DESIGN §8) — prefectures, municipality,
employment types, focus areas, remote, joint only, side job only — and its keyword query. A
subscription may pick several prefectures, employment types or focus areas where the listing
picks one; with one value each, a saved search selects exactly what the listing shows for the
same parameters (same equality rules, same Japanese-aware keyword matching).

The set-valued filters are also kept as bit masks so that the database can prefilter
subscriptions with cheap integer tests and `match_columns` can decide 100,000 subscriptions
at once with numpy; keyword queries are evaluated once per distinct query text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from talentmatch import vocab
from talentmatch.messages import N_, Msg

PREFECTURE_CODES = vocab.PREFECTURE_CODES  # bit (n - 1) for prefecture n
# Bit positions are stored in the database (derived columns): they follow the vocabulary's
# order, where values are appended, never reordered.
EMPLOYMENT_BITS: dict[str, int] = {v: i for i, v in enumerate(vocab.values(vocab.EMPLOYMENT_TYPES))}
FOCUS_BITS: dict[str, int] = {v: i for i, v in enumerate(vocab.values(vocab.FOCUS_AREAS))}
REMOTE_VALUES = vocab.values(vocab.REMOTE_OPTIONS)
_REMOTE_CODES = {value: i + 1 for i, value in enumerate(REMOTE_VALUES)}  # 0 = any

IMMEDIATELY, DAILY, WEEKLY = "immediately", "daily", "weekly"
FREQUENCIES = (IMMEDIATELY, DAILY, WEEKLY)
DIGEST_FREQUENCIES = (DAILY, WEEKLY)
MAX_Q_CHARS = 200


def prefecture_bit(code: str | None) -> int:
    return 1 << (int(code) - 1) if code in PREFECTURE_CODES else 0


def prefecture_mask(codes: Iterable[str]) -> int:
    mask = 0
    for code in codes:
        mask |= prefecture_bit(code)
    return mask


def mask_of(values: Iterable[str], bits: Mapping[str, int]) -> int:
    mask = 0
    for value in values:
        if value in bits:
            mask |= 1 << bits[value]
    return mask


@dataclass(frozen=True)
class SearchFilters:
    """A saved search. Empty sets and None mean "any"."""

    prefectures: tuple[str, ...] = ()
    municipality: str | None = None
    employment_types: tuple[str, ...] = ()
    focus_areas: tuple[str, ...] = ()
    remote: str | None = None
    joint: bool = False
    side_job: bool = False
    q: str = ""

    @property
    def prefecture_mask(self) -> int:
        return prefecture_mask(self.prefectures)

    @property
    def employment_mask(self) -> int:
        return mask_of(self.employment_types, EMPLOYMENT_BITS)

    @property
    def focus_mask(self) -> int:
        return mask_of(self.focus_areas, FOCUS_BITS)

    def listing_args(self) -> dict[str, str] | None:
        """The listing's query parameters for the same search, or None when the search uses
        several values of a filter (the listing takes one)."""
        if max(len(self.prefectures), len(self.employment_types), len(self.focus_areas)) > 1:
            return None
        out = {
            "prefecture": self.prefectures[0] if self.prefectures else "",
            "municipality": self.municipality or "",
            "employment_type": self.employment_types[0] if self.employment_types else "",
            "focus_area": self.focus_areas[0] if self.focus_areas else "",
            "remote": self.remote or "",
            "joint": "1" if self.joint else "",
            "side_job": "1" if self.side_job else "",
            "q": self.q,
        }
        return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class PostingFacts:
    """What the public sees of one published revision, as far as matching needs it."""

    posting_id: int
    revision_id: int
    prefecture_code: str
    municipality_code: str
    employment_type: str | None
    focus_areas: frozenset[str]
    remote: str | None
    joint: bool
    side_job: bool
    search_text: str  # text.search_text(): normalised, what the listing's keyword search reads

    @property
    def employment_mask(self) -> int:
        return mask_of([self.employment_type] if self.employment_type else [], EMPLOYMENT_BITS)

    @property
    def focus_mask(self) -> int:
        return mask_of(self.focus_areas, FOCUS_BITS)


KeywordCheck = Callable[[str], bool]


def matches(f: SearchFilters, p: PostingFacts, keyword_ok: KeywordCheck) -> bool:
    """One saved search against one posting. `keyword_ok(q)` answers whether the posting's
    search text matches the keyword query q (text.parse_query(q, lexicon).matches)."""
    return (
        (not f.prefectures or p.prefecture_code in f.prefectures)
        and (not f.municipality or p.municipality_code == f.municipality)
        and (not f.employment_types or p.employment_type in f.employment_types)
        and (not f.focus_areas or bool(p.focus_areas.intersection(f.focus_areas)))
        and (not f.remote or p.remote == f.remote)
        and (not f.joint or p.joint)
        and (not f.side_job or p.side_job)
        and (not f.q.strip() or keyword_ok(f.q))
    )


@dataclass
class Columns:
    """Many saved searches, column by column (as the fan-out query returns them)."""

    prefecture_mask: Sequence[int]
    municipality: Sequence[str | None]
    employment_mask: Sequence[int]
    focus_mask: Sequence[int]
    remote: Sequence[str | None]
    joint: Sequence[bool]
    side_job: Sequence[bool]
    q: Sequence[str]


def match_columns(p: PostingFacts, c: Columns, keyword_ok: KeywordCheck) -> np.ndarray:
    """A boolean array: which of the saved searches in `c` the posting matches.

    The same rule as `matches`, vectorised; each distinct keyword query is evaluated once
    (subscribers share popular keywords), so the cost is one pass over the columns plus one
    keyword check per distinct query."""
    n = len(c.q)
    if n == 0:
        return np.zeros(0, dtype=bool)
    pref = np.fromiter(c.prefecture_mask, dtype=np.int64, count=n)
    emp = np.fromiter(c.employment_mask, dtype=np.int64, count=n)
    focus = np.fromiter(c.focus_mask, dtype=np.int64, count=n)
    joint = np.fromiter(c.joint, dtype=bool, count=n)
    side = np.fromiter(c.side_job, dtype=bool, count=n)
    remote = np.fromiter((_REMOTE_CODES.get(r or "", 0) for r in c.remote), dtype=np.int8,
                         count=n)
    ok = (pref == 0) | ((pref & prefecture_bit(p.prefecture_code)) != 0)
    ok &= (emp == 0) | ((emp & p.employment_mask) != 0)
    ok &= (focus == 0) | ((focus & p.focus_mask) != 0)
    ok &= (remote == 0) | (remote == _REMOTE_CODES.get(p.remote or "", -1))
    if not p.joint:
        ok &= ~joint
    if not p.side_job:
        ok &= ~side
    muni = np.fromiter((m is None or m == "" or m == p.municipality_code for m in c.municipality),
                       dtype=bool, count=n)
    ok &= muni
    # Keywords last and only where everything else matched: distinct queries, checked once.
    verdict: dict[str, bool] = {"": True}
    for i in np.flatnonzero(ok):
        q = c.q[i] or ""
        hit = verdict.get(q)
        if hit is None:
            hit = verdict[q] = bool(not q.strip() or keyword_ok(q))
        if not hit:
            ok[i] = False
    return ok


# --------------------------------------------------------------------------- in words


@dataclass(frozen=True)
class Part:
    """One line of a saved search in words: a label and its values. Values are Msg (to
    translate: choice labels) or plain strings (place names, the keywords as typed)."""

    label: str  # msgid
    values: tuple[Msg | str, ...]


LABEL_PREFECTURES = N_("Prefectures")
LABEL_MUNICIPALITY = N_("Municipality")
LABEL_EMPLOYMENT = N_("Employment types")
LABEL_FOCUS = N_("Focus areas")
LABEL_REMOTE = N_("Remote work")
LABEL_CONDITIONS = N_("Only")
LABEL_KEYWORDS = N_("Keywords")
MSG_JOINT_ONLY = N_("Joint appointments")
MSG_SIDE_JOB_ONLY = N_("Side jobs allowed")
MSG_EVERYTHING = N_("All new and updated postings")


def describe(
    f: SearchFilters,
    *,
    prefecture_name: Callable[[str], str],
    municipality_name: Callable[[str], str],
    choice_label: Callable[[str, str], str],
) -> list[Part]:
    """The saved search in words, for lists and mails. `choice_label(field, value)` gives
    the msgid of a template choice (employment_type, focus_areas, remote)."""
    parts: list[Part] = []
    if f.prefectures:
        parts.append(Part(LABEL_PREFECTURES, tuple(prefecture_name(c) for c in f.prefectures)))
    if f.municipality:
        parts.append(Part(LABEL_MUNICIPALITY, (municipality_name(f.municipality),)))
    if f.employment_types:
        parts.append(Part(LABEL_EMPLOYMENT, tuple(
            Msg(choice_label("employment_type", v)) for v in f.employment_types)))
    if f.focus_areas:
        parts.append(Part(LABEL_FOCUS, tuple(
            Msg(choice_label("focus_areas", v)) for v in f.focus_areas)))
    if f.remote:
        parts.append(Part(LABEL_REMOTE, (Msg(choice_label("remote", f.remote)),)))
    only = tuple(Msg(m) for flag, m in ((f.joint, MSG_JOINT_ONLY),
                                         (f.side_job, MSG_SIDE_JOB_ONLY)) if flag)
    if only:
        parts.append(Part(LABEL_CONDITIONS, only))
    if f.q.strip():
        parts.append(Part(LABEL_KEYWORDS, (f.q.strip(),)))
    if not parts:
        parts.append(Part(MSG_EVERYTHING, ()))
    return parts
