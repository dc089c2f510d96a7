"""Applications and invitations (DESIGN §1–§2): a professional applies to one or several
published postings and may withdraw; the municipality invites ranked candidates and moves
each application through the selection pipeline. Appointing lives in `appointments`.

Who sees what (SECURITY.md 9): a municipality only its own postings' applications, a
coordinator those of their prefecture (read only), MIC all (read only), a professional only
their own. Other people's rows look missing (ApplicationNotFound). Each use case owns its
transaction; the professional is told by mail, in their language, of invitations and status
changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from talentmatch.accounts.models import MUNICIPALITY, PROFESSIONAL, User
from talentmatch.accounts.permissions import (
    can_manage_municipality,
    can_view_municipality,
    is_professional,
)
from talentmatch.applications import mail as app_mail
from talentmatch.applications import pipeline
from talentmatch.applications.models import (
    Application,
    ApplicationEvent,
    ApplyInvitation,
    Appointment,
)
from talentmatch.audit.services import record
from talentmatch.clock import today_jst
from talentmatch.db import lock, transaction, unique_or, utcnow
from talentmatch.extensions import db
from talentmatch.messages import N_, FieldError, Msg
from talentmatch.notifications.services import enqueue_mail
from talentmatch.postings.models import Posting
from talentmatch.professionals.models import Professional

MESSAGE_MAX = 4000
MAX_POSTINGS_PER_APPLY = 20

MSG_NO_PROFILE = N_("Fill in your profile before applying: municipalities read it with your application.")
MSG_NO_POSTINGS = N_("Choose at least one posting to apply to.")
MSG_TOO_MANY_POSTINGS = N_("You can apply to at most %(max)s postings at once.")
MSG_MESSAGE_TOO_LONG = N_("A message can have at most %(max)s characters (you entered %(length)s).")
MSG_NOT_OPEN = N_("“%(title)s” is not open for applications.")
MSG_DEADLINE_PASSED = N_("The application deadline of “%(title)s” has passed.")
MSG_ALREADY_APPLIED = N_("You have already applied to “%(title)s”.")
MSG_ALREADY_INVITED = N_("%(name)s has already been invited to this posting.")
MSG_INVITE_APPLIED = N_("%(name)s has already applied to this posting.")
MSG_INVITE_HIDDEN = N_("This professional cannot be invited: they have not opted in to being found.")
MSG_INVITE_NOT_OPEN = N_("Only a published, open posting can invite candidates.")


class ApplicationNotFound(Exception):
    """Missing, or outside what this user may see (the two look the same)."""


class ApplicationRefused(Exception):
    """Invalid input or a refused move: `errors` name the field; nothing was saved."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(e.message.render() for e in errors))
        self.errors = errors


def _refuse(field: str, msgid: str, **params: object) -> ApplicationRefused:
    return ApplicationRefused([FieldError(field, Msg(msgid, params))])


# --------------------------------------------------------------------------- access


def professional_of(user: User) -> Professional | None:
    if user is None or not is_professional(user):
        return None
    return db.session.scalar(select(Professional).where(Professional.user_id == user.id))


def load_application(user: User, application_id: int, *, manage: bool = False,
                     for_update: bool = False) -> Application:
    # FOR UPDATE of the application row only (its eager joins are outer joins), then its
    # status and events read afresh.
    app = (lock(Application, application_id) if for_update
           else db.session.get(Application, application_id))
    if app is None:
        raise ApplicationNotFound()
    if user is not None and is_professional(user):
        if manage or app.professional is None or app.professional.user_id != user.id:
            raise ApplicationNotFound()
        return app
    allowed = can_manage_municipality if manage else can_view_municipality
    if not allowed(user, app.municipality_code):
        raise ApplicationNotFound()
    return app


def load_posting_for(user: User, posting_id: int, *, manage: bool = False) -> Posting:
    posting = db.session.get(Posting, posting_id)
    allowed = can_manage_municipality if manage else can_view_municipality
    if posting is None or not allowed(user, posting.municipality_code):
        raise ApplicationNotFound()
    return posting


# --------------------------------------------------------------------------- helpers


def _event(app: Application, actor: User | None, role: str, from_status: str | None,
           to_status: str, note: str | None = None) -> ApplicationEvent:
    event = ApplicationEvent(actor_id=getattr(actor, "id", None), actor_role=role,
                             from_status=from_status, to_status=to_status, note=note or "")
    app.events.append(event)
    return event


def is_open_for_applications(posting: Posting, today: date) -> bool:
    rev = posting.published_revision
    return (posting.status == "open" and rev is not None and rev.state == "published"
            and rev.deadline is not None and rev.deadline >= today)


def _title(posting: Posting) -> str:
    rev = posting.published_revision or posting.current_revision
    return rev.title if rev is not None else str(posting.id)


