"""The figures of the prefecture and national dashboards, each one SQL aggregate (GROUP BY,
COUNT, CASE buckets over bound boundaries) so they stay fast at tens of thousands of postings
on SQLite and PostgreSQL alike. ``prefecture`` None means the whole country.

Subsidy totals come from the subsidies domain (its rules decide what a grant is).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Float, and_, case, cast, exists, func, literal, select, union

from talentmatch.applications.models import Application, Appointment
from talentmatch.db import utcnow
from talentmatch.extensions import db
from talentmatch.geo.models import Municipality
from talentmatch.joint.models import JointParticipant, JointProposal
from talentmatch.pool.models import SupportAssignment, SupportedMunicipality
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.review.models import ReviewEvent
from talentmatch.vocab import MUNICIPAL_KINDS

POSTING_STATES = ("draft", "submitted", "returned", "relayed", "published", "closed", "withdrawn")
WAITING_STATES = ("submitted", "relayed", "returned")
AGE_BANDS = ("0-6", "7-13", "14-29", "30+")  # days waiting
PUBLISH_BANDS = ("0-7", "8-14", "15-30", "31-60", "61+")  # days from submission to publication
APPLICANT_BANDS = ("0", "1", "2-5", "6-10", "11+")
POST_BANDS = ("1", "2", "3+")  # active appointments held by one person
JOINT_STATES = ("proposed", "partly_accepted", "accepted", "declined", "withdrawn", "posted")
MONTHS = 12

R = PostingRevision


def _in_scope(column, prefecture: str | None):
    """A 6-digit municipality code column within the prefecture (always true nationally)."""
    if prefecture is None:
        return literal(True)
    return column.like(f"{prefecture}%")


def _scope(prefecture: str | None):
    """Postings of the prefecture (its indexed column), or all of them."""
    return literal(True) if prefecture is None else Posting.prefecture_code == prefecture


def _public_join(stmt):
    return stmt.join(R, R.id == Posting.published_revision_id).where(
        Posting.status == "open", R.state == "published")


def _days_between(later, earlier):
    """Days between two timestamps, as a float, in the database's own arithmetic."""
    if db.engine.dialect.name == "postgresql":
        return func.extract("epoch", later - earlier) / 86400.0
    return cast(func.julianday(later) - func.julianday(earlier), Float)


def _bucket(value, bounds: list[tuple[float, str]], last: str):
    """CASE value <= bound → label …, else the last label."""
    return case(*[(value <= b, label) for b, label in bounds], else_=last)


# --------------------------------------------------------------------------- postings


def open_by_prefecture() -> dict[str, int]:
    rows = db.session.execute(_public_join(
        select(Posting.prefecture_code, func.count(Posting.id)).select_from(Posting))
        .group_by(Posting.prefecture_code))
    return {code: int(n) for code, n in rows}


def open_by_municipality(prefecture: str) -> dict[str, int]:
    rows = db.session.execute(_public_join(
        select(Posting.municipality_code, func.count(Posting.id)).select_from(Posting))
        .where(Posting.prefecture_code == prefecture)
        .group_by(Posting.municipality_code))
    return {code: int(n) for code, n in rows}


def by_state(prefecture: str | None) -> dict[str, int]:
    """Every posting once: closed / withdrawn by its end, a public one as published (even
    with a new revision in review), else the state of the revision being worked on."""
    state = case(
        (Posting.status != "open", Posting.status),
        (Posting.published_revision_id.is_not(None), literal("published")),
        else_=R.state,
    )
    rows = db.session.execute(
        select(state, func.count(Posting.id)).select_from(Posting)
        .outerjoin(R, R.id == Posting.current_revision_id)
        .where(_scope(prefecture))
        .group_by(state))
    out = dict.fromkeys(POSTING_STATES, 0)
    for s, n in rows:
        out[s] = out.get(s, 0) + int(n)
    return out


def _first_publications(prefecture: str | None):
    """(days from first submission to first publication) per published posting in scope:
    one grouping of the submit events, joined once."""
    first = (select(ReviewEvent.posting_id.label("posting_id"),
                    func.min(ReviewEvent.at).label("submitted_at"))
             .join(Posting, Posting.id == ReviewEvent.posting_id)
             .where(ReviewEvent.action == "submit", Posting.first_published_at.is_not(None),
                    _scope(prefecture))
             .group_by(ReviewEvent.posting_id).subquery())
    days = _days_between(Posting.first_published_at, first.c.submitted_at)
    return (select(days.label("days")).select_from(Posting)
            .join(first, first.c.posting_id == Posting.id).subquery())


@dataclass
class PublishTimes:
    count: int
    median_days: float | None
    bands: dict[str, int]


