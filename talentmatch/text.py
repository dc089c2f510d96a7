"""PURE: Japanese-aware text normalisation and keyword queries.

Shared by the public listing search, saved-search matching and the matcher, so that a
posting found by the listing for "ｾｷｭﾘﾃｨ" is the same one a subscriber is notified about.

Japanese users type without spaces and in any width or kana ("札幌市cio補佐官",
"せきゅりてぃ"), so queries are segmented against a lexicon of known terms (skills, place
names) instead of being split on whitespace only.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

# Anything longer is not a search query or a tag; capping keeps fuzzy work bounded.
MAX_QUERY_CHARS = 2_000
# Fuzzy matching only makes sense for short words; a long leftover is literal text.
MAX_FUZZY_CHARS = 40
FUZZY_MIN_LEN = 3
FUZZY_CUTOFF = 85.0
# Words this long or longer also match a known term with one slip (edit distance 1).
SLIP_MIN_LEN = 4

# Separator between fields of a stored search text: normalize() strips whitespace from
# queries, so no query alternative can ever match across two fields.
FIELD_SEPARATOR = "\n"

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_END = ""  # trie key marking the end of a term (no character is the empty string)


def _build_table() -> dict[int, int | None]:
    table: dict[int, int | None] = {}
    # Hiragana → katakana (ぁ..ゖ and the iteration marks ゝゞ): one script for kana readings.
    for cp in range(0x3041, 0x3097):
        table[cp] = cp + 0x60
    table[0x309D] = 0x30FD
    table[0x309E] = 0x30FE
    # Every whitespace character (incl. U+3000 ideographic space) sits below U+3001.
    for cp in range(0x3001):
        if chr(cp).isspace():
            table[cp] = None
    for ch in _ZERO_WIDTH:
        table[ord(ch)] = None
    return table


_TABLE = _build_table()
# The same plus what NFKC and casefold do to the characters Japanese text is full of
# (full-width ASCII, capitals): most texts then need no full NFKC pass at all.
_FAST_TABLE = dict(_TABLE)
for _cp in range(0xFF01, 0xFF5F):
    _FAST_TABLE[_cp] = ord(chr(_cp - 0xFEE0).lower())
for _cp in range(ord("A"), ord("Z") + 1):
    _FAST_TABLE[_cp] = _cp + 32


def normalize(text: str | None, max_chars: int | None = None) -> str:
    """NFKC (width), casefold, hiragana→katakana, no whitespace.

    ``max_chars`` caps the input before any work; callers doing fuzzy matching pass it.
    """
    if not text:
        return ""
    if max_chars is not None:
        text = text[:max_chars]
    fast = text.translate(_FAST_TABLE)
    # The per-character shortcut is exact whenever its result is already NFKC and
    # casefolded (anything composed or folded differently, e.g. ｶﾞ or É, fails the check).
    if unicodedata.is_normalized("NFKC", fast) and (fast.isascii() or fast.casefold() == fast):
        return fast
    return unicodedata.normalize("NFKC", text).casefold().translate(_TABLE)


def search_text(*parts: str | None) -> str:
    """The stored, normalised search text of a record (e.g. a posting's title, duties,
    skills and municipality name), for `KeywordQuery.matches` and the SQL LIKE groups."""
    return FIELD_SEPARATOR.join(n for n in (normalize(p) for p in parts) if n)


_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


class Lexicon:
    """Known terms grouped in synonym sets (after `normalize`).

    A term found in a query expands to every term of its group(s). A term that belongs
    to several groups (two towns with the same reading) expands to all of them.
    """

    def __init__(self, groups: Iterable[Iterable[str]] = ()) -> None:
        self._groups: list[tuple[str, ...]] = []
        self._term_groups: dict[str, list[int]] = {}
        self._display: dict[str, str] = {}  # normalised term → as first written
        self._ready = False
        for group in groups:
            self.add_group(group)

    def add_group(self, terms: Iterable[str]) -> None:
        normalized: list[str] = []
        for term in terms:
            n = normalize(term, MAX_FUZZY_CHARS * 4)
            if n and n not in normalized:
                normalized.append(n)
                self._display.setdefault(n, " ".join(term.split()))
        if not normalized:
            return
        gid = len(self._groups)
        self._groups.append(tuple(normalized))
        for n in normalized:
            ids = self._term_groups.setdefault(n, [])
            if gid not in ids:
                ids.append(gid)
        self._ready = False

    def __len__(self) -> int:
        return len(self._term_groups)

    def __contains__(self, normalized_term: object) -> bool:
        return normalized_term in self._term_groups

    def _prepare(self) -> None:
        if self._ready:
            return
        # A character trie: a scan costs one dict step per character actually shared with
        # a term, instead of a slice and lookup per possible term length.
        trie: dict[str, dict] = {}
        for term in self._term_groups:
            node = trie
            for ch in term:
                node = node.setdefault(ch, {})
            node[_END] = True
        self._trie = trie
        self._alternatives: dict[str, tuple[str, ...]] = {}
        for term, gids in self._term_groups.items():
            alts: list[str] = []
            for gid in gids:
                alts.extend(a for a in self._groups[gid] if a not in alts)
            self._alternatives[term] = _prune_alternatives(alts)
        # Fuzzy candidates sorted by (length, term) so a slice by length is one window.
        fuzzy = sorted(
            (t for t in self._term_groups if len(t) >= FUZZY_MIN_LEN), key=lambda t: (len(t), t)
        )
        self._fuzzy_terms = fuzzy
        self._fuzzy_lens = [len(t) for t in fuzzy]
        # Bigram → fuzzy candidates. Two words with ratio ≥ 85 always share a bigram (the
        # few edits cannot break every adjacent pair), so only those are compared.
        bigrams: dict[str, list[int]] = {}
        for i, t in enumerate(fuzzy):
            for bg in {t[k : k + 2] for k in range(len(t) - 1)}:
                bigrams.setdefault(bg, []).append(i)
        self._fuzzy_bigrams = bigrams
        self._fuzzy_cache: dict[tuple[str, float], str | None] = {}
        self._ready = True

    def display_terms(self) -> dict[str, str]:
        """Every known term, normalised → as written in the vocabulary (for suggestions)."""
        return self._display

    def alternatives(self, normalized_term: str) -> tuple[str, ...]:
        """Every normalised synonym of a known term (the term itself included)."""
        self._prepare()
        return self._alternatives.get(normalized_term, ())

    def find_all(self, text: str, starts: Sequence[bool] | None = None) -> list[tuple[int, int]]:
        """Every (start, end) span of `text` that is a known term, honouring ASCII word
        boundaries: an ASCII term never matches inside a longer ASCII word ("ai" in
        "email"). `starts[i]` marks a whitespace break before position i."""
        self._prepare()
        spans: list[tuple[int, int]] = []
        n = len(text)
        trie = self._trie
        word = _ASCII_WORD
        for i in range(n):
            node = trie.get(text[i])
            if node is None:
                continue
            if i and text[i] in word and text[i - 1] in word and not (starts and starts[i]):
                continue
            j = i + 1
            while True:
                if _END in node and (
                    j == n
                    or text[j] not in word
                    or text[j - 1] not in word
                    or (starts and starts[j])
                ):
                    spans.append((i, j))
                if j == n:
                    break
                node = node.get(text[j])
                if node is None:
                    break
                j += 1
        return spans

    def segment(
        self, text: str, starts: Sequence[bool] | None = None
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Longest match first, consuming spans: returns (term spans, leftover spans), each
        in text order. A specific term beats a general one inside it (ガバメントクラウド移行
        is one term, not クラウド)."""
        spans = self.find_all(text, starts)
        spans.sort(key=lambda s: (s[0] - s[1], s[0]))
        taken = bytearray(len(text))
        chosen: list[tuple[int, int]] = []
        for i, j in spans:
            if any(taken[i:j]):
                continue
            taken[i:j] = b"\x01" * (j - i)
            chosen.append((i, j))
        chosen.sort()
        leftovers: list[tuple[int, int]] = []
        pos = 0
        for i, j in chosen:
            if i > pos:
                leftovers.append((pos, i))
            pos = j
        if pos < len(text):
            leftovers.append((pos, len(text)))
        return chosen, leftovers

    def fuzzy(self, normalized: str, cutoff: float = FUZZY_CUTOFF) -> str | None:
        """The closest known term by rapidfuzz ratio, or None below `cutoff`."""
        if not FUZZY_MIN_LEN <= len(normalized) <= MAX_FUZZY_CHARS:
            return None
        self._prepare()
        key = (normalized, cutoff)
        if key in self._fuzzy_cache:
            return self._fuzzy_cache[key]
        # ratio = 2·common/(a+b) ≥ c bounds the other length to [a·c/(2−c), a·(2−c)/c].
        c = cutoff / 100.0
        a = len(normalized)
        lo = max(FUZZY_MIN_LEN, int(a * c / (2 - c)))
        hi = int(a * (2 - c) / c) + 1
        begin = bisect_left(self._fuzzy_lens, lo)
        end = bisect_right(self._fuzzy_lens, hi)
        candidates: set[int] = set()
        for k in range(a - 1):
            candidates.update(self._fuzzy_bigrams.get(normalized[k : k + 2], ()))
        # Sorted by (length, term): the same query always picks the same closest term.
        choices = [self._fuzzy_terms[i] for i in sorted(candidates) if begin <= i < end]
        result: str | None = None
        if choices:
            found = process.extractOne(normalized, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
            if found is not None:
                result = found[0]
        if result is None and a >= SLIP_MIN_LEN:
            # One character typed wrong, missing or extra (セキュリテイ, cio補左官): a short
            # Japanese word with one slip is below any useful ratio, so count the edits.
            for i in sorted(candidates):
                term = self._fuzzy_terms[i]
                if abs(len(term) - a) <= 1 and Levenshtein.distance(
                        normalized, term, score_cutoff=1) <= 1:
                    result = term
                    break
        if len(self._fuzzy_cache) > 10_000:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[key] = result
        return result


def _prune_alternatives(alternatives: Iterable[str]) -> tuple[str, ...]:
    """Drop alternatives that contain a shorter one: for substring matching they add
    nothing, and fewer LIKE clauses keep the listing query small."""
    alts = sorted(set(alternatives), key=lambda a: (len(a), a))
    kept: list[str] = []
    for a in alts:
        if not any(k in a for k in kept):
            kept.append(a)
    return tuple(kept)


def escape_like(value: str) -> str:
    """Escape LIKE wildcards for use with ESCAPE '\\'."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class KeywordQuery:
    """Groups combine with AND; the alternatives inside a group with OR (substrings of a
    normalised text). `terms` keeps what each group came from, for display."""

    groups: tuple[tuple[str, ...], ...] = ()
    terms: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups)

    def matches(self, normalized_text: str) -> bool:
        return all(any(alt in normalized_text for alt in group) for group in self.groups)


def parse_query(q: str | None, lexicon: Lexicon | None = None, max_terms: int = 8) -> KeywordQuery:
    """Parse a listing / saved-search keyword query.

    Split on whitespace, then segment each chunk by longest known term; unknown leftovers of
    two or more characters stay literal. A word that is not a known term is also compared
    fuzzily with the lexicon so that typos still find the synonyms. A chunk that yields
    nothing (a lone "%") is kept literally, so odd input narrows and never widens a search.
    """
    if not q:
        return KeywordQuery()
    groups: list[tuple[str, ...]] = []
    terms: list[str] = []

    def add(label: str, alternatives: Iterable[str]) -> None:
        alts = _prune_alternatives(alternatives)
        if alts and alts not in groups:
            groups.append(alts)
            terms.append(label)

    for raw in q[:MAX_QUERY_CHARS].split():
        if len(groups) >= max_terms:  # the rest would be cut anyway: no fuzzy work for it
            break
        chunk = normalize(raw)
        if not chunk:
            continue
        if lexicon is None:
            add(chunk, (chunk,))
            continue
        alts = lexicon.alternatives(chunk)
        if alts:
            add(chunk, alts)
            continue
        spans, leftovers = lexicon.segment(chunk)
        long_leftovers = [(i, j) for i, j in leftovers if j - i >= 2]
        if long_leftovers:
            # A misspelt whole word ("情報セキュリテイ") is better caught as one word than
            # as pieces around an accidental short term.
            near = lexicon.fuzzy(chunk)
            if near is not None:
                add(chunk, (chunk, *lexicon.alternatives(near)))
                continue
        before = len(groups)
        pieces = sorted(
            [(i, j, True) for i, j in spans] + [(i, j, False) for i, j in long_leftovers]
        )
        for i, j, known in pieces:
            piece = chunk[i:j]
            if known:
                add(piece, lexicon.alternatives(piece))
            else:
                near = lexicon.fuzzy(piece)
                add(piece, (piece, *(lexicon.alternatives(near) if near else ())))
        if len(groups) == before:
            add(chunk, (chunk,))
    return KeywordQuery(tuple(groups[:max_terms]), tuple(terms[:max_terms]))
