"""Builders for the joint appointment and talent pool tests: staff of two Hokkaido towns, a
municipality across the border in Aomori, coordinators of both prefectures and one outsider."""

from __future__ import annotations

from datetime import timedelta

from talentmatch.clock import today_jst
from talentmatch.joint import proposals
from talentmatch.joint.shares import ParticipantInput
from tests.support.factories import make_user

PREF_P, PREF_Q, PREF_R = "01", "02", "04"
KIKONAI = "013340"  # 木古内町 (lead)
SHIRIUCHI = "013331"  # 知内町
NANAE = "013374"  # 七飯町: in P, not a participant
AOMORI = "022012"  # 青森市: across the border (prefecture Q)


def people() -> dict:
    return {
        "coord": make_user("prefecture", prefecture_code=PREF_P, name="北海道 調整担当"),
        "coord_q": make_user("prefecture", prefecture_code=PREF_Q, name="青森県 調整担当"),
        "coord_r": make_user("prefecture", prefecture_code=PREF_R, name="宮城県 調整担当"),
        "kikonai": make_user("municipality", municipality_code=KIKONAI, name="木古内町 職員"),
        "shiriuchi": make_user("municipality", municipality_code=SHIRIUCHI, name="知内町 職員"),
        "nanae": make_user("municipality", municipality_code=NANAE, name="七飯町 職員"),
        "aomori": make_user("municipality", municipality_code=AOMORI, name="青森市 職員"),
        "mic": make_user("ministry", name="総務省 担当"),
    }


def proposal_input(parts=((KIKONAI, "4", "50"), (SHIRIUCHI, "4", "50")), **over
                   ) -> proposals.ProposalInput:
    today = today_jst()
    values = dict(
        title="CIO補佐官（木古内町・知内町 共同任用）",
        summary="両町のDX推進計画の策定と進行管理を一人の専門人材が支援します。",
        lead_municipality_code=KIKONAI,
        days_per_month="8",
        employment_type="special_part_time",
        compensation_amount="40000",
        compensation_unit="day",
        period_start=(today + timedelta(days=60)).isoformat(),
        period_end=(today + timedelta(days=425)).isoformat(),
        participants=[ParticipantInput(*p) for p in parts],
    )
    values.update(over)
    return proposals.ProposalInput(**values)


def form_post(data: proposals.ProposalInput) -> dict:
    """The proposal form as the browser posts it."""
    out = {k: getattr(data, k) for k in ("title", "summary", "lead_municipality_code",
                                         "days_per_month", "employment_type",
                                         "compensation_amount", "compensation_unit",
                                         "period_start", "period_end")}
    for i, p in enumerate(data.participants):
        out[f"participants-{i}-municipality_code"] = p.municipality_code
        out[f"participants-{i}-share_days"] = p.share_days
        out[f"participants-{i}-share_cost"] = p.share_cost
    out["source_posting_ids"] = ",".join(str(i) for i in data.source_posting_ids)
    return out
