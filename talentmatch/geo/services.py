"""Master data: load and look up prefectures and municipalities."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select

from talentmatch.db import transaction
from talentmatch.extensions import db
from talentmatch.geo.codes import is_valid_code
from talentmatch.geo.models import Municipality, Prefecture
from talentmatch.geo.names import PREFECTURE_EN
from talentmatch.vocab import KIND_LABELS

DATA = Path(__file__).resolve().parent.parent / "data" / "municipalities.csv"


class MasterDataError(ValueError):
    pass


@dataclass
class LoadReport:
    prefectures: int
    municipalities: int
    by_kind: dict[str, int]
    inserted: int
    updated: int


def read_master(path: Path = DATA) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    errors = []
    for lineno, row in enumerate(rows, start=2):
        if not is_valid_code(row["code"]):
            errors.append(f"line {lineno}: code {row['code']!r} fails the check digit")
        if row["kind"] not in KIND_LABELS:
            errors.append(f"line {lineno}: unknown kind {row['kind']!r}")
        if row["code"][:2] != row["prefecture_code"]:
            errors.append(f"line {lineno}: code {row['code']} is not in prefecture {row['prefecture_code']}")
    if errors:
        raise MasterDataError("\n".join(errors))
    return rows


def load_master(path: Path = DATA) -> LoadReport:
    """Idempotent upsert of the master list; a second run changes nothing."""
    rows = read_master(path)
    with transaction():
        prefs = {p.code: p for p in db.session.scalars(select(Prefecture))}
        munis = {m.code: m for m in db.session.scalars(select(Municipality))}
        inserted = updated = 0
        for row in rows:
            if row["kind"] != "prefecture":
                continue
            values = dict(lg_code=row["code"], name=row["name"], name_kana=row["name_kana"],
                          name_en=PREFECTURE_EN[row["prefecture_code"]])
            pref = prefs.get(row["prefecture_code"])
            if pref is None:
                db.session.add(Prefecture(code=row["prefecture_code"], **values))
                inserted += 1
            elif any(getattr(pref, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(pref, k, v)
                updated += 1
        db.session.flush()
        for row in rows:
            if row["kind"] == "prefecture":
                continue
            values = dict(prefecture_code=row["prefecture_code"], name=row["name"],
                          name_kana=row["name_kana"], kind=row["kind"])
            muni = munis.get(row["code"])
            if muni is None:
                db.session.add(Municipality(code=row["code"], **values))
                inserted += 1
            elif any(getattr(muni, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(muni, k, v)
                updated += 1
    municipal_lookup.cache_clear()
    by_kind = dict(
        db.session.execute(select(Municipality.kind, func.count()).group_by(Municipality.kind)).all()
    )
    return LoadReport(
        prefectures=db.session.scalar(select(func.count()).select_from(Prefecture)) or 0,
        municipalities=sum(by_kind.values()),
        by_kind=by_kind,
        inserted=inserted,
        updated=updated,
    )


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    name_kana: str
    kind: str
    prefecture_code: str
    prefecture_name: str


@lru_cache(maxsize=1)
def _all_places() -> dict[str, Place]:
    rows = db.session.execute(
        select(Municipality.code, Municipality.name, Municipality.name_kana, Municipality.kind,
               Municipality.prefecture_code, Prefecture.name).join(Prefecture)
    ).all()
    places = {r[0]: Place(*r) for r in rows}
    for p in db.session.scalars(select(Prefecture)):
        places[p.lg_code] = Place(p.lg_code, p.name, p.name_kana, "prefecture", p.code, p.name)
    return places


def municipal_lookup(code: str) -> Place | None:
    """Municipality or prefecture by 6-digit code, cached (master data changes only on load)."""
    return _all_places().get(code)


municipal_lookup.cache_clear = _all_places.cache_clear  # type: ignore[attr-defined]


def prefectures() -> list[Prefecture]:
    return list(db.session.scalars(select(Prefecture).order_by(Prefecture.code)))


def municipalities_of(prefecture_code: str) -> list[Municipality]:
    return list(
        db.session.scalars(
            select(Municipality).where(Municipality.prefecture_code == prefecture_code).order_by(Municipality.code)
        )
    )
