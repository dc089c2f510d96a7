"""PURE: the public listing's filters, keyword search, per-option counts and order, computed
on a snapshot of the public postings with set algebra.

Why not one SQL statement per request: a keyword expands to its synonyms (セキュリティ,
情報セキュリティ, security …) and SQL can only test them with one LIKE per row and synonym
(~0.5 µs each, 10,000 public postings, ten synonyms: 50 ms), and per-option counts need a
GROUP BY per filter over the same rows. Here each (filter value, keyword alternative) is a
set of revision ids, computed once per snapshot, and a request is a handful of set
intersections. Tests check that it selects exactly what the same rules written as SQL
conditions select, for every combination of filters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from math import ceil

import numpy as np

from talentmatch.publication.filters import FACETS, FOCUS_VALUES, ListingFilters
from talentmatch.text import KeywordQuery
from talentmatch.textsearch import index_terms

_ALT_CACHE_MAX = 5_000
_SEARCH_CACHE_MAX = 1_000


@dataclass(frozen=True)
class Row:
    """What the listing needs of one public revision (all of it fixed once published)."""

    id: int  # revision id
    posting_id: int
    prefecture_code: str
    municipality_code: str
    employment_type: str | None
    focus_key: str
    remote: str | None
    joint_wish: str | None
    side_job_ok: bool | None
    deadline: date | None
    published_at: datetime | None
    search_text: str


def facet_values(row: Row) -> dict[str, list[str]]:
    """The filter values a row answers to, per facet (focus areas: several)."""
    return {
        "prefecture": [row.prefecture_code],
        "municipality": [row.municipality_code],
        "employment_type": [row.employment_type] if row.employment_type else [],
        "focus_area": [k for k in (row.focus_key or "").strip("|").split("|") if k],
        "remote": [row.remote] if row.remote else [],
        "joint": ["1"] if row.joint_wish == "joint" else [],
        "side_job": ["1"] if row.side_job_ok is True else [],
    }


def _facet_columns(rows: list[Row]) -> dict[str, tuple[list[str], np.ndarray]]:
    """Per facet, its values and, per row in order, the value's index (-1: none) or, for
    facets with several values per row, a row × value matrix."""
    out: dict[str, tuple[list[str], np.ndarray]] = {}
    per_row = [facet_values(r) for r in rows]
    for facet in FACETS:
        values = sorted({v for fv in per_row for v in fv[facet]})
        index = {v: k for k, v in enumerate(values)}
        if any(len(fv[facet]) > 1 for fv in per_row):
            data = np.zeros((len(rows), len(values)), dtype=np.int32)
            for k, fv in enumerate(per_row):
                for v in fv[facet]:
                    data[k, index[v]] = 1
        else:
            data = np.fromiter((index[fv[facet][0]] if fv[facet] else -1 for fv in per_row),
                               dtype=np.intp, count=len(rows))
        out[facet] = (values, data)
    return out


def active_filters(f: ListingFilters) -> dict[str, str]:
    """facet → the value it must have, for the filters that are set."""
    out: dict[str, str] = {}
    for name in FACETS:
        value = getattr(f, name)
        if value is True:
            out[name] = "1"
        elif value:
            out[name] = str(value)
    return out


@dataclass
class Result:
    ids: list[int]  # revision ids of the requested page, in order
    total: int
    counts: dict[str, dict[str, int]] | None

    def pages(self, per_page: int) -> int:
        return max(1, ceil(self.total / per_page))


def _deadline_key(row: Row) -> tuple:
    # Soonest deadline first (none last), then newest, then highest id: as the SQL order.
    ts = row.published_at.timestamp() if row.published_at else float("-inf")
    return (row.deadline is None, row.deadline or date.max, -ts, -row.id)


def _newest_key(row: Row) -> tuple:
    ts = row.published_at.timestamp() if row.published_at else float("-inf")
    return (row.published_at is None, -ts, -row.id)


class Snapshot:
    """The public postings at one moment, indexed for the listing."""

    def __init__(self, rows: Iterable[Row], signature: object = None) -> None:
        self.signature = signature
        self.rows: dict[int, Row] = {r.id: r for r in rows}
        self.all: frozenset[int] = frozenset(self.rows)
        sets: dict[str, dict[str, set[int]]] = {name: {} for name in FACETS}
        for row in self.rows.values():
            for facet, values in facet_values(row).items():
                for value in values:
                    sets[facet].setdefault(value, set()).add(row.id)
        self._sets = {f: {v: frozenset(ids) for v, ids in vs.items()} for f, vs in sets.items()}
        ordered = sorted(self.rows.values(), key=_deadline_key)
        self._order = {
            "deadline": [r.id for r in ordered],
            "newest": [r.id for r in sorted(self.rows.values(), key=_newest_key)],
        }
        self._items = [(r.id, r.search_text or "") for r in self.rows.values()]
        self._columns = _facet_columns(list(self.rows.values()))
        self._pos = {rid: k for k, rid in enumerate(self.rows)}
        self._alt_hits: dict[str, frozenset[int]] = {}
        self._terms: dict[str, str] | None = None
        self._searches: dict[tuple, tuple[frozenset[int], dict | None, dict[str, list[int]]]] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def terms(self) -> dict[str, str]:
        """The short pieces of every public text (titles, departments, places), built on
        the first search that finds nothing: fuzzy targets for slips no vocabulary knows."""
        if self._terms is None:
            self._terms = index_terms(text for _id, text in self._items)
        return self._terms

    @property
    def municipality_count(self) -> int:
        """Municipalities with at least one public posting."""
        return len(self._sets["municipality"])

    # --- keyword ---------------------------------------------------------------------

    def _hits(self, alternative: str) -> frozenset[int]:
        hits = self._alt_hits.get(alternative)
        if hits is None:
            hits = frozenset([i for i, text in self._items if alternative in text])
            if len(self._alt_hits) >= _ALT_CACHE_MAX:
                self._alt_hits.clear()
            self._alt_hits[alternative] = hits
        return hits

    def keyword_ids(self, kq: KeywordQuery) -> frozenset[int]:
        """Rows whose text contains, for every group, one of its alternatives."""
        result = self.all
        for group in kq.groups:
            matched: set[int] = set()
            for alt in group:
                matched |= self._hits(alt)
            result = result & matched
            if not result:
                break
        return result

    # --- filters and counts ----------------------------------------------------------

    def _value_set(self, facet: str, value: str) -> frozenset[int]:
        return self._sets[facet].get(value, frozenset())

    def matching(self, f: ListingFilters, kq: KeywordQuery | None = None,
                 *, except_facet: str | None = None) -> frozenset[int]:
        result = self.keyword_ids(kq) if kq else self.all
        for facet, value in active_filters(f).items():
            if facet != except_facet:
                result = result & self._value_set(facet, value)
        return result

    def counts(self, f: ListingFilters, kq: KeywordQuery | None, result: frozenset[int]
               ) -> dict[str, dict[str, int]]:
        """Per facet and option: the postings that option gives while keeping the other
        filters (its own filter left out). Municipalities only within the chosen
        prefecture (or the chosen municipality's), as the form offers them."""
        active = active_filters(f)
        out: dict[str, dict[str, int]] = {}
        masks: dict[int, tuple[frozenset[int], np.ndarray]] = {}
        pref = f.prefecture or (f.municipality[:2] if f.municipality else None)
        for facet in FACETS:
            if facet == "municipality" and not pref:
                out[facet] = {}
                continue
            base = self.matching(f, kq, except_facet=facet) if facet in active else result
            if facet == "municipality":
                base = base & self._value_set("prefecture", pref)  # type: ignore[arg-type]
                # Many possible values, few rows: tally the rows instead.
                tally: dict[str, int] = {}
                for i in base:
                    code = self.rows[i].municipality_code
                    tally[code] = tally.get(code, 0) + 1
                out[facet] = tally
                continue
            if base is self.all:
                counted = {v: len(ids) for v, ids in self._sets[facet].items()}
            else:
                counted = self._count(facet, base, masks)
            out[facet] = {v: n for v, n in counted.items() if n}
        # Focus areas the data does not know yet still get their zero.
        for key in FOCUS_VALUES:
            out["focus_area"].setdefault(key, 0)
        return out

    def _count(self, facet: str, base: frozenset[int],
               masks: dict[int, tuple[frozenset[int], np.ndarray]]) -> dict[str, int]:
        """Rows of ``base`` per option of ``facet``: one vectorised pass over a boolean mask
        of ``base`` (instead of one set intersection per option)."""
        found = masks.get(id(base))
        if found is not None and found[0] is base:  # the same set (not one at a reused id)
            mask = found[1]
        else:
            mask = np.zeros(len(self._pos), dtype=bool)
            if base:
                mask[np.fromiter(map(self._pos.__getitem__, base), dtype=np.intp,
                                 count=len(base))] = True
            masks[id(base)] = (base, mask)
        values, data = self._columns[facet]
        if data.ndim == 1:  # one value per row (or none, -1)
            picked = data[mask]
            tally = np.bincount(picked[picked >= 0], minlength=len(values))
        else:  # several per row (focus areas): a row × value matrix
            tally = data[mask].sum(axis=0)
        return {v: int(c) for v, c in zip(values, tally, strict=True)}

    # --- order -----------------------------------------------------------------------

    def ordered(self, f: ListingFilters, ids: frozenset[int]) -> list[int]:
        order = self._order.get(f.sort, self._order["deadline"])
        if len(ids) == len(self.all):
            return list(order)
        return [i for i in order if i in ids]

    def page(self, f: ListingFilters, ids: frozenset[int]) -> list[int]:
        start = (f.page - 1) * f.per_page
        if start >= len(ids):
            return []
        end = start + f.per_page
        order = self._order.get(f.sort, self._order["deadline"])
        out: list[int] = []
        seen = 0
        for i in order:
            if i in ids:
                if seen >= start:
                    out.append(i)
                    if len(out) == f.per_page:
                        break
                seen += 1
                if seen >= end:
                    break
        return out

    def search(self, f: ListingFilters, kq: KeywordQuery | None = None,
               *, with_counts: bool = True) -> Result:
        # The same search (filters and keywords; any page) on the same snapshot has the same
        # answer: remembered while this snapshot is the current one, at most _SEARCH_CACHE_MAX.
        key = (tuple(active_filters(f).items()), kq.groups if kq else (), with_counts)
        found = self._searches.get(key)
        if found is None:
            result = self.matching(f, kq)
            found = (result, self.counts(f, kq, result) if with_counts else None, {})
            if len(self._searches) >= _SEARCH_CACHE_MAX:
                self._searches.clear()
            self._searches[key] = found
        result, counts, orders = found
        order = orders.get(f.sort)  # the result in this order, once; each page a slice
        if order is None:
            order = orders[f.sort] = self.ordered(f, result)
        start = (f.page - 1) * f.per_page
        ids = order[start:start + f.per_page]
        return Result(ids=ids, total=len(result),
                      counts={k: dict(v) for k, v in counts.items()} if counts is not None else None)

