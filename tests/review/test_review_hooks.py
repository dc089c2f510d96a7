"""The posting pages reach the workflow only through the signals review/hooks.py answers
(postings never imports review): each signal has exactly one receiver once the app runs, the
answers are the workflow's own, and a missing receiver is an error, never an empty page."""

from __future__ import annotations

import pytest

from talentmatch import signals
from talentmatch.postings import review_signals
from talentmatch.postings import services as postings
from talentmatch.postings.workflow import WorkflowError
from talentmatch.review import hooks
from talentmatch.review import services as review
from tests.support.postings import clerk, coordinator, service_data, submitted

SIGNALS = (signals.posting_timeline, signals.posting_last_comments, signals.posting_submit)


def test_each_signal_has_the_workflow_as_its_one_receiver(app):
    for signal in SIGNALS:
        assert len(signal.receivers) == 1, signal.name


def test_the_answers_are_the_workflows_own(ctx):
    a = clerk()
    draft = postings.create_draft(a, service_data())
    rev = review_signals.submit(a, draft.id)
    assert rev.state == "submitted"
    with pytest.raises(WorkflowError):
        review_signals.submit(a, draft.id)  # already with the prefecture
    review.return_posting(coordinator(), draft.id, "期限を見直してください。")
    posting = postings.load_posting(draft.id, a)
    events = review_signals.timeline(posting)
    assert [e.action for e in events] == ["submit", "return"]
    assert [e.id for e in events] == [e.id for e in review.timeline(draft.id)]
    other = submitted(a)
    comments = review_signals.last_comments([draft.id, other.id])
    assert list(comments) == [draft.id] and comments[draft.id].comment == "期限を見直してください。"


def test_without_its_receiver_a_signal_fails_loudly(ctx):
    signals.posting_timeline.disconnect(hooks.posting_timeline)
    try:
        with pytest.raises(RuntimeError, match="posting-timeline.*talentmatch.review.hooks"):
            review_signals.timeline(object())
    finally:
        signals.posting_timeline.connect(hooks.posting_timeline)
    assert len(signals.posting_timeline.receivers) == 1
