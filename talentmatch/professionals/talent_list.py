"""MIC's 外部人材リスト (the vetted list of external digital talent the ministry has run since
FY2022): a professional asks to be listed; ministry staff review the request and list the
person for a fiscal year, or refuse with a reason. Every decision is audited.

Being listed for the current fiscal year shows as a badge on the profile and on the
candidates page, is a filter there, and gives a small bonus in the ranking (the matcher's
``talent_list`` part, named in the score breakdown).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date

from sqlalchemy import select

from talentmatch import signals
from talentmatch.accounts.permissions import is_ministry, is_professional
from talentmatch.audit.services import record
from talentmatch.clock import today_jst
from talentmatch.db import transaction, utcnow
from talentmatch.extensions import db
from talentmatch.messages import MSG_REQUIRED, MSG_TOO_LONG, N_, FieldError, Msg
from talentmatch.professionals.models import Professional, TalentListEntry
from talentmatch.wareki import fiscal_year_of

REQUESTED, LISTED, REFUSED = "requested", "listed", "refused"
STATUS_LABELS = {
    REQUESTED: N_("Requested, waiting for MIC's review"),
    LISTED: N_("Listed"),
    REFUSED: N_("Not listed"),
}
TEXT_MAX = 2000
FIRST_FISCAL_YEAR = 2022  # the list has run since FY2022 (令和4年度)

ERR_NO_PROFILE = N_("Fill in your profile before asking to be listed.")
ERR_ALREADY = N_("You have already asked to be listed for %(year)s.")
ERR_DECISION = N_("Choose whether to list the person or not.")
ERR_YEAR = N_("Enter a fiscal year from %(first)s to %(last)s.")
ERR_REASON = N_("Give the reason for not listing the person; they will read it.")
ERR_DECIDED = N_("This request has already been decided.")


class TalentListError(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(", ".join(e.field for e in errors))
        self.errors = errors


class NotFound(Exception):
    """Missing, or not this user's to see or decide."""


def current_fiscal_year(today: date | None = None) -> int:
    return fiscal_year_of(today or today_jst())


def _text(raw: Mapping[str, object], key: str) -> str:
    return unicodedata.normalize("NFKC", str(raw.get(key) or "")).strip()


def listed_ids(professional_ids: Iterable[int] | None = None, *, today: date | None = None) -> set[int]:
    """The professionals listed for the current fiscal year (of `professional_ids` if given)."""
    stmt = select(TalentListEntry.professional_id).where(
        TalentListEntry.fiscal_year == current_fiscal_year(today), TalentListEntry.status == LISTED)
    if professional_ids is not None:
        ids = list(professional_ids)
        if not ids:
            return set()
        stmt = stmt.where(TalentListEntry.professional_id.in_(ids))
    return set(db.session.scalars(stmt))


def is_listed(professional_id: int, *, today: date | None = None) -> bool:
    return professional_id in listed_ids([professional_id], today=today)


def entries_of(professional_id: int) -> list[TalentListEntry]:
    return list(db.session.scalars(
        select(TalentListEntry).where(TalentListEntry.professional_id == professional_id)
        .order_by(TalentListEntry.fiscal_year.desc())))


def request_listing(user, raw: Mapping[str, object]) -> TalentListEntry:
    """The professional asks to be listed for the current fiscal year."""
    if user is None or not is_professional(user):
        raise NotFound("not a professional")
    with transaction():
        pro = db.session.scalar(select(Professional).where(Professional.user_id == user.id))
        errors: list[FieldError] = []
        message = _text(raw, "message")
        fy = current_fiscal_year()
        if pro is None:
            errors.append(FieldError("message", Msg(ERR_NO_PROFILE)))
        elif db.session.scalar(select(TalentListEntry.id).where(
                TalentListEntry.professional_id == pro.id,
                TalentListEntry.fiscal_year == fy)) is not None:
            errors.append(FieldError("message", Msg(ERR_ALREADY, {"year": f"FY{fy}"})))
        if len(message) > TEXT_MAX:
            errors.append(FieldError("message", Msg(MSG_TOO_LONG, {"max": TEXT_MAX,
                                                                   "length": len(message)})))
        if errors:
            raise TalentListError(errors)
        entry = TalentListEntry(professional_id=pro.id, fiscal_year=fy, status=REQUESTED,
                                message=message)
        db.session.add(entry)
        db.session.flush()
        record("talent_list.request", actor=user, object_type="talent_list_entry",
               object_id=entry.id, detail={"fiscal_year": fy})
    return entry


