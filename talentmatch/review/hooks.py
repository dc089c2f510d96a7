"""What the review workflow answers for the posting pages, connected at start-up
(app.RECEIVERS); postings/review_signals.py sends these signals, so postings never imports
review."""

from __future__ import annotations

from talentmatch import signals
from talentmatch.review import services


@signals.posting_timeline.connect
def posting_timeline(posting) -> list:
    return services.timeline(posting.id)


@signals.posting_last_comments.connect
def posting_last_comments(_sender, posting_ids: list[int]) -> dict:
    return services.last_comments(posting_ids)


@signals.posting_submit.connect
def posting_submit(actor, posting_id: int):
    return services.submit(actor, posting_id)
