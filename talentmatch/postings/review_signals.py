"""What the posting pages ask of the review workflow without importing it (DESIGN.md §9: review
imports postings, never the other way): the posting's events, the latest comments of a list
page, and the submission that "Submit to the prefecture" on the posting form starts. Each is a
signal of talentmatch/signals.py that review/hooks.py answers."""

from __future__ import annotations

from talentmatch import signals


def _one_answer(signal, sender, **kwargs):
    answers = signal.send(sender, **kwargs)
    if len(answers) != 1:
        raise RuntimeError(f"signal {signal.name!r} needs exactly one receiver (app.RECEIVERS "
                           f"connects talentmatch.review.hooks); it has {len(answers)}")
    return answers[0][1]


def timeline(posting) -> list:
    """The posting's workflow events, oldest first (review.models.ReviewEvent rows)."""
    return _one_answer(signals.posting_timeline, posting)


def last_comments(posting_ids: list[int]) -> dict:
    """{posting id: its latest event with a comment}."""
    return _one_answer(signals.posting_last_comments, None, posting_ids=posting_ids)


def submit(actor, posting_id: int):
    """Submit the saved draft to the prefecture (raises what review.services.submit raises)."""
    return _one_answer(signals.posting_submit, actor, posting_id=posting_id)
