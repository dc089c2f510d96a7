"""PURE: the service's closed lists of values, each written once with its label.

Every code stored or exchanged with one of a fixed set of values is defined here: the value,
the English msgid that labels it (marked with ``N_`` so Babel extracts it; the Japanese is in
the catalogue, as for every other text) and the Japanese spellings imports accept. The posting
template, the profile, every form and importer, the matcher's and the saved searches' bit
tables, the public pages, exports and the API's enumerations all derive from these tuples, so
they cannot disagree. A data table (DESIGN §2, §3, §5).

A tuple's order is the order people see. For ``EMPLOYMENT_TYPES`` and ``FOCUS_AREAS`` it is also
the bit a saved search stores for each value (``subscriptions.matching``), and
``PREFECTURE_CODES`` go by their number: append a new value, never insert or reorder.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from talentmatch.messages import N_


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # msgid
    aliases: tuple[str, ...] = ()  # other spellings accepted in imports (Japanese first)


def values(choices: Iterable[Choice]) -> tuple[str, ...]:
    return tuple(c.value for c in choices)


def labels(choices: Iterable[Choice]) -> dict[str, str]:
    """Value → msgid."""
    return {c.value: c.label for c in choices}


# The languages of the service, each named in itself: Japanese (the default) and English.
LANGUAGE_NAMES: dict[str, str] = {"ja": "日本語", "en": "English"}
LANGUAGES: tuple[str, ...] = tuple(LANGUAGE_NAMES)

# The 47 prefectures by their two-digit code (JIS X 0401), 01 北海道 … 47 沖縄県.
PREFECTURE_CODES: tuple[str, ...] = tuple(f"{i:02d}" for i in range(1, 48))

# Kinds of local government (DESIGN §2), as the master list data/municipalities.csv has them.
BODY_KINDS = (
    Choice("prefecture", N_("Prefecture"), ("都道府県",)),
    Choice("designated_city", N_("Designated city"), ("政令指定都市",)),
    Choice("city", N_("City"), ("市",)),
    Choice("special_ward", N_("Special ward"), ("特別区",)),
    Choice("town", N_("Town"), ("町",)),
    Choice("village", N_("Village"), ("村",)),
)
KIND_LABELS: dict[str, str] = labels(BODY_KINDS)
MUNICIPAL_KINDS: tuple[str, ...] = values(BODY_KINDS[1:])

# --- the standard recruitment template (DESIGN §3) ------------------------------------------

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
    # The arrangements that followed FY2025 (DESIGN §2), appended: the order is a stored bit.
    Choice(
        "fixed_term_staff",
        N_("Fixed-term staff"),
        ("任期付職員", "任期付", "任期付き職員", "任期付採用"),
    ),
    Choice(
        "company_secondment",
        N_("Placement of a company's employee (secondment)"),
        ("企業からの派遣・出向", "派遣・出向", "企業からの派遣", "企業からの出向", "出向", "派遣",
         "企業人材派遣"),
    ),
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
# Whether a role can be done remotely.
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
# The municipal DX plan's priorities and structure items (DESIGN §2), in plan order. The
# aliases hold the plan's own Japanese wording and English spellings lists use.
FOCUS_AREAS = (
    Choice(
        "standardization",
        N_("Standardising information systems"),
        (
            "情報システムの標準化・共通化",
            "標準化・共通化",
            "標準化",
            "Standardization of information systems",
        ),
    ),
    Choice(
        "my_number_card",
        N_("Promoting the My Number Card"),
        ("マイナンバーカードの普及促進", "マイナンバーカード", "My Number Card uptake"),
    ),
    Choice(
        "online_procedures",
        N_("Online administrative procedures"),
        ("行政手続のオンライン化", "行政手続きのオンライン化", "オンライン化"),
    ),
    Choice("ai_rpa", N_("Using AI and RPA"), ("AI・RPAの利用推進", "AI・RPA", "AI and RPA")),
    Choice("telework", N_("Telework"), ("テレワークの推進", "テレワーク")),
    Choice(
        "security",
        N_("Information security"),
        ("セキュリティ対策の徹底", "セキュリティ対策", "セキュリティ", "Security"),
    ),
    Choice(
        "dx_strategy",
        N_("DX policy and planning"),
        ("全体方針・計画策定", "全体方針", "計画策定", "DX strategy and planning"),
    ),
    Choice(
        "organization",
        N_("DX organisation"),
        ("推進体制・組織", "推進体制", "組織", "Organization"),
    ),
    Choice("talent_development", N_("Staff development"), ("職員育成", "人材育成")),
    Choice("bpr", N_("Business process reform (BPR)"), ("業務改革(BPR)", "業務改革", "BPR")),
    Choice(
        "data_utilization",
        N_("Data utilisation"),
        ("データ利活用", "データ活用", "Data utilization"),
    ),
    Choice(
        "regional_digitalization",
        N_("Digitalising the local community"),
        ("地域社会のデジタル化", "Regional digitalization"),
    ),
    Choice(
        "digital_divide",
        N_("Bridging the digital divide"),
        ("デジタルデバイド対策", "Digital divide"),
    ),
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

# --- a professional's profile (DESIGN §5) ---------------------------------------------------

PROFESSIONAL_KINDS = (
    Choice("individual", N_("Individual"), ("個人",)),
    Choice("company", N_("Company"), ("企業", "法人", "会社", "団体")),
)
# How a person wants to work (a role's side is REMOTE_OPTIONS).
REMOTE_PREFERENCES = (
    Choice(
        "remote_only",
        N_("Remote only"),
        ("フルリモート", "リモートのみ", "完全リモート", "テレワークのみ", "完全テレワーク"),
    ),
    Choice(
        "hybrid",
        N_("Remote with some days on site"),
        ("ハイブリッド", "一部出勤", "一部リモート", "一部テレワーク"),
    ),
    Choice("onsite_ok", N_("On-site work is fine"), ("出勤可", "出社可", "常駐可", "現地勤務可")),
)
