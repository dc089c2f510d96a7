"""The pure rules of the selection pipeline (no Flask)."""

from __future__ import annotations

import pytest

from talentmatch.applications import pipeline


@pytest.mark.parametrize(("status", "target", "ok"), [
    ("received", "screening", True), ("received", "interview", True), ("received", "offered", False),
    ("screening", "offered", True), ("interview", "received", False), ("offered", "not_selected", True),
    ("appointed", "not_selected", False), ("not_selected", "screening", False), ("withdrawn", "received", False),
])
def test_municipality_moves(status, target, ok):
    if ok:
        assert pipeline.move(status, target, pipeline.MUNICIPALITY).to_status == target
    else:
        with pytest.raises(pipeline.PipelineError):
            pipeline.move(status, target, pipeline.MUNICIPALITY)


def test_appointed_only_through_the_appointment():
    with pytest.raises(pipeline.PipelineError) as info:
        pipeline.move("offered", "appointed", pipeline.MUNICIPALITY)
    assert info.value.message.msgid == pipeline.MSG_APPOINT_VIA_FORM
    assert pipeline.move("interview", "appointed", pipeline.MUNICIPALITY, via_appointment=True).to_status == "appointed"
    with pytest.raises(pipeline.PipelineError):
        pipeline.move("received", "appointed", pipeline.MUNICIPALITY, via_appointment=True)


def test_professional_only_withdraws_open_applications():
    for status in pipeline.OPEN_STATUSES:
        assert pipeline.move(status, "withdrawn", pipeline.PROFESSIONAL).to_status == "withdrawn"
    with pytest.raises(pipeline.PipelineError):
        pipeline.move("received", "screening", pipeline.PROFESSIONAL)
    with pytest.raises(pipeline.PipelineError):
        pipeline.move("appointed", "withdrawn", pipeline.PROFESSIONAL)


def test_refusal_names_both_statuses_in_the_readers_words():
    with pytest.raises(pipeline.PipelineError) as info:
        pipeline.move("interview", "screening", pipeline.MUNICIPALITY)
    labels = {"Interview": "面接", "Screening": "書類選考"}
    assert info.value.render(lambda s: labels.get(s, s)) == (
        "An application that is '面接' cannot be moved to '書類選考'.")


def test_note_length_is_capped():
    with pytest.raises(pipeline.PipelineError):
        pipeline.move("received", "screening", pipeline.MUNICIPALITY, note="x" * (pipeline.NOTE_MAX + 1))
