"""Demo applications, invitations and appointments on top of the demo postings and
professionals: applicants chosen from each posting's real ranking (so the candidates page
and the pipeline agree), every selection status, a few people holding two posts at once
(兼務), and invitations sent to strong candidates who have not applied. Created through the
real services, so every step has its history row and mail, then dated back a little."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from talentmatch.accounts.models import MUNICIPALITY, User
from talentmatch.accounts.permissions import of_role
from talentmatch.applications import appointments
from talentmatch.applications import services as applications
from talentmatch.applications.capacity import used_days
from talentmatch.applications.models import Application, ApplicationEvent, Appointment
from talentmatch.clock import today_jst
from talentmatch.db import utcnow
from talentmatch.extensions import db
from talentmatch.matching import services as matching
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.professionals.models import Professional

SEED = 20261126
# Where each applicant of a posting ends up, best-ranked first. The first posting shows
# every status at once.
SHOWCASE = ("offered", "interview", "screening", "received", "received", "not_selected", "withdrawn")
PATTERNS = (
    ("interview", "received", "screening"),
    ("received", "received"),
    ("appointed", "not_selected", "withdrawn"),
    ("screening", "received", "not_selected"),
    ("offered", "interview"),
    ("received",),
    ("appointed_fill", "not_selected"),
    ("screening", "withdrawn", "received"),
)
MESSAGES = (
    "貴市のDX推進計画を拝見し、これまでの業務改革の経験を活かせると考え応募いたします。月{days}日の勤務が可能です。",
    "民間企業で情報システムの標準化・クラウド移行を担当してきました。オンラインでの打ち合わせを中心に、必要に応じて現地にも伺えます。",
    "自治体向けのセキュリティ研修の講師経験があります。職員の皆さまと一緒に進める形で貢献したいと考えています。",
    "他の自治体でもCIO補佐官を務めており、兼務となりますが日数の調整は可能です。よろしくお願いいたします。",
    "I have led digital transformation projects for local governments and can work remotely in English or Japanese.",
)
INVITE_MESSAGE = "プロフィールを拝見し、ぜひ応募をご検討いただきたくご連絡しました。ご不明な点はお気軽にお問い合わせください。"


def _staff(code: str) -> User | None:
    return db.session.scalar(
        select(User).where(of_role(MUNICIPALITY), User.municipality_code == code, User.active.is_(True))
        .order_by(User.id).limit(1)
    )


def _open_postings() -> list[Posting]:
    today = today_jst()
    return list(db.session.scalars(
        select(Posting)
        .join(PostingRevision, Posting.published_revision_id == PostingRevision.id)
        .where(Posting.status == "open", PostingRevision.state == "published",
               PostingRevision.deadline >= today)
        .order_by(Posting.id)
    ))


def _appoint(staff: User, application: Application, *, fills: bool, days: float | None = None) -> None:
    rev = application.posting.published_revision
    raw = appointments.defaults_for(application)
    raw["fills_posting"] = fills
    if days is not None:
        raw["days_per_month"] = days
    if not raw.get("period_start") or not raw.get("period_end"):
        raw["period_start"] = today_jst() + timedelta(days=30)
        raw["period_end"] = raw["period_start"] + timedelta(days=365)
    raw["employment_type"] = raw.get("employment_type") or rev.employment_type or "special_part_time"
    appointments.appoint(staff, application.id, raw)


def _walk(staff: User, application: Application, target: str) -> bool:
    """Move an application to `target` the way a clerk would, step by step."""
    user = application.professional.user
    if target == "withdrawn":
        applications.withdraw(user, application.id, "他の任用が決まったため")
        return True
    path = {
        "received": (),
        "screening": ("screening",),
        "interview": ("screening", "interview"),
        "offered": ("screening", "interview", "offered"),
        "not_selected": ("screening", "not_selected"),
        "appointed": ("screening", "interview", "offered"),
        "appointed_fill": ("screening", "interview", "offered"),
    }[target]
    for step in path:
        applications.move(staff, application.id, step, "書類を確認しました" if step == "screening" else None)
    if target.startswith("appointed"):
        try:
            _appoint(staff, application, fills=target == "appointed_fill")
        except applications.ApplicationRefused:
            return False  # not enough free days after all: stays "offered"
    return True


def _backdate(rng: random.Random) -> None:
    """Spread the history over the last few weeks."""
    for app in db.session.scalars(select(Application)):
        back = timedelta(days=rng.randint(3, 24), hours=rng.randint(0, 9))
        app.created_at -= back
        for i, event in enumerate(sorted(app.events, key=lambda e: e.id)):
            event.at = app.created_at + timedelta(days=min(i * 2, back.days), hours=i)
        app.updated_at = max(e.at for e in app.events)
    db.session.commit()


def _closed_filled_records(rng: random.Random, used: dict[int, int]) -> None:
    """Postings the demo closed as filled get their appointed applicant too."""
    closed = db.session.scalars(
        select(Posting).where(Posting.status == "closed", Posting.close_reason == "filled")
        .order_by(Posting.id)
    ).all()
    for posting in closed:
        rev = posting.published_revision
        if rev is None or db.session.scalar(select(Appointment.id).where(Appointment.posting_id == posting.id)):
            continue
        ranking = matching.rank_posting(posting, limit=10, include_excluded=False)
        pick = next((c for c in ranking.candidates if used.get(c.professional_id, 0) < 2), None)
        if pick is None:
            continue
        used[pick.professional_id] = used.get(pick.professional_id, 0) + 1
        app = Application(professional_id=pick.professional_id, posting_id=posting.id,
                          revision_id=rev.id, municipality_code=posting.municipality_code,
                          message=MESSAGES[rng.randrange(len(MESSAGES))].format(days=int(rev.days_per_month or 4)),
                          status="appointed", events=[])
        for before, after in ((None, "received"), ("received", "interview"), ("interview", "appointed")):
            app.events.append(ApplicationEvent(actor_role="municipality" if before else "professional",
                                               from_status=before, to_status=after))
        db.session.add(app)
        db.session.flush()
        db.session.add(Appointment(
            professional_id=pick.professional_id, posting_id=posting.id, application_id=app.id,
            municipality_code=posting.municipality_code, days_per_month=rev.days_per_month or 4,
            period_start=rev.period_start, period_end=rev.period_end,
            employment_type=rev.employment_type or "special_part_time",
            compensation_amount=rev.compensation_amount, compensation_unit=rev.compensation_unit,
            status="active"))
    db.session.commit()


def _second_posts(rng: random.Random, posts: list[Posting], used: dict[int, int]) -> int:
    """Some appointed people take a second post elsewhere (兼務), within their free days."""
    held = db.session.scalars(select(Appointment).where(Appointment.status == "active")).all()
    people = sorted({a.professional_id for a in held if a.professional_id})
    made = 0
    for pid in people:
        if made >= 4:
            break
        pro = db.session.get(Professional, pid)
        taken = used_days([pid]).get(pid, 0.0)
        homes = {a.municipality_code for a in held if a.professional_id == pid}
        for posting in posts:
            rev = posting.published_revision
            if posting.status != "open" or posting.municipality_code in homes:
                continue
            days = float(rev.days_per_month or 0)
            if not days or taken + days > float(pro.available_days_per_month or 0):
                continue
            if db.session.scalar(select(Application.id).where(
                    Application.professional_id == pid, Application.posting_id == posting.id)):
                continue
            if pro.accepted_employment_types and rev.employment_type not in pro.accepted_employment_types:
                continue
            staff = _staff(posting.municipality_code)
            if staff is None:
                continue
            app = applications.apply(pro.user, [posting.id], MESSAGES[3])[0]
            if _walk(staff, app, "appointed"):
                made += 1
                used[pid] = used.get(pid, 0) + 1
            break
    return made


def load(world) -> None:
    if db.session.scalar(select(Application.id).limit(1)) is not None:
        return  # applications exist already: never mix demo data into them
    posts = _open_postings()
    if not posts or db.session.scalar(select(Professional.id).limit(1)) is None:
        return
    rng = random.Random(SEED)
    used: dict[int, int] = {}
    chosen = posts[:24]
    rankings = {p.id: matching.rank_posting(p, limit=30, include_excluded=False) for p in chosen}

    def best_score(p: Posting) -> int:
        found = rankings[p.id].candidates
        return found[0].score if found else 0

    # The showcase: the first demo municipality's posting with the strongest candidates.
    showcase = max((p for p in chosen if p.municipality_code == chosen[0].municipality_code),
                   key=best_score)
    chosen = [showcase, *(p for p in chosen if p.id != showcase.id)]
    world.extra["matching_showcase_posting"] = showcase.id
    for i, posting in enumerate(chosen):
        staff = _staff(posting.municipality_code)
        if staff is None:
            continue
        plan = SHOWCASE if i == 0 else PATTERNS[(i - 1) % len(PATTERNS)]
        ranking = rankings[posting.id]
        # Applicants come from the ranking, a little shuffled: the best candidate does not
        # always apply, which is what invitations are for.
        pool = [c for c in ranking.candidates if used.get(c.professional_id, 0) < 3]
        pool = pool[:2] + rng.sample(pool[2:12], k=min(len(pool[2:12]), len(plan)))
        if i % 3 == 1 and pool:
            pool = pool[1:]
        days = int(posting.published_revision.days_per_month or 4)
        made = []
        for target, cand in zip(plan, pool, strict=False):
            pro = db.session.get(Professional, cand.professional_id)
            message = MESSAGES[rng.randrange(len(MESSAGES))].format(days=days)
            made.append((target, applications.apply(pro.user, [posting.id], message)[0]))
            used[pro.id] = used.get(pro.id, 0) + 1
        # Filling the posting closes it: that comes last.
        for target, app in sorted(made, key=lambda m: m[0] == "appointed_fill"):
            _walk(staff, app, target)
        if i % 2 == 0 and posting.status == "open":
            db.session.refresh(posting)
            applied = set(db.session.scalars(
                select(Application.professional_id).where(Application.posting_id == posting.id)))
            for cand in [c for c in ranking.candidates if c.professional_id not in applied][:2]:
                try:
                    applications.invite(staff, posting.id, cand.professional_id, INVITE_MESSAGE, cand.score)
                except applications.ApplicationRefused:
                    continue
    _second_posts(rng, _open_postings(), used)
    _closed_filled_records(rng, used)
    _backdate(rng)
    world.extra["applications_loaded_at"] = utcnow()
