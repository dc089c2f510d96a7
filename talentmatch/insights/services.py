"""Queries behind the insights: the facts of published postings for the grouping
(stats.py), each posting's funnel, and the page-view counter.

Views are counted by a beacon the posting page sends after it loads (views.py): the page
itself is cached by nginx and by ETag (httpcache.py) and a cached answer never reaches the
app, so counting in the page's own request would count only cache misses. One upsert per
beacon — INSERT … ON CONFLICT (posting, day) DO UPDATE views = views + 1 — on SQLite and
PostgreSQL alike; the row holds a posting, a day and a number, nothing about the reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, literal, or_, select

from talentmatch.applications.models import Application, ApplicationEvent, Appointment
from talentmatch.clock import TOKYO, today_jst
from talentmatch.db import transaction
from talentmatch.extensions import db
from talentmatch.insights import stats
from talentmatch.insights.models import PostingView
from talentmatch.messages import N_, Msg
from talentmatch.notifications.models import OutboxMessage
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.vocab import EMPLOYMENT_TYPES, REMOTE_OPTIONS
from talentmatch.wareki import fiscal_year_bounds, fiscal_year_of

R = PostingRevision

# Crawlers, link previewers, monitors and scripts say so in their User-Agent; an empty one is
# never a person's browser. Headless browsers count as robots too (crawlers render pages).
_BOT = re.compile(
    r"bot|crawl|spider|slurp|fetch|scrap|preview|monitor|checker|validator|headless|phantom"
    r"|lighthouse|curl|wget|python|httpx|aiohttp|java/|go-http|okhttp|libwww|node-fetch"
    r"|axios|facebookexternalhit|embedly|quora link|whatsapp|feed|rss", re.I)

# The order in which each condition's values are shown (what stats.group takes).
ORDER: dict[str, tuple[str, ...]] = {
    "remote": tuple(c.value for c in REMOTE_OPTIONS),
    "side_job": stats.YES_NO,
    "employment_type": tuple(c.value for c in EMPLOYMENT_TYPES),
    "pay_band": tuple(b[0] for b in stats.PAY_BANDS),
    "days_per_month": tuple(b[0] for b in stats.DAY_BANDS),
    "deadline_window": tuple(b[0] for b in stats.DEADLINE_BANDS),
    "joint": stats.YES_NO,
    "channels": stats.CHANNEL_MIXES,
}
# Immediate mail of a new or revised posting to one subscription (subscriptions/fanout.py):
# dedupe key "sub:<subscription>:rev:<revision>:posting.published"; digests record what they
# listed in subscription_sent_posting.
FANOUT_KIND = "posting_published"


def is_bot(user_agent: str | None) -> bool:
    return not user_agent or not user_agent.strip() or bool(_BOT.search(user_agent))


def record_view(posting_id: int, user_agent: str | None, *, day: date | None = None) -> bool | None:
    """Count one view of a published posting today (Japan time). True: counted; False: a
    robot, not counted; None: no such published posting."""
    published = db.session.scalar(
        select(Posting.id).where(Posting.id == posting_id,
                                 Posting.published_revision_id.is_not(None)))
    if published is None:
        return None
    if is_bot(user_agent):
        return False
    table = PostingView.__table__
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(table).values(posting_id=posting_id, day=day or today_jst(), views=1)
    stmt = stmt.on_conflict_do_update(index_elements=["posting_id", "day"],
                                      set_={"views": table.c.views + 1})
    with transaction():
        db.session.execute(stmt)
    return True


# --------------------------------------------------------------------------- period


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def default_period(today: date | None = None) -> Period:
    """The current fiscal year (1 April – 31 March)."""
    start, end = fiscal_year_bounds(fiscal_year_of(today or today_jst()))
    return Period(start, end)


MSG_BAD_DATE = N_("Enter a date as YYYY-MM-DD.")
MSG_END_BEFORE_START = N_("The end of the period must not be before its start.")


class PeriodError(ValueError):
    def __init__(self, field: str, message: Msg) -> None:
        super().__init__(field)
        self.field = field
        self.message = message


def parse_period(start_text: str | None, end_text: str | None,
                 today: date | None = None) -> Period:
    """``from`` and ``to`` as typed (ISO dates; either may be missing: the current fiscal
    year's bound). Raises PeriodError naming the field."""
    default = default_period(today)
    bounds = {"from": default.start, "to": default.end}
    for name, raw in (("from", start_text), ("to", end_text)):
        if raw is None or not str(raw).strip():
            continue
        try:
            bounds[name] = date.fromisoformat(str(raw).strip())
        except ValueError:
            raise PeriodError(name, Msg(MSG_BAD_DATE)) from None
    if bounds["to"] < bounds["from"]:
        raise PeriodError("to", Msg(MSG_END_BEFORE_START))
    return Period(bounds["from"], bounds["to"])


def _jst_date(moment: datetime) -> date:
    return moment.astimezone(TOKYO).date()


def _utc_bounds(period: Period) -> tuple[datetime, datetime]:
    lo = datetime.combine(period.start, datetime.min.time(), TOKYO)
    hi = datetime.combine(period.end + timedelta(days=1), datetime.min.time(), TOKYO)
    return lo, hi


# --------------------------------------------------------------------------- conditions


def posting_facts(period: Period, prefecture_code: str | None = None) -> list[stats.PostingFacts]:
    """Postings first published within the period (Japan dates), as their published content
    says, with their applications and the date of the first one."""
    lo, hi = _utc_bounds(period)
    apps = (select(Application.posting_id.label("pid"), func.count(Application.id).label("n"),
                   func.min(Application.created_at).label("first"))
            .group_by(Application.posting_id).subquery())
    stmt = (select(Posting.id, Posting.first_published_at, R.remote, R.side_job_ok,
                   R.employment_type, R.compensation_amount, R.compensation_unit,
                   R.days_per_month, R.period_start, R.period_end, R.deadline, R.joint_wish,
                   R.publication_channels, apps.c.n, apps.c.first)
            .join(R, R.id == Posting.published_revision_id)
            .outerjoin(apps, apps.c.pid == Posting.id)
            .where(Posting.first_published_at >= lo, Posting.first_published_at < hi,
                   Posting.prefecture_code == prefecture_code if prefecture_code
                   else literal(True))
            .order_by(Posting.id))
    result = []
    for row in db.session.execute(stmt):
        result.append(stats.PostingFacts(
            posting_id=row.id, published_on=_jst_date(row.first_published_at),
            remote=row.remote, side_job_ok=row.side_job_ok, employment_type=row.employment_type,
            compensation_amount=row.compensation_amount,
            compensation_unit=row.compensation_unit, days_per_month=row.days_per_month,
            period_months=stats.months_between(row.period_start, row.period_end),
            deadline=row.deadline, joint=row.joint_wish == "joint",
            channels=tuple(row.publication_channels or ()), applications=int(row.n or 0),
            first_application_on=_jst_date(row.first) if row.first else None))
    return result


def _facts_version(period: Period, prefecture_code: str | None) -> tuple:
    """Changes whenever what the grouping reads does: a posting of the period published,
    revised, closed or deleted, an application made or erased. Two index scans."""
    lo, hi = _utc_bounds(period)
    postings = db.session.execute(
        select(func.count(Posting.id), func.coalesce(func.sum(Posting.published_revision_id), 0),
               func.max(R.updated_at))
        .outerjoin(R, R.id == Posting.published_revision_id)
        .where(Posting.first_published_at >= lo, Posting.first_published_at < hi,
               Posting.prefecture_code == prefecture_code if prefecture_code
               else literal(True))).one()
    applications = db.session.execute(
        select(func.count(Application.id), func.coalesce(func.max(Application.id), 0),
               func.max(Application.created_at))).one()
    # Ids alone could repeat (SQLite reuses a deleted row's id); the times make it exact.
    return (*postings, *applications)


# Groups as last computed, per (period, scope, version): the posting form's advice asks for
# the national groups at every change of a field, and `postings check` for every row.
_GROUPS: dict[tuple, list[stats.Group]] = {}
_GROUPS_KEPT = 16


def conditions(period: Period, prefecture_code: str | None = None) -> list[stats.Group]:
    key = (period, prefecture_code, _facts_version(period, prefecture_code))
    groups = _GROUPS.get(key)
    if groups is None:
        groups = stats.group(posting_facts(period, prefecture_code), order=ORDER)
        if len(_GROUPS) >= _GROUPS_KEPT:
            _GROUPS.clear()
        _GROUPS[key] = groups
    return groups


def conditions_json(period: Period, prefecture_code: str | None = None) -> dict:
    return {"period": period.as_dict(),
            "scope": prefecture_code or "national",
            "min_group": stats.MIN_GROUP,
            "groups": [g.as_dict() for g in conditions(period, prefecture_code)]}


# --------------------------------------------------------------------------- funnel


@dataclass(frozen=True)
class Funnel:
    """Raw counts; what may be shown goes through stats.funnel_value."""

    postings: int
    views: int
    mailed: int
    applications: int
    interviews: int
    appointments: int

    def shown(self) -> dict[str, int | None]:
        return {s: stats.funnel_value(getattr(self, s)) for s in stats.FUNNEL_STAGES}


INTERVIEWED = ("interview", "offered", "appointed")


def _sub_ids_mailed(posting_ids, since: datetime | None = None) -> int:
    """Subscriptions sent a posting, immediately or in a digest (each counted once). The
    immediate mail is found by its dedupe key; ``since`` (the first publication of the
    earliest posting) bounds the part of the outbox read."""
    from talentmatch.subscriptions.models import SentPosting

    pairs: set[tuple[str, int]] = set()
    revs = dict(db.session.execute(
        select(R.id, R.posting_id).where(R.posting_id.in_(posting_ids))).all())
    if revs:
        stmt = select(OutboxMessage.dedupe_key).where(
            OutboxMessage.kind == FANOUT_KIND, OutboxMessage.dedupe_key.like("sub:%:rev:%"))
        if since is not None:
            stmt = stmt.where(OutboxMessage.created_at >= since)
        keys = db.session.scalars(stmt)
        for key in keys:
            parts = key.split(":")  # sub:<id>:rev:<rev>:<event>
            if len(parts) >= 4 and parts[2] == "rev" and parts[3].isdigit():
                pid = revs.get(int(parts[3]))
                if pid is not None:
                    pairs.add((parts[1], pid))
    for sub_id, pid in db.session.execute(
            select(SentPosting.subscription_id, SentPosting.posting_id)
            .where(SentPosting.posting_id.in_(posting_ids))):
        pairs.add((str(sub_id), pid))
    return len(pairs)


def funnel(posting_ids: list[int]) -> Funnel:
    """The funnel of these postings together (one posting's page, or a dashboard's scope)."""
    if not posting_ids:
        return Funnel(0, 0, 0, 0, 0, 0)
    views = db.session.scalar(select(func.coalesce(func.sum(PostingView.views), 0))
                              .where(PostingView.posting_id.in_(posting_ids)))
    # Interviewed: an application now at interview or beyond, or one that was once invited
    # to an interview (and then not selected or withdrawn).
    interviewed = or_(Application.status.in_(INTERVIEWED), exists().where(
        ApplicationEvent.application_id == Application.id,
        ApplicationEvent.to_status == "interview"))
    apps = db.session.execute(
        select(func.count(Application.id), func.count(Application.id).filter(interviewed))
        .where(Application.posting_id.in_(posting_ids))).one()
    appointed = db.session.scalar(select(func.count(Appointment.id))
                                  .where(Appointment.posting_id.in_(posting_ids)))
    since = db.session.scalar(select(func.min(Posting.first_published_at))
                              .where(Posting.id.in_(posting_ids)))
    return Funnel(len(posting_ids), int(views or 0), _sub_ids_mailed(posting_ids, since),
                  int(apps[0]), int(apps[1]), int(appointed or 0))


def scope_posting_ids(prefecture_code: str | None, period: Period) -> list[int]:
    lo, hi = _utc_bounds(period)
    stmt = select(Posting.id).where(
        Posting.first_published_at >= lo, Posting.first_published_at < hi,
        and_(Posting.prefecture_code == prefecture_code) if prefecture_code else literal(True))
    return list(db.session.scalars(stmt))
