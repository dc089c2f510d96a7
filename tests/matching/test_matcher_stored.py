"""An index built from the rows stored with the profiles ranks exactly like one compiled
from the profiles' text, and a new day updates capacities without a rebuild."""

from __future__ import annotations

import numpy as np

from talentmatch.bench.match import _Synth
from talentmatch.matching.matcher import MatchIndex
from talentmatch.matching.matcher.compiled import Tokens
from talentmatch.matching.matcher.stored import pack_profile
from talentmatch.professionals.vocabulary import load_vocabulary


def _stored_index(people, vocab):
    tokens = Tokens(vocab)
    blobs = [pack_profile(p, tokens) for p in people]
    free = {}
    for row, p in enumerate(people):
        _keys, entries = tokens.resolve_tags(p.skills)
        if entries:
            free[row] = entries
    return MatchIndex.from_stored(
        np.array([p.id for p in people]), [p.display_name for p in people], blobs, free,
        available=np.array([p.available_days for p in people]),
        used=np.array([p.used_days for p in people]),
        discoverable=np.array([p.discoverable for p in people]),
        public=np.array([p.public_sector_experience for p in people], dtype=float),
        listed=np.zeros(len(people)), vocabulary=vocab)


def test_an_index_from_stored_rows_ranks_like_one_from_the_text():
    vocab = load_vocabulary()
    synth = _Synth(vocab, 7)
    people = [synth.profile(i + 1) for i in range(1500)]
    assert any(Tokens(vocab).resolve_tags(p.skills)[1] for p in people)  # free skills too
    compiled, stored = MatchIndex(people, vocab), _stored_index(people, vocab)
    for i in range(25):
        need = synth.need(i + 1)
        a = compiled.rank(need, limit=30, include_excluded=True)
        b = stored.rank(need, limit=30, include_excluded=True)
        assert [(c.professional_id, c.score) for c in a.candidates] == \
            [(c.professional_id, c.score) for c in b.candidates]
        assert [c.breakdown for c in a.candidates] == [c.breakdown for c in b.candidates]
        assert [(e.professional_id, e.reason) for e in a.excluded] == \
            [(e.professional_id, e.reason) for e in b.excluded]
        assert a.eligible == b.eligible and a.candidates


def test_a_new_day_frees_capacity_in_place():
    vocab = load_vocabulary()
    synth = _Synth(vocab, 3)
    people = [synth.profile(i + 1) for i in range(300)]
    for p in people:
        p.used_days = 0.0
    index = _stored_index(people, vocab)
    need = synth.need(1)
    need.days_per_month = 2
    before = index.rank(need, limit=300)
    busy = before.candidates[0].professional_id
    index.set_capacity({busy: 1000.0}, listed=())  # an appointment starts: no free days
    assert busy not in {c.professional_id for c in index.rank(need, limit=300).candidates}
    index.set_capacity({}, listed=())  # it ended: the next day they are free again
    assert [c.professional_id for c in index.rank(need, limit=300).candidates] == \
        [c.professional_id for c in before.candidates]