def pending() -> list[TalentListEntry]:
    return list(db.session.scalars(select(TalentListEntry).where(
        TalentListEntry.status == REQUESTED).order_by(TalentListEntry.created_at)))


def decided(fiscal_year: int | None = None) -> list[TalentListEntry]:
    stmt = select(TalentListEntry).where(TalentListEntry.status != REQUESTED)
    if fiscal_year is not None:
        stmt = stmt.where(TalentListEntry.fiscal_year == fiscal_year)
    return list(db.session.scalars(stmt.order_by(TalentListEntry.fiscal_year.desc(),
                                                 TalentListEntry.decided_at.desc())))


def decide(actor, entry_id: int, raw: Mapping[str, object]) -> TalentListEntry:
    """Ministry staff list the person for a fiscal year, or refuse with a reason; audited."""
    if actor is None or not is_ministry(actor):
        raise NotFound(entry_id)
    with transaction():
        entry = db.session.get(TalentListEntry, entry_id,
                               with_for_update={"of": TalentListEntry})
        if entry is None:
            raise NotFound(entry_id)
        errors: list[FieldError] = []
        decision = _text(raw, "decision")
        reason = _text(raw, "reason")
        last = current_fiscal_year() + 1
        year_text = _text(raw, "fiscal_year") or str(entry.fiscal_year)
        year = int(year_text) if year_text.isdigit() else None
        if entry.status != REQUESTED:
            errors.append(FieldError("decision", Msg(ERR_DECIDED)))
        if decision not in (LISTED, REFUSED):
            errors.append(FieldError("decision", Msg(ERR_DECISION if decision else MSG_REQUIRED)))
        if year is None or not FIRST_FISCAL_YEAR <= year <= last:
            errors.append(FieldError("fiscal_year", Msg(ERR_YEAR, {"first": FIRST_FISCAL_YEAR,
                                                                   "last": last})))
        elif year != entry.fiscal_year and db.session.scalar(select(TalentListEntry.id).where(
                TalentListEntry.professional_id == entry.professional_id,
                TalentListEntry.fiscal_year == year)) is not None:
            errors.append(FieldError("fiscal_year", Msg(ERR_ALREADY, {"year": f"FY{year}"})))
        if decision == REFUSED and not reason:
            errors.append(FieldError("reason", Msg(ERR_REASON)))
        if len(reason) > TEXT_MAX:
            errors.append(FieldError("reason", Msg(MSG_TOO_LONG, {"max": TEXT_MAX,
                                                                  "length": len(reason)})))
        if errors:
            raise TalentListError(errors)
        entry.status, entry.fiscal_year = decision, year
        entry.reason = reason
        entry.decided_by_id, entry.decided_at = actor.id, utcnow()
        # The match index re-reads the person (their bonus changes).
        entry.professional.updated_at = utcnow()
        record(f"talent_list.{'list' if decision == LISTED else 'refuse'}", actor=actor,
               object_type="talent_list_entry", object_id=entry.id,
               detail={"professional": entry.professional_id, "fiscal_year": year,
                       "reason": reason})
    return entry


@signals.personal_data_export.connect
def export_section(user) -> tuple[str, list]:
    """"Download my data": the person's requests to be on MIC's list and the decisions."""
    rows = db.session.scalars(
        select(TalentListEntry).join(Professional, Professional.id == TalentListEntry.professional_id)
        .where(Professional.user_id == user.id).order_by(TalentListEntry.fiscal_year))
    return "talent_list", [
        {"fiscal_year": e.fiscal_year, "status": e.status, "message": e.message,
         "reason": e.reason, "requested_at": e.created_at.isoformat(),
         "decided_at": e.decided_at.isoformat() if e.decided_at else None} for e in rows]
