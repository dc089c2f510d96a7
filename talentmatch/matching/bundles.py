"""PURE: suggest bundles of open postings one person could hold together (兼務).

A prefecture coordinator looks at its municipalities' open postings and sees sets of 2–4
that one professional could cover in one month: employment types that can be combined,
work that is remote or nearby, days that fit one person's month, and a shared focus area
or skill so the same person is a good fit for all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from talentmatch.matching.explain import focus_label
from talentmatch.matching.matcher import FOCUS_KEYS, REMOTE_MODES, NeedData
from talentmatch.matching.matcher.data import days_text
from talentmatch.messages import N_, Msg
from talentmatch.professionals.vocabulary import Vocabulary, load_vocabulary

# Part-time and contract forms can be held side by side; a full-time post is a whole job.
# A seconded company employee (企業からの派遣・出向) often serves a few days a month, so it
# combines too; fixed-term staff (任期付職員) are a whole job like full-time staff.
BUNDLEABLE_TYPES = frozenset(
    {"special_part_time", "fiscal_year_appointee", "outsourcing", "company_secondment"}
)
DEFAULT_MAX_DAYS = 20.0
# A prefecture rarely has more open postings than this; beyond it the earliest deadlines win.
MAX_POSTINGS = 80
_MAX_BUNDLES_EXAMINED = 50_000


@dataclass(frozen=True)
class OpenPosting:
    """A published posting as the bundler needs it."""

    need: NeedData
    municipality_code: str
    municipality_name: str
    deadline: date | None = None


@dataclass(frozen=True)
class Bundle:
    posting_ids: tuple[int, ...]
    municipality_names: tuple[str, ...]
    total_days: float
    employment_types: tuple[str, ...]
    shared_focus_areas: tuple[str, ...]
    shared_skills: tuple[str, ...]
    earliest_deadline: date | None
    score: float
    reason: Msg

    def details(self, locale: str = "ja", vocabulary: Vocabulary | None = None) -> list[Msg]:
        """Further reasons with the shared skills and focus areas in the reader's language."""
        vocab = vocabulary or load_vocabulary()
        en = locale.startswith("en")
        sep = ", " if en else "、"
        out: list[Msg] = []
        if self.shared_skills:
            labels = sep.join(vocab.label(k, locale) for k in self.shared_skills)
            out.append(Msg(N_("All of them ask for %(skills)s"), {"skills": labels}))
        if self.shared_focus_areas:
            labels = sep.join(focus_label(k, "en" if en else "ja") for k in self.shared_focus_areas)
            out.append(Msg(N_("All of them work on %(focus_areas)s"), {"focus_areas": labels}))
        return out


@dataclass
class _Item:
    posting: OpenPosting
    id: int
    days: float
    remote: bool
    skills: frozenset[str]
    focus: frozenset[str]


def _same_prefecture(a: OpenPosting, b: OpenPosting) -> bool:
    return a.municipality_code[:2] == b.municipality_code[:2]


def suggest_bundles(
    postings: Sequence[OpenPosting],
    *,
    max_days: float = DEFAULT_MAX_DAYS,
    max_size: int = 4,
    limit: int = 20,
    nearby: Callable[[OpenPosting, OpenPosting], bool] | None = None,
    vocabulary: Vocabulary | None = None,
) -> list[Bundle]:
    """Bundles of 2–`max_size` postings from different municipalities, best first.

    Compatible: every employment type combinable (`BUNDLEABLE_TYPES`), summed days at most
    `max_days`, any two on-site postings `nearby` (default: same prefecture; pass a finer
    predicate when one is known), and a focus area or skill common to all of them.
    Deterministic: ties break by earliest deadline, then posting ids.
    """
    vocab = vocabulary or load_vocabulary()
    near = nearby or _same_prefecture
    items: list[_Item] = []
    for p in postings:
        n = p.need
        days = float(n.days_per_month or 0)
        if n.employment_type not in BUNDLEABLE_TYPES or not 0 < days <= max_days:
            continue
        keys, _ = vocab.tag_keys([*n.required_skills, *n.preferred_skills])
        items.append(
            _Item(
                posting=p,
                id=int(n.id),
                days=days,
                remote=n.remote == REMOTE_MODES[2],
                skills=frozenset(keys),
                focus=frozenset(n.focus_areas or ()),
            )
        )
    items.sort(key=lambda it: (it.posting.deadline or date.max, it.id))
    items = items[:MAX_POSTINGS]

    def compatible(a: _Item, b: _Item) -> bool:
        return (
            a.posting.municipality_code != b.posting.municipality_code
            and a.days + b.days <= max_days
            and (a.remote or b.remote or near(a.posting, b.posting))
            and bool(a.skills & b.skills or a.focus & b.focus)
        )

    n_items = len(items)
    pairs = [
        [j for j in range(i + 1, n_items) if compatible(items[i], items[j])] for i in range(n_items)
    ]
    pair_sets = [set(js) for js in pairs]
    found: list[Bundle] = []

    def extend(
        members: list[int], days: float, skills: frozenset[str], focus: frozenset[str]
    ) -> None:
        if len(found) >= _MAX_BUNDLES_EXAMINED:
            return
        if len(members) >= 2:
            found.append(_bundle([items[m] for m in members], skills, focus, max_days))
        if len(members) == max_size:
            return
        for j in pairs[members[-1]]:
            it = items[j]
            if days + it.days > max_days or any(j not in pair_sets[m] for m in members[:-1]):
                continue
            s, f = skills & it.skills, focus & it.focus
            if s or f:
                extend([*members, j], days + it.days, s, f)

    for i in range(n_items):
        extend([i], items[i].days, items[i].skills, items[i].focus)

    found.sort(key=lambda b: (-b.score, b.earliest_deadline or date.max, b.posting_ids))
    return found[:limit]


def _bundle(
    members: list[_Item], skills: frozenset[str], focus: frozenset[str], max_days: float
) -> Bundle:
    total = sum(m.days for m in members)
    remote = sum(1 for m in members if m.remote)
    deadlines = [m.posting.deadline for m in members if m.posting.deadline is not None]
    # Shared skills matter most, then shared focus areas, then covering more
    # municipalities, filling the month and remote work (less travel).
    score = (
        3.0 * min(1.0, len(skills) / 3)
        + 2.0 * min(1.0, len(focus) / 2)
        + (len(members) - 2) / 2
        + total / max_days
        + remote / len(members)
    )
    names = "、".join(m.posting.municipality_name for m in members)
    params = {"count": len(members), "municipalities": names, "days": days_text(total)}
    if remote == len(members):
        msgid = N_(
            "%(count)s openings (%(municipalities)s) add up to %(days)s days a month and can "
            "all be done remotely"
        )
    elif remote:
        msgid = N_(
            "%(count)s openings (%(municipalities)s) add up to %(days)s days a month; "
            "%(remote)s can be done remotely and the on-site ones are near each other"
        )
        params["remote"] = remote
    else:
        msgid = N_(
            "%(count)s openings (%(municipalities)s) add up to %(days)s days a month, all on "
            "site near each other"
        )
    reason = Msg(msgid, params)
    return Bundle(
        posting_ids=tuple(m.id for m in members),
        municipality_names=tuple(m.posting.municipality_name for m in members),
        total_days=total,
        employment_types=tuple(sorted({m.posting.need.employment_type for m in members})),
        shared_focus_areas=tuple(k for k in FOCUS_KEYS if k in focus),
        shared_skills=tuple(sorted(skills)),
        earliest_deadline=min(deadlines) if deadlines else None,
        score=round(score, 4),
        reason=reason,
    )
