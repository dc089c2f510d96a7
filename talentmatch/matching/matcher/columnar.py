"""PURE: growable flat storage for the match indexes.

`Column` is a numpy array with amortised appends; `FlatLists` holds variable-length token
lists as one flat array with row offsets, plus the inverted lists (token → rows) that
let a ranking touch only the rows holding a posting's skills.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np


class Column:
    """A numpy array with amortised appends (capacity doubling)."""

    __slots__ = ("data", "n")

    def __init__(self, dtype: Any, values: Sequence[Any] | np.ndarray = ()) -> None:
        arr = np.asarray(values, dtype=dtype)
        self.data = np.empty(max(16, len(arr)), dtype=dtype)
        self.data[: len(arr)] = arr
        self.n = len(arr)

    def append(self, value: Any) -> None:
        if self.n == len(self.data):
            self._grow(self.n + 1)
        self.data[self.n] = value
        self.n += 1

    def extend(self, values: Sequence[Any]) -> None:
        k = len(values)
        if self.n + k > len(self.data):
            self._grow(self.n + k)
        self.data[self.n : self.n + k] = values
        self.n += k

    def _grow(self, need: int) -> None:
        grown = np.empty(max(2 * len(self.data), need), dtype=self.data.dtype)
        grown[: self.n] = self.data[: self.n]
        self.data = grown

    @property
    def view(self) -> np.ndarray:
        return self.data[: self.n]

    def replace(self, values: np.ndarray) -> None:
        self.data = np.array(values, dtype=self.data.dtype)
        self.n = len(values)


class FlatLists:
    """Variable-length int32 token lists as one flat array plus row offsets, with the
    inverted lists (token → rows holding it, and a weight per row) that scoring uses:
    a posting's ten tokens touch only the rows that have them."""

    def __init__(
        self, rows: Sequence[Sequence[int]] = (), weights: Sequence[Sequence[float]] | None = None
    ) -> None:
        # Without weights (profiles) every pair counts as the caller's per-token weight.
        self.weighted = weights is not None
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        starts = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        total = int(starts[-1])
        self.flat = Column(np.int32, np.fromiter((t for r in rows for t in r), np.int32, total))
        self.weights = Column(
            np.float32,
            np.fromiter((x for r in weights for x in r), np.float32, total) if weights else (),
        )
        self.starts = Column(np.int64, starts)  # n_rows + 1 offsets
        self._index()

    @classmethod
    def from_flat(cls, flat: np.ndarray, starts: np.ndarray) -> FlatLists:
        """Unweighted lists already flat (tokens one row after the other, n + 1 offsets)."""
        self = cls.__new__(cls)
        self.weighted = False
        self.flat = Column(np.int32, flat)
        self.weights = Column(np.float32)
        self.starts = Column(np.int64, starts)
        self._index()
        return self

    def _index(self) -> None:
        flat = self.flat.view
        rows = np.repeat(np.arange(self.starts.n - 1, dtype=np.int32), np.diff(self.starts.view))
        order = np.argsort(flat, kind="stable")
        sorted_tokens = flat[order]
        n_tokens = int(flat.max()) + 1 if len(flat) else 0
        bounds = np.searchsorted(sorted_tokens, np.arange(n_tokens + 1))
        self.inv_rows: list[Column | None] = []
        self.inv_weights: list[Column | None] = []
        for t in range(n_tokens):
            a, b = int(bounds[t]), int(bounds[t + 1])
            if a == b:
                self.inv_rows.append(None)
                self.inv_weights.append(None)
            else:
                self.inv_rows.append(Column(np.int32, rows[order[a:b]]))
                self.inv_weights.append(
                    Column(np.float32, self.weights.view[order[a:b]]) if self.weighted else None
                )

    def append(self, tokens: Sequence[int], weights: Sequence[float] | None = None) -> None:
        row = self.starts.n - 1
        self.flat.extend(list(tokens))
        if self.weighted:
            self.weights.extend(list(weights or [1.0] * len(tokens)))
        self.starts.append(self.flat.n)
        for j, t in enumerate(tokens):
            while t >= len(self.inv_rows):
                self.inv_rows.append(None)
                self.inv_weights.append(None)
            rows = self.inv_rows[t]
            if rows is None:
                rows = self.inv_rows[t] = Column(np.int32)
                if self.weighted:
                    self.inv_weights[t] = Column(np.float32)
            rows.append(row)
            if self.weighted:
                self.inv_weights[t].append(weights[j] if weights else 1.0)  # type: ignore[union-attr,index]

    def row(self, r: int) -> np.ndarray:
        return self.flat.data[int(self.starts.data[r]) : int(self.starts.data[r + 1])]

    def accumulate(
        self,
        out: np.ndarray,
        token_weights: Mapping[int, float] | None = None,
        tokens: Iterable[int] = (),
    ) -> np.ndarray:
        """out[row] += weight for every (token, row) pair: with `token_weights` the weight
        is the token's (ranking professionals), otherwise each row's own (postings)."""
        if token_weights is not None:
            for t, w in token_weights.items():
                if 0 <= t < len(self.inv_rows) and (col := self.inv_rows[t]) is not None:
                    out[col.view] += w  # a row holds a token once: no repeated indices
        else:
            for t in tokens:
                if 0 <= t < len(self.inv_rows) and (col := self.inv_rows[t]) is not None:
                    out[col.view] += self.inv_weights[t].view  # type: ignore[union-attr]
        return out

    def keep(self, alive: np.ndarray) -> None:
        lengths = np.diff(self.starts.view)
        tok_alive = np.repeat(alive, lengths)
        self.flat.replace(self.flat.view[tok_alive])
        if self.weighted:
            self.weights.replace(self.weights.view[tok_alive])
        starts = np.zeros(int(alive.sum()) + 1, dtype=np.int64)
        np.cumsum(lengths[alive], out=starts[1:])
        self.starts.replace(starts)
        self._index()

    @property
    def nbytes(self) -> int:
        inv = sum(c.data.nbytes for c in self.inv_rows if c is not None)
        inv += sum(c.data.nbytes for c in self.inv_weights if c is not None)
        return self.flat.data.nbytes + self.weights.data.nbytes + self.starts.data.nbytes + inv
