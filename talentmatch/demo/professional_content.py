"""The demo professionals' raw material (a data table, not logic): names, company names, the
kinds of career municipalities recruit for with their skills, headlines, experience and
qualifications, and where people live and like to work. demo/professionals.py draws from it."""

from __future__ import annotations

from dataclasses import dataclass

# Home prefecture → neighbours people from there also like to work in.
CLUSTERS = {
    "01": ("01", "02", "03"),
    "04": ("04", "03", "05", "06", "07"),
    "13": ("13", "11", "12", "14", "19"),
    "20": ("20", "15", "19", "10", "16"),
    "27": ("27", "26", "28", "29", "30", "25"),
    "34": ("34", "33", "35", "32", "31"),
    "40": ("40", "41", "43", "44", "42"),
    "47": ("47", "46"),
}


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


HOME_WEIGHTS = {"13": 30, "27": 18, "40": 12, "01": 10, "04": 9, "34": 8, "20": 7, "47": 6}

FAMILY = _words(
    "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 清水 "
    "山崎 森 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本 "
    "金城 比嘉 大城 菅原 千葉 及川 新田 丸山 上原 久保"
)
GIVEN = _words(
    "大輔 翔太 拓也 健一 直樹 誠 学 亮 聡 修 浩二 和也 悠斗 隆 剛 美咲 陽子 由美 恵 彩 智子 裕子 真理子 "
    "香織 千尋 葵 遥 優子 直美 麻衣 明 薫 光 渚 翼 歩 純 瞳 涼子 慎也"
)
ROMAN = (
    "Emily Carter",
    "Daniel Kim",
    "Sofia Rossi",
    "Lucas Martin",
    "Priya Nair",
    "Chen Wei",
    "Anna Schmidt",
    "Tom Becker",
)
COMPANY_PREFIX = {
    "01": ("北海道", "札幌", "道央"),
    "04": ("みちのく", "杜の都", "東北"),
    "13": ("東京", "首都圏", "湘南"),
    "20": ("信州", "北信越", "安曇野"),
    "27": ("なにわ", "関西", "大阪"),
    "34": ("せとうち", "ひろしま", "中国"),
    "40": ("博多", "九州", "筑紫"),
    "47": ("琉球", "沖縄", "南西"),
}
COMPANY_BODY = (
    "デジタルソリューションズ",
    "DXパートナーズ",
    "情報システム",
    "ITコンサルティング",
    "データラボ",
    "地域ICT研究所",
    "システムサービス",
    "テクノロジーズ",
    "クラウドサービス",
    "自治体DX支援センター",
)
COMPANY_FORM = ("株式会社{}", "株式会社{}", "{}株式会社", "合同会社{}", "一般社団法人{}")


@dataclass(frozen=True)
class Career:
    key: str
    focus: tuple[str, ...]
    headline: tuple[str, ...]
    experience: tuple[str, ...]
    qualifications: tuple[str, ...]  # the first ones are the scarce ones people in it hold


