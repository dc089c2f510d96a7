"""Matching use cases (DESIGN §5): rankings for a posting (or a joint role), the breakdown in
the reader's words, the ranking as JSON, and the hooks that keep the process-wide indexes
fresh. What the matching screens show is assembled in `pages`.

Reads only; nothing here writes to the database.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from talentmatch.extensions import db
from talentmatch.geo.names import PREFECTURE_EN
from talentmatch.i18n import current_lang
from talentmatch.matching import explain, indexes, rows
from talentmatch.matching.matcher import MatchIndex, NeedData, Ranking
from talentmatch.postings.models import Posting
from talentmatch.professionals.vocabulary import load_vocabulary

# Re-exported hooks: other domains call these after their own changes (the joint domain
# answers signals.posting_needs and says when its participants changed).
profile_changed = indexes.profile_changed
postings_changed = indexes.postings_changed
need_for_posting = rows.need_for_posting

__all__ = [
    "profile_changed",
    "postings_changed",
    "need_for_posting",
    "rank_for_need",
    "rank_posting",
    "rank_applicants",
    "ranking_json",
    "describe",
]

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


# --------------------------------------------------------------------------- rankings


def rank_for_need(
    need: NeedData,
    *,
    limit: int = DEFAULT_LIMIT,
    include_excluded: bool = False,
    among: Collection[int] | None = None,
) -> Ranking:
    """Discoverable professionals for any need, best first: a posting's, or a joint role's
    (`combine_needs` of its participants: union of needs, sum of days)."""
    limit = max(0, min(int(limit), MAX_LIMIT))
    return indexes.with_professionals(
        lambda index: index.rank(need, limit=limit, include_excluded=include_excluded, among=among)
    )


def rank_posting(
    posting: Posting, *, limit: int = DEFAULT_LIMIT, include_excluded: bool = True
) -> Ranking:
    return rank_for_need(
        rows.need_for_posting(posting), limit=limit, include_excluded=include_excluded
    )


def rank_applicants(
    need: NeedData, professional_ids: Collection[int], *, include_excluded: bool = True
) -> Ranking:
    """The posting's applicants scored like everyone else, whether or not they opted in to
    being found (they applied); employment type and capacity still apply."""
    people = rows.profiles_by_id(professional_ids, force_discoverable=True)
    if not people:
        return Ranking([], [], 0)
    return MatchIndex(people).rank(need, limit=len(people), include_excluded=include_excluded)


# --------------------------------------------------------------------------- presentation


def _pref_ja() -> dict[str, str]:
    from talentmatch.geo.models import Prefecture

    return {p.code: p.name for p in db.session.scalars(select(Prefecture))}


_PREF_JA: dict[str, str] = {}


def prefecture_namer(lang: str | None = None) -> Callable[[str], str]:
    lang = lang or current_lang()
    if not _PREF_JA:
        _PREF_JA.update(_pref_ja())
    if lang == "en":
        return lambda code: PREFECTURE_EN.get(code, _PREF_JA.get(code, code))
    return lambda code: _PREF_JA.get(code, code)


def required_labels(need: NeedData) -> list[str]:
    """The posting's required skills as the matcher labels them in its breakdown."""
    keys, free = load_vocabulary().tag_keys(need.required_skills)
    return [*keys, *free]


def describe(
    breakdown: dict[str, Any],
    need: NeedData,
    *,
    lang: str | None = None,
    labels: list[str] | None = None,
) -> list[str]:
    """The breakdown's sentences in the reader's language."""
    lang = lang or current_lang()
    lines = explain.explain(
        breakdown,
        required_labels=labels if labels is not None else required_labels(need),
        vocabulary=load_vocabulary(),
        prefecture_name=prefecture_namer(lang),
        lang=lang,
    )
    return [line.render(gettext) for line in lines]


def ranking_json(
    posting_id: int, ranking: Ranking, render: Callable[[Any], str] | None = None
) -> dict:
    """`flask match rank --json`: exactly {"posting", "candidates", "excluded"}."""
    render = render or (lambda m: m.render(gettext))
    return {
        "posting": posting_id,
        "candidates": [
            {
                "professional_id": c.professional_id,
                "display_name": c.display_name,
                "score": c.score,
                "breakdown": c.breakdown,
            }
            for c in ranking.candidates
        ],
        "excluded": [
            {
                "professional_id": e.professional_id,
                "display_name": e.display_name,
                "reason": render(e.reason),
            }
            for e in ranking.excluded
        ],
    }
