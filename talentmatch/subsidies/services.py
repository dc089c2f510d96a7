"""Use cases of the special grant estimate: cost lines, imports, postings, joint splits.

Every figure comes from ``calculation.calculate`` so the page, the exports, the dashboards, the
CLI and the API agree to the yen. Each function that writes owns its transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as flask_gettext
from sqlalchemy import delete, select

from talentmatch.accounts.permissions import can_manage_municipality
from talentmatch.audit.services import record
from talentmatch.catalog import Gettext, translator
from talentmatch.db import bump, check_version, lock, transaction
from talentmatch.extensions import db
from talentmatch.geo.models import Municipality
from talentmatch.geo.services import municipal_lookup
from talentmatch.messages import N_, FieldError, Msg
from talentmatch.submissions import services as submissions
from talentmatch.subsidies import importing
from talentmatch.subsidies.calculation import (
    MSG_NO_MEASURE_FY,
    Result,
    calculate,
    ended_notice,
    no_measure_label,
)
from talentmatch.subsidies.cost_shares import split_shares
from talentmatch.subsidies.measure_services import published_measures, registered_by_year
from talentmatch.subsidies.measures import CATEGORY_LABELS, format_rate
from talentmatch.subsidies.models import CostLine
from talentmatch.subsidies.validation import InvalidInput, MunicipalityInfo, requested_lang
from talentmatch.wareki import fiscal_year_full_label, format_yen

ERR_LINE_NOT_YOURS = N_("Your municipality has no line with the id %(id)s.")
ERR_SHARES_EMPTY = N_("Add at least one participant with a share.")
ERR_SHARE = N_("Enter the share as a number of 0 or more, such as 4 (days) or 0.5.")
ERR_SHARES_ZERO = N_("The shares add up to zero; give at least one participant a share.")
ERR_PARTICIPANT_DUPLICATE = N_("This participant is listed twice.")


class LineGone(LookupError):
    """The line was deleted (or replaced by new lines) after the page was read."""


class LineError(Exception):
    """Bad input, refused as a whole; ``errors`` name the field (and the row of an import)."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(", ".join(e.field for e in errors))
        self.errors = errors


# --- the calculator, wired to the master data and the app's catalogue -------------------------


def municipal_info(code: str) -> MunicipalityInfo | None:
    place = municipal_lookup(code)
    if place is None:
        return None
    return MunicipalityInfo(
        place.code, place.name, place.kind, place.prefecture_code, place.prefecture_name
    )


def gettext_for(lang: str) -> Gettext:
    """Flask-Babel's gettext for ``lang``; ``catalog`` fills msgids it leaves untranslated."""

    def gt(msgid: str) -> str:
        with force_locale(lang):
            return flask_gettext(msgid)

    return translator(lang, gt)


def estimate(payload: object, default_lang: str = "ja") -> tuple[dict[str, Any], bool]:
    """The contract of ``POST /api/v1/subsidy/estimate`` and ``flask subsidy estimate``:
    (result JSON, True), or ({"errors": [...]}, False) naming every bad field."""
    lang = requested_lang(payload, default_lang)
    t = gettext_for(lang)
    try:
        result = calculate(payload, municipal_info, lang=default_lang, gettext=t,  # type: ignore[arg-type]
                           measures=published_measures())
    except InvalidInput as exc:
        return exc.to_dict(gettext_for(exc.lang)), False
    return result.to_dict(), True


ERR_NOT_JSON = N_("The input is not valid JSON: %(detail)s")
ERR_ENCODING = N_("The input must be JSON encoded in UTF-8.")