CAREERS = (
    Career(
        "standardization",
        ("standardization", "dx_strategy"),
        ("基幹業務システム標準化のPM", "ガバメントクラウド移行の推進", "自治体システム調達・PMO"),
        (
            "{pref}内{n}団体の基幹業務システム標準化（住民記録・税・福祉）で移行計画の策定とPMOを担当。",
            "ガバメントクラウドへの移行に向けたFit&Gap分析と、ベンダーとの調整・見積精査を支援。",
            "標準準拠システムへの移行に伴うデータ移行・文字の標準化（外字対応）の計画を作成。",
            "複数団体の共同調達でRFP・仕様書を作成し、プロポーザル評価委員を務めた。",
        ),
        ("ipa_pm", "pmp", "ipa_sa", "ipa_ap", "ipa_fe", "itil4_foundation"),
    ),
    Career(
        "security",
        ("security", "telework"),
        (
            "情報セキュリティ対策の専門家",
            "自治体CSIRT・セキュリティポリシー",
            "セキュリティ監査・インシデント対応",
        ),
        (
            "{pref}の市町村で情報セキュリティポリシーの策定・改定と、職員向け標的型メール訓練を実施。",
            "三層の対策の見直し（α'モデルへの移行）に伴うリスク評価と設計レビューを担当。",
            "自治体CSIRTの立ち上げとインシデント対応手順の整備、年次の外部監査対応を支援。",
            "LGWAN接続系とインターネット接続系の分離環境でのテレワーク導入を安全面から支援。",
        ),
        ("riss", "ipa_sc", "cissp", "cisa", "ipa_sg", "kojin_joho_hogoshi"),
    ),
    Career(
        "strategy",
        ("dx_strategy", "organization"),
        ("元CIO補佐官・DX戦略", "自治体DX推進計画の策定支援", "首長・幹部へのDX助言"),
        (
            "{muni}でCIO補佐官として自治体DX推進計画の策定と進捗管理（KPI設計）を担当。",
            "全庁のDX推進体制（推進本部・DXリーダー制度）の構築を支援し、幹部研修の講師を務めた。",
            "情報システムの棚卸しとIT予算の査定を通じて、年間のシステム経費を約15%削減。",
            "国の交付金（デジタル田園都市国家構想交付金）を活用した事業計画の立案を支援。",
        ),
        ("ipa_st", "sme_consultant", "ipa_au", "it_coordinator", "ipa_ap"),
    ),
    Career(
        "bpr",
        ("bpr", "online_procedures", "my_number_card"),
        ("窓口改革・BPRの伴走支援", "行政手続オンライン化の推進", "書かない窓口の導入支援"),
        (
            "{muni}の市民課で業務量調査と業務フローの可視化を行い、書かない窓口を導入。",
            "電子申請（ぴったりサービス・LoGoフォーム）の対象手続を約120件に拡充。",
            "押印・書面規制の見直しを全庁で進め、電子決裁とペーパーレス化を定着させた。",
            "マイナンバーカードの出張申請受付と、コンビニ交付の利用促進を企画。",
        ),
        ("sme_consultant", "it_coordinator", "ipa_ap", "ipa_ip"),
    ),
    Career(
        "ai_rpa",
        ("ai_rpa", "bpr"),
        ("AI・RPA導入の推進", "生成AIの業務活用", "業務自動化のエンジニア"),
        (
            "{pref}内の自治体でRPAによる定型業務の自動化を進め、年間約2,000時間を削減。",
            "生成AIの庁内利用ガイドラインを策定し、議事録作成・文書作成での試行を支援。",
            "AI-OCRとRPAを組み合わせた申請書処理の効率化を企画・構築。",
            "職員が自らローコードツールで業務アプリを作る内製化の研修を実施。",
        ),
        ("jdla_e", "toukei_jun1", "jdla_g", "genai_passport", "python3_basic", "ipa_fe"),
    ),
    Career(
        "data",
        ("data_utilization", "dx_strategy"),
        ("データ利活用・EBPM", "オープンデータの推進", "データ分析基盤の構築"),
        (
            "{pref}の市町村でオープンデータの公開を推進し、推奨データセットの整備を支援。",
            "EBPMのための庁内ダッシュボードを構築し、政策評価での活用を定着させた。",
            "人流データと統計データを用いた地域分析を行い、公共交通の再編計画に活用。",
        ),
        ("toukei_1", "ipa_db", "toukei_2", "ds_kentei", "web_analyst"),
    ),
    Career(
        "talent",
        ("talent_development", "organization"),
        ("DX人材育成・研修講師", "職員のデジタルスキル向上", "組織変革の伴走"),
        (
            "{muni}で職員向けDX研修（全職員・DXリーダー）を企画し、講師を務めた。",
            "外部デジタル人材の活用方針を整理し、募集から任用までの手順を作成。",
            "ワークショップを通じた業務改善の伴走支援を3年間継続。",
        ),
        ("sme_consultant", "it_coordinator", "csm", "ipa_ip"),
    ),
    Career(
        "regional",
        ("regional_digitalization", "digital_divide", "my_number_card"),
        ("地域DX・デジタルデバイド対策", "スマホ教室と地域の担い手づくり", "地域の官民連携"),
        (
            "{pref}内の町村でスマホ教室・デジタル活用支援員の仕組みを立ち上げた。",
            "地域の事業者と連携したキャッシュレス決済の導入と地域ポイント事業を支援。",
            "中山間地域でのドローン物流・遠隔診療の実証実験（PoC）を調整。",
        ),
        ("drone_class1", "web_analyst", "drone_class2", "ipa_ip"),
    ),
    Career(
        "infra",
        ("telework", "security", "standardization"),
        ("ネットワーク・クラウド基盤", "テレワーク環境の構築", "庁内インフラ更改"),
        (
            "{muni}の庁内ネットワーク更改と無線LAN化を設計・構築。",
            "テレワーク環境（VDI・Web会議）の導入と運用ルールの整備を担当。",
            "クラウド利用（AWS・Azure）の設計レビューとコスト最適化を支援。",
        ),
        ("ipa_nw", "aws_sap", "azure_solutions_architect", "aws_saa", "ccna", "lpic1"),
    ),
    Career(
        "service",
        ("online_procedures", "digital_divide"),
        ("サービスデザイン・UX", "住民目線のオンライン手続", "ウェブサイト改善"),
        (
            "{muni}の子育て手続をサービスデザインの手法で見直し、オンライン申請率を大幅に向上。",
            "自治体ウェブサイトのアクセシビリティ改善（JIS X 8341-3対応）を支援。",
            "住民へのユーザーインタビューをもとに、電子申請フォームを再設計。",
        ),
        ("hcd_specialist", "web_analyst", "pmi_acp", "ipa_ap"),
    ),
)
CAREER_WEIGHTS = (16, 14, 14, 12, 10, 8, 7, 6, 7, 6)
PUBLIC_SECTOR = (
    "元{muni}職員（情報政策課{y}年）。",
    "{pref}庁で情報システム部門に{y}年在籍（職員OB・OG）。",
    "{muni}への出向経験あり（デジタル推進室、{y}年）。",
)
DAYS = (2, 2, 2.5, 3, 4, 4, 4, 5, 6, 8, 8, 10, 10, 12, 15, 16, 20)