def notify_status(app: Application, actor: User | None) -> None:
    """Mail the professional about their application's new status (their language)."""
    user = app.professional.user if app.professional is not None else None
    if user is None or not user.active:
        return
    posting = app.posting
    enqueue_mail(
        to_email=user.email,
        to_name=user.display_name,
        template="application_status",
        locale=user.locale or "ja",
        kind="application_status",
        dedupe_key=f"application-status:{app.id}:{len(app.events)}",
        user=user,
        status=app.status,
        status_label=pipeline.STATUS_LABELS[app.status],
        title=_title(posting),
        municipality=posting.municipality.full_name if posting.municipality else "",
        path="/my/applications",
    )


# --------------------------------------------------------------------------- professional


def apply(user: User, posting_ids: Iterable[int], message: str = "", *,
          today: date | None = None) -> list[Application]:
    """Apply to every posting in `posting_ids` with one message, or to none of them."""
    today = today or today_jst()
    ids = list(dict.fromkeys(int(i) for i in posting_ids))
    text = (message or "").strip()
    with transaction():
        pro = professional_of(user)
        if pro is None:
            raise _refuse("postings", MSG_NO_PROFILE)
        if not ids:
            raise _refuse("postings", MSG_NO_POSTINGS)
        if len(ids) > MAX_POSTINGS_PER_APPLY:
            raise _refuse("postings", MSG_TOO_MANY_POSTINGS, max=MAX_POSTINGS_PER_APPLY)
        if len(text) > MESSAGE_MAX:
            raise _refuse("message", MSG_MESSAGE_TOO_LONG, max=MESSAGE_MAX, length=len(text))
        # The person's row is the lock for their applications: the same application sent
        # twice at once runs one after the other, and the second finds the first.
        pro = lock(Professional, pro.id)
        postings = {p.id: p for p in db.session.scalars(select(Posting).where(Posting.id.in_(ids)))}
        existing = {
            a.posting_id: a
            for a in db.session.scalars(
                select(Application).where(Application.professional_id == pro.id,
                                          Application.posting_id.in_(ids))
            )
        }
        invites = {
            i.posting_id: i
            for i in db.session.scalars(
                select(ApplyInvitation).where(ApplyInvitation.professional_id == pro.id,
                                         ApplyInvitation.posting_id.in_(ids))
            )
        }
        errors: list[FieldError] = []
        for pid in ids:
            posting = postings.get(pid)
            rev = posting.published_revision if posting is not None else None
            if posting is None or rev is None or rev.state not in ("published", "closed"):
                errors.append(FieldError("postings", Msg(MSG_NOT_OPEN, {"title": str(pid)})))
            elif not is_open_for_applications(posting, today):
                msgid = MSG_DEADLINE_PASSED if rev.deadline and rev.deadline < today else MSG_NOT_OPEN
                errors.append(FieldError("postings", Msg(msgid, {"title": rev.title})))
            elif pid in existing and existing[pid].status != "withdrawn":
                errors.append(FieldError("postings", Msg(MSG_ALREADY_APPLIED, {"title": rev.title})))
        if errors:
            raise ApplicationRefused(errors)
        out = []
        for pid in ids:
            posting = postings[pid]
            app = existing.get(pid)
            previous = app.status if app is not None else None
            if app is None:
                app = Application(professional_id=pro.id, posting_id=pid,
                                  municipality_code=posting.municipality_code, events=[])
                db.session.add(app)
            app.status = "received"
            app.message = text
            app.revision_id = posting.published_revision_id
            if pid in invites:
                app.invitation_id = invites[pid].id
            _event(app, user, PROFESSIONAL, previous, "received")
            title = _title(posting)
            with unique_or(lambda title=title: _refuse("postings", MSG_ALREADY_APPLIED,
                                                       title=title)):
                db.session.flush()
            record("application.create", actor=user, object_type="application", object_id=app.id,
                   detail={"posting": pid, "reopened": previous is not None})
            app_mail.applied(app)
            out.append(app)
    return out


def withdraw(user: User, application_id: int, note: str | None = None) -> Application:
    with transaction():
        app = load_application(user, application_id, for_update=True)
        try:
            move = pipeline.move(app.status, "withdrawn", PROFESSIONAL, note=note)
        except pipeline.PipelineError as exc:
            raise ApplicationRefused([FieldError("status", exc.message)]) from exc
        app.status = move.to_status
        _event(app, user, PROFESSIONAL, move.from_status, move.to_status, move.note)
        record("application.withdraw", actor=user, object_type="application", object_id=app.id)
        app_mail.withdrew(app)
    return app


