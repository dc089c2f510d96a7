import csv
from pathlib import Path

import pytest

from talentmatch.professionals.vocabulary import (
    BROAD_SKILLS,
    DATA_DIR,
    load_vocabulary,
    split_tags,
)
from talentmatch.text import normalize
from talentmatch.vocab import FOCUS_AREAS, values


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


def test_reads_the_project_copy_of_the_data(vocab):
    assert Path(__file__).resolve().parents[2] / "talentmatch" / "data" == DATA_DIR
    with (DATA_DIR / "skills.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(vocab.skills) == [r["key"] for r in rows]
    assert len(vocab.qualifications) == 49


def test_every_term_names_exactly_one_skill(vocab):
    owner: dict[str, str] = {}
    for skill in vocab.skills.values():
        for term in skill.terms:
            n = normalize(term)
            assert owner.setdefault(n, skill.key) == skill.key, term
            assert vocab.resolve(term) == skill.key, term


def test_focus_areas_come_from_the_fixed_list(vocab):
    for skill in vocab.skills.values():
        assert skill.focus_areas, skill.key
        assert set(skill.focus_areas) <= set(values(FOCUS_AREAS)), skill.key
    assert vocab.focus_areas("bpr") == ("bpr",)
    assert vocab.focus_areas("no_such_key") == ()


@pytest.mark.parametrize(
    ("terms", "key"),
    [
        (["BPR", "業務改革", "ｂｐｒ", "Business process reengineering"], "bpr"),
        (
            ["セキュリティ", "情報セキュリティ", "security", "Security", "ｾｷｭﾘﾃｨ", "せきゅりてぃ"],
            "information_security",
        ),
        (["データ分析", "data analysis", "Data Analysis", "データ　分析"], "data_analysis"),
        (["UiPath", "uipath", "ＵｉＰａｔｈ", "WinActor", "RPA"], "rpa"),
    ],
)
def test_synonyms_resolve_to_one_key(vocab, terms, key):
    assert {vocab.resolve(t) for t in terms} == {key}


def test_keys_resolve_to_themselves(vocab):
    assert vocab.resolve("cloud_aws") == "cloud_aws"
    assert vocab.resolve(" bpr ") == "bpr"


def test_resolve_tolerates_typos_but_not_guesses(vocab):
    assert vocab.resolve("Securty") == "information_security"
    assert vocab.resolve("Pythn") == "python"
    assert vocab.resolve("UX") == "ux_design"
    assert vocab.resolve("UY") is None  # two letters: exact only
    assert vocab.resolve("まったく関係ない趣味") is None
    assert vocab.resolve("") is None


def test_extract_prefers_the_longest_term(vocab):
    assert vocab.extract("ガバメントクラウド移行") == ["government_cloud"]
    assert vocab.extract("文字の標準化") == ["character_standardization"]
    assert vocab.extract("ジャバスクリプト") == ["javascript"]
    assert vocab.extract("クラウド移行と標準化") == ["cloud_architecture", "system_standardization"]


def test_extract_matches_ascii_terms_only_as_whole_tokens(vocab):
    assert vocab.extract("Please send an email to the team") == []
    assert vocab.extract("HTML") == ["frontend_development"]
    assert vocab.extract("We use AI daily") == ["ai_adoption"]
    assert vocab.extract("AIを活用した窓口") == ["ai_adoption"]
    assert vocab.extract("UiPathによる自動化") == ["rpa"]
    assert "ux_design" not in vocab.extract("UiPath")


def test_extract_normalises_width_kana_and_spaces(vocab):
    text = "ＡＷＳとＡｚｕｒｅでのｸﾗｳﾄﾞ構築、でーたぶんせき、Data  Analysis"
    assert vocab.extract(text) == [
        "cloud_aws",
        "cloud_azure",
        "cloud_architecture",
        "data_analysis",
    ]


def test_extract_of_a_real_profile(vocab):
    text = (
        "民間企業で10年間、基幹業務システムの標準化とガバメントクラウド移行のプロジェクト"
        "マネジメントを担当。RPA（UiPath）導入、情報セキュリティポリシー策定を支援。"
    )
    assert vocab.extract(text) == [
        "core_business_systems",
        "system_standardization",
        "government_cloud",
        "project_management",
        "rpa",
        "security_policy",
    ]


def test_normalize_tags_keeps_free_entries_once(vocab):
    keys, free = vocab.normalize_tags(
        ["BPR", "業務改革", "ｾｷｭﾘﾃｨ", "議会答弁  支援", "議会答弁 支援", "ｷﾞｶｲ"]
    )
    assert keys == ["bpr", "information_security"]
    assert free == ["議会答弁 支援", "ギカイ"]


def test_tags_can_be_one_separated_string(vocab):
    assert split_tags("BPR; kintone、UiPath,\nPython") == ["BPR", "kintone", "UiPath", "Python"]
    assert vocab.normalize_tags("BPR;kintone")[0] == ["bpr", "low_code"]


def test_tag_keys_extracts_skills_from_free_entries(vocab):
    keys, leftovers = vocab.tag_keys(["AWSとAzureの構築", "地域おこし"])
    assert keys == ["cloud_aws", "cloud_azure"]
    assert leftovers == ["地域おこし"]


def test_labels_in_both_languages(vocab):
    assert vocab.label("bpr", "ja") == "業務改革（BPR）"
    assert vocab.label("bpr", "en") == "Business process reengineering"
    assert vocab.label("ipa_st", "en").startswith("Information Technology Strategist")
    assert vocab.label("unknown") == "unknown"


def test_broad_skills_weigh_less(vocab):
    assert {
        "dx_promotion",
        "information_security",
        "network_design",
        "cloud_architecture",
        "staff_training",
    } == BROAD_SKILLS
    for key, skill in vocab.skills.items():
        assert skill.weight == (0.5 if key in BROAD_SKILLS else 1.0)
        assert skill.broad == (key in BROAD_SKILLS)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("ITストラテジスト", "ipa_st"),
        ("ITストラテジスト試験", "ipa_st"),
        ("情報処理安全確保支援士", "ipa_sc"),
        ("情報処理安全確保支援士（登録）", "riss"),
        ("基本情報技術者試験", "ipa_fe"),
        ("応用情報", "ipa_ap"),
        ("PMP", "pmp"),
        ("ｐｍｐ", "pmp"),
        ("中小企業診断士", "sme_consultant"),
        ("統計検定1級", "toukei_1"),
        ("G検定", "jdla_g"),
        ("CISSP", "cissp"),
        ("ipa_sc", "ipa_sc"),
    ],
)
def test_qualification_names_resolve(vocab, name, key):
    assert vocab.resolve_qualification(name) == key


def test_scarce_flags_follow_the_data(vocab):
    assert sum(q.scarce for q in vocab.qualifications.values()) == 23
    assert vocab.qualifications["ipa_st"].scarce and vocab.qualifications["pmp"].scarce
    assert not vocab.qualifications["ipa_ip"].scarce
    assert not vocab.qualifications["aws_saa"].scarce
    keys, free = vocab.normalize_qualifications(["ITストラテジスト", "普通自動車免許"])
    assert keys == ["ipa_st"] and free == ["普通自動車免許"]


def test_registration_implies_the_exam(vocab):
    assert vocab.held_qualifications(["riss"]) == {"riss", "ipa_sc"}
    assert vocab.held_qualifications(["ipa_sc"]) == {"ipa_sc"}


def test_lexicon_groups_synonyms(vocab):
    lex = vocab.lexicon()
    assert lex is vocab.lexicon()  # built once
    alts = lex.alternatives(normalize("セキュリティ"))
    assert "security" in alts and "セキュリティ" in alts
    with_places = vocab.lexicon([["札幌市", "サッポロシ"]])
    assert with_places is not lex
    assert "札幌市" in with_places.alternatives("サッポロシ")
