"""PURE: the standard recruitment template (標準募集様式) as data, its validation and advice.

MIC asked every municipality to describe an opening in one unified form so professionals can
compare municipalities. This module is that form: field definitions (for the web form, imports
and the API), `validate()` that turns untrusted input into clean values with field-level
errors, and `advice()` that turns the seed deck's アドバイス例 into non-blocking suggestions.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from talentmatch.geo.codes import check_digit, is_prefecture_code
from talentmatch.messages import N_, FieldError, Msg

# --------------------------------------------------------------------------- field definitions

FieldType = Literal[
    "text",
    "longtext",
    "choice",
    "multichoice",
    "tags",
    "int",
    "number",
    "date",
    "email",
    "url_or_text",
    "phone",
    "bool",
    "code",
]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # msgid
    aliases: tuple[str, ...] = ()  # Japanese spellings accepted in imports


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # msgid
    help: str  # msgid
    type: FieldType
    section: str
    required: bool = False
    choices: tuple[Choice, ...] = ()
    max_length: int | None = None  # characters; for tags: per item
    max_items: int | None = None  # tags and multichoice


@dataclass(frozen=True)
class Section:
    key: str
    label: str  # msgid
    fields: tuple[str, ...]


ROLE_TYPES = (
    Choice("producer", N_("Producer"), ("プロデューサー",)),
    Choice(
        "project_manager",
        N_("Project manager"),
        ("プロジェクトマネージャー", "プロジェクトマネージャ"),
    ),
    Choice("service_designer", N_("Service designer"), ("サービスデザイナー",)),
    Choice("other", N_("Other"), ("その他",)),
)
EMPLOYMENT_TYPES = (
    Choice("full_time_staff", N_("Full-time staff"), ("常勤職員", "常勤")),
    Choice(
        "special_part_time",
        N_("Special part-time staff"),
        ("特別職非常勤職員", "特別職非常勤", "特別職の非常勤職員"),
    ),
    Choice(
        "fiscal_year_appointee",
        N_("Fiscal-year appointee"),
        ("会計年度任用職員", "会計年度任用"),
    ),
    Choice("outsourcing", N_("Outsourcing contract"), ("業務委託", "委託")),
)
JOINT_WISHES = (
    Choice("none", N_("Not planned"), ("なし", "希望しない", "単独")),
    Choice("wished", N_("Open to a joint appointment"), ("希望する", "希望あり", "あり")),
    Choice(
        "joint",
        N_("Joint appointment by several municipalities"),
        ("共同任用", "共同での任用", "共同で任用", "共同募集"),
    ),
)
REMOTE_OPTIONS = (
    Choice("none", N_("On site only"), ("なし", "不可", "出勤のみ")),
    Choice("partial", N_("Partly remote"), ("一部可", "一部", "一部テレワーク", "一部リモート")),
    Choice(
        "full", N_("Fully remote"), ("全面可", "フルリモート", "完全テレワーク", "完全リモート")
    ),
)
COMPENSATION_UNITS = (
    Choice("hour", N_("per hour"), ("時給", "時間額", "時間")),
    Choice("day", N_("per day"), ("日額", "日給", "日")),
    Choice("month", N_("per month"), ("月額", "月給", "月")),
    Choice("year", N_("per year"), ("年額", "年俸", "年")),
    Choice("contract", N_("for the whole contract"), ("契約額", "契約金額", "一式", "総額")),
)
# The municipal DX plan's priorities and structure items (DESIGN §2).
FOCUS_AREAS = (
    Choice(
        "standardization",
        N_("Standardising information systems"),
        ("情報システムの標準化・共通化", "標準化・共通化", "標準化"),
    ),
    Choice(
        "my_number_card",
        N_("Promoting the My Number Card"),
        ("マイナンバーカードの普及促進", "マイナンバーカード"),
    ),
    Choice(
        "online_procedures",
        N_("Online administrative procedures"),
        ("行政手続のオンライン化", "行政手続きのオンライン化", "オンライン化"),
    ),
    Choice("ai_rpa", N_("Using AI and RPA"), ("AI・RPAの利用推進", "AI・RPA")),
    Choice("telework", N_("Telework"), ("テレワークの推進", "テレワーク")),
    Choice(
        "security",
        N_("Information security"),
        ("セキュリティ対策の徹底", "セキュリティ対策", "セキュリティ"),
    ),
    Choice(
        "dx_strategy",
        N_("DX policy and planning"),
        ("全体方針・計画策定", "全体方針", "計画策定"),
    ),
    Choice("organization", N_("DX organisation"), ("推進体制・組織", "推進体制", "組織")),
    Choice("talent_development", N_("Staff development"), ("職員育成", "人材育成")),
    Choice("bpr", N_("Business process reform (BPR)"), ("業務改革(BPR)", "業務改革", "BPR")),
    Choice("data_utilization", N_("Data utilisation"), ("データ利活用", "データ活用")),
    Choice(
        "regional_digitalization",
        N_("Digitalising the local community"),
        ("地域社会のデジタル化",),
    ),
    Choice("digital_divide", N_("Bridging the digital divide"), ("デジタルデバイド対策",)),
)
DX_POLICY_STATUSES = (
    Choice("adopted", N_("Adopted"), ("策定済み", "策定済", "策定した", "あり")),
    Choice("drafting", N_("Being drafted"), ("策定中", "検討中")),
    Choice("none", N_("Not yet"), ("未策定", "なし")),
)
PUBLICATION_CHANNELS = (
    Choice(
        "own_website",
        N_("Our own website"),
        ("自団体HP", "自団体ホームページ", "自団体のホームページ", "ホームページ", "HP", "広報誌"),
    ),
    Choice(
        "job_sites",
        N_("Private job sites"),
        ("民間求人サイト", "求人サイト", "民間人材サービス", "人材紹介"),
    ),
    Choice(
        "mic_listing", N_("MIC's national listing"), ("総務省HP", "総務省", "総務省ホームページ")
    ),
    Choice("prefecture", N_("The prefecture"), ("都道府県", "都道府県HP", "県HP")),
    Choice("other", N_("Other"), ("その他",)),
)

PART_TIME_EMPLOYMENT = frozenset({"special_part_time", "fiscal_year_appointee", "outsourcing"})

# Limits: a title fits a listing line; long texts stay readable and bounded for storage.
TITLE_MAX = 100
LONG_TEXT_MAX = 4000
TEXT_MAX = 200
TAG_MAX = 100
TAGS_MAX_ITEMS = 30
COMPENSATION_MAX = 1_000_000_000  # beyond this it is a typo, not a salary
DAYS_MIN, DAYS_MAX = 0.5, 31.0
DEADLINE_ADVICE_DAYS = 21
YEAR_MIN, YEAR_MAX = 2000, 2100


def _f(key: str, label: str, help: str, type: FieldType, section: str, **kw: object) -> Field:
    if type in ("text", "url_or_text") and "max_length" not in kw:
        kw["max_length"] = TEXT_MAX
    if type == "longtext" and "max_length" not in kw:
        kw["max_length"] = LONG_TEXT_MAX
    if type == "tags":
        kw.setdefault("max_length", TAG_MAX)
        kw.setdefault("max_items", TAGS_MAX_ITEMS)
    return Field(key, label, help, type, section, **kw)  # type: ignore[arg-type]


FIELDS: tuple[Field, ...] = (
    # 団体
    _f(
        "municipality_code",
        N_("Municipality code"),
        N_(
            "The 6-digit local government code, check digit included (joint postings: the lead municipality)."
        ),
        "code",
        "organization",
        required=True,
        max_length=6,
    ),
    # 役職と業務
    _f(
        "title",
        N_("Position title"),
        N_("For example CIO adviser or DX promotion adviser."),
        "text",
        "role",
        required=True,
        max_length=TITLE_MAX,
    ),
    _f(
        "role_type",
        N_("Type of talent"),
        N_(
            "MIC's skill standard for external talent: producer, project manager or service designer."
        ),
        "choice",
        "role",
        choices=ROLE_TYPES,
    ),
    _f(
        "employment_type",
        N_("Type of appointment"),
        N_("Full-time, special part-time, fiscal-year appointee or an outsourcing contract."),
        "choice",
        "role",
        required=True,
        choices=EMPLOYMENT_TYPES,
    ),
    _f(
        "joint_wish",
        N_("Joint appointment"),
        N_("Whether you would share this person with other municipalities."),
        "choice",
        "role",
        required=True,
        choices=JOINT_WISHES,
    ),
    _f(
        "focus_areas",
        N_("Focus areas"),
        N_("The priorities of your DX plan this person will work on."),
        "multichoice",
        "role",
        required=True,
        choices=FOCUS_AREAS,
        max_items=len(FOCUS_AREAS),
    ),
    _f(
        "duties",
        N_("Duties"),
        N_("What the person will do, and with whom."),
        "longtext",
        "role",
        required=True,
    ),
    # 求める人材
    _f(
        "required_experience",
        N_("Experience sought"),
        N_("Describe the experience you need, e.g. leading business reform using ICT."),
        "longtext",
        "talent",
        required=True,
    ),
    _f(
        "required_skills",
        N_("Required skills"),
        N_("Separate skills with commas or semicolons."),
        "tags",
        "talent",
    ),
    _f(
        "preferred_skills",
        N_("Preferred skills"),
        N_("Separate skills with commas or semicolons."),
        "tags",
        "talent",
    ),
    _f(
        "preferred_qualifications",
        N_("Preferred qualifications"),
        N_("Qualifications that are welcome but not mandatory."),
        "tags",
        "talent",
    ),
    # 勤務条件
    _f(
        "days_per_month",
        N_("Days per month"),
        N_("Between 0.5 and 31 days."),
        "number",
        "conditions",
        required=True,
    ),
    _f(
        "hours_note",
        N_("Working hours"),
        N_("For example 9:00–17:45, flexible."),
        "text",
        "conditions",
    ),
    _f(
        "remote",
        N_("Remote work"),
        N_("Whether the work can be done remotely."),
        "choice",
        "conditions",
        required=True,
        choices=REMOTE_OPTIONS,
    ),
    _f(
        "work_location",
        N_("Place of work"),
        N_("The office or area where the person works."),
        "text",
        "conditions",
    ),
    _f(
        "side_job_ok",
        N_("Side job allowed"),
        N_("Whether the person may keep another job (副業・兼業)."),
        "bool",
        "conditions",
    ),
    # 報酬と期間
    _f(
        "compensation_amount",
        N_("Compensation (yen)"),
        N_("A whole amount in yen, e.g. 300,000."),
        "int",
        "pay",
        required=True,
    ),
    _f(
        "compensation_unit",
        N_("Compensation per"),
        N_("Hour, day, month, year or the whole contract."),
        "choice",
        "pay",
        required=True,
        choices=COMPENSATION_UNITS,
    ),
    _f(
        "expenses_note",
        N_("Travel and other expenses"),
        N_("How travel costs are paid."),
        "longtext",
        "pay",
        max_length=1000,
    ),
    _f(
        "period_start",
        N_("Period start"),
        N_("First day of the appointment."),
        "date",
        "pay",
        required=True,
    ),
    _f(
        "period_end",
        N_("Period end"),
        N_("Last day of the appointment."),
        "date",
        "pay",
        required=True,
    ),
    # 応募
    _f(
        "deadline",
        N_("Application deadline"),
        N_("At least three weeks away works best."),
        "date",
        "apply",
        required=True,
    ),
    _f(
        "selection_process",
        N_("Selection process"),
        N_("For example documents, then an interview."),
        "longtext",
        "apply",
        max_length=2000,
    ),
    _f(
        "how_to_apply",
        N_("How to apply"),
        N_("Describe how to apply, or give an http:// or https:// link."),
        "url_or_text",
        "apply",
        required=True,
        max_length=1000,
    ),
    _f(
        "contact_department",
        N_("Contact department"),
        N_("The department that answers questions."),
        "text",
        "apply",
        required=True,
    ),
    _f(
        "contact_email",
        N_("Contact email"),
        N_("An address applicants can write to."),
        "email",
        "apply",
        required=True,
        max_length=254,
    ),
    _f(
        "contact_phone",
        N_("Contact phone"),
        N_("For example 03-1234-5678."),
        "phone",
        "apply",
        max_length=40,
    ),
    _f(
        "publication_channels",
        N_("Where you will publish"),
        N_("Private job sites reach many more applicants than your own website alone."),
        "multichoice",
        "apply",
        choices=PUBLICATION_CHANNELS,
        max_items=len(PUBLICATION_CHANNELS),
    ),
    # 団体のDX推進状況
    _f(
        "dx_policy_status",
        N_("DX policy"),
        N_("Whether your municipality has adopted an overall DX policy."),
        "choice",
        "dx",
        choices=DX_POLICY_STATUSES,
    ),
    _f(
        "dx_organization",
        N_("DX organisation"),
        N_("How DX is organised, e.g. a DX promotion headquarters chaired by the mayor."),
        "longtext",
        "dx",
        max_length=1000,
    ),
    _f(
        "cio_title",
        N_("CIO's position"),
        N_("Who serves as CIO, e.g. deputy mayor."),
        "text",
        "dx",
        max_length=TITLE_MAX,
    ),
    # PR / English
    _f(
        "pr_text",
        N_("Message to applicants"),
        N_("What makes this role and your municipality attractive."),
        "longtext",
        "pr",
    ),
    _f(
        "title_en",
        N_("Title in English"),
        N_("Shown to readers of the English pages."),
        "text",
        "pr",
        max_length=150,
    ),
    _f(
        "summary_en",
        N_("Summary in English"),
        N_("A short English description of the role."),
        "longtext",
        "pr",
        max_length=2000,
    ),
)

FIELDS_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
REQUIRED_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS if f.required)
CHOICES: dict[str, tuple[Choice, ...]] = {f.key: f.choices for f in FIELDS if f.choices}

SECTIONS: tuple[Section, ...] = tuple(
    Section(key, label, tuple(f.key for f in FIELDS if f.section == key))
    for key, label in (
        ("organization", N_("Municipality")),
        ("role", N_("Position and duties")),
        ("talent", N_("Who you are looking for")),
        ("conditions", N_("Working conditions")),
        ("pay", N_("Compensation and period")),
        ("apply", N_("Applications")),
        ("dx", N_("Your municipality's DX")),
        ("pr", N_("PR and English")),
    )
)

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


def _fold(text: str) -> str:
    """Loose comparison form: NFKC, case-folded, without spaces and separators."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s_\-・/()]+", "", text)


