"""Shared by the special grant tests: an independent master-data lookup, codes, CSV parsing."""

from __future__ import annotations

import csv
import functools
import io
from pathlib import Path

from talentmatch.subsidies.validation import MunicipalityInfo

MUNICIPALITIES_CSV = Path(__file__).resolve().parents[2] / "talentmatch" / "data" / "municipalities.csv"

HAKODATE = "012025"  # 函館市 (city, 北海道)
OTARU = "012033"  # 小樽市 (city, 北海道)
MAKUBETSU = "016438"  # 幕別町 (town, 北海道)
HOKKAIDO = "010006"  # 北海道 itself
SENDAI = "041009"  # 仙台市 (designated city, 宮城県)
SHIBUYA = "131130"  # 渋谷区 (special ward, 東京都)


@functools.cache
def _master() -> dict[str, MunicipalityInfo]:
    with MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as f:
        return {
            r["code"]: MunicipalityInfo(r["code"], r["name"], r["kind"], r["prefecture_code"], r["prefecture"])
            for r in csv.DictReader(f)
        }


def master_lookup(code: str) -> MunicipalityInfo | None:
    """Reads the master CSV directly, so expected figures do not go through the app's lookup."""
    return _master().get(code)


def parse_csv(body: bytes, *, as_fields: bool = True) -> list[dict[str, str]]:
    """The download's records. With ``as_fields``, keyed by the JSON's field names and with
    its codes (row type, category, result, source) instead of the Japanese words a reader sees,
    so the figures compare directly with the API's."""
    text = body.decode("utf-8")
    assert text.startswith("\ufeff"), "CSV starts with a BOM for Excel"
    records = list(csv.DictReader(io.StringIO(text[1:])))
    if not as_fields:
        return records
    titles, values = japanese_words()
    return [{titles.get(k, k): values.get(titles.get(k, k), {}).get(v, v) for k, v in r.items()}
            for r in records]


def japanese_words() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Japanese column title → field, and per field Japanese word → code."""
    from flask import current_app
    from flask_babel import force_locale, gettext

    from talentmatch.subsidies.download_labels import HEADER_LABELS, VALUE_LABELS

    with current_app.test_request_context(), force_locale("ja"):
        titles = {gettext(label): key for key, label in HEADER_LABELS.items()}
        values = {field: {gettext(label): code for code, label in labels.items()}
                  for field, labels in VALUE_LABELS.items()}
    return titles, values
