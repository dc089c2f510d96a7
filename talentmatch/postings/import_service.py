"""Importing a spreadsheet of postings (upload screen and ``flask postings import``).

All or nothing: every row is checked first and every error is reported with its row and
column; only a file without errors creates postings, all in one transaction, as drafts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from talentmatch.accounts.permissions import is_municipality
from talentmatch.audit.services import record
from talentmatch.clock import today_jst
from talentmatch.db import transaction
from talentmatch.messages import FieldError
from talentmatch.postings import importing
from talentmatch.postings.services import (
    PostingNotFound,
    municipality_exists,
    new_posting,
)
from talentmatch.tabular.files import MSG_FILE_TOO_LARGE
from talentmatch.tabular.table import MSG_MISSING_COLUMN

WEB_MAX_BYTES = 2_000_000
CLI_MAX_BYTES = 20_000_000


@dataclass
class ImportResult:
    posting_ids: list[int] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)

    @property
    def too_large(self) -> bool:
        return any(e.message.msgid == MSG_FILE_TOO_LARGE for e in self.errors)


def import_postings(
    filename: str,
    data: bytes,
    *,
    actor=None,
    municipality_code: str | None = None,
    today: date | None = None,
    max_bytes: int = WEB_MAX_BYTES,
) -> ImportResult:
    """Import postings as drafts.

    Municipality staff import only for their own municipality, and rows without a code are
    theirs. Without an actor (the CLI), ``municipality_code`` plays that part; without either,
    every row names its municipality.
    """
    if actor is not None:
        if not is_municipality(actor) or not actor.municipality_code:
            raise PostingNotFound()
        municipality_code = actor.municipality_code
    today = today or today_jst()

    rows, errors = importing.parse_upload(filename, data, max_bytes=max_bytes)
    if municipality_code:
        # The column may be left out when every row is for the one municipality.
        errors = [
            e for e in errors
            if not (e.field == "municipality_code"
                    and e.message.msgid == MSG_MISSING_COLUMN)
        ]
        for row in rows:
            row.setdefault("municipality_code", municipality_code)
    cleaned_rows, row_errors = importing.validate_rows(
        rows,
        today=today,
        municipality_exists=municipality_exists,
        allowed_municipality=municipality_code,
    )
    errors = errors + row_errors
    if errors:
        return ImportResult(errors=errors)

    ids: list[int] = []
    creator_id = getattr(actor, "id", None)
    with transaction():
        for cleaned in cleaned_rows:
            code = str(cleaned["municipality_code"])
            posting = new_posting(code, cleaned, creator_id=creator_id, today=today)
            ids.append(posting.id)
            record("posting.create", actor=actor, object_type="posting", object_id=posting.id,
                   detail={"revision": 1, "source": "import"})
        record("posting.import", actor=actor, object_type="file", object_id=filename[:100],
               detail={"postings": len(ids)})
    return ImportResult(posting_ids=ids)
