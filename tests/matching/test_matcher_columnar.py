"""The matcher's flat storage (matcher/columnar.py) against plain Python lists."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from talentmatch.matching.matcher.columnar import Column, FlatLists

TOKEN_ROWS = st.lists(st.lists(st.integers(0, 30), max_size=6, unique=True), max_size=20)


def test_a_column_grows_and_keeps_its_values():
    col = Column(np.int64, [1, 2])
    for i in range(3, 40):
        col.append(i)
    col.extend(list(range(40, 100)))
    assert col.view.tolist() == list(range(1, 100))
    assert len(col.data) >= col.n == 99
    col.replace(col.view[col.view % 2 == 0])
    assert col.view.tolist() == list(range(2, 100, 2))
    col.append(7)
    assert col.view[-1] == 7 and col.n == 50


@settings(max_examples=80, deadline=None)
@given(TOKEN_ROWS, TOKEN_ROWS, st.data())
def test_flat_lists_answer_as_lists_after_appends_and_compaction(first, later, data):
    rows = [list(r) for r in first]
    lists = FlatLists(rows)
    for r in later:
        lists.append(r)
        rows.append(list(r))
    alive = data.draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows)))
    if rows and data.draw(st.booleans()):
        lists.keep(np.array(alive, dtype=bool))
        rows = [r for r, a in zip(rows, alive, strict=True) if a]
    assert [lists.row(i).tolist() for i in range(len(rows))] == rows
    weights = data.draw(st.dictionaries(st.integers(-2, 35), st.floats(0.5, 2.0), max_size=8))
    got = lists.accumulate(np.zeros(len(rows), np.float32), weights)
    expected = [sum(w for t, w in weights.items() if t in r) for r in rows]
    assert np.allclose(got, expected, atol=1e-5)
    assert lists.nbytes > 0


@settings(max_examples=80, deadline=None)
@given(TOKEN_ROWS, st.data())
def test_weighted_flat_lists_add_each_rows_own_weight(first, data):
    weights = [[float(len(r) + t) for t in r] for r in first]
    lists = FlatLists(first, weights)
    extra = data.draw(TOKEN_ROWS)
    rows, row_weights = list(first), list(weights)
    for r in extra:
        w = [0.25 * (t + 1) for t in r]
        lists.append(r, w)
        rows.append(r)
        row_weights.append(w)
    tokens = data.draw(st.lists(st.integers(-1, 35), max_size=6, unique=True))
    got = lists.accumulate(np.zeros(len(rows), np.float32), tokens=tokens)
    expected = [
        sum(w for t, w in zip(r, ws, strict=True) if t in tokens)
        for r, ws in zip(rows, row_weights, strict=True)
    ]
    assert np.allclose(got, expected, atol=1e-4)
