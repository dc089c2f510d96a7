"""Application mail: the applicant's confirmation when they apply or withdraw, and the
municipality's notice that an application arrived. Queued in the use case's transaction,
once per application event and recipient (the dedupe key), in each recipient's language."""

from __future__ import annotations

from talentmatch.accounts import recipients
from talentmatch.applications.models import Application, ApplicationEvent
from talentmatch.extensions import db
from talentmatch.notifications.services import enqueue_many, render_mail


def _row(user, kind: str, event: ApplicationEvent, **context) -> dict:
    locale = user.locale or "ja"
    subject, text, html = render_mail("application_workflow", locale, kind=kind, user=user, **context)
    return {"to_email": user.email, "to_name": user.display_name, "subject": subject,
            "text_body": text, "html_body": html, "locale": locale, "kind": kind,
            "dedupe_key": f"application:{event.id}:{user.id}"}


def _context(app: Application) -> dict:
    posting = app.posting
    rev = posting.published_revision or posting.current_revision
    m = posting.municipality
    return {"title": rev.title if rev is not None else str(posting.id),
            "municipality": m.full_name if m is not None else posting.municipality_code,
            "deadline": rev.deadline if rev is not None else None}


def applied(app: Application) -> int:
    """The applicant's confirmation and the municipality staff's notice of a new application."""
    db.session.flush()
    event = app.events[-1]
    ctx = _context(app)
    rows = []
    person = app.professional.user if app.professional is not None else None
    if person is not None and person.active:
        rows.append(_row(person, "application_confirmed", event, path="/my/applications", **ctx))
    for user in recipients.municipality_staff(app.municipality_code):
        if recipients.wants_each_event(user):
            rows.append(_row(user, "application_received", event,
                             path=f"/applications/{app.id}", **ctx))
    return enqueue_many(rows) if rows else 0


def withdrew(app: Application) -> int:
    """The applicant's confirmation that the application is withdrawn."""
    db.session.flush()
    person = app.professional.user if app.professional is not None else None
    if person is None or not person.active:
        return 0
    return enqueue_many([_row(person, "application_withdrawn", app.events[-1],
                              path="/my/applications", **_context(app))])