def my_applications(user: User) -> list[Application]:
    pro = professional_of(user)
    if pro is None:
        return []
    return list(db.session.scalars(
        select(Application).where(Application.professional_id == pro.id)
        .options(selectinload(Application.posting).selectinload(Posting.published_revision))
        .order_by(Application.updated_at.desc(), Application.id.desc())
    ))


def my_invitations(user: User) -> list[ApplyInvitation]:
    pro = professional_of(user)
    if pro is None:
        return []
    return list(db.session.scalars(
        select(ApplyInvitation).where(ApplyInvitation.professional_id == pro.id)
        .order_by(ApplyInvitation.created_at.desc(), ApplyInvitation.id.desc())
    ))


def my_appointments(user: User) -> list[Appointment]:
    pro = professional_of(user)
    if pro is None:
        return []
    return list(db.session.scalars(
        select(Appointment).where(Appointment.professional_id == pro.id)
        .order_by(Appointment.period_start.desc(), Appointment.id.desc())
    ))


def applied_status(user: User, posting_ids: Iterable[int]) -> dict[int, str]:
    """posting id → the user's application status (for "applied" marks on lists)."""
    pro = professional_of(user)
    ids = list(posting_ids)
    if pro is None or not ids:
        return {}
    return dict(db.session.execute(
        select(Application.posting_id, Application.status).where(
            Application.professional_id == pro.id, Application.posting_id.in_(ids))
    ).all())


# --------------------------------------------------------------------------- municipality


def move(user: User, application_id: int, target: str, note: str | None = None) -> Application:
    """Move an application one step (the municipality of its posting only)."""
    with transaction():
        app = load_application(user, application_id, manage=True, for_update=True)
        try:
            step = pipeline.move(app.status, target, pipeline.MUNICIPALITY, note=note)
        except pipeline.PipelineError as exc:
            raise ApplicationRefused([FieldError("status", exc.message)]) from exc
        app.status = step.to_status
        _event(app, user, MUNICIPALITY, step.from_status, step.to_status, step.note)
        record("application.move", actor=user, object_type="application", object_id=app.id,
               detail={"from": step.from_status, "to": step.to_status})
        notify_status(app, user)
    return app


def invite(user: User, posting_id: int, professional_id: int, message: str = "",
           score: int | None = None, *, today: date | None = None) -> ApplyInvitation:
    """Invite a ranked candidate to apply; they see it on their page and by mail."""
    today = today or today_jst()
    text = (message or "").strip()
    with transaction():
        posting = load_posting_for(user, posting_id, manage=True)
        if not is_open_for_applications(posting, today):
            raise _refuse("posting", MSG_INVITE_NOT_OPEN)
        pro = db.session.get(Professional, professional_id)
        if pro is None or not pro.discoverable or not pro.user.active:
            raise _refuse("professional_id", MSG_INVITE_HIDDEN)
        if len(text) > MESSAGE_MAX:
            raise _refuse("message", MSG_MESSAGE_TOO_LONG, max=MESSAGE_MAX, length=len(text))
        name = pro.user.display_name
        if db.session.scalar(select(ApplyInvitation.id).where(
                ApplyInvitation.posting_id == posting.id, ApplyInvitation.professional_id == pro.id)):
            raise _refuse("professional_id", MSG_ALREADY_INVITED, name=name)
        if db.session.scalar(select(Application.id).where(
                Application.posting_id == posting.id, Application.professional_id == pro.id,
                Application.status != "withdrawn")):
            raise _refuse("professional_id", MSG_INVITE_APPLIED, name=name)
        inv = ApplyInvitation(posting_id=posting.id, professional_id=pro.id,
                         municipality_code=posting.municipality_code, invited_by_id=user.id,
                         message=text, score=score)
        db.session.add(inv)
        with unique_or(lambda: _refuse("professional_id", MSG_ALREADY_INVITED, name=name)):
            db.session.flush()
        record("invitation.create", actor=user, object_type="posting", object_id=posting.id,
               detail={"professional": pro.id, "invitation": inv.id})
        target = pro.user
        enqueue_mail(
            to_email=target.email, to_name=target.display_name, template="application_invitation",
            locale=target.locale or "ja", kind="application_invitation",
            dedupe_key=f"application-invitation:{inv.id}", user=target,
            title=_title(posting), message=text,
            municipality=posting.municipality.full_name if posting.municipality else "",
            deadline=posting.published_revision.deadline,
            path=f"/my/applications#invitation-{inv.id}",
        )
    return inv


def mark_invitations_seen(user: User) -> None:
    pro = professional_of(user)
    if pro is None:
        return
    with transaction():
        for inv in db.session.scalars(select(ApplyInvitation).where(
                ApplyInvitation.professional_id == pro.id, ApplyInvitation.seen_at.is_(None))):
            inv.seen_at = utcnow()
