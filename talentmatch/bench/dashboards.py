"""`flask bench dashboards`: the prefecture and national dashboards at national scale.

A throwaway SQLite database (or the configured one with --database, which must hold no
postings and is emptied of them afterwards) gets the master data, 20,000 postings (the
listing benchmark's generator), their review events and joint proposals; then each dashboard's
figures are timed (the SQL aggregates), and each page through the test client. JSON last.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update


def _events_and_proposals(seed: int = 5) -> dict[str, int]:
    from talentmatch.extensions import db
    from talentmatch.joint.models import JointParticipant, JointProposal
    from talentmatch.postings.models import Posting, PostingRevision
    from talentmatch.review.models import ReviewEvent

    rng = random.Random(seed)  # noqa: S311  (synthetic benchmark data)
    rows = db.session.execute(
        select(Posting.id, Posting.current_revision_id, Posting.municipality_code,
               Posting.first_published_at, Posting.created_at, PostingRevision.state)
        .join(PostingRevision, PostingRevision.id == Posting.current_revision_id)).all()
    events: list[dict] = []
    for pid, rid, _code, published, created, state in rows:
        if state == "draft":
            continue
        submitted = (published or created) - timedelta(days=rng.randint(2, 60),
                                                       hours=rng.randint(0, 23))
        events.append(dict(posting_id=pid, revision_id=rid, actor_role="municipality",
                           action="submit", from_state="draft", to_state="submitted",
                           comment="", at=submitted))
        if published is not None or state == "relayed":
            at = submitted + timedelta(days=rng.randint(1, 10))
            events.append(dict(posting_id=pid, revision_id=rid, actor_role="prefecture",
                               action="relay", from_state="submitted", to_state="relayed",
                               comment="", at=at))
        if published is not None:
            events.append(dict(posting_id=pid, revision_id=rid, actor_role="ministry",
                               action="publish", from_state="relayed", to_state="published",
                               comment="", at=published))
    for start in range(0, len(events), 5000):
        db.session.execute(insert(ReviewEvent), events[start:start + 5000])
    joint_postings = [r for r in rows if r[3] is not None][:600]
    states = ("proposed", "accepted", "declined", "withdrawn", "posted")
    proposals = 0
    for i, (pid, _rid, code, _p, _c, _s) in enumerate(joint_postings):
        state = states[i % len(states)]
        prop = JointProposal(proposing_prefecture_code=code[:2], lead_municipality_code=code,
                             title="共同任用", days_per_month=8, employment_type="outsourcing",
                             state=state, posting_id=pid if state == "posted" else None)
        prop.participants.append(JointParticipant(municipality_code=code, position=0,
                                                  share_days=4, share_cost_num=1,
                                                  share_cost_den=2, response="accepted"))
        db.session.add(prop)
        proposals += 1
    db.session.commit()
    return {"review_events": len(events), "joint_proposals": proposals}


def _ms(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def measure(app, rounds: int) -> dict[str, Any]:
    from talentmatch.accounts.models import MINISTRY, PREFECTURE, User
    from talentmatch.dashboards import figures
    from talentmatch.extensions import db

    timings: dict[str, list[float]] = {"national_sql": [], "prefecture_sql": [],
                                       "national_page": [], "prefecture_page": []}
    with app.app_context():
        for _ in range(rounds):
            for scope, key in ((None, "national_sql"), ("13", "prefecture_sql")):
                timings[key].append(_ms(lambda scope=scope: (
                    figures.open_by_prefecture() if scope is None
                    else figures.open_by_municipality(scope),
                    figures.indicator(scope), figures.by_state(scope),
                    figures.waiting(scope), figures.publish_times(scope),
                    figures.published_per_month(scope), figures.applicants(scope),
                    figures.appointments(scope), figures.joint_by_state(scope),
                    figures.joint_published(scope))))
        mic = User(email="bench-mic@example.jp", role=MINISTRY, display_name="bench")
        coord = User(email="bench-pref@example.jp", role=PREFECTURE, display_name="bench",
                     prefecture_code="13")
        db.session.add_all([mic, coord])
        db.session.commit()
        ids = (mic.id, coord.id)
        db.session.remove()
    from talentmatch.accounts.models import UserSession

    for user_id, key, url in ((ids[0], "national_page", "/dashboards/national"),
                              (ids[1], "prefecture_page", "/dashboards/prefecture/13")):
        client = app.test_client()
        with app.app_context():
            sid = f"bench-session-{user_id}"
            db.session.add(UserSession(id=sid, user_id=user_id))
            db.session.commit()
            db.session.remove()
        with client.session_transaction() as sess:
            sess["_user_id"] = sid
            sess["_fresh"] = True
        assert client.get(url).status_code == 200, url
        for _ in range(rounds):
            timings[key].append(_ms(lambda c=client, u=url: c.get(u)))
    return {f"{k}_median_ms": round(statistics.median(v), 1) for k, v in timings.items()}


def run(*, use_configured_db: bool = False, postings: int = 20_000, rounds: int = 10) -> dict:
    from talentmatch.bench.listing import populate
    from talentmatch.bench.throwaway import throwaway_app
    from talentmatch.extensions import db
    from talentmatch.joint.models import JointProposal
    from talentmatch.postings.models import Posting, PostingRevision
    from talentmatch.review.models import ReviewEvent

    with throwaway_app(configured=use_configured_db) as bench:
        app = bench.app
        try:
            with app.app_context():
                dialect = db.engine.dialect.name
                if db.session.scalar(select(func.count()).select_from(Posting)):
                    raise SystemExit("refused: the database already holds postings; "
                                     "benchmark an empty database")
                counts = populate(postings)
                counts.update(_events_and_proposals())
                db.session.execute(db.text("ANALYZE"))
                db.session.commit()
                db.session.remove()
            figures = measure(app, rounds)
        finally:
            if use_configured_db:
                with app.app_context():
                    db.session.execute(delete(JointProposal))
                    db.session.execute(delete(ReviewEvent))
                    db.session.execute(update(Posting).values(current_revision_id=None,
                                                              published_revision_id=None))
                    db.session.execute(delete(PostingRevision))
                    db.session.execute(delete(Posting))
                    db.session.commit()
                    db.session.remove()
    return {"benchmark": "dashboards", "database": dialect, **counts, "rounds": rounds,
            **figures}
