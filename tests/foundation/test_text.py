import sqlite3
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentmatch.professionals.vocabulary import load_vocabulary
from talentmatch.text import (
    KeywordQuery,
    Lexicon,
    escape_like,
    normalize,
    parse_query,
    search_text,
)


def _reference_normalize(text: str) -> str:
    """The README's rule 1 spelled out naively: NFKC, casefold, hiragana→katakana, no spaces."""
    out = []
    for ch in unicodedata.normalize("NFKC", text).casefold():
        if ch.isspace() or ch in "\u200b\u200c\u200d\u2060\ufeff":
            continue
        if "\u3041" <= ch <= "\u3096" or ch in "\u309d\u309e":
            ch = chr(ord(ch) + 0x60)
        out.append(ch)
    return "".join(out)


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_vocabulary().lexicon(
        [["札幌市", "サッポロシ"], ["函館市", "ハコダテシ"], ["北海道", "ホッカイドウ"]]
    )


def test_normalize_width_kana_case_and_spaces():
    assert (
        normalize("ｾｷｭﾘﾃｨ")
        == normalize("せきゅりてぃ")
        == normalize("セキュリティ")
        == "セキュリティ"
    )
    assert normalize("Ｓｅｃｕｒｉｔｙ\u3000ＡＩ") == "securityai"
    assert normalize(" Data \t Analysis\n") == "dataanalysis"
    assert normalize("ｶﾞﾊﾞﾒﾝﾄ") == "ガバメント"
    assert normalize(None) == ""
    assert normalize("あいうえお", max_chars=2) == "アイ"


@settings(max_examples=400)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_normalize_fast_path_equals_the_rule(text):
    assert normalize(text) == _reference_normalize(text)


@given(
    st.text(
        alphabet=st.sampled_from("あいかきがぎゃアイカガｶﾞｷﾞabcABCＡＢＣ１２３ 　・ーﾞﾟ\u3099"),
        max_size=20,
    )
)
def test_normalize_japanese_mixtures_equal_the_rule(text):
    assert normalize(text) == _reference_normalize(text)


def test_search_text_keeps_fields_apart():
    text = search_text("札幌市", "CIO 補佐官")
    assert text == "札幌市\ncio補佐官"
    # "市c" spans two fields: no query can produce it because queries have no whitespace.
    assert not parse_query("市cio").matches(text)


def test_query_is_segmented_without_spaces(lexicon):
    q = parse_query("札幌市cio補佐官", lexicon)
    assert len(q.groups) == 2
    assert "サッポロシ" in q.groups[0] and "札幌市" in q.groups[0]
    assert q.groups[1] == ("cio補佐官",)
    assert q.matches(search_text("札幌市", "CIO補佐官（DX推進）"))
    assert not q.matches(search_text("函館市", "CIO補佐官"))
    assert not q.matches(search_text("札幌市", "DX推進アドバイザー"))


def test_kana_query_finds_the_kanji_name(lexicon):
    q = parse_query("さっぽろし", lexicon)
    assert q.matches(search_text("札幌市", "CIO補佐官"))


@pytest.mark.parametrize(
    "typed", ["せきゅりてぃ", "ｾｷｭﾘﾃｨ", "セキュリティ", "Security", "SECURITY"]
)
def test_security_variants_match_every_way_it_is_written(lexicon, typed):
    q = parse_query(typed, lexicon)
    assert q.matches(normalize("情報セキュリティ対策の強化"))
    assert q.matches(normalize("Improve cyber security posture"))
    assert not q.matches(normalize("業務改革の推進"))


def test_synonyms_expand_both_ways(lexicon):
    assert parse_query("BPR", lexicon).matches(normalize("業務改革を推進"))
    assert parse_query("業務改革", lexicon).matches(normalize("BPRの推進"))
    assert parse_query("データ分析", lexicon).matches(normalize("Data analysis of tax records"))


def test_groups_combine_with_and(lexicon):
    q = parse_query("セキュリティ　BPR", lexicon)
    assert len(q.groups) == 2
    assert q.matches(normalize("セキュリティと業務改革"))
    assert not q.matches(normalize("セキュリティのみ"))