def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for f in FIELDS:
        for name in (f.key, f.label, JA_HEADERS[f.key], *HEADER_VARIANTS.get(f.key, ())):
            index.setdefault(_fold(name), f.key)
    return index


_HEADERS = _header_index()
# Markers for "required" that forms put in headers: 役職名*, ※役職名, 役職名（必須）.
_HEADER_MARKS = re.compile(r"(\((必須|任意|required|optional)\)|[*※＊])", re.IGNORECASE)


def header_to_key(header: object) -> str | None:
    """The field key for an import column header (key, English label or Japanese), or None."""
    if not isinstance(header, str):
        return None
    text = _HEADER_MARKS.sub("", unicodedata.normalize("NFKC", header))
    return _HEADERS.get(_fold(text))


def _choice_index(choices: Iterable[Choice]) -> dict[str, str]:
    index: dict[str, str] = {}
    for c in choices:
        for name in (c.value, c.label, *c.aliases):
            index.setdefault(_fold(name), c.value)
    return index


_CHOICE_INDEX: dict[str, dict[str, str]] = {k: _choice_index(v) for k, v in CHOICES.items()}

_TRUE = frozenset(
    _fold(s) for s in ("yes", "y", "true", "1", "on", "はい", "あり", "有", "可", "可能", "○", "◯")
)
_FALSE = frozenset(
    _fold(s) for s in ("no", "n", "false", "0", "off", "いいえ", "なし", "無", "不可", "×", "✕")
)

