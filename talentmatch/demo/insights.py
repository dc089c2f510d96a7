"""Demo evidence for the insights: earlier openings of this fiscal year, published, applied
to and closed at their deadline, whose applications follow two conditions clearly — side
jobs allowed and private job sites among the channels draw more applicants — and page views
of every published posting. So a newcomer sees the funnel, the conditions on the dashboards
and the evidence-based advice on the posting form at work.

Applications are written as rows (like the demo's filled postings), so the demo sends no
mail for openings that closed months ago."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import select

from talentmatch.applications.models import Application, ApplicationEvent
from talentmatch.clock import TOKYO, today_jst
from talentmatch.demo import postings as demo_postings
from talentmatch.extensions import db
from talentmatch.geo.models import Municipality
from talentmatch.insights.models import PostingView
from talentmatch.postings.models import Posting
from talentmatch.professionals.models import Professional
from talentmatch.review import services as review
from talentmatch.review.models import ReviewEvent
from talentmatch.wareki import fiscal_year_bounds, fiscal_year_of

SEED = 20261203
PAST_POSTINGS = 45
FIRST_N = 200  # demo.postings numbers its openings from 0; these follow well after
MESSAGE = "募集を拝見し、応募いたします。これまでの自治体支援の経験を活かせると考えています。"


# (side jobs allowed, private job sites used, applications drawn): four kinds of earlier
# openings. The own website alone draws almost nobody (the seed: 6 applicants against 247
# and 615 on job sites); forbidding side jobs loses most of the professionals who keep
# their main work.
KINDS = ((True, False, (0, 1)), (True, True, (6, 8)), (False, True, (0, 1)), (True, True, (5, 7)),
         (False, True, (0, 2)))


def _applications_for(kind: int, rng: random.Random) -> int:
    low, high = KINDS[kind][2]
    return rng.randint(low, high)


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), TOKYO)


def _past_postings(world, rng: random.Random) -> None:
    today = today_jst()
    fy_start, _ = fiscal_year_bounds(fiscal_year_of(today))
    actors = demo_postings._actors(world)
    codes = list(actors[0])
    pros = list(db.session.scalars(select(Professional.id).order_by(Professional.id)))
    if not codes or not pros:
        return
    span = max(30, (today - fy_start).days - 60)  # published and closed within this year
    for k in range(PAST_POSTINGS):
        muni = db.session.get(Municipality, codes[(k * 5) % len(codes)])
        posting = demo_postings._make("published", muni, FIRST_N + k, today, actors)
        side_job, job_sites, drawn = KINDS[k % len(KINDS)]
        published_on = fy_start + timedelta(days=5 + (k * 37) % span)
        rev = posting.published_revision
        rev.side_job_ok = side_job
        # Remote work as the roles most often offer it, fully remote for half the openings
        # that drew many (so the demo does not suggest that remote work deters applicants).
        rev.remote = "full" if drawn[0] >= 5 and k % 2 else "partial"
        rev.publication_channels = (["own_website", "job_sites", "mic_listing"] if job_sites
                                    else ["own_website"])
        rev.deadline = published_on + timedelta(days=28 + (k * 3) % 21)
        moment = _at(published_on, 10)
        for i, event in enumerate(db.session.scalars(
                select(ReviewEvent).where(ReviewEvent.posting_id == posting.id)
                .order_by(ReviewEvent.id.desc()))):
            event.at = moment - timedelta(days=4 * i)
        rev.submitted_at, rev.relayed_at = moment - timedelta(days=8), moment - timedelta(days=4)
        rev.published_at = posting.first_published_at = moment
        posting.created_at = rev.created_at = moment - timedelta(days=10)
        window = (rev.deadline - published_on).days
        for pid in rng.sample(pros, k=min(len(pros), _applications_for(k % len(KINDS), rng))):
            applied = _at(published_on + timedelta(days=rng.randint(1, window - 1)), 14)
            status = rng.choice(("not_selected", "not_selected", "interview_then_not"))
            app = Application(professional_id=pid, posting_id=posting.id, revision_id=rev.id,
                              municipality_code=posting.municipality_code, message=MESSAGE,
                              status="not_selected", created_at=applied, updated_at=applied,
                              events=[ApplicationEvent(actor_role="professional",
                                                       to_status="received", at=applied)])
            if status == "interview_then_not":
                app.events.append(ApplicationEvent(
                    actor_role="municipality", from_status="received", to_status="interview",
                    at=applied + timedelta(days=3)))
            app.events.append(ApplicationEvent(
                actor_role="municipality", from_status=app.events[-1].to_status,
                to_status="not_selected", at=applied + timedelta(days=7)))
            db.session.add(app)
        db.session.commit()
    review.close_expired(today=today)


def _views(rng: random.Random) -> None:
    """Page views per posting and day while it was open: more where job sites link to it."""
    today = today_jst()
    rows = []
    for posting in db.session.scalars(select(Posting).where(
            Posting.first_published_at.is_not(None)).order_by(Posting.id)):
        rev = posting.published_revision
        if rev is None:
            continue
        start = posting.first_published_at.astimezone(TOKYO).date()
        end = min(today, rev.deadline or today)
        job_sites = "job_sites" in (rev.publication_channels or [])
        day = start
        while day <= end:
            views = rng.randint(3, 9) + (rng.randint(8, 20) if job_sites else 0)
            rows.append({"posting_id": posting.id, "day": day, "views": views})
            day += timedelta(days=1)
    if rows:
        db.session.execute(PostingView.__table__.insert(), rows)
    db.session.commit()


def load(world) -> None:
    if db.session.scalar(select(PostingView.posting_id).limit(1)) is not None:
        return  # the evidence is there already
    rng = random.Random(SEED)
    _past_postings(world, rng)
    _views(rng)