def estimate_raw(raw: bytes, default_lang: str = "ja") -> tuple[dict[str, Any], bool]:
    """``estimate`` for the bytes of a request body or a file."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return errors_json(ERR_ENCODING, default_lang), False
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        detail = f"{exc.msg} (line {exc.lineno}, column {exc.colno})"
        return errors_json(ERR_NOT_JSON, default_lang, detail=detail), False
    except RecursionError:
        return errors_json(ERR_NOT_JSON, default_lang, detail="nesting too deep"), False
    return estimate(payload, default_lang)


def errors_json(msgid: str, lang: str, field: str = "payload", **params: Any) -> dict[str, Any]:
    return {"errors": [{"field": field, "message": Msg(msgid, params).render(gettext_for(lang))}]}


def calculate_lines(
    code: str, lines: Sequence[CostLine], lang: str, today: date | None = None
) -> Result | None:
    if not lines:
        return None
    payload = {"municipality_code": code, "lines": [ln.to_payload_line() for ln in lines]}
    return calculate(payload, municipal_info, lang=lang, gettext=gettext_for(lang), today=today,
                     measures=published_measures())


@dataclass(frozen=True)
class MeasureInfo:
    name: str
    categories: list[str]
    rate: str
    cap: str | None
    first: str
    last: str


def measures_info(lang: str, today: date | None = None) -> tuple[list[MeasureInfo], str | None]:
    """The measures table in words, and the notice that the measure has ended (if it has)."""
    t = gettext_for(lang)
    measures = published_measures()
    out = [
        MeasureInfo(
            name=m.name(lang),
            categories=[t(CATEGORY_LABELS.get(c, c)) for c in m.categories],
            rate=format_rate(m.exact_rate),
            cap=format_yen(m.cap, lang) if m.cap is not None else None,
            first=fiscal_year_full_label(m.first_fy, lang),
            last=fiscal_year_full_label(m.last_fy, lang),
        )
        for m in measures
    ]
    return out, ended_notice(measures, lang, t, today)


@dataclass(frozen=True)
class YearRow:
    label: str
    current: bool
    measures: list[tuple[str, str, str, str | None]]  # name, rate, source, source address
    notice: str | None  # "no measure for … is registered", said in words


def year_rows(lang: str, today: date | None = None) -> list[YearRow]:
    """Per fiscal year, the measures registered in TalentMatch with their source; a year
    without one says so (the current year included), never a guess."""
    t = gettext_for(lang)
    return [
        YearRow(
            label=fiscal_year_full_label(y.fiscal_year, lang),
            current=y.current,
            measures=[(m.name(lang), format_rate(m.exact_rate), m.source, m.source_url)
                      for m in y.measures],
            notice=None if y.measures else Msg(
                MSG_NO_MEASURE_FY, {"fiscal_year": no_measure_label(y.fiscal_year, lang)}
            ).render(t),
        )
        for y in registered_by_year(today)
    ]


# --- cost lines ----------------------------------------------------------------------------


def lines_of(code: str) -> list[CostLine]:
    """A municipality's lines in the order the page and the exports show them."""
    rows = db.session.scalars(select(CostLine).where(CostLine.municipality_code == code))
    return sorted(rows, key=lambda ln: (ln.fiscal_year, ln.date or date.max, ln.id))


def require_own(user, code: str) -> None:
    if not can_manage_municipality(user, code):
        raise PermissionError(code)


def lock_lines(code: str) -> None:
    """Take the municipality's cost lines for this transaction: writers of one
    municipality's lines (replace from postings, joint parts, imports) run one at a time, and
    each sees what the previous one committed."""
    lock(Municipality, code)


def add_line(user, code: str, values: Mapping[str, str], *, submission_key: object = None
             ) -> CostLine:
    """Add one line; the form's ``submission_key`` adds it once however often the form is
    sent (AlreadySubmitted for the repeats)."""
    require_own(user, code)
    parsed, errors = importing.validate_row(dict(values, id=""))
    if parsed is None:
        raise LineError(errors)
    with transaction():
        submissions.claim(submission_key, user)
        line = CostLine(
            municipality_code=code,
            fiscal_year=parsed.fiscal_year,
            date=parsed.date,
            category=parsed.category,
            amount=parsed.amount,
            note=parsed.note,
            source="manual",
            created_by_id=user.id,
        )
        db.session.add(line)
        db.session.flush()
        submissions.set_result(submission_key, f"cost_line:{line.id}")
        record("subsidy.line_added", actor=user, object_type="cost_line", object_id=line.id,
               detail={"municipality_code": code, "amount": parsed.amount})
    return line


def get_own_line(user, line_id: int) -> CostLine | None:
    """The line if it belongs to the user's municipality; None otherwise (never another's)."""
    line = db.session.get(CostLine, line_id)
    if line is None or not can_manage_municipality(user, line.municipality_code):
        return None
    return line


def delete_line(user, line: CostLine, *, version: object = None) -> None:
    """Delete the line as the page showed it (``version``): LineGone if it was deleted
    meanwhile (a double click), StaleEdit if it was replaced since; nothing deleted then."""
    code, line_id = line.municipality_code, line.id
    require_own(user, code)
    with transaction():
        lock_lines(code)
        line = db.session.get(CostLine, line_id)
        if line is None:
            raise LineGone(line_id)
        check_version(line, version)
        record("subsidy.line_deleted", actor=user, object_type="cost_line", object_id=line.id,
               detail={"municipality_code": code, "amount": line.amount})
        db.session.delete(line)


def import_csv(user, code: str, data: bytes) -> tuple[int, int]:
    """All rows or none. A row with an id replaces that line of the municipality; returns
    (added, replaced)."""
    require_own(user, code)
    rows, errors = importing.parse_csv(data)
    if errors:
        raise LineError(errors)
    ids = [r.id for r in rows if r.id is not None]
    added = replaced = 0
    with transaction():
        # The lines to replace are read under the lock: one deleted meanwhile is not ours.
        lock_lines(code)
        existing = {
            ln.id: ln
            for ln in db.session.scalars(
                select(CostLine).where(CostLine.id.in_(ids), CostLine.municipality_code == code)
            )
        } if ids else {}
        errors = [
            FieldError("id", Msg(ERR_LINE_NOT_YOURS, {"id": r.id}), r.row)
            for r in rows
            if r.id is not None and r.id not in existing
        ]
        if errors:
            raise LineError(errors)
        for r in rows:
            line = existing.get(r.id) if r.id is not None else None
            if line is None:
                line = CostLine(municipality_code=code, source="manual", created_by_id=user.id)
                db.session.add(line)
                added += 1
            else:
                replaced += 1
                bump(line)
            line.fiscal_year, line.date, line.category = r.fiscal_year, r.date, r.category
            line.amount, line.note = r.amount, r.note
        record("subsidy.lines_imported", actor=user, object_type="municipality", object_id=code,
               detail={"added": added, "replaced": replaced})
    return added, replaced


