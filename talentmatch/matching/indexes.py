"""The process-wide match indexes, built lazily and kept fresh.

Each process (gunicorn worker, CLI) keeps one `MatchIndex` of every professional and one
`PostingIndex` of the open postings. Before use, a cheap signature query (counts and latest
update times of profiles, accounts, appointments, postings) says whether anything changed in
any process; changed professionals are upserted, professionals deleted elsewhere are
tombstoned (the database writes a tombstone row for every deletion), and a new day (appointments end,
a new fiscal year's talent list) or a deleted appointment recounts every row's capacity in
place. Only a new process builds, from the compiled rows stored with the profiles
(`stored_rows`). In this process, `profile_changed` updates
the index at once. A lock serialises updates and rankings (the index is not thread-safe).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from flask import current_app

from talentmatch.applications import capacity
from talentmatch.clock import today_jst
from talentmatch.matching import rows, stored_rows
from talentmatch.matching.matcher import MatchIndex, PostingIndex
from talentmatch.professionals import talent_list

T = TypeVar("T")
_EXT = "talentmatch.matching"


@dataclass
class _State:
    lock: threading.RLock = field(default_factory=threading.RLock)
    pros: MatchIndex | None = None
    pros_sig: rows.ProfessionalSignature | None = None
    pros_day: date | None = None
    pros_checked: float = 0.0
    posts: PostingIndex | None = None
    posts_sig: tuple | None = None
    posts_day: date | None = None
    posts_checked: float = 0.0


def _state() -> _State:
    ext = current_app.extensions
    if _EXT not in ext:
        ext[_EXT] = _State()
    return ext[_EXT]


def _check_interval() -> float:
    """Seconds between signature checks (0: every use; tests and the CLI)."""
    default = 0.0 if current_app.testing else 1.0
    return float(current_app.config.get("MATCH_INDEX_CHECK_SECONDS", default))


# --------------------------------------------------------------------------- professionals


def _build_professionals(st: _State, today: date) -> None:
    sig = rows.professional_signature()
    st.pros = stored_rows.build_index(today)
    st.pros_sig, st.pros_day = sig, today


def _recount_capacity(st: _State, today: date) -> None:
    """Days taken and talent-list membership as of `today`, for every row at once (a new
    day, or an appointment deleted elsewhere): a date filter, not a rebuild."""
    st.pros.set_capacity(capacity.used_days(today=today), talent_list.listed_ids(today=today))
    st.pros_day = today


def _refresh_professionals(st: _State) -> MatchIndex:
    today = today_jst()
    now = time.monotonic()
    if st.pros is not None and st.pros_day == today and now - st.pros_checked < _check_interval():
        return st.pros
    st.pros_checked = now
    if st.pros is None:
        _build_professionals(st, today)
        return st.pros
    if st.pros_day != today:  # appointments ended or began, a new fiscal year's list
        _recount_capacity(st, today)
    sig = rows.professional_signature()
    if sig == st.pros_sig:
        return st.pros
    old = st.pros_sig
    if sig.appointments < old.appointments:
        _recount_capacity(st, today)  # an appointment was deleted: its days are free again
    if sig.tombstone != old.tombstone:
        # Professionals deleted in another process: tombstone them, no rebuild.
        for gone in rows.tombstoned_since(old.tombstone):
            st.pros.remove(gone)
    changed = rows.changed_professional_ids(old.profile_at, old.user_at, old.appointment_at)
    for profile in rows.profiles_by_id(changed):
        st.pros.upsert(profile)
    if len(st.pros) != sig.count:  # cannot happen unless a row changed unseen: start over
        _build_professionals(st, today)
    else:
        st.pros_sig = sig
    return st.pros


def with_professionals(fn: Callable[[MatchIndex], T]) -> T:
    """Run `fn` with the fresh index, holding the lock."""
    st = _state()
    with st.lock:
        return fn(_refresh_professionals(st))


def profile_changed(professional_id: int) -> None:
    """Call after a profile or its appointments changed (committed): the index of this
    process follows at once; other processes follow at their next signature check."""
    st = _state()
    with st.lock:
        if st.pros is None:
            return
        found = rows.profiles_by_id([professional_id])
        if found:
            st.pros.upsert(found[0])
        else:
            st.pros.remove(professional_id)


# --------------------------------------------------------------------------- postings


def _refresh_postings(st: _State) -> PostingIndex:
    today = today_jst()
    now = time.monotonic()
    if (
        st.posts is not None
        and st.posts_day == today
        and now - st.posts_checked < _check_interval()
    ):
        return st.posts
    st.posts_checked = now
    sig = rows.posting_signature()
    if st.posts is None or st.posts_sig is None:
        st.posts = PostingIndex(rows.open_needs(today))
        st.posts_sig, st.posts_day = sig, today
        return st.posts
    old = st.posts_sig
    if st.posts_day != today or sig[0] < old[0]:
        # Deadlines passed (or postings deleted): a date filter over the rows, no rebuild.
        open_ids = rows.open_posting_ids(today)
        for gone in st.posts.ids() - open_ids:
            st.posts.remove(gone)
        st.posts_day = today
    if sig != old:  # published, revised, closed or withdrawn in any process
        changed = rows.changed_posting_ids(old[1])
        still_open = {need.id: need for need in rows.open_needs(today, changed)}
        for pid in changed:
            if pid in still_open:
                st.posts.upsert(still_open[pid])
            else:
                st.posts.remove(pid)
        st.posts_sig = sig
    return st.posts


def with_postings(fn: Callable[[PostingIndex], T]) -> T:
    st = _state()
    with st.lock:
        return fn(_refresh_postings(st))


def postings_changed() -> None:
    """Call when what a posting needs changed outside its own row (e.g. joint participants):
    this process rebuilds its posting index at the next use."""
    st = _state()
    with st.lock:
        st.posts_sig = None
        st.posts_checked = 0.0


def warm(app) -> None:
    """Build this process's indexes now (gunicorn --preload: in the master, before the
    workers fork, so they share the built arrays copy-on-write and each only applies what
    changed since). Closes the database connections it used, so none crosses the fork."""
    from talentmatch.extensions import db

    with app.app_context():
        try:
            t0 = time.perf_counter()
            size = with_professionals(len)
            with_postings(len)
            app.logger.info("match indexes built before fork: %s professionals in %.2f s",
                            size, time.perf_counter() - t0)
        except Exception:  # no schema yet, database down: workers build on first use
            app.logger.exception("match indexes not built before fork")
        finally:
            db.session.remove()
            db.engine.dispose()


__all__ = [
    "warm",
    "profile_changed",
    "postings_changed",
    "with_postings",
    "with_professionals",
]
