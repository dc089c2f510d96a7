"""Workflow mail (DESIGN.md §4): every move of a posting tells the next person, in their
language, with a direct link, once.

Called inside the move's transaction (the outbox is transactional: no mail without the
move, no move without its mail). Each message's dedupe key is the review event and the
recipient, so one event never mails one person twice. Accounts that chose one daily
summary get nothing here: ``inbox.digest`` lists what waits for them.
"""

from __future__ import annotations

from talentmatch.accounts import recipients
from talentmatch.extensions import db
from talentmatch.notifications.services import enqueue_many, render_mail
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.postings.workflow import CLOSE_REASON_LABELS, ROLE_LABELS
from talentmatch.review.models import ReviewEvent

# action → (mail kind, who) for the municipality's own staff, and the reviewers told as well.
MUNICIPALITY_MAIL = {
    "return": "workflow_returned",
    "relay": "workflow_relayed",
    "publish": "workflow_published",
    "close": "workflow_closed",
}


def _municipality_path(posting: Posting) -> str:
    return f"/my/postings/{posting.id}"


def _review_path(posting: Posting) -> str:
    return f"/review/postings/{posting.id}"


def notify(posting: Posting, rev: PostingRevision, event: ReviewEvent, *, is_update: bool = False) -> int:
    """Queue the mail one workflow event means; returns how many messages were new."""
    action = event.action
    batches: list[tuple[str, list, str]] = []
    if action == "submit":
        batches.append(("workflow_submitted",
                        recipients.prefecture_coordinators(posting.prefecture_code),
                        _review_path(posting)))
    if action == "relay":
        batches.append(("workflow_to_publish", recipients.ministry_staff(), _review_path(posting)))
    if action in MUNICIPALITY_MAIL:
        kind = MUNICIPALITY_MAIL[action]
        if action == "publish" and is_update:
            kind = "workflow_revision_published"
        batches.append((kind, recipients.municipality_staff(posting.municipality_code),
                        _municipality_path(posting)))
    if not batches:
        return 0
    db.session.flush()  # the event's id keys the messages
    rows = []
    for kind, users, path in batches:
        for user in users:
            if user.id == event.actor_id or not recipients.wants_each_event(user):
                continue  # the actor knows; a daily-summary reader hears it in the digest
            locale = user.locale or "ja"
            subject, text, html = render_mail(
                "posting_workflow", locale, kind=kind, user=user, posting=posting, revision=rev,
                event=event, path=path, municipality=_municipality_name(posting),
                close_reason=CLOSE_REASON_LABELS.get(event.close_reason or ""),
                actor_label=ROLE_LABELS.get(event.actor_role or "system", ""),
            )
            rows.append({"to_email": user.email, "to_name": user.display_name, "subject": subject,
                         "text_body": text, "html_body": html, "locale": locale, "kind": kind,
                         "dedupe_key": f"workflow:{event.id}:{user.id}"})
    return enqueue_many(rows) if rows else 0


def _municipality_name(posting: Posting) -> str:
    m = posting.municipality
    return m.full_name if m is not None else posting.municipality_code