# --- joint appointments ---------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantPart:
    code: str
    name: str
    kind: str
    share: Fraction
    share_text: str
    amounts: dict[str, int]  # line id → this participant's part
    result: Result


def _share(value: object) -> Fraction | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Fraction | int):
        share = Fraction(value)
    else:
        try:
            share = Fraction(Decimal(str(value).strip()))
        except (InvalidOperation, ValueError, OverflowError):
            return None  # OverflowError: 'Infinity' has no ratio
    return share if share >= 0 else None


def joint_split(
    total_lines: Sequence[Mapping[str, Any]],
    shares: Mapping[str, object],
    lang: str = "ja",
    today: date | None = None,
) -> list[ParticipantPart]:
    """Split a joint appointment's costs by the participants' shares (days per month or
    fractions) and estimate each participant's grant on its part.

    ``total_lines`` are calculator lines (id, date or fiscal_year, category, amount) with the
    whole appointment's costs; ``shares`` maps each participant's code to its share. Raises
    ``InvalidInput`` naming "lines[i].…" or "shares.<code>" fields.
    """
    errors: list[FieldError] = []
    table = published_measures()
    if not shares:
        errors.append(FieldError("shares", Msg(ERR_SHARES_EMPTY)))
    exact: dict[str, Fraction] = {}
    for code, raw in shares.items():
        f = f"shares.{code}"
        value = _share(raw)
        if value is None:
            errors.append(FieldError(f, Msg(ERR_SHARE)))
            continue
        try:
            calculate({"municipality_code": code, "lines": [
                {"id": "x", "fiscal_year": 2025, "category": "recruitment", "amount": 0}]},
                municipal_info, today=today, measures=table)
        except InvalidInput as exc:
            errors.extend(FieldError(f, e.message) for e in exc.errors)
            continue
        exact[code] = value
    if shares and exact and not errors and sum(exact.values()) == 0:
        errors.append(FieldError("shares", Msg(ERR_SHARES_ZERO)))
    # The lines are checked with any valid code: their errors do not depend on the body.
    try:
        calculate({"municipality_code": "012025", "lines": list(total_lines)},
                  lambda c: MunicipalityInfo(c, "", "city", "", ""), today=today,
                  measures=table)
    except InvalidInput as exc:
        errors.extend(exc.errors)
    if errors:
        raise InvalidInput(errors, lang)

    parts_by_line = {
        str(ln["id"]): split_shares(int(ln["amount"]), exact) for ln in total_lines
    }
    out = []
    for code, share in exact.items():
        lines = [dict(ln, amount=parts_by_line[str(ln["id"])][code]) for ln in total_lines]
        result = calculate({"municipality_code": code, "lines": lines}, municipal_info,
                           lang=lang, gettext=gettext_for(lang), today=today,
                           measures=table)
        out.append(ParticipantPart(
            code=code, name=result.municipality.name, kind=result.municipality.kind,
            share=share, share_text=str(shares[code]).strip(),
            amounts={str(ln["id"]): parts_by_line[str(ln["id"])][code] for ln in total_lines},
            result=result))
    return out


def save_joint_part(user, code: str, part: ParticipantPart, total_lines: Sequence[Mapping[str, Any]]) -> int:
    """Record the user's municipality's part of a joint appointment as its cost lines;
    saving the same split again replaces them instead of counting them twice."""
    require_own(user, code)
    digest = hashlib.sha256(
        json.dumps([list(total_lines), part.share_text], sort_keys=True, default=str).encode()
    ).hexdigest()[:16]
    with transaction():
        lock_lines(code)
        db.session.execute(delete(CostLine).where(
            CostLine.municipality_code == code, CostLine.source == "joint",
            CostLine.source_id == digest))
        n = 0
        for ln in part.result.lines:
            db.session.add(CostLine(
                municipality_code=code, fiscal_year=ln.fiscal_year, date=ln.date,
                category=ln.category, amount=ln.amount, source="joint", source_id=digest,
                note=str(next((t.get("note") for t in total_lines if str(t["id"]) == ln.id), "")
                         or "")[:importing.NOTE_MAX],
                created_by_id=user.id))
            n += 1
        record("subsidy.joint_part_saved", actor=user, object_type="municipality",
               object_id=code, detail={"lines": n})
    return n
