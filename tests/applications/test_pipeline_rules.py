"""The pure rules of the selection pipeline and of the breakdown's wording (no Flask)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from talentmatch.applications import pipeline
from talentmatch.matching import explain
from talentmatch.matching.matcher import MatchIndex, NeedData, ProfileData
from talentmatch.professionals.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parents[2]


def test_pure_modules_import_no_flask():
    code = ("import sys\nimport talentmatch.applications.pipeline, talentmatch.matching.explain\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'flask', 'sqlalchemy', 'flask_babel', 'werkzeug'})))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


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


def test_breakdown_in_words():
    vocab = load_vocabulary()
    need = NeedData(1, required_skills=["クラウド設計", "AWS", "業務改革"], preferred_skills=["RPA"],
                    focus_areas=["bpr", "ai_rpa"], required_experience="業務改革の経験",
                    employment_type="special_part_time", days_per_month=4, remote="partial",
                    prefecture_codes=["01"], preferred_qualifications=["ITストラテジスト"])
    pro = ProfileData(1, "A", skills=["クラウド設計", "BPR"], focus_areas=["bpr"],
                      experience="自治体でBPRを担当", preferred_prefectures=["01"],
                      remote_preference="remote_only", available_days=8, used_days=4,
                      public_sector_experience=True)
    cand = MatchIndex([pro], vocab).rank(need).candidates[0]
    keys, free = vocab.tag_keys(need.required_skills)
    lines = explain.explain(cand.breakdown, required_labels=[*keys, *free], vocabulary=vocab,
                            prefecture_name={"01": "北海道"}.get, lang="ja")
    text = [line.render() for line in lines]
    missing = vocab.label("cloud_aws", "ja")
    assert f"Required skills: 2 of 3 match (missing: {missing})" in text
    assert "Preferred skills: 0 of 1 match" in text
    assert "Preferred locations include 北海道" in text
    assert "4 days a month free (4 used by other appointments); the role needs 4" in text
    assert "Has public-sector experience" in text
    assert any(t.startswith("Focus areas: 1 in common") for t in text)
    assert any(t.startswith("Remote work preference differs") for t in text)
    assert [p.key for p in explain.parts(cand.breakdown)] == [
        "skills", "focus_areas", "experience", "work_style", "bonuses"]
