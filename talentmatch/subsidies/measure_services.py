"""Use cases of the measures table MIC maintains (DESIGN §6): load the shipped seed, draft,
edit, preview, publish (audited), import and export.

A published version is never changed: estimates name it. Editing a published measure makes a
new draft version; publishing that version marks the previous one ``superseded``. Two
published measures that could claim the same cost are refused.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select, text

from talentmatch.audit.services import record
from talentmatch.clock import today_jst
from talentmatch.db import transaction, utcnow
from talentmatch.extensions import db
from talentmatch.messages import N_, FieldError, Msg
from talentmatch.subsidies.measures import (
    Measure,
    measures_for_year,
    overlaps,
    parse_measure,
    parse_measures,
    seed_measures,
)
from talentmatch.subsidies.models import SubsidyMeasure
from talentmatch.wareki import fiscal_year_of

ERR_OVERLAP = N_(
    "“%(key)s” could claim the same costs as the published measure “%(other)s” "
    "(a shared cost category and body kind in %(first)s–%(last)s). Narrow its years, "
    "categories or body kinds, or change the published one first."
)
ERR_OVERLAP_YEAR = N_(
    "“%(key)s” could claim the same costs as the published measure “%(other)s” "
    "(a shared cost category and body kind in %(year)s). Narrow its years, "
    "categories or body kinds, or change the published one first."
)
ERR_NOT_DRAFT = N_("Only a draft can be changed or published; this version is %(state)s.")
ERR_KEY_TAKEN = N_("A measure with the key %(key)s already exists; edit it instead.")
ERR_NOT_JSON = N_("The file is not valid JSON encoded in UTF-8: %(detail)s")


class MeasureError(Exception):
    """Refused as a whole; ``errors`` name the field. Nothing was saved."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(", ".join(e.field for e in errors))
        self.errors = errors


# --- reading -------------------------------------------------------------------------------


def published_measures() -> tuple[Measure, ...]:
    """The table every estimate applies: the published version of each measure."""
    rows = db.session.scalars(
        select(SubsidyMeasure)
        .where(SubsidyMeasure.state == "published")
        .order_by(SubsidyMeasure.first_fy, SubsidyMeasure.key)
    )
    return tuple(r.to_measure() for r in rows)


def all_rows() -> list[SubsidyMeasure]:
    return list(db.session.scalars(
        select(SubsidyMeasure).order_by(SubsidyMeasure.key, SubsidyMeasure.version.desc())
    ))


def get_row(measure_id: int) -> SubsidyMeasure | None:
    return db.session.get(SubsidyMeasure, measure_id)


def export_json() -> list[dict[str, Any]]:
    """``flask subsidy measures export``: the published measures in the import format."""
    return [m.to_json() for m in published_measures()]


@dataclass(frozen=True)
class YearMeasures:
    fiscal_year: int
    current: bool
    measures: tuple[Measure, ...]


def registered_by_year(today: date | None = None) -> list[YearMeasures]:
    """For each fiscal year from the first measure's to the current one: the published
    measures registered for it (none is a fact to show, never something to guess)."""
    published = published_measures()
    current = fiscal_year_of(today or today_jst())
    first = min((m.first_fy for m in published), default=current)
    last = max([current, *(m.last_fy for m in published)])
    return [
        YearMeasures(fy, fy == current, tuple(measures_for_year(published, fy)))
        for fy in range(last, first - 1, -1)
    ]


# --- checks ----------------------------------------------------------------------------------


def _overlap_errors(m: Measure, field: str = "categories") -> list[FieldError]:
    from talentmatch.wareki import fiscal_year_label

    for other in published_measures():
        if other.key != m.key and overlaps(m, other):
            first, last = max(m.first_fy, other.first_fy), min(m.last_fy, other.last_fy)
            params = {"key": m.key, "other": other.key}
            if first == last:  # one shared year reads as that year, not 令和7年度〜令和7年度
                return [FieldError(field, Msg(ERR_OVERLAP_YEAR,
                                              params | {"year": fiscal_year_label(first)}))]
            params |= {"first": fiscal_year_label(first), "last": fiscal_year_label(last)}
            return [FieldError(field, Msg(ERR_OVERLAP, params))]
    return []


def with_draft(m: Measure) -> tuple[Measure, ...]:
    """The published table as it would be with ``m`` published (for a preview)."""
    errors = _overlap_errors(m)
    if errors:
        raise MeasureError(errors)
    return tuple(x for x in published_measures() if x.key != m.key) + (m,)


# --- writing -------------------------------------------------------------------------------


def _next_version(key: str) -> int:
    top = db.session.scalar(
        select(func.max(SubsidyMeasure.version)).where(SubsidyMeasure.key == key)
    )
    return (top or 0) + 1


def _draft_of(key: str) -> SubsidyMeasure | None:
    return db.session.scalar(
        select(SubsidyMeasure).where(SubsidyMeasure.key == key, SubsidyMeasure.state == "draft")
    )


def _published_of(key: str) -> SubsidyMeasure | None:
    return db.session.scalar(
        select(SubsidyMeasure).where(
            SubsidyMeasure.key == key, SubsidyMeasure.state == "published"
        )
    )


