"""`flask postings check FILE`: a postings spreadsheet checked as `postings import` would,
with the advice of each row, and nothing saved — so a clerk or a prefecture can fix a file
before importing it (DESIGN §3)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import force_locale, gettext

from talentmatch.clock import today_jst
from talentmatch.messages import Msg
from talentmatch.postings import importing
from talentmatch.postings.market import evidence_for, market_for
from talentmatch.postings.services import municipality_exists
from talentmatch.postings.template import advice
from talentmatch.tabular.table import MSG_MISSING_COLUMN

MAX_BYTES = 20_000_000


def check_file(
    filename: str,
    data: bytes,
    *,
    municipality_code: str | None = None,
    lang: str = "ja",
    today: date | None = None,
) -> tuple[dict[str, Any], bool]:
    """({"rows": [{"row", "errors": [{"field", "message"}], "advice": [{"key", "field",
    "message"}]}]}, whether no row has an error). Rows are spreadsheet row numbers (the
    header is row 1); errors about the file or its header are reported on row 1."""
    today = today or today_jst()
    rows, errors = importing.parse_upload(filename, data, max_bytes=MAX_BYTES)
    if municipality_code:
        errors = [e for e in errors if not (e.field == "municipality_code"
                                            and e.message.msgid == MSG_MISSING_COLUMN)]
        for row in rows:
            row.setdefault("municipality_code", municipality_code)
    _cleaned, row_errors = importing.validate_rows(
        rows, today=today, municipality_exists=municipality_exists,
        allowed_municipality=municipality_code)
    errors = errors + row_errors

    def render(msg: Msg) -> str:
        with force_locale(lang):
            return msg.render(gettext)

    out: dict[int, dict[str, Any]] = {}

    def entry(n: int) -> dict[str, Any]:
        return out.setdefault(n, {"row": n, "errors": [], "advice": []})

    for e in errors:
        entry(e.row if e.row is not None else 1)["errors"].append(
            {"field": e.field, "message": render(e.message)})
    for position, row in enumerate(rows):
        number = row.get(importing.ROW_KEY)
        n = number if isinstance(number, int) else position + 2
        e = entry(n)
        for a in (*advice.advice(row, today=today, market=market_for(row)), *evidence_for(row)):
            e["advice"].append({"key": a.code, "field": a.field, "message": render(a.message)})
    report = {"rows": [out[n] for n in sorted(out)]}
    return report, not errors