def test_longest_term_wins_in_a_query(lexicon):
    q = parse_query("ガバメントクラウド移行", lexicon)
    assert len(q.groups) == 1
    assert "ガバクラ" in q.groups[0]
    assert not q.matches(normalize("クラウド構築"))


@pytest.mark.parametrize("typo", ["securty", "情報セキュリテイ", "Secuirty"])
def test_typos_still_find_the_term(lexicon, typo):
    q = parse_query(typo, lexicon)
    assert q.matches(normalize("情報セキュリティポリシー策定"))


def test_unknown_words_stay_literal(lexicon):
    q = parse_query("ふるさと納税", lexicon)
    assert q.matches(normalize("フルサト納税の返礼品"))
    assert not q.matches(normalize("地方税の電子納付"))


def test_single_character_leftovers_are_dropped_but_never_the_whole_query(lexicon):
    assert len(parse_query("札幌市の", lexicon).groups) == 1
    assert parse_query("%", lexicon).groups == (("%",),)


def test_empty_query_matches_everything():
    q = parse_query("   ")
    assert not q and q.groups == ()
    assert q.matches("anything") and like_groups(q) == []


def test_max_terms_caps_groups(lexicon):
    q = parse_query("aa bb cc dd ee ff gg hh ii jj", lexicon, max_terms=3)
    assert len(q.groups) == 3


def like_groups(q: KeywordQuery) -> list[list[str]]:
    """The query spelled as LIKE patterns over a stored search_text (ESCAPE '\\'): AND the
    groups, OR inside a group — what a search in SQL would run."""
    return [[f"%{escape_like(alt)}%" for alt in group] for group in q.groups]


def test_like_patterns_escape_wildcards():
    q = KeywordQuery(groups=(("50%_off\\x",),))
    assert escape_like("50%_off\\x") == "50\\%\\_off\\\\x"
    assert like_groups(q) == [["%50\\%\\_off\\\\x%"]]


def _sql_match(texts: list[str], q: KeywordQuery) -> list[str]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE p (search_text TEXT)")
    db.executemany("INSERT INTO p VALUES (?)", [(t,) for t in texts])
    where = " AND ".join(
        "(" + " OR ".join("search_text LIKE ? ESCAPE '\\'" for _ in g) + ")"
        for g in like_groups(q)
    )
    params = [p for g in like_groups(q) for p in g]
    # Only fixed fragments are concatenated; the patterns themselves are bound parameters.
    sql = "SELECT search_text FROM p" + (f" WHERE {where}" if where else "")  # noqa: S608
    sql += " ORDER BY rowid"
    return [row[0] for row in db.execute(sql, params)]


TEXTS = [
    search_text("札幌市", "CIO補佐官", "情報セキュリティ"),
    search_text("函館市", "BPR推進", "50%off"),
    search_text("小樽市", "業務改革", "a_b"),
    search_text("旭川市", "データ分析", "O'Reilly"),
    search_text("北見市", "abc"),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("%", [1]),
        ("%%", []),
        ("_", [2]),
        ("'", [3]),
        ("o'reilly", [3]),
        ("\\", []),
        ("業務改革", [1, 2]),
        ("せきゅりてぃ 札幌市", [0]),
    ],
)
def test_sql_like_matches_exactly_what_python_matches(lexicon, query, expected):
    q = parse_query(query, lexicon)
    python = [i for i, t in enumerate(TEXTS) if q.matches(t)]
    assert python == expected
    assert _sql_match(TEXTS, q) == [TEXTS[i] for i in expected]


@given(st.text(alphabet=st.sampled_from("%_\\'\"ab 札幌市セキュリティ"), max_size=8))
def test_special_characters_never_widen_sql(query):
    q = parse_query(query, load_vocabulary().lexicon())
    assert _sql_match(TEXTS, q) == [t for t in TEXTS if q.matches(t)]


def test_lexicon_term_in_two_groups_expands_to_both():
    lex = Lexicon([["三次市", "ミヨシシ"], ["三好市", "ミヨシシ"]])
    q = parse_query("みよしし", lex)
    assert q.matches("三次市") and q.matches("三好市")
    assert not parse_query("三次市", lex).matches("三好市")
