"""PURE: what both match indexes share: compiled rows held in flat columns keyed by id.

`upsert` / `remove` keep an index current: a change appends a new row and tombstones the
old one; tombstones are compacted away once they make up a quarter of the rows. Not safe
for concurrent writers: guard updates with a lock if several threads share an index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any, ClassVar, Generic, NamedTuple, Protocol, TypeVar

import numpy as np

from talentmatch.matching.matcher.columnar import Column, FlatLists
from talentmatch.matching.matcher.compiled import Tokens
from talentmatch.professionals.vocabulary import Vocabulary, load_vocabulary

# Slack when comparing free days with the days a role needs (float32 columns).
EPS = 1e-6


class Col(NamedTuple):
    """One column of an index: its name, numpy type, the compiled row's field it holds
    (default: the same name), and a vectorised transform of that field (a list or one
    value in, an array out)."""

    name: str
    dtype: Any
    field: str = ""
    derive: Callable[[Any], Any] | None = None


class _Compiled(Protocol):
    id: int


In = TypeVar("In")  # what callers give: ProfileData or NeedData
Row = TypeVar("Row", bound=_Compiled)  # what an index stores: CProfile or CNeed


class ColumnarIndex(Generic[In, Row]):
    """Rows compiled from `In` values, one per id: numpy columns (`COLUMNS`, plus `ids`
    and `alive`), two token lists (skills, experience) and one Python value per row."""

    COLUMNS: ClassVar[tuple[Col, ...]]

    def __init__(self, items: Iterable[In], vocabulary: Vocabulary | None) -> None:
        self.vocab = vocabulary or load_vocabulary()
        self.tokens = Tokens(self.vocab)
        latest: dict[int, Row] = {}
        for item in items:  # the last of duplicate ids wins, as with upserts
            c = self._compile(item)
            latest.pop(c.id, None)
            latest[c.id] = c
        rows = list(latest.values())
        self._row: dict[int, int] = {c.id: r for r, c in enumerate(rows)}
        self._kept: list[Any] = [self._keep(c) for c in rows]
        self._skills, self._exp = self._token_lists(rows)
        self._ids = Column(np.int64, [c.id for c in rows])
        self._alive = Column(np.bool_, [True] * len(rows))
        self._col: dict[str, Column] = {}
        for spec in self.COLUMNS:
            values = list(map(attrgetter(spec.field or spec.name), rows))
            self._col[spec.name] = Column(
                spec.dtype, spec.derive(values) if spec.derive else values
            )
        self._dead = 0

    # What each index says about its rows.
    def _compile(self, item: In) -> Row:
        raise NotImplementedError

    def _keep(self, row: Row) -> Any:
        """The Python value kept for a row (None once it is removed)."""
        raise NotImplementedError

    def _token_lists(self, rows: list[Row]) -> tuple[FlatLists, FlatLists]:
        """The (skills, experience) token lists of `rows`."""
        raise NotImplementedError

    def _append_tokens(self, row: Row) -> None:
        raise NotImplementedError

    # Shared upkeep.
    def _columns(self) -> list[Column]:
        return [self._ids, self._alive, *self._col.values()]

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._row

    def ids(self) -> set[int]:
        """The ids of the live rows."""
        return set(self._row)

    def upsert(self, item: In) -> None:
        """Add or replace one row (a professional after a profile edit or an appointment,
        a posting published or revised)."""
        c = self._compile(item)
        self.remove(c.id)
        self._row[c.id] = self._ids.n
        self._kept.append(self._keep(c))
        self._append_tokens(c)
        self._ids.append(c.id)
        self._alive.append(True)
        for spec in self.COLUMNS:
            value = getattr(c, spec.field or spec.name)
            self._col[spec.name].append(spec.derive(value) if spec.derive else value)

    def remove(self, item_id: int) -> bool:
        """Forget one row (a deleted profile, a closed or withdrawn posting)."""
        row = self._row.pop(int(item_id), None)
        if row is None:
            return False
        self._alive.data[row] = False
        self._kept[row] = None
        self._dead += 1
        if self._dead > max(1_000, self._ids.n // 4):
            self.compact()
        return True

    def compact(self) -> None:
        """Drop tombstoned rows (amortised: runs when they pile up)."""
        alive = self._alive.view.copy()
        for column in self._columns():
            column.replace(column.view[alive])
        self._skills.keep(alive)
        self._exp.keep(alive)
        self._kept = [k for k, a in zip(self._kept, alive, strict=True) if a]
        self._row = {int(pid): r for r, pid in enumerate(self._ids.view)}
        self._dead = 0

    def memory_bytes(self) -> int:
        """Bytes held by the index's arrays."""
        arrays = sum(c.data.nbytes for c in self._columns())
        return arrays + self._skills.nbytes + self._exp.nbytes