def _save_draft(user, m: Measure) -> SubsidyMeasure:
    """The key's draft with ``m``'s values: the open draft updated, else a new version."""
    row = _draft_of(m.key)
    if row is None:
        row = SubsidyMeasure(key=m.key, version=_next_version(m.key), state="draft",
                             created_by_id=getattr(user, "id", None))
        db.session.add(row)
    row.set_from(m)
    db.session.flush()
    return row


# Publishing reads the published table for overlaps, then adds to it. Two staff publishing at
# the same instant must not both pass the check: the table would then be ambiguous and every
# estimate refused. On PostgreSQL publishers take turns on this transaction-scoped lock (SQLite
# has a single writer; a stale reader's write is refused there).
PUBLISH_LOCK = 0x7375_6273  # "subs"


def _take_publishing_turn(row: SubsidyMeasure) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PUBLISH_LOCK})
    db.session.flush()
    db.session.refresh(row)  # its state as the publisher before us left it


def _publish(user, row: SubsidyMeasure) -> None:
    _take_publishing_turn(row)
    if row.state != "draft":
        raise MeasureError([FieldError("state", Msg(ERR_NOT_DRAFT, {"state": row.state}))])
    errors = _overlap_errors(row.to_measure())
    if errors:
        raise MeasureError(errors)
    old = _published_of(row.key)
    if old is not None:
        old.state = "superseded"
        db.session.flush()
    row.state = "published"
    row.published_by_id = getattr(user, "id", None)
    row.published_at = utcnow()
    db.session.flush()
    record("subsidy.measure_published", actor=user, object_type="subsidy_measure",
           object_id=row.id, detail={"key": row.key, "version": row.version,
                                     "superseded": old.version if old else None})


def create_draft(user, values: Mapping[str, Any]) -> SubsidyMeasure:
    m, errors = parse_measure(values)
    if m is not None and (_published_of(m.key) or _draft_of(m.key)):
        errors = [FieldError("key", Msg(ERR_KEY_TAKEN, {"key": m.key}))]
    if errors or m is None:
        raise MeasureError(errors)
    with transaction():
        row = _save_draft(user, m)
        record("subsidy.measure_drafted", actor=user, object_type="subsidy_measure",
               object_id=row.id, detail={"key": row.key, "version": row.version})
    return row


def edit(user, row: SubsidyMeasure, values: Mapping[str, Any]) -> SubsidyMeasure:
    """Change a draft in place, or start the next draft version of a published measure.
    The key stays the key of the row."""
    m, errors = parse_measure(dict(values, key=row.key))
    if errors or m is None:
        raise MeasureError(errors)
    if row.state == "superseded":
        raise MeasureError([FieldError("state", Msg(ERR_NOT_DRAFT, {"state": row.state}))])
    with transaction():
        draft = _save_draft(user, m)
        record("subsidy.measure_drafted", actor=user, object_type="subsidy_measure",
               object_id=draft.id, detail={"key": draft.key, "version": draft.version})
    return draft


def publish(user, row: SubsidyMeasure) -> None:
    with transaction():
        _publish(user, row)


def import_data(user, raw: bytes, publish_them: bool = False) -> dict[str, list[str]]:
    """``flask subsidy measures import FILE [--publish]``: all measures of the file or none.
    A measure equal to its published version is left alone; otherwise it becomes a draft
    (a new version when the key is published), published with ``publish_them``."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MeasureError([FieldError("file", Msg(ERR_NOT_JSON, {"detail": str(exc)}))]) from None
    measures, errors = parse_measures(data)
    if errors:
        raise MeasureError(errors)
    out: dict[str, list[str]] = {"drafted": [], "published": [], "unchanged": []}
    with transaction():
        rows: list[tuple[int, SubsidyMeasure]] = []  # with the measure's place in the file
        for i, m in enumerate(measures):
            current = _published_of(m.key)
            if current is not None and _same(current.to_measure(), m) and _draft_of(m.key) is None:
                out["unchanged"].append(m.key)
                continue
            row = _save_draft(user, m)
            out["drafted"].append(f"{row.key}@{row.version}")
            rows.append((i, row))
        if publish_them:
            for i, row in rows:
                try:
                    _publish(user, row)
                except MeasureError as exc:
                    raise MeasureError([FieldError(f"measures[{i}].{e.field}", e.message)
                                        for e in exc.errors]) from None
                out["published"].append(f"{row.key}@{row.version}")
        record("subsidy.measures_imported", actor=user, object_type="subsidy_measure",
               object_id="", detail=out)
    return out


def _same(a: Measure, b: Measure) -> bool:
    return a.to_json() | {"version": 0} == b.to_json() | {"version": 0}


def load_seed() -> int:
    """Put the shipped measures (the seed's two) in place, published, where their key is
    not in the table yet; the ministry's own entries are never touched. Returns how many."""
    n = 0
    with transaction():
        for m in seed_measures():
            exists = db.session.scalar(
                select(func.count()).select_from(SubsidyMeasure).where(SubsidyMeasure.key == m.key)
            )
            if exists:
                continue
            row = SubsidyMeasure(key=m.key, version=1, state="published", published_at=utcnow())
            row.set_from(m)
            db.session.add(row)
            n += 1
    return n


def preview_table(row: SubsidyMeasure) -> Sequence[Measure]:
    """The table an estimate would apply with this draft published (nothing is saved)."""
    return with_draft(row.to_measure())
