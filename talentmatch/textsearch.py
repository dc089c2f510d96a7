"""PURE: the one Japanese-aware text search every search box uses.

The public listing, the prefecture's talent pool and the staff lists all search the same
way: a query is parsed against the skills vocabulary (``text.parse_query``: synonyms such as
BPR = 業務改革 = business process reengineering, kana and width folded, Japanese without
spaces segmented by known terms, one-character slips such as セキュリテイ or CIO補左官
forgiven), and a record matches when every part of the query is a substring of the
record's normalised text (partial: セキュリティ finds 情報セキュリティポリシー策定).

When a query finds nothing, ``suggestions`` offers the nearest known terms (「もしかして」).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from talentmatch.text import (
    MAX_FUZZY_CHARS,
    KeywordQuery,
    Lexicon,
    normalize,
    parse_query,
    search_text,
)

T = TypeVar("T")

# A suggestion may be further from the query than the slips the search forgives by itself.
SUGGEST_CUTOFF = 70.0
MAX_SUGGESTIONS = 3


def query(q: str | None, lexicon: Lexicon | None) -> KeywordQuery:
    """The parsed query (empty for a blank one)."""
    return parse_query(q, lexicon) if q and q.strip() else KeywordQuery()


def record_text(*parts: str | None) -> str:
    """A record's normalised search text (the parts never run into each other)."""
    return search_text(*parts)


def matches(q: str | KeywordQuery | None, text: str, lexicon: Lexicon | None = None) -> bool:
    """Whether a normalised record text (``record_text``) meets the query."""
    kq = q if isinstance(q, KeywordQuery) else query(q, lexicon)
    return not kq or kq.matches(text)


def search(items: Iterable[T], q: str | None, text_of: Callable[[T], str],
           lexicon: Lexicon | None = None) -> list[T]:
    """The items whose ``text_of(item)`` (a ``record_text``) meets the query, in order."""
    kq = query(q, lexicon)
    if not kq:
        return list(items)
    return [item for item in items if kq.matches(text_of(item))]


def one_slip(a: str, b: str) -> bool:
    """At most one character typed wrong, missing or extra (セキュリテイ ~ セキュリティ)."""
    return Levenshtein.distance(a, b, score_cutoff=1) <= 1


def suggestions(q: str | None, terms: Mapping[str, str], *,
                found: Callable[[str], bool] | None = None,
                limit: int = MAX_SUGGESTIONS) -> list[str]:
    """Queries close to ``q`` built from known terms (normalised → as written: the
    vocabulary's ``Lexicon.display_terms()``, a listing's ``index_terms``), for
    「もしかして: …」 when ``q`` found nothing; only those for which ``found(query)`` holds."""
    if not q or not q.strip():
        return []
    words = q.split()[:8]
    out: list[str] = []
    for k, word in enumerate(words):
        for term in _near_terms(normalize(word, MAX_FUZZY_CHARS * 2), terms):
            candidate = " ".join([*words[:k], term, *words[k + 1:]])
            if candidate in out or normalize(candidate) == normalize(q):
                continue
            if found is None or found(candidate):
                out.append(candidate)
            if len(out) >= limit:
                return out
    return out


def _near_terms(word: str, terms: Mapping[str, str]) -> Sequence[str]:
    if not 2 <= len(word) <= MAX_FUZZY_CHARS or not terms:
        return ()
    keys = list(terms)
    found = process.extract(word, keys, scorer=fuzz.ratio, score_cutoff=SUGGEST_CUTOFF,
                            limit=MAX_SUGGESTIONS * 2)
    near = [k for k, _score, _i in found]
    # Japanese words are short: one slip in three or four characters is below any ratio.
    if len(word) >= 3:
        near += [k for k in keys if k not in near and abs(len(k) - len(word)) <= 1
                 and one_slip(word, k)][:MAX_SUGGESTIONS]
    return [terms[k] for k in near if k != word]


# --------------------------------------------------------------------------- indexed terms

# Punctuation that ends a term inside a normalised text (which has no spaces left).
_BREAKS = re.compile(r"[\n、。,.()\[\]{}（）「」『』【】〈〉《》<>・/:;!?~〜'\"|]+")
INDEX_TERM_MAX = 16


def index_terms(texts: Iterable[str]) -> dict[str, str]:
    """The short pieces (titles, departments, places, skills) of normalised record texts,
    as fuzzy targets for words no vocabulary knows (CIO補佐官, 情報政策課)."""
    terms: dict[str, str] = {}
    for text in texts:
        for piece in _BREAKS.split(text):
            if 2 <= len(piece) <= INDEX_TERM_MAX:
                terms.setdefault(piece, piece)
    return terms


def slip_variants(word: str, terms: Iterable[str], limit: int = 5) -> list[str]:
    """Pieces of the indexed terms one slip away from ``word`` (cio補左官 → cio補佐官,
    補左官 → 補佐官), closest and most common first; none for words under 3 characters."""
    n = len(word)
    if not 3 <= n <= MAX_FUZZY_CHARS:
        return []
    chars = set(word)
    found: dict[str, None] = {}
    for term in terms:
        if len(term) < n - 1 or len(chars.intersection(term)) < len(chars) - 1:
            continue
        for size in (n, n - 1, n + 1):
            for i in range(0, len(term) - size + 1):
                window = term[i:i + size]
                if window != word and one_slip(word, window):
                    found.setdefault(window, None)
        if len(found) >= limit:
            break
    return list(found)[:limit]


def widen(kq: KeywordQuery, has_hits: Callable[[str], bool], terms: Iterable[str]
          ) -> KeywordQuery | None:
    """The query with each part that finds nothing replaced by its one-slip variants that
    do; None when no part could be corrected."""
    terms = list(terms)
    groups, labels, changed = [], [], False
    for group, label in zip(kq.groups, kq.terms, strict=False):
        if any(has_hits(alt) for alt in group):
            groups.append(group)
            labels.append(label)
            continue
        variants = [v for alt in group[:3] for v in slip_variants(alt, terms) if has_hits(v)]
        if not variants:
            return None
        groups.append(tuple(dict.fromkeys(variants)))
        labels.append(variants[0])
        changed = True
    return KeywordQuery(tuple(groups), tuple(labels)) if changed else None