# --------------------------------------------------------------------------- messages

MSG_REQUIRED = N_("This field is required.")
MSG_TEXT = N_("Enter text.")
MSG_TOO_LONG = N_("Enter at most %(max)s characters (you entered %(length)s).")
MSG_BAD_CHARS = N_("Remove the control characters from this text.")
MSG_CHOICE = N_("'%(value)s' is not one of the options.")
MSG_TOO_MANY = N_("Enter at most %(max)s items.")
MSG_ITEM_TOO_LONG = N_("Each item can have at most %(max)s characters.")
MSG_BOOL = N_("Enter yes or no.")
MSG_INT = N_("Enter a whole number of yen, e.g. 300,000.")
MSG_NEGATIVE = N_("The amount cannot be negative.")
MSG_INT_TOO_LARGE = N_("The amount is too large.")
MSG_DAYS = N_("Enter a number of days between 0.5 and 31.")
MSG_DATE = N_("Enter a date such as 2025-04-01 or 2025/4/1.")
MSG_DATE_RANGE = N_("Enter a date between the years 2000 and 2100.")
MSG_PERIOD_ORDER = N_("The end of the period must be after its start.")
MSG_DEADLINE_PAST = N_("The application deadline cannot be in the past.")
MSG_EMAIL = N_("Enter a valid email address, e.g. dx@city.example.lg.jp.")
MSG_PHONE = N_("Enter a phone number with digits and hyphens, e.g. 03-1234-5678.")
MSG_URL_SCHEME = N_(
    "Only http:// and https:// links are allowed; describe other ways to apply in words."
)
MSG_URL_INCOMPLETE = N_("Enter a complete link, e.g. https://www.city.example.lg.jp/recruit.")
MSG_CODE = N_("Enter the 6-digit municipality code including its check digit, e.g. 012025.")
MSG_CODE_FIVE = N_(
    "Enter all 6 digits of the municipality code: a leading zero or the check digit is missing."
)
MSG_CODE_CHECK = N_("The check digit of this municipality code is wrong.")
MSG_CODE_PREFECTURE = N_("Enter the code of a municipality, not of a prefecture.")
MSG_CODE_UNKNOWN = N_("No municipality has this code.")

