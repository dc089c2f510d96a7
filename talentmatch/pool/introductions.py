"""Introductions (紹介): a prefecture recommends a person of its pool for one of its open
postings; the person says whether they are interested.

An introduction is seen by the prefecture's coordinators, by the staff of the posting's
municipality (beside its applicants) and by the person introduced; nobody else.
"""

from __future__ import annotations

from sqlalchemy import func, select

from talentmatch.accounts.permissions import is_professional
from talentmatch.audit.services import record
from talentmatch.db import lock, transaction, unique_or, utcnow
from talentmatch.extensions import db
from talentmatch.messages import N_, FieldError, Msg
from talentmatch.notifications.services import enqueue_mail
from talentmatch.pool.models import Introduction
from talentmatch.pool.permissions import can_see_introductions
from talentmatch.pool.services import (
    NotFound,
    PoolError,
    clean_note,
    get_entry,
    require_coordinator,
)
from talentmatch.postings.models import Posting
from talentmatch.professionals.models import Professional

ERR_POSTING = N_("Choose an open, published posting of your prefecture.")
ERR_ALREADY = N_("This person has already been introduced to this posting.")
ERR_NOT_PENDING = N_("This introduction has already been answered.")

INTRODUCTION_LABELS = {
    "pending": N_("Awaiting the person's answer"),
    "accepted": N_("Interested"),
    "declined": N_("Declined"),
}


def introduce(actor, entry_id: int, posting_id: int | None, note: str = "") -> Introduction:
    """Recommend a pooled person for an open posting of the prefecture; the person is told
    by mail and answers on their page."""
    note = clean_note(note)
    with transaction():
        entry = get_entry(actor, entry_id)
        posting = db.session.get(Posting, posting_id) if posting_id else None
        if (posting is None or posting.prefecture_code != entry.prefecture_code
                or posting.status != "open" or posting.published_revision is None
                or posting.published_revision.state != "published"):
            raise PoolError([FieldError("posting_id", Msg(ERR_POSTING))])
        intro = Introduction(prefecture_code=entry.prefecture_code,
                             professional_id=entry.professional_id, posting_id=posting.id,
                             note=note, introduced_by_id=actor.id, status="pending")
        db.session.add(intro)
        # Introduced already (now or by a colleague at the same instant): the unique key says so.
        with unique_or(lambda: PoolError([FieldError("posting_id", Msg(ERR_ALREADY))])):
            db.session.flush()
        record("introduction.created", actor=actor, object_type="introduction",
               object_id=intro.id, detail={"posting_id": posting.id,
                                           "professional_id": entry.professional_id})
        person = entry.professional.user
        enqueue_mail(
            to_email=person.email, to_name=person.display_name, template="joint_introduction",
            locale=person.locale or "ja", kind="joint_introduction",
            dedupe_key=f"introduction:{intro.id}", user=person, introduction=intro,
            revision=posting.published_revision, prefecture=entry.prefecture_code,
            prefecture_name=_prefecture_name(entry.prefecture_code, person.locale or "ja"),
            place=_place_name(posting.municipality_code),
            path="/my/introductions", posting_path=f"/postings/{posting.id}")
    return intro


def _prefecture_name(code: str, locale: str) -> str:
    from talentmatch.geo.models import Prefecture

    pref = db.session.get(Prefecture, code)
    if pref is None:
        return code
    return pref.name_en if locale == "en" else pref.name


def _place_name(code: str) -> str:
    from talentmatch.geo.services import municipal_lookup

    place = municipal_lookup(code)
    return f"{place.prefecture_name}{place.name}" if place else code


def introductions_of_professional(user) -> list[Introduction]:
    if not is_professional(user):
        return []
    return list(db.session.scalars(
        select(Introduction).join(Professional, Professional.id == Introduction.professional_id)
        .where(Professional.user_id == user.id)
        .order_by(Introduction.created_at.desc(), Introduction.id.desc())))


def introductions_of_entry(entry) -> list[Introduction]:
    """A pooled person's introductions by the entry's prefecture, newest first."""
    return list(db.session.scalars(
        select(Introduction).where(Introduction.prefecture_code == entry.prefecture_code,
                                   Introduction.professional_id == entry.professional_id)
        .order_by(Introduction.created_at.desc())))


def respond(user, introduction_id: int, *, accept: bool) -> Introduction:
    """The person introduced says whether they are interested."""
    with transaction():
        intro = lock(Introduction, introduction_id)
        if (intro is None or not is_professional(user)
                or intro.professional is None or intro.professional.user_id != user.id):
            raise NotFound(introduction_id)
        if intro.status != "pending":
            raise PoolError([FieldError("status", Msg(ERR_NOT_PENDING))])
        intro.status = "accepted" if accept else "declined"
        intro.responded_at = utcnow()
        record("introduction.answered", actor=user, object_type="introduction",
               object_id=intro.id, detail={"status": intro.status})
    return intro


def introductions_for_posting(actor, posting_id: int) -> list[Introduction]:
    """Beside applicants and ranked candidates: the posting's municipality and its
    prefecture's coordinators see the introductions; nobody else does."""
    posting = db.session.get(Posting, posting_id)
    if posting is None or not can_see_introductions(actor, posting):
        return []
    return list(db.session.scalars(
        select(Introduction).where(Introduction.posting_id == posting_id)
        .order_by(Introduction.created_at, Introduction.id)))


def introductions_by_prefecture(actor, prefecture_code: str) -> list[Introduction]:
    require_coordinator(actor, prefecture_code)
    return list(db.session.scalars(
        select(Introduction).where(Introduction.prefecture_code == prefecture_code)
        .order_by(Introduction.created_at.desc(), Introduction.id.desc()).limit(200)))


def pending_count(user) -> int:
    """Introductions waiting for this person's answer (for the home page)."""
    if not is_professional(user):
        return 0
    n = db.session.scalar(
        select(func.count(Introduction.id))
        .join(Professional, Professional.id == Introduction.professional_id)
        .where(Professional.user_id == user.id, Introduction.status == "pending"))
    return n or 0
