"""The compiled form stored with each profile, and the index built from those rows.

Saving a profile (any way: the profile form, an import, a confirmation) stores its
compiled row (`matcher.stored.pack_profile`) and the vocabulary version; building the
index reads those rows and a few plain columns with numpy, compiling from text only the
profiles whose row is missing or from another vocabulary (they are stored again at their
next save, or by `flask match recompile`).
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache

import numpy as np
from sqlalchemy import Float, Text, bindparam, cast, event, or_, select, update

from talentmatch.accounts.models import User
from talentmatch.applications import capacity
from talentmatch.extensions import db
from talentmatch.matching import rows
from talentmatch.matching.matcher import MatchIndex, ProfileData
from talentmatch.matching.matcher.compiled import Tokens
from talentmatch.matching.matcher.stored import pack_profile
from talentmatch.professionals import talent_list
from talentmatch.professionals.models import Professional
from talentmatch.professionals.vocabulary import Vocabulary, load_vocabulary


@lru_cache(maxsize=2)
def _tokens(vocab: Vocabulary) -> Tokens:
    return Tokens(vocab)  # packing never creates free entries: shared safely


def pack(prof: Professional) -> tuple[bytes, str]:
    """(compiled row, vocabulary version) of a profile as it is now."""
    vocab = load_vocabulary()
    data = ProfileData(
        id=int(prof.id or 0), display_name="",
        skills=[*(prof.skills or []), *(prof.free_skills or [])],
        focus_areas=list(prof.focus_areas or []), experience=prof.experience or "",
        qualifications=list(prof.qualifications or []),
        preferred_prefectures=list(prof.preferred_prefectures or []),
        remote_preference=prof.remote_preference or "hybrid",
        accepted_employment_types=list(prof.accepted_employment_types or []))
    return pack_profile(data, _tokens(vocab)), vocab.version


@event.listens_for(Professional, "before_insert")
@event.listens_for(Professional, "before_update")
def _store_compiled(_mapper, _connection, prof: Professional) -> None:
    prof.match_row, prof.match_vocab = pack(prof)


def recompile(batch: int = 2000) -> int:
    """Store the compiled row of every profile whose row is missing or from another
    vocabulary; returns how many (committed batch by batch)."""
    version = load_vocabulary().version
    done = 0
    while True:
        stale = db.session.scalars(
            select(Professional)
            .where(or_(Professional.match_vocab.is_(None), Professional.match_vocab != version))
            .order_by(Professional.id).limit(batch)).all()
        if not stale:
            return done
        values = []
        for prof in stale:
            row, v = pack(prof)
            values.append({"pid": prof.id, "row": row, "v": v})
        db.session.execute(
            update(Professional.__table__)
            .where(Professional.__table__.c.id == bindparam("pid"))
            .values(match_row=bindparam("row"), match_vocab=bindparam("v")),
            values)
        db.session.commit()
        done += len(values)


def build_index(today: date) -> MatchIndex:
    """Every professional's index, from the stored rows (see the module doc)."""
    vocab = load_vocabulary()
    # Core, not the ORM: 100,000 plain tuples without identity bookkeeping.
    result = db.session.connection().execute(
        select(Professional.id, User.display_name,
               cast(Professional.available_days_per_month, Float), Professional.discoverable,
               User.active, Professional.public_sector_experience, Professional.match_vocab,
               Professional.match_row, cast(Professional.free_skills, Text))
        .join(User, User.id == Professional.user_id)
        .order_by(Professional.id)).all()
    version = vocab.version
    fresh = [r for r in result if r[6] == version and r[7] is not None]
    stale = [int(r[0]) for r in result if not (r[6] == version and r[7] is not None)]
    n = len(fresh)
    ids = np.fromiter((r[0] for r in fresh), dtype=np.int64, count=n)
    free: dict[int, list[str]] = {}
    for i, r in enumerate(fresh):
        text = r[8]
        if text and text != "[]":
            entries = json.loads(text) if isinstance(text, str) else text
            if entries:
                free[i] = list(entries)
    used = np.zeros(n, dtype=np.float32)
    listed = np.zeros(n, dtype=np.float32)
    index = MatchIndex.from_stored(
        ids, [r[1] or "" for r in fresh], [bytes(r[7]) for r in fresh], free,
        available=np.fromiter((r[2] or 0 for r in fresh), dtype=np.float32, count=n),
        used=used,
        # An account that was disabled is never proposed, whatever its profile says.
        discoverable=np.fromiter((bool(r[3]) and bool(r[4]) for r in fresh), bool, count=n),
        public=np.fromiter((bool(r[5]) for r in fresh), dtype=np.float32, count=n),
        listed=listed, vocabulary=vocab)
    index.set_capacity(capacity.used_days(today=today), talent_list.listed_ids(today=today))
    for profile in rows.profiles_by_id(stale):  # compiled from the text, the slow way
        index.upsert(profile)
    return index