# --------------------------------------------------------------------------- cleaners


class _Invalid(Exception):
    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid)
        self.msg = Msg(msgid, params)


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(_is_blank(v) for v in value)
    return False


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise _Invalid(MSG_TEXT)
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    raise _Invalid(MSG_TEXT)


def _check_chars(text: str, *, multiline: bool) -> None:
    allowed = "\n\t" if multiline else ""
    for ch in text:
        cat = unicodedata.category(ch)
        # Cc: control characters; Cs: lone surrogates that no database can store.
        if (cat == "Cc" and ch not in allowed) or cat == "Cs":
            raise _Invalid(MSG_BAD_CHARS)


def _check_length(text: str, field: Field) -> None:
    if field.max_length is not None and len(text) > field.max_length:
        raise _Invalid(MSG_TOO_LONG, max=field.max_length, length=len(text))


def _clean_text(value: object, field: Field) -> str:
    text = _as_text(value)
    # A line break typed in a spreadsheet cell means nothing in a one-line field.
    text = re.sub(r"[\r\n\t]+", " ", text).strip()
    _check_chars(text, multiline=False)
    _check_length(text, field)
    return text


def _clean_longtext(value: object, field: Field) -> str:
    text = _as_text(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    _check_chars(text, multiline=True)
    _check_length(text, field)
    return text


def _split_list(value: object) -> list[object]:
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    text = _as_text(value)
    return list(re.split(r"[;；,，、\r\n]+", text))


def _clean_choice(value: object, field: Field) -> str:
    text = _as_text(value).strip()
    key = _CHOICE_INDEX[field.key].get(_fold(text))
    if key is None:
        raise _Invalid(MSG_CHOICE, value=text[:50])
    return key


def _clean_multichoice(value: object, field: Field) -> list[str]:
    found: set[str] = set()
    for item in _split_list(value):
        if _is_blank(item):
            continue
        found.add(_clean_choice(item, field))
    # Stored in the template's order so equal selections compare equal.
    return [c.value for c in field.choices if c.value in found]


def _clean_tags(value: object, field: Field) -> list[str]:
    tags: list[str] = []
    seen: set[str] = set()
    for item in _split_list(value):
        if _is_blank(item):
            continue
        tag = re.sub(r"\s+", " ", _as_text(item)).strip()
        _check_chars(tag, multiline=False)
        if field.max_length is not None and len(tag) > field.max_length:
            raise _Invalid(MSG_ITEM_TOO_LONG, max=field.max_length)
        folded = _fold(tag) or tag
        if folded not in seen:
            seen.add(folded)
            tags.append(tag)
    if field.max_items is not None and len(tags) > field.max_items:
        raise _Invalid(MSG_TOO_MANY, max=field.max_items)
    return tags


def _clean_bool(value: object, field: Field) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        folded = _fold(value)
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
    raise _Invalid(MSG_BOOL)


def _decimal(value: object, msgid: str, suffix: str) -> Decimal:
    """A finite Decimal from a number or text (full-width digits, 300,000, ¥, 万, a unit)."""
    if isinstance(value, bool):
        raise _Invalid(msgid)
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _Invalid(msgid)
        number = Decimal(str(value))
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        text = re.sub(r"[\s,]", "", text).lstrip("¥\\").removesuffix(suffix)
        multiplier = 1
        if text.endswith("万"):
            text, multiplier = text[:-1], 10_000
        if not re.fullmatch(r"-?[0-9]{1,15}(\.[0-9]{1,6})?", text):
            raise _Invalid(msgid)
        try:
            number = Decimal(text) * multiplier
        except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
            raise _Invalid(msgid) from exc
    else:
        raise _Invalid(msgid)
    if not number.is_finite():
        raise _Invalid(msgid)
    return number


def _clean_int(value: object, field: Field) -> int:
    number = _decimal(value, MSG_INT, "円")
    if number < 0:
        raise _Invalid(MSG_NEGATIVE)
    if number != number.to_integral_value():
        raise _Invalid(MSG_INT)
    if number > COMPENSATION_MAX:
        raise _Invalid(MSG_INT_TOO_LARGE)
    return int(number)


def _clean_number(value: object, field: Field) -> float:
    number = _decimal(value, MSG_DAYS, "日")
    if not Decimal(str(DAYS_MIN)) <= number <= Decimal(str(DAYS_MAX)):
        raise _Invalid(MSG_DAYS)
    return float(number)


_ERA_BASE = {"令和": 2018, "r": 2018, "平成": 1988, "h": 1988}


def _clean_date(value: object, field: Field) -> date:
    if isinstance(value, datetime):  # Excel cells arrive as datetimes
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, str):
        result = _parse_date_text(unicodedata.normalize("NFKC", value).strip())
    else:  # numbers could be Excel serials or typos: too ambiguous to guess
        raise _Invalid(MSG_DATE)
    if not YEAR_MIN <= result.year <= YEAR_MAX:
        raise _Invalid(MSG_DATE_RANGE)
    return result


