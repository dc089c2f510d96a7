"""PURE: `PostingIndex`, open postings in flat arrays, for recommending postings to a
professional with the same scores and breakdown as `MatchIndex`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from talentmatch.matching.matcher import scoring
from talentmatch.matching.matcher.columnar import FlatLists
from talentmatch.matching.matcher.compiled import CNeed, compile_need, compile_profile
from talentmatch.matching.matcher.data import (
    ExcludedPosting,
    NeedData,
    PostingMatch,
    ProfileData,
    Recommendations,
    days_text,
)
from talentmatch.matching.matcher.index import EPS, Col, ColumnarIndex
from talentmatch.messages import N_, Msg
from talentmatch.professionals.vocabulary import Vocabulary

_YOU_NO_EMPLOYMENT = {
    "full_time_staff": N_("A full-time staff appointment, which you do not accept"),
    "special_part_time": N_("A special part-time appointment, which you do not accept"),
    "fiscal_year_appointee": N_("A fiscal-year appointment, which you do not accept"),
    "outsourcing": N_("An outsourcing contract, which you do not accept"),
    "fixed_term_staff": N_("A fixed-term staff appointment, which you do not accept"),
    "company_secondment": N_("A placement through a company (secondment), which you do not accept"),
}
_YOU_NO_CAPACITY = N_("You have %(free)s free days per month; the role needs %(needed)s")


def _known_skills(c: CNeed) -> tuple[list[int], list[float]]:
    """The need's skill tokens that some profile may hold, and their weights."""
    known = [(t, w) for t, w in c.skill_w.items() if t >= 0]
    return [t for t, _ in known], [w for _, w in known]


class PostingIndex(ColumnarIndex[NeedData, CNeed]):
    """Open postings in flat arrays, for recommending postings to a professional. Same
    scores and breakdown as `MatchIndex`; the employment-type and capacity filters apply
    (being discoverable is about being found, not about browsing, so it does not)."""

    COLUMNS = (
        Col("skill_max", np.float32),
        Col("exp_max", np.float32),
        Col("focus", np.uint16),
        Col("emp", np.uint8, "emp_bit"),
        Col("remote", np.uint8),
        Col("prefs", np.uint64),
        Col("days", np.float32),
        Col("quals", np.uint64),
    )

    def __init__(self, needs: Iterable[NeedData] = (), vocabulary: Vocabulary | None = None):
        super().__init__(needs, vocabulary)

    def _compile(self, item: NeedData) -> CNeed:
        return compile_need(item, self.tokens, create=True)

    def _keep(self, row: CNeed) -> CNeed:
        return row

    def _token_lists(self, rows: list[CNeed]) -> tuple[FlatLists, FlatLists]:
        known = [_known_skills(c) for c in rows]
        skills = FlatLists([t for t, _ in known], [w for _, w in known])
        exp = FlatLists([list(c.exp) for c in rows], [list(c.exp.values()) for c in rows])
        return skills, exp

    def _append_tokens(self, row: CNeed) -> None:
        self._skills.append(*_known_skills(row))
        self._exp.append(list(row.exp), list(row.exp.values()))

    def rank_for(
        self, profile: ProfileData, limit: int = 20, include_excluded: bool = False
    ) -> Recommendations:
        """Open postings for a professional, best first, with the same breakdown."""
        n = self._ids.n
        if n == 0:
            return Recommendations([], [], 0)
        cp = compile_profile(profile, self.tokens, create=False)
        free = cp.free
        col = self._col
        days = col["days"].view
        fr = scoring.fractions(
            skill_got=self._skills.accumulate(np.zeros(n, scoring.F), tokens=cp.tokens),
            skill_max=col["skill_max"].view,
            focus_need=col["focus"].view,
            focus_decl=np.uint16(cp.focus_decl),
            focus_der=np.uint16(cp.focus_der),
            exp_got=self._exp.accumulate(np.zeros(n, scoring.F), tokens=cp.exp),
            exp_max=col["exp_max"].view,
            role_remote=col["remote"].view,
            pref_remote=cp.remote,
            role_prefs=col["prefs"].view,
            pro_prefs=np.uint64(cp.prefs),
            needed=days,
            free=free,
            public=float(cp.public),
            qual_need=col["quals"].view,
            qual_held=np.uint64(cp.quals),
            listed=float(cp.listed),
        )
        scores, scale = scoring.total_scores(fr)
        emp = col["emp"].view
        alive = self._alive.view
        ok = alive & ((emp == 0) | ((emp & cp.emp) != 0)) & (days <= free + EPS)
        # Ties: score, then the posting that leaves more of the month free, then id.
        spare = scoring.spare_key(np.maximum(free - days, 0.0))
        ids = self._ids.view
        postings = []
        chosen = scoring.top_rows(scores, spare, ids, ok, limit).tolist()
        for r, parts in zip(chosen, scoring.rows_heads(fr, chosen, scale), strict=True):
            cn = self._kept[r]
            breakdown = scoring.breakdown_of(parts, cn, cp, self.tokens)
            postings.append(PostingMatch(int(ids[r]), cn.title, int(scores[r]), breakdown))
        excluded: list[ExcludedPosting] = []
        if include_excluded:
            for r in scoring.top_rows(scores, spare, ids, alive & ~ok, limit).tolist():
                cn = self._kept[r]
                if cn.emp_bit and not cp.emp & cn.emp_bit:
                    reason = Msg(_YOU_NO_EMPLOYMENT[cn.emp_type])
                else:
                    params = {"free": days_text(round(free, 1)), "needed": days_text(cn.days)}
                    reason = Msg(_YOU_NO_CAPACITY, params)
                excluded.append(ExcludedPosting(int(ids[r]), cn.title, reason))
        return Recommendations(postings, excluded, int(np.count_nonzero(ok)))
