"""PURE: the import column headers of the standard template.

Each field has its key (the English column name), its English label, one canonical Japanese
header (used for the downloadable template and exports) and the variants clerks write in
their own spreadsheets; `HEADERS.key()` folds a header written any of those ways.
"""

from __future__ import annotations

from talentmatch.postings.template.fields import FIELDS
from talentmatch.tabular.headers import Headers

# Import headers: the canonical Japanese header per key (used for templates and exports) ...
JA_HEADERS: dict[str, str] = {
    "municipality_code": "団体コード",
    "title": "役職名",
    "role_type": "人材の類型",
    "employment_type": "任用形態",
    "joint_wish": "共同任用の希望",
    "side_job_ok": "副業・兼業",
    "focus_areas": "業務分野",
    "duties": "業務内容",
    "required_experience": "求める経験",
    "required_skills": "必須スキル",
    "preferred_skills": "歓迎スキル",
    "preferred_qualifications": "歓迎資格",
    "days_per_month": "勤務日数(月)",
    "hours_note": "勤務時間",
    "remote": "テレワーク",
    "work_location": "勤務場所",
    "compensation_amount": "報酬額",
    "compensation_unit": "報酬の単位",
    "expenses_note": "旅費等",
    "period_start": "任用期間(開始)",
    "period_end": "任用期間(終了)",
    "deadline": "応募締切",
    "selection_process": "選考方法",
    "how_to_apply": "応募方法",
    "contact_department": "問い合わせ先部署",
    "contact_email": "問い合わせ先メール",
    "contact_phone": "問い合わせ先電話番号",
    "publication_channels": "周知方法",
    "dx_policy_status": "DX推進の全体方針",
    "dx_organization": "DX推進体制",
    "cio_title": "CIOの職",
    "pr_text": "PR",
    "title_en": "英語の役職名",
    "summary_en": "英語の概要",
}
# ... and natural variants clerks write in their own spreadsheets.
HEADER_VARIANTS: dict[str, tuple[str, ...]] = {
    "municipality_code": ("団体", "全国地方公共団体コード", "地方公共団体コード", "市区町村コード"),
    "title": ("役職", "職名", "募集職名"),
    "role_type": ("類型", "人材類型"),
    "employment_type": ("任用の形態", "雇用形態"),
    "joint_wish": ("共同任用", "共同での任用の希望", "共同任用希望"),
    "side_job_ok": ("副業・兼業として可", "副業", "兼業", "副業可"),
    "focus_areas": ("分野", "重点取組事項"),
    "duties": ("業務の内容", "職務内容"),
    "required_experience": ("求める人材", "応募資格", "必要な経験"),
    "required_skills": ("必須のスキル",),
    "preferred_skills": ("歓迎するスキル",),
    "preferred_qualifications": ("歓迎する資格", "資格"),
    "days_per_month": ("勤務日数", "月の勤務日数", "勤務日数(月あたり)"),
    "hours_note": ("勤務時間等",),
    "remote": ("リモートワーク", "テレワークの可否", "在宅勤務"),
    "work_location": ("勤務地",),
    "compensation_amount": ("報酬", "報酬(円)", "報酬額(円)", "金額"),
    "compensation_unit": ("報酬単位", "単位"),
    "expenses_note": ("旅費", "費用弁償"),
    "period_start": ("任用開始日", "期間開始", "任用期間開始"),
    "period_end": ("任用終了日", "期間終了", "任用期間終了"),
    "deadline": ("応募締切日", "締切", "締切日", "募集締切"),
    "selection_process": ("選考", "選考方法等"),
    "how_to_apply": ("応募方法等", "申込方法"),
    "contact_department": ("問い合わせ先", "担当部署", "問合せ先"),
    "contact_email": ("メールアドレス", "問い合わせ先メールアドレス", "メール"),
    "contact_phone": ("電話番号", "問い合わせ先電話", "電話"),
    "publication_channels": ("周知媒体", "掲載先"),
    "dx_policy_status": ("全体方針", "DX推進計画"),
    "dx_organization": ("推進体制",),
    "cio_title": ("CIO",),
    "pr_text": ("PR欄", "自治体PR"),
    "title_en": ("Title (English)",),
    "summary_en": ("Summary (English)",),
}


HEADERS = Headers(
    {f.key: (f.key, f.label, JA_HEADERS[f.key], *HEADER_VARIANTS.get(f.key, ())) for f in FIELDS}
)
