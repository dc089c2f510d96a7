"""`flask bench match`, the cold path: a fresh process building its match index from the
database rows (stored token ids, no text re-read), and the first ranking after a
professional is deleted by another process (applied as a tombstone, not a rebuild).

The same synthetic population as the in-memory figures (`bench.match`), written to a
throwaway SQLite database the way saving a profile leaves it (token ids compiled).
"""

from __future__ import annotations

import gc
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, delete, insert, select, update

from talentmatch.bench.match import _Synth
from talentmatch.matching.matcher.compiled import Tokens
from talentmatch.matching.matcher.stored import pack_profile
from talentmatch.professionals.vocabulary import load_vocabulary

_CHUNK = 5_000


def _populate(n: int, seed: int) -> None:
    from talentmatch.accounts.models import User
    from talentmatch.extensions import db
    from talentmatch.professionals.models import Professional
    from talentmatch.professionals.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    synth = _Synth(vocab, seed)
    tokens = Tokens(vocab)
    now = datetime.now(UTC)
    # Profiles saved over time, one second apart (as people register), not all at once.
    base = now - timedelta(seconds=n + 60)
    for start in range(0, n, _CHUNK):
        people = [synth.profile(start + i + 1) for i in range(min(_CHUNK, n - start))]
        db.session.execute(insert(User), [
            {"id": p.id, "email": f"pro{p.id}@example.jp", "role": "professional",
             "display_name": p.display_name, "active": True, "email_confirmed_at": now,
             "created_at": base + timedelta(seconds=p.id),
             "updated_at": base + timedelta(seconds=p.id)} for p in people])
        rows = []
        for p in people:
            keys, free = vocab.tag_keys(p.skills)
            rows.append({
                "id": p.id, "user_id": p.id, "skills": keys, "free_skills": free,
                "focus_areas": list(p.focus_areas), "experience": p.experience,
                "qualifications": list(p.qualifications),
                "public_sector_experience": p.public_sector_experience,
                "preferred_prefectures": list(p.preferred_prefectures),
                "remote_preference": p.remote_preference,
                "available_days_per_month": p.available_days,
                "accepted_employment_types": list(p.accepted_employment_types),
                "discoverable": p.discoverable, "confirmed_at": now,
                # What saving a profile stores (bulk inserts skip the ORM's before_insert).
                "match_row": pack_profile(p, tokens), "match_vocab": vocab.version,
                "created_at": base + timedelta(seconds=p.id),
                "updated_at": base + timedelta(seconds=p.id)})
        db.session.execute(insert(Professional), rows)
    db.session.commit()


def run_cold(profiles: int = 100_000, seed: int = 1, queries: int = 10) -> dict[str, Any]:
    from talentmatch.bench.throwaway import throwaway_app

    with throwaway_app(prefix="tm-bench-match-", MATCH_INDEX_CHECK_SECONDS=0.0) as bench:
        with bench.app.app_context():
            t0 = time.perf_counter()
            _populate(profiles, seed)
            setup_s = time.perf_counter() - t0
        synth = _Synth(load_vocabulary(), seed + 1)
        needs = [synth.need(i + 1) for i in range(queries)]
        with bench.app.app_context():  # a fresh process: no index yet
            from talentmatch.extensions import db
            from talentmatch.matching import indexes
            from talentmatch.professionals.models import Professional

            gc.collect()
            t0 = time.perf_counter()
            size = indexes.with_professionals(len)
            build_s = time.perf_counter() - t0
            for need in needs:
                indexes.with_professionals(lambda ix, n=need: ix.rank(n, limit=50))
            top = indexes.with_professionals(lambda ix: ix.rank(needs[0], limit=2))
            victim, edited = (c.professional_id for c in top.candidates)
            other = create_engine(bench.uri)  # another process's connection
            # Another process edits a profile: the first incremental refresh of this process.
            with other.begin() as conn:
                conn.execute(update(Professional.__table__).where(Professional.id == edited)
                             .values(available_days_per_month=0, updated_at=datetime.now(UTC)))
            t1 = time.perf_counter()
            indexes.with_professionals(lambda ix: ix.rank(needs[0], limit=50))
            edit_ms = (time.perf_counter() - t1) * 1000
            # Then it deletes the best candidate for the first need.
            with other.begin() as conn:
                conn.execute(delete(Professional.__table__).where(Professional.id == victim))
            other.dispose()
            t1 = time.perf_counter()
            after = indexes.with_professionals(lambda ix: ix.rank(needs[0], limit=50))
            refresh_ms = (time.perf_counter() - t1) * 1000
            assert victim not in {c.professional_id for c in after.candidates}
            assert db.session.scalar(select(Professional.id).where(Professional.id == victim)) is None
            rebuilt = indexes.with_professionals(len) != size - 1
    return {"db_profiles": size, "db_setup_s": round(setup_s, 1), "build_s": round(build_s, 3),
            "refresh_after_edit_ms": round(edit_ms, 1),
            "refresh_after_delete_ms": round(refresh_ms, 1), "rebuilt_after_delete": rebuilt}