def _parse_date_text(text: str) -> date:
    patterns = (
        (
            r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?",
            None,
        ),
        (r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日", None),
        (r"(令和|平成)(元|[0-9]{1,2})年([0-9]{1,2})月([0-9]{1,2})日", "era"),
        (r"([RrHh])([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{1,2})", "era"),
    )
    for pattern, kind in patterns:
        m = re.fullmatch(pattern, text)
        if not m:
            continue
        if kind == "era":
            era, year_text, month, day = m.groups()
            year = _ERA_BASE[era.lower()] + (1 if year_text == "元" else int(year_text))
        else:
            year, month, day = (int(g) for g in m.groups())
        try:
            return date(int(year), int(month), int(day))
        except ValueError as exc:
            raise _Invalid(MSG_DATE) from exc
    raise _Invalid(MSG_DATE)


_EMAIL_RE = re.compile(
    r"(?!\.)(?!.*\.\.)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}(?<!\.)"
    r"@(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def _clean_email(value: object, field: Field) -> str:
    text = unicodedata.normalize("NFKC", _as_text(value)).strip()
    _check_length(text, field)
    if not _EMAIL_RE.fullmatch(text):
        raise _Invalid(MSG_EMAIL)
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


_PHONE_RE = re.compile(r"\+?[0-9\-() ]+(?:\s*(?:内線|ext\.?|x)\s*[0-9]{1,6})?", re.IGNORECASE)


def _clean_phone(value: object, field: Field) -> str:
    text = unicodedata.normalize("NFKC", _as_text(value)).strip()
    _check_length(text, field)
    digits = sum(ch in "0123456789" for ch in text)
    if not _PHONE_RE.fullmatch(text) or not 9 <= digits <= 20:
        raise _Invalid(MSG_PHONE)
    return text


_SCHEME_RE = re.compile(r"([a-z][a-z0-9+.\-]*):")
# Schemes that run code or read local data when a browser follows them.
_DANGEROUS_SCHEMES = frozenset(
    {"javascript", "data", "vbscript", "file", "blob", "about", "filesystem"}
)


def is_url(value: object) -> bool:
    """True when a cleaned how_to_apply value is a link (pages render it as <a href>)."""
    return isinstance(value, str) and bool(re.fullmatch(r"https?://\S+", value, re.IGNORECASE))


def _clean_url_or_text(value: object, field: Field) -> str:
    text = _clean_longtext(value, field)
    # Browsers ignore whitespace and controls inside a scheme ("java\nscript:"), so must we.
    probe = re.sub(r"[\s\x00-\x1f]+", "", unicodedata.normalize("NFKC", text)).lower()
    m = _SCHEME_RE.match(probe)
    if m is None:
        return text
    scheme = m.group(1)
    single_token = not re.search(r"\s", text)
    if scheme in ("http", "https"):
        if not single_token:
            return text  # a sentence that starts with a link stays text
        try:
            parts = urlsplit(text)
            hostname = parts.hostname
        except ValueError as exc:
            raise _Invalid(MSG_URL_INCOMPLETE) from exc
        if parts.scheme.lower() not in ("http", "https") or not hostname:
            raise _Invalid(MSG_URL_INCOMPLETE)
        return text
    if scheme in _DANGEROUS_SCHEMES or single_token:
        raise _Invalid(MSG_URL_SCHEME)
    return text  # e.g. "郵送: 履歴書を…" is text, not a link


def _clean_code(value: object, field: Field) -> str:
    if isinstance(value, bool):
        raise _Invalid(MSG_CODE)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        # A spreadsheet number cell drops the leading zero of 012025.
        if not 0 <= value <= 999_999:
            raise _Invalid(MSG_CODE)
        text = f"{value:06d}"
    else:
        text = unicodedata.normalize("NFKC", _as_text(value)).strip()
    if re.fullmatch(r"[0-9]{5}", text):
        raise _Invalid(MSG_CODE_FIVE)
    if not re.fullmatch(r"[0-9]{6}", text):
        raise _Invalid(MSG_CODE)
    if check_digit(text[:5]) != int(text[5]):
        raise _Invalid(MSG_CODE_CHECK)
    if is_prefecture_code(text):
        raise _Invalid(MSG_CODE_PREFECTURE)
    return text


_CLEANERS: dict[str, Callable[[object, Field], object]] = {
    "text": _clean_text,
    "longtext": _clean_longtext,
    "choice": _clean_choice,
    "multichoice": _clean_multichoice,
    "tags": _clean_tags,
    "int": _clean_int,
    "number": _clean_number,
    "date": _clean_date,
    "email": _clean_email,
    "url_or_text": _clean_url_or_text,
    "phone": _clean_phone,
    "bool": _clean_bool,
    "code": _clean_code,
}


def _empty(field: Field) -> object:
    return [] if field.type in ("tags", "multichoice") else None


def clean_field(key: str, value: object) -> tuple[object, Msg | None]:
    """Clean one value: (clean value or blank, None) or (None, error message)."""
    field = FIELDS_BY_KEY[key]
    if _is_blank(value):
        return _empty(field), None
    try:
        cleaned = _CLEANERS[field.type](value, field)
    except _Invalid as exc:
        return None, exc.msg
    except (TypeError, ValueError, OverflowError, RecursionError):
        # Odd input types a client may send: an error for the field, never a crash.
        return None, Msg(MSG_TEXT)
    if cleaned == "" or cleaned == []:
        return _empty(field), None
    return cleaned, None


# --------------------------------------------------------------------------- validate

Mode = Literal["draft", "submit"]


def validate(
    data: Mapping[str, object],
    *,
    mode: Mode,
    today: date,
    municipality_exists: Callable[[str], bool] | None = None,
) -> tuple[dict[str, object], list[FieldError]]:
    """Clean a posting's fields.

    Only keys in FIELDS are read: state, id, anything else a client sends is ignored. The
    cleaned dict holds every field that is blank (None, or [] for lists) or valid; an invalid
    field is left out and has a FieldError, so save only when the error list is empty.

    draft: required fields may be blank, but whatever is filled in must be valid.
    submit: also every required field, a deadline today or later.
    Both: period_end after period_start, and the municipality must exist (when a lookup is
    given). Callers that act for one municipality must still check that the code is theirs.
    """
    if mode not in ("draft", "submit"):
        raise ValueError(f"unknown mode {mode!r}")
    cleaned: dict[str, object] = {}
    errors: list[FieldError] = []

    for field in FIELDS:
        value, msg = clean_field(field.key, data.get(field.key))
        if msg is not None:
            errors.append(FieldError(field.key, msg))
            continue
        if mode == "submit" and field.required and value in (None, []):
            errors.append(FieldError(field.key, Msg(MSG_REQUIRED)))
            continue
        cleaned[field.key] = value

    code = cleaned.get("municipality_code")
    if isinstance(code, str) and municipality_exists is not None and not municipality_exists(code):
        errors.append(FieldError("municipality_code", Msg(MSG_CODE_UNKNOWN)))
        del cleaned["municipality_code"]

    start, end = cleaned.get("period_start"), cleaned.get("period_end")
    if isinstance(start, date) and isinstance(end, date) and end <= start:
        errors.append(FieldError("period_end", Msg(MSG_PERIOD_ORDER)))
        del cleaned["period_end"]

    deadline = cleaned.get("deadline")
    if mode == "submit" and isinstance(deadline, date) and deadline < today:
        errors.append(FieldError("deadline", Msg(MSG_DEADLINE_PAST)))
        del cleaned["deadline"]

    return cleaned, errors


# --------------------------------------------------------------------------- advice


@dataclass(frozen=True)
class Advice:
    code: str
    field: str
    message: Msg


@dataclass(frozen=True)
class Qualification:
    key: str
    ja: str
    en: str
    aliases: tuple[str, ...]


_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Short forms people actually write. Role-like names (プロジェクトマネージャ, システムアーキテクト)
# only count with 試験, so asking for a project manager is not mistaken for the exam.
_EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "ipa_st": ("ITストラテジスト", "IT Strategist"),
    "ipa_sc": ("情報処理安全確保支援士", "安全確保支援士", "登録セキスペ", "セキスペ"),
    "riss": ("情報処理安全確保支援士", "安全確保支援士"),
    "ipa_au": ("システム監査技術者",),
    "sme_consultant": ("中小企業診断士",),
    "pe_jp_information": ("技術士(情報工学",),
}
# The umbrella name for IPA's advanced exams, often made a requirement as a whole.
_UMBRELLA = Qualification(
    "ipa_advanced",
    "高度情報処理技術者試験",
    "Advanced IPA examinations",
    ("高度情報処理技術者", "高度IT資格"),
)


def _aliases_from_names(ja: str, en: str) -> set[str]:
    names = {ja, en}
    for name in (ja, en):
        stripped = re.sub(r"\s+[–-].*$", "", name)
        stripped = re.sub(r"\s*[（(][^）)]*[）)]\s*$", "", stripped)
        if len(_fold(stripped)) >= 3:
            names.add(stripped)
        # An ASCII abbreviation of 3+ letters in brackets (PMP, CISSP, RISS); 2-letter ones
        # like PM or DB are everyday words.
        for abbr in re.findall(r"[（(]([A-Za-z][A-Za-z\-.]{2,})[）)]", name):
            names.add(abbr)
    return names


@lru_cache(maxsize=1)
def scarce_qualifications() -> tuple[Qualification, ...]:
    """Qualifications marked scarce in data/qualifications.csv, with names to match."""
    result: list[Qualification] = []
    with (_DATA_DIR / "qualifications.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if (row.get("scarce") or "").strip().lower() != "yes":
                continue
            names = _aliases_from_names(row["ja"], row["en"]) | set(
                _EXTRA_ALIASES.get(row["key"], ())
            )
            result.append(Qualification(row["key"], row["ja"], row["en"], tuple(sorted(names))))
    result.append(_UMBRELLA)
    return tuple(result)


def _match_form(text: str) -> str:
    # マネージャ/マネージャー and full-width letters compare equal; spaces stay single so that
    # English abbreviations keep their word boundaries.
    text = unicodedata.normalize("NFKC", text).casefold().replace("ー", "")
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1)
def _qualification_patterns() -> tuple[tuple[Qualification, re.Pattern[str]], ...]:
    patterns = []
    for q in scarce_qualifications():
        parts = []
        for alias in {_match_form(a) for a in (q.ja, q.en, *q.aliases)} - {""}:
            escaped = re.escape(alias)
            if alias.isascii():  # whole words only: "cisa" must not match inside a word
                escaped = rf"(?<![a-z0-9]){escaped}(?![a-z0-9])"
            parts.append(escaped)
        patterns.append((q, re.compile("|".join(sorted(parts, key=len, reverse=True)))))
    return tuple(patterns)


def find_scarce_qualifications(text: str) -> list[Qualification]:
    """Scarce qualifications named in a text, in the data file's order."""
    form = _match_form(text)
    found = [q for q, pattern in _qualification_patterns() if pattern.search(form)]
    # The exam and the registration of 情報処理安全確保支援士 are one thing to a reader.
    if any(q.key == "ipa_sc" for q in found):
        found = [q for q in found if q.key != "riss"]
        # "Registered Information Security Specialist Examination" contains the old exam's name.
        if "情報セキュリティスペシャリスト" not in form and "former" not in form:
            found = [q for q in found if q.key != "ipa_sc_former"]
    return found


# 「情報システム分野における業務経験」 and close variants: a field of work, not an achievement.
_GENERIC_EXPERIENCE = re.compile(
    r"(情報システム|情報処理|ict|it)(分野|部門|部署|関係|関連|業界|系|業務|担当){0,3}"
    r"(における|に関する|に係る|での|で|の)?(業務|実務|勤務|職務|就業)?(経験|従事)"
    r"|\bexperience in (the )?(it|ict|information systems?)( (field|sector|department|industry))?\b"
    r"|\b(it|ict|information systems?) (field |sector |department |industry )?experience",
)
_REFORM = re.compile(r"業務改革|bpr|業務改善|business (process )?reform", re.IGNORECASE)
# In 求める経験, a qualification is mandatory unless its sentence says it is welcome or unneeded.
_PREFERRED_MARKERS = re.compile(
    r"歓迎|尚可|なお可|望ましい|あれば|優遇|加点|不要|問わない|問いません|preferred|welcome|a plus|"
    r"nice to have|desirable|advantage|not required",
    re.IGNORECASE,
)

MSG_ADVICE_EXPERIENCE = N_(
    "Rather than 'work experience in the information systems field', ask for 'experience "
    "leading business reform using ICT': it reaches people who changed how work is done."
)
MSG_ADVICE_SCARCE = N_(
    "Few holders of %(qualifications)s are on the job market. Make it a preferred "
    "qualification rather than a requirement, or you will turn away good applicants."
)
MSG_ADVICE_DEADLINE_SOON = N_(
    "The deadline is only %(days)s days away. Allow at least three weeks so that "
    "professionals can notice the posting and apply."
)
MSG_ADVICE_DEADLINE_PASSED = N_("The deadline has passed. Set a new one before you submit.")
MSG_ADVICE_COMPENSATION = N_(
    "State the compensation: professionals compare postings by pay, and postings "
    "without it receive fewer applications."
)
MSG_ADVICE_COMPENSATION_UNIT = N_(
    "Say what the amount is paid per: hour, day, month, year or the whole contract."
)
MSG_ADVICE_SIDE_JOB = N_(
    "This is a part-time role: allowing it as a side job lets people keep their main "
    "employment, which widens the pool of applicants."
)
MSG_ADVICE_OWN_WEBSITE = N_(
    "Postings announced only on a municipality's own website drew 6 applicants on "
    "average, while postings on private job sites drew 247 and 615 (MIC survey). "
    "Consider private job sites and MIC's listing too."
)


def _value(data: Mapping[str, object], key: str) -> object:
    """A field's clean value, accepting raw input too so live advice works on any draft."""
    value, msg = clean_field(key, data.get(key))
    return None if msg is not None else value


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"[。．.!！?？\n;；]+", text) if s.strip()]


