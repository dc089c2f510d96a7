"""Login throttling that counts an attempt when it starts, not when it has failed.

Flask-Limiter's ``deduct_when`` checks the limit before a request and counts it after, so
attempts sent at the same instant all pass the check before any of them is counted. Here each
attempt takes its place in the counter at once (one atomic increment in the limiter's storage,
Redis in production, shared by every process), is refused when the place is beyond the limit,
and is given back when it succeeds: failures count, successes do not, and concurrent attempts
count one each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import current_app
from limits import parse

from talentmatch.extensions import limiter


def attempt(limits: Sequence[tuple[str, str]]) -> Callable[[], None] | None:
    """Count one attempt against each (limit, key); None if any is exhausted, else a function
    that gives the attempt back (call it when the attempt succeeded)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return lambda: None
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "") or ""
    strategy = limiter.limiter
    taken: list[tuple[object, str]] = []
    allowed = True
    for text, key in limits:
        item = parse(text)
        identifier = f"{prefix}/attempt/{key}"
        allowed = strategy.hit(item, identifier) and allowed
        taken.append((item, identifier))

    def give_back() -> None:
        for item, identifier in taken:
            strategy.storage.incr(item.key_for(identifier), item.get_expiry(), amount=-1)

    return give_back if allowed else None
