"""PURE: `MatchIndex`, every professional in flat arrays, for ranking against a posting.

A ranking is a few vector operations over every profile plus adds over only the rows
holding the posting's skills; only the top `limit` rows get a Python breakdown. Hard
filters (discoverable, employment type, capacity) exclude with a reason instead of
lowering the score.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

import numpy as np

from talentmatch.matching.matcher import scoring, stored
from talentmatch.matching.matcher.columnar import Column, FlatLists
from talentmatch.matching.matcher.compiled import (
    CNeed,
    CProfile,
    Tokens,
    compile_need,
    compile_profile,
)
from talentmatch.matching.matcher.data import (
    Candidate,
    Excluded,
    NeedData,
    ProfileData,
    Ranking,
    days_text,
)
from talentmatch.matching.matcher.index import EPS, Col, ColumnarIndex
from talentmatch.messages import N_, Msg
from talentmatch.professionals.vocabulary import Vocabulary, load_vocabulary

_NOT_DISCOVERABLE = N_("Has not opted in to being found by municipalities")
_NO_EMPLOYMENT = {
    "full_time_staff": N_("Does not accept appointment as full-time staff"),
    "special_part_time": N_("Does not accept appointment as special part-time staff"),
    "fiscal_year_appointee": N_("Does not accept appointment as a fiscal-year appointee"),
    "outsourcing": N_("Does not accept outsourcing contracts"),
    "fixed_term_staff": N_("Does not accept appointment as fixed-term staff"),
    "company_secondment": N_("Does not accept a placement through a company (secondment)"),
}
_NO_CAPACITY = N_("Has %(free)s free days per month; the role needs %(needed)s")

# Read back for the chosen rows' breakdowns, in `CProfile` field order after the tokens.
_PROFILE_FIELDS = (
    "focus_decl",
    "focus_der",
    "emp",
    "remote",
    "prefs",
    "available",
    "used",
    "public",
    "quals",
    "discoverable",
    "listed",
)


class MatchIndex(ColumnarIndex[ProfileData, CProfile]):
    """Every professional in flat arrays, for ranking against a posting (see `index` for
    how upserts and removals keep it current)."""

    COLUMNS = (
        Col("discoverable", np.bool_),
        Col("focus_decl", np.uint16),
        Col("focus_der", np.uint16),
        Col("emp", np.uint8),
        Col("remote", np.uint8),
        Col("prefs", np.uint64),
        Col("available", np.float32),
        Col("used", np.float32),
        Col("free", np.float32),
        Col("spare", np.int64, "free", scoring.spare_key),
        Col("public", np.float32),
        Col("quals", np.uint64),
        Col("listed", np.float32),
    )

    def __init__(
        self, profiles: Iterable[ProfileData] = (), vocabulary: Vocabulary | None = None
    ) -> None:
        super().__init__(profiles, vocabulary)

    @classmethod
    def from_stored(
        cls,
        ids: np.ndarray,
        names: list[str],
        blobs: Sequence[bytes],
        free_skills: Mapping[int, Sequence[str]],
        *,
        available: np.ndarray,
        used: np.ndarray,
        discoverable: np.ndarray,
        public: np.ndarray,
        listed: np.ndarray,
        vocabulary: Vocabulary | None = None,
    ) -> MatchIndex:
        """An index from rows stored with the profiles (`stored.pack_profile`, all of the
        current vocabulary), their free skills by row, and the per-row values read from the
        database columns: no text is read and nothing is compiled per profile."""
        self = cls.__new__(cls)
        self.vocab = vocabulary or load_vocabulary()
        self.tokens = Tokens(self.vocab)
        u = stored.unpack_rows(blobs)
        rows = sorted(free_skills)
        extra = [self.tokens.tag_ids(free_skills[r]) for r in rows]
        skills_flat, skills_starts = stored.add_tokens(u.skills_flat, u.skills_starts, rows, extra)
        n = len(ids)
        self._row = dict(zip(ids.tolist(), range(n), strict=True))
        self._kept = list(names)
        self._skills = FlatLists.from_flat(skills_flat, skills_starts)
        self._exp = FlatLists.from_flat(u.exp_flat, u.exp_starts)
        self._ids = Column(np.int64, ids)
        self._alive = Column(np.bool_, np.ones(n, dtype=bool))
        free = np.maximum(np.asarray(available, np.float32) - np.asarray(used, np.float32), 0)
        values = {
            "discoverable": discoverable,
            "focus_decl": u.focus_decl,
            "focus_der": stored.derived_focus(self.tokens, skills_flat, skills_starts)
            & ~u.focus_decl,
            "emp": u.emp,
            "remote": u.remote,
            "prefs": u.prefs,
            "available": available,
            "used": used,
            "free": free,
            "spare": scoring.spare_key(free),
            "public": public,
            "quals": u.quals,
            "listed": listed,
        }
        self._col = {spec.name: Column(spec.dtype, np.asarray(values[spec.name], spec.dtype))
                     for spec in cls.COLUMNS}
        self._dead = 0
        return self

    def set_capacity(self, used: Mapping[int, float], listed: Collection[int]) -> None:
        """Days taken and talent-list membership of every row at once (a new day: ended
        appointments free their days, a new fiscal year's list applies): a date filter
        over the columns, not a rebuild."""
        ids = self._ids.view
        used_col = np.zeros(len(ids), dtype=np.float32)
        listed_col = np.zeros(len(ids), dtype=np.float32)
        for pid, days in used.items():
            r = self._row.get(int(pid))
            if r is not None:
                used_col[r] = days
        for pid in listed:
            r = self._row.get(int(pid))
            if r is not None:
                listed_col[r] = 1.0
        free = np.maximum(self._col["available"].view - used_col, 0)
        self._col["used"].view[:] = used_col
        self._col["free"].view[:] = free
        self._col["spare"].view[:] = scoring.spare_key(free)
        self._col["listed"].view[:] = listed_col

    def _compile(self, item: ProfileData) -> CProfile:
        return compile_profile(item, self.tokens, create=True)

    def _keep(self, row: CProfile) -> str:
        return row.name

    def _token_lists(self, rows: list[CProfile]) -> tuple[FlatLists, FlatLists]:
        return FlatLists([c.tokens for c in rows]), FlatLists([c.exp for c in rows])

    def _append_tokens(self, row: CProfile) -> None:
        self._skills.append(row.tokens)
        self._exp.append(row.exp)

    def memory_bytes(self) -> int:
        """Bytes held by the index: arrays plus the per-profile Python id map and names."""
        names = sum(50 + 2 * len(n) for n in self._kept if n is not None) + 8 * len(self._kept)
        return super().memory_bytes() + names + 100 * len(self._row)

    def _profiles(self, rows: list[int]) -> list[CProfile]:
        """The chosen rows as Python values, read column by column (not cell by cell)."""
        ids = self._ids.data[rows].tolist()
        cols = [self._col[name].data[rows].tolist() for name in _PROFILE_FIELDS]
        return [
            CProfile(
                id=pid,
                name=self._kept[r] or "",
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
                listed=bool(listed),
            )
            for r, pid, fd, fv, emp, remote, prefs, available, used, public, quals, disc, listed in zip(
                rows, ids, *cols, strict=True
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
        cn = compile_need(need, self.tokens, create=False)
        n = self._ids.n
        if n == 0:
            return Ranking([], [], 0)
        col = self._col
        free = col["free"].view
        fr = scoring.fractions(
            skill_got=self._skills.accumulate(np.zeros(n, scoring.F), cn.skill_w),
            skill_max=cn.skill_max,
            focus_need=np.uint16(cn.focus),
            focus_decl=col["focus_decl"].view,
            focus_der=col["focus_der"].view,
            exp_got=self._exp.accumulate(np.zeros(n, scoring.F), cn.exp) if cn.exp else 0.0,
            exp_max=cn.exp_max,
            role_remote=cn.remote,
            pref_remote=col["remote"].view,
            role_prefs=np.uint64(cn.prefs),
            pro_prefs=col["prefs"].view,
            needed=cn.days,
            free=free,
            public=col["public"].view,
            qual_need=np.uint64(cn.quals),
            qual_held=col["quals"].view,
            listed=col["listed"].view,
        )
        scores, scale = scoring.total_scores(fr)

        alive = self._alive.view
        if among is not None:
            subset = np.zeros(n, dtype=bool)
            subset[[self._row[i] for i in among if i in self._row]] = True
            alive = alive & subset
        ok = alive & col["discoverable"].view & (free + EPS >= cn.days)
        if cn.emp_bit:
            ok &= (col["emp"].view & cn.emp_bit) != 0

        ids = self._ids.view
        spare = col["spare"].view
        chosen = scoring.top_rows(scores, spare, ids, ok, limit).tolist()
        candidates = [
            Candidate(
                professional_id=pro.id,
                display_name=pro.name,
                score=score,
                breakdown=scoring.breakdown_of(parts, cn, pro, self.tokens),
            )
            for pro, score, parts in zip(
                self._profiles(chosen),
                scores[chosen].tolist(),
                scoring.rows_heads(fr, chosen, scale),
                strict=True,
            )
        ]
        excluded: list[Excluded] = []
        if include_excluded:
            for r in scoring.top_rows(scores, spare, ids, alive & ~ok, limit).tolist():
                reason = self._reason(r, cn, float(free[r]))
                excluded.append(Excluded(int(ids[r]), self._kept[r] or "", reason))
        return Ranking(candidates, excluded, int(np.count_nonzero(ok)))

    def _reason(self, r: int, cn: CNeed, free: float) -> Msg:
        if not self._col["discoverable"].data[r]:
            return Msg(_NOT_DISCOVERABLE)
        if cn.emp_bit and not self._col["emp"].data[r] & cn.emp_bit:
            return Msg(_NO_EMPLOYMENT[cn.emp_type])
        return Msg(_NO_CAPACITY, {"free": days_text(round(free, 1)), "needed": days_text(cn.days)})