def advice(cleaned: Mapping[str, object], *, today: date) -> list[Advice]:
    """Suggestions for a posting's conditions; never blocking, fine on partial drafts."""
    result: list[Advice] = []

    experience = _value(cleaned, "required_experience")
    if isinstance(experience, str):
        folded = unicodedata.normalize("NFKC", experience).casefold()
        if _GENERIC_EXPERIENCE.search(folded) and not _REFORM.search(folded):
            result.append(
                Advice("experience_wording", "required_experience", Msg(MSG_ADVICE_EXPERIENCE))
            )

    skills = _value(cleaned, "required_skills")
    if isinstance(skills, list):
        names = _unique_names(q for tag in skills for q in find_scarce_qualifications(tag))
        if names:
            result.append(_scarce_advice("required_skills", names))
    if isinstance(experience, str):
        mandatory = (
            q
            for sentence in _sentences(experience)
            if not _PREFERRED_MARKERS.search(unicodedata.normalize("NFKC", sentence))
            for q in find_scarce_qualifications(sentence)
        )
        names = _unique_names(mandatory)
        if names:
            result.append(_scarce_advice("required_experience", names))

    deadline = _value(cleaned, "deadline")
    if isinstance(deadline, date):
        days = (deadline - today).days
        if days < 0:
            result.append(Advice("deadline_passed", "deadline", Msg(MSG_ADVICE_DEADLINE_PASSED)))
        elif days < DEADLINE_ADVICE_DAYS:
            result.append(
                Advice("deadline_soon", "deadline", Msg(MSG_ADVICE_DEADLINE_SOON, {"days": days}))
            )

    amount = _value(cleaned, "compensation_amount")
    if amount is None:
        result.append(
            Advice("compensation_missing", "compensation_amount", Msg(MSG_ADVICE_COMPENSATION))
        )
    elif _value(cleaned, "compensation_unit") is None:
        result.append(
            Advice(
                "compensation_unit_missing", "compensation_unit", Msg(MSG_ADVICE_COMPENSATION_UNIT)
            )
        )

    if (
        _value(cleaned, "side_job_ok") is False
        and _value(cleaned, "employment_type") in PART_TIME_EMPLOYMENT
    ):
        result.append(Advice("side_job_not_allowed", "side_job_ok", Msg(MSG_ADVICE_SIDE_JOB)))

    if _value(cleaned, "publication_channels") == ["own_website"]:
        result.append(
            Advice("own_website_only", "publication_channels", Msg(MSG_ADVICE_OWN_WEBSITE))
        )

    return result


def _unique_names(qualifications: Iterable[Qualification]) -> list[str]:
    names: list[str] = []
    for q in qualifications:
        if q.ja not in names:
            names.append(q.ja)
    return names


def _scarce_advice(field: str, names: list[str]) -> Advice:
    return Advice(
        "scarce_qualification_required",
        field,
        Msg(MSG_ADVICE_SCARCE, {"qualifications": "、".join(names)}),
    )
