"""Content of the demo postings: the kinds of roles municipalities really recruit for, written
the way their staff write them (some with the wording the advice is there to improve)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Role:
    key: str
    title: str
    title_en: str
    role_type: str
    employment_type: str
    focus_areas: tuple[str, ...]
    duties: str
    experience: str
    required_skills: tuple[str, ...]
    preferred_skills: tuple[str, ...]
    qualifications: tuple[str, ...]
    days_per_month: float
    hours_note: str
    compensation: tuple[int, str]
    remote: str
    side_job_ok: bool
    summary_en: str = ""
    extra: dict = field(default_factory=dict)


ROLES: tuple[Role, ...] = (
    Role(
        "cio", "CIO補佐官", "CIO adviser", "producer", "special_part_time",
        ("dx_strategy", "organization", "talent_development"),
        "{name}のCIO（副{head}）を補佐し、DX推進計画の進行管理、庁内DX推進本部への助言、"
        "各課の業務改革の優先順位付けを行います。月1回の推進本部会議に出席し、職員向けの勉強会も"
        "担当していただきます。",
        "自治体または民間企業で、ICTを活用した業務改革を組織横断で担った経験",
        ("DX戦略策定", "プロジェクト管理", "業務改革"), ("ファシリテーション", "自治体業務"),
        ("ITストラテジスト", "中小企業診断士"), 4, "月4日程度。日時は相談に応じます。",
        (50_000, "day"), "partial", True,
        "Advise the CIO on the DX plan, chair working groups and coach staff; about four days a month.",
    ),
    Role(
        "dx", "DX推進アドバイザー", "DX promotion adviser", "project_manager", "outsourcing",
        ("dx_strategy", "bpr", "online_procedures"),
        "{name}のDX推進計画に基づく施策（書かない窓口、電子申請の拡充、庁内ペーパーレス化）について、"
        "企画から実装までを伴走支援します。担当課との定例会（隔週）への参加を想定しています。",
        "ICTを活用した業務改革を担った経験（自治体・民間を問いません）",
        ("プロジェクト管理", "業務改革", "要件定義"), ("UI/UXデザイン", "アジャイル開発"),
        (), 6, "週1〜2日程度、オンライン会議中心。",
        (3_600_000, "year"), "full", True,
        "Support the municipality's DX projects from planning to delivery, mostly online.",
    ),
    Role(
        "security", "情報セキュリティアドバイザー", "Information security adviser", "other",
        "special_part_time", ("security",),
        "{name}の情報セキュリティポリシーの見直し、インシデント対応訓練の企画、職員向け研修、"
        "外部委託先のセキュリティ評価について助言します。",
        "情報システム分野における業務経験",
        ("情報セキュリティ", "リスク評価"), ("インシデント対応", "クラウドセキュリティ"),
        ("情報処理安全確保支援士",), 3, "月3日程度（うち1日は庁舎での勤務）。",
        (5_000, "hour"), "partial", False,
    ),
    Role(
        "pmo", "自治体システム標準化PMO", "PMO for the standardisation of municipal systems",
        "project_manager", "outsourcing", ("standardization",),
        "基幹業務システムの標準準拠システムへの移行（ガバメントクラウド利用を含む）について、"
        "全体スケジュールの管理、ベンダーとの調整、Fit&Gap分析の取りまとめを行います。",
        "大規模システム移行プロジェクトのPMOまたはプロジェクトマネージャーの経験",
        ("プロジェクト管理", "ベンダーマネジメント", "システム移行"), ("ガバメントクラウド", "AWS"),
        ("プロジェクトマネージャ試験", "PMP"), 10, "平日日中。繁忙期は相談の上で増減あり。",
        (800_000, "month"), "partial", True,
        "Run the PMO for moving core systems to the national standard and the Government Cloud.",
    ),
    Role(
        "data", "データ利活用アドバイザー", "Data utilisation adviser", "service_designer",
        "fiscal_year_appointee", ("data_utilization", "ai_rpa"),
        "庁内データの棚卸し、オープンデータの公開拡大、EBPMに向けたダッシュボード整備を職員と一緒に"
        "進めます。データ分析の基礎研修の講師もお願いします。",
        "データ分析を用いて事業や業務の改善を進めた経験",
        ("データ分析", "BIツール"), ("Python", "統計"), ("統計検定", "データベーススペシャリスト"),
        8, "週2日程度。勤務日は相談可。", (3_500, "hour"), "partial", True,
    ),
    Role(
        "online", "行政手続オンライン化推進スペシャリスト", "Online procedures specialist",
        "service_designer", "special_part_time", ("online_procedures", "my_number_card"),
        "電子申請の対象手続の拡大、申請フォームの改善、マイナンバーカードを活用したサービスの"
        "設計を担当します。住民へのユーザーテストの企画も含みます。",
        "利用者中心の考え方でサービスを設計・改善した経験",
        ("サービスデザイン", "UI/UXデザイン"), ("電子申請", "ユーザーリサーチ"), (),
        4, "月4日程度。", (40_000, "day"), "full", True,
        "Design online procedures and My Number Card services with residents, about four days a month.",
    ),
    Role(
        "ai", "AI・RPA導入支援アドバイザー", "AI and RPA adviser", "project_manager", "outsourcing",
        ("ai_rpa", "bpr"),
        "生成AIの庁内利用ガイドラインの策定、RPA化の候補業務の選定と効果測定、"
        "職員による内製化の支援を行います。",
        "AIまたはRPAを業務に導入し、効果を検証した経験",
        ("RPA", "生成AI", "業務分析"), ("Power Automate", "プロンプト設計"), (),
        4, "月4日程度、オンライン中心。", (2_400_000, "contract"), "full", True,
    ),
    Role(
        "talent", "デジタル人材育成コーディネーター", "Digital skills coordinator", "other",
        "fiscal_year_appointee", ("talent_development", "organization"),
        "職員のデジタルスキル研修の体系づくりと運営、各課のDX推進リーダーの育成を担当します。",
        "研修の企画・運営や人材育成に携わった経験",
        ("研修企画", "ファシリテーション"), ("ノーコードツール",), (),
        12, "週3日、9:00〜16:00。", (2_800, "hour"), "none", True,
    ),
    Role(
        "regional", "地域DXプロデューサー", "Regional DX producer", "producer", "full_time_staff",
        ("regional_digitalization", "data_utilization"),
        "地域の事業者・住民と行政をつなぎ、観光・農業・交通分野のデジタル化プロジェクトを"
        "企画・推進します。国の交付金を活用した事業の計画づくりも担当します。",
        "地域や業界の関係者を巻き込んで新しい事業を立ち上げた経験",
        ("事業企画", "プロジェクト管理"), ("補助金申請", "地域づくり"), (),
        20, "常勤（週5日、8:30〜17:15）。", (450_000, "month"), "none", False,
        "Bring local businesses, residents and the town hall together on digital projects.",
    ),
    Role(
        "divide", "デジタルデバイド対策コーディネーター", "Digital inclusion coordinator",
        "other", "fiscal_year_appointee", ("digital_divide", "my_number_card"),
        "高齢者向けスマートフォン教室の企画と運営、公民館での相談会、"
        "マイナンバーカードの申請サポートを行います。",
        "人に教えることや地域活動に関わった経験",
        ("スマートフォン操作の指導",), ("地域活動",), (),
        10, "週2〜3日、日中。", (2_200, "hour"), "none", True,
    ),
    Role(
        "bpr", "業務改革（BPR）アドバイザー", "Business process reform adviser",
        "project_manager", "special_part_time", ("bpr", "telework"),
        "窓口業務と内部事務の業務量調査、業務フローの見直し、テレワーク環境の整備について助言し、"
        "改善の実行まで伴走します。",
        "ICTを活用した業務改革（BPR）を担った経験",
        ("業務改革", "業務分析"), ("テレワーク", "チェンジマネジメント"), ("中小企業診断士",),
        4, "月4日程度。", (45_000, "day"), "partial", True,
    ),
)

JOINT_ROLE = Role(
    "joint_cio", "CIO補佐官（広域・共同任用）", "CIO adviser shared by several towns", "producer",
    "special_part_time", ("dx_strategy", "standardization", "security"),
    "{name}を含む近隣の町村で共同任用するCIO補佐官です。各団体のDX推進計画の進行管理と、"
    "標準化・セキュリティ対策の共通課題について助言します。",
    "複数の組織にまたがる情報化やDXの取組を調整した経験",
    ("DX戦略策定", "合意形成"), ("自治体業務",), (), 6, "各団体月2日程度（合計月6日程度）。",
    (60_000, "day"), "partial", True,
    "A CIO adviser shared by neighbouring towns under a joint appointment.",
)

# Wording that the advice is there to improve, for some postings.
GENERIC_EXPERIENCE = "情報システム分野における業務経験を5年以上有する方"
SCARCE_REQUIRED = "情報処理安全確保支援士の資格を有すること"

RETURN_COMMENTS = {
    "prefecture": (
        "報酬の単位（時給・日額・月額）が分かりにくいので、応募者が比較できるよう明記してください。",
        "求める経験が「情報システム分野における業務経験」となっています。ICTを活用した業務改革の"
        "経験など、担っていただく役割に合わせて具体的に記載してください。",
        "応募締切まで3週間を切っています。周知期間を確保できるよう締切日を見直してください。",
        "テレワークの可否について、週何日程度まで可能かを勤務時間欄に追記してください。",
    ),
    "ministry": (
        "情報処理安全確保支援士が必須条件になっています。希少な資格のため、歓迎資格への変更を"
        "ご検討ください。",
        "英語の概要が空欄です。海外在住の人材にも届くよう、可能であれば記載してください。",
    ),
}

PR_TEXTS = (
    "職員と一緒に手を動かしながら、住民サービスのデジタル化を進めていただける方を歓迎します。",
    "首長もDXを最重要施策に掲げています。庁内の意思決定に近いところで力を発揮してください。",
    "副業・兼業の方も歓迎です。オンラインでの打合せを中心に、無理のない形で関わっていただけます。",
    "豊かな自然と食に恵まれたまちです。月に一度の来庁時には、地域の方との交流の機会もあります。",
)
DEPARTMENTS = ("総務部 デジタル推進課", "企画政策課 DX推進係", "情報政策課", "総務課 情報管理係")
DX_ORGANIZATIONS = (
    "{head}を本部長とするDX推進本部を設置し、各課にDX推進リーダーを置いています。",
    "企画課にDX推進係（3名）を新設しました。",
    "情報政策課が中心となり、全庁横断のワーキンググループで取り組んでいます。",
)