def publish_times(prefecture: str | None) -> PublishTimes:
    """Days from a posting's first submission to its first publication."""
    per = _first_publications(prefecture)
    band = _bucket(per.c.days, [(7, "0-7"), (14, "8-14"), (30, "15-30"), (60, "31-60")], "61+")
    bands = dict.fromkeys(PUBLISH_BANDS, 0)
    for b, c in db.session.execute(select(band, func.count()).group_by(band)):
        bands[b] = int(c)
    n = sum(bands.values())
    median = None
    if n:
        middle = db.session.scalars(select(per.c.days).order_by(per.c.days)
                                    .offset((n - 1) // 2).limit(2 - n % 2)).all()
        median = round(sum(float(v) for v in middle) / len(middle), 1)
    return PublishTimes(int(n), median, bands)


def month_starts(now: datetime, months: int = MONTHS) -> list[datetime]:
    """The first instants (UTC) of the last ``months`` months in Japan, oldest first."""
    jst = now + timedelta(hours=9)
    y, m = jst.year, jst.month
    out = []
    for _ in range(months):
        out.append(datetime(y, m, 1, tzinfo=now.tzinfo) - timedelta(hours=9))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def published_per_month(prefecture: str | None, now: datetime | None = None
                        ) -> list[tuple[datetime, int]]:
    """Postings first published in each of the last 12 months (Japanese calendar months)."""
    starts = month_starts(now or utcnow())
    col = Posting.first_published_at
    idx = case(*[(col >= s, i) for i, s in reversed(list(enumerate(starts)))], else_=-1)
    rows = db.session.execute(
        select(idx, func.count()).select_from(Posting)
        .where(col >= starts[0], _scope(prefecture))
        .group_by(idx))
    counts = {int(i): int(c) for i, c in rows}
    return [(s, counts.get(i, 0)) for i, s in enumerate(starts)]


@dataclass
class Waiting:
    counts: dict[str, dict[str, int]]  # state -> age band -> postings
    oldest: list[dict] = field(default_factory=list)


def waiting(prefecture: str | None, now: datetime | None = None, oldest: int = 10) -> Waiting:
    """Postings waiting on someone now (submitted: the prefecture; relayed: MIC; returned:
    the municipality), by how long since the last move of the revision in review."""
    now = now or utcnow()
    last = (select(func.max(ReviewEvent.at)).where(ReviewEvent.revision_id == R.id)
            .correlate(R).scalar_subquery())
    since = func.coalesce(last, R.updated_at)
    band = case((since > now - timedelta(days=7), "0-6"),
                (since > now - timedelta(days=14), "7-13"),
                (since > now - timedelta(days=30), "14-29"), else_="30+")
    conds = (Posting.status == "open", R.state.in_(WAITING_STATES), _scope(prefecture))
    rows = db.session.execute(
        select(R.state, band, func.count()).select_from(Posting)
        .join(R, R.id == Posting.current_revision_id)
        .where(*conds).group_by(R.state, band))
    counts = {s: dict.fromkeys(AGE_BANDS, 0) for s in WAITING_STATES}
    for s, b, c in rows:
        counts[s][b] = int(c)
    top = db.session.execute(
        select(Posting.id, Posting.municipality_code, R.title, R.state, since.label("since"))
        .select_from(Posting).join(R, R.id == Posting.current_revision_id)
        .where(*conds).order_by(since, Posting.id).limit(oldest))
    items = [{"posting_id": pid, "municipality_code": code, "title": title, "state": state,
              "since": s, "days": max(0, (now - s).days) if s else None}
             for pid, code, title, state, s in top]
    return Waiting(counts, items)


# --------------------------------------------------------------------------- applicants


@dataclass
class Applicants:
    postings: int  # postings ever published
    applications: int
    bands: dict[str, int]

    @property
    def average(self) -> float | None:
        return round(self.applications / self.postings, 1) if self.postings else None


def applicants(prefecture: str | None) -> Applicants:
    per = (select(Posting.id.label("posting_id"), func.count(Application.id).label("n"))
           .select_from(Posting)
           .outerjoin(Application, and_(Application.posting_id == Posting.id,
                                        Application.status != "withdrawn"))
           .where(Posting.first_published_at.is_not(None),
                  _scope(prefecture))
           .group_by(Posting.id).subquery())
    band = case((per.c.n == 0, "0"), (per.c.n == 1, "1"), (per.c.n <= 5, "2-5"),
                (per.c.n <= 10, "6-10"), else_="11+")
    bands = dict.fromkeys(APPLICANT_BANDS, 0)
    total_p = total_a = 0
    for b, c, s in db.session.execute(select(band, func.count(), func.sum(per.c.n)).group_by(band)):
        bands[b] = int(c)
        total_p += int(c)
        total_a += int(s or 0)
    return Applicants(total_p, total_a, bands)


# --------------------------------------------------------------------------- appointments


@dataclass
class Appointments:
    active: int
    ended: int
    people: int  # holding at least one active appointment
    bands: dict[str, int]  # people by number of active posts

    @property
    def several(self) -> int:
        return self.bands["2"] + self.bands["3+"]


def appointments(prefecture: str | None) -> Appointments:
    scope = _in_scope(Appointment.municipality_code, prefecture)
    totals = dict(db.session.execute(
        select(Appointment.status, func.count()).where(scope).group_by(Appointment.status)).all())
    per = (select(Appointment.professional_id, func.count().label("n"))
           .where(scope, Appointment.status == "active",
                  Appointment.professional_id.is_not(None))
           .group_by(Appointment.professional_id).subquery())
    band = case((per.c.n == 1, "1"), (per.c.n == 2, "2"), else_="3+")
    bands = dict.fromkeys(POST_BANDS, 0)
    for b, c in db.session.execute(select(band, func.count()).group_by(band)):
        bands[b] = int(c)
    return Appointments(int(totals.get("active", 0)), int(totals.get("ended", 0)),
                        sum(bands.values()), bands)


# --------------------------------------------------------------------------- support


@dataclass(frozen=True)
class Support:
    municipalities: int  # distinct municipalities supported today
    days: float  # days a month they receive, together
    people: int  # assignments (a person of the pool or a staff member) running today


def support(prefecture: str | None, today: date) -> Support:
    """The prefecture-led support (市町村支援) running today, in the prefecture or nationwide."""
    running = and_(SupportAssignment.status == "active", SupportAssignment.period_start <= today,
                   SupportAssignment.period_end >= today,
                   _in_scope(SupportedMunicipality.municipality_code, prefecture))
    munis, days, people = db.session.execute(
        select(func.count(func.distinct(SupportedMunicipality.municipality_code)),
               func.coalesce(func.sum(SupportedMunicipality.days_per_month), 0),
               func.count(func.distinct(SupportAssignment.id)))
        .join(SupportAssignment, SupportAssignment.id == SupportedMunicipality.assignment_id)
        .where(running)).one()
    return Support(int(munis), float(days or 0), int(people))


# --------------------------------------------------------------------------- joint


def joint_by_state(prefecture: str | None) -> dict[str, int]:
    """Joint proposals by state; 'proposed' ones that some participant already accepted are
    counted as partly accepted."""
    some_yes = exists().where(JointParticipant.proposal_id == JointProposal.id,
                              JointParticipant.response == "accepted")
    state = case((and_(JointProposal.state == "proposed", some_yes), literal("partly_accepted")),
                 else_=JointProposal.state)
    stmt = select(state, func.count(JointProposal.id)).group_by(state)
    if prefecture is not None:
        stmt = stmt.where(JointProposal.proposing_prefecture_code == prefecture)
    out = dict.fromkeys(JOINT_STATES, 0)
    for s, n in db.session.execute(stmt):
        out[s] = int(n)
    return out


def joint_published(prefecture: str | None) -> int:
    """Joint postings open in the public listing now."""
    stmt = _public_join(select(func.count(Posting.id)).select_from(Posting)
                        .join(JointProposal, JointProposal.posting_id == Posting.id)
                        .where(JointProposal.state == "posted"))
    if prefecture is not None:
        stmt = stmt.where(JointProposal.proposing_prefecture_code == prefecture)
    return int(db.session.scalar(stmt) or 0)


# --------------------------------------------------------------------------- indicator


def _using_codes():
    """Municipality codes using external talent now: an active appointment, an open public
    posting, or a share in a joint posting that is public or has an active appointment."""
    public_ids = _public_join(select(Posting.id).select_from(Posting))
    appointed_ids = select(Appointment.posting_id).where(Appointment.status == "active")
    return union(
        select(Appointment.municipality_code.label("code")).where(Appointment.status == "active"),
        _public_join(select(Posting.municipality_code.label("code")).select_from(Posting)),
        select(JointParticipant.municipality_code.label("code"))
        .join(JointProposal, JointProposal.id == JointParticipant.proposal_id)
        .where(JointProposal.state == "posted",
               JointProposal.posting_id.in_(public_ids.union(appointed_ids))),
    ).subquery()


def indicator(prefecture: str | None) -> dict[str, tuple[int, int]]:
    """kind → (municipalities using external talent, all municipalities of that kind)."""
    using = _using_codes()
    stmt = (select(Municipality.kind, func.count(Municipality.code),
                   func.count(using.c.code))
            .outerjoin(using, using.c.code == Municipality.code)
            .group_by(Municipality.kind))
    if prefecture is not None:
        stmt = stmt.where(Municipality.prefecture_code == prefecture)
    out = {k: (0, 0) for k in MUNICIPAL_KINDS}
    for kind, total, used in db.session.execute(stmt):
        out[kind] = (int(used), int(total))
    return {k: v for k, v in out.items() if v[1] or prefecture is None}


# --------------------------------------------------------------------------- subsidies


@dataclass
class SubsidyYear:
    fiscal_year: int
    amount: int
    grant: int


def subsidy_by_year(prefecture: str | None, lang: str) -> list[SubsidyYear]:
    from talentmatch.subsidies import dashboards as subsidy

    summary = (subsidy.national_summary(lang) if prefecture is None
               else subsidy.prefecture_summary(prefecture, lang))
    return [SubsidyYear(fy, summary.by_fy[fy].amount, summary.by_fy[fy].grant)
            for fy in summary.fiscal_years]
