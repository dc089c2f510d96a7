"""Use a create form's one-time key inside the use case's transaction.

The form carries a random key in a hidden field (``new_key``, rendered once per blank form
and kept when the form comes back with errors). ``claim`` inserts it with what the use case
created; the key is the primary key, so of two sendings of one form, at once or one after
the other, only the first commits and the second gets ``AlreadySubmitted``, which the view
answers as a repeat of a success ("already recorded"). A request without a key (the API,
the CLI, an old page) is recorded as before.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from sqlalchemy import delete

from talentmatch.db import unique_or, utcnow
from talentmatch.extensions import db
from talentmatch.submissions.models import SubmissionKey

KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
KEEP_DAYS = 30


class AlreadySubmitted(Exception):
    """This form was already sent and recorded; nothing new was created."""

    def __init__(self, result: str = "") -> None:
        super().__init__(result)
        self.result = result


def new_key() -> str:
    return secrets.token_urlsafe(18)


def valid_key(value: object) -> str | None:
    text = str(value or "").strip()
    return text if KEY_PATTERN.fullmatch(text) else None


def used(key: object) -> SubmissionKey | None:
    k = valid_key(key)
    return db.session.get(SubmissionKey, k) if k else None


def claim(key: object, user, result: str = "") -> None:
    """Record the key as used by this transaction (call it inside the use case's
    ``transaction()``); AlreadySubmitted if it was used before or is being used right now."""
    k = valid_key(key)
    if k is None:
        return
    earlier = db.session.get(SubmissionKey, k)
    if earlier is not None:
        raise AlreadySubmitted(earlier.result)
    db.session.add(SubmissionKey(key=k, user_id=getattr(user, "id", None), result=result[:80]))
    # A concurrent sending of the same form waits here on the key until the first commits,
    # then is refused by the primary key.
    with unique_or(AlreadySubmitted):
        db.session.flush()


def set_result(key: object, result: str) -> None:
    k = valid_key(key)
    row = db.session.get(SubmissionKey, k) if k else None
    if row is not None:
        row.result = result[:80]


def forget_old(*, days: int = KEEP_DAYS) -> int:
    """Keys older than a month cannot come back from any open page: drop them."""
    result = db.session.execute(
        delete(SubmissionKey).where(SubmissionKey.used_at < utcnow() - timedelta(days=days)))
    return result.rowcount or 0
