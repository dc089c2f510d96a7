"""PURE: the matching benchmark behind `flask bench match`.

Builds a synthetic but realistic population from the skills vocabulary (Japanese and
English names, synonyms, width / case / kana variants, varied focus areas, days and
prefectures) and times `MatchIndex.rank` against the naive alternatives a newcomer might
reach for: rapidfuzz over whole profile strings and difflib.
"""

from __future__ import annotations

import difflib
import gc
import os
import random
import statistics
import time
from collections.abc import Sequence
from typing import Any

from rapidfuzz import fuzz, process

from talentmatch.matching.matcher import (
    EMPLOYMENT_TYPES,
    REMOTE_MODES,
    REMOTE_PREFERENCES,
    MatchIndex,
    NeedData,
    PostingIndex,
    ProfileData,
)
from talentmatch.professionals.vocabulary import Vocabulary, load_vocabulary
from talentmatch.vocab import PREFECTURE_CODES

_ORGS = ("民間IT企業", "コンサルティング会社", "SIer", "県庁", "市役所", "大学", "スタートアップ")
_FREE_TAGS = ("自治体向け提案", "住民説明会", "議会答弁支援", "庁内勉強会", "地域おこし")
_PREFECTURES = PREFECTURE_CODES
# The population keeps the four forms of the first benchmarks so figures stay comparable
# across releases (a profile accepting none of them accepts every form).
_BENCH_EMPLOYMENT = EMPLOYMENT_TYPES[:4]


def _variant(term: str, rng: random.Random) -> str:
    """How people actually type a term: other width, case or kana."""
    roll = rng.random()
    if roll < 0.06:
        return term.upper()
    if roll < 0.12:
        return term.lower()
    if roll < 0.16:  # full-width ASCII
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in term)
    if roll < 0.20:  # katakana written in hiragana
        return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in term)
    return term


class _Synth:
    def __init__(self, vocab: Vocabulary, seed: int) -> None:
        # Synthetic data only; reproducible from the seed.
        self.rng = random.Random(seed)
        self.vocab = vocab
        self.keys = list(vocab.skill_keys)
        # Some skills are far more common than others (Zipf-like popularity).
        ranks = list(range(1, len(self.keys) + 1))
        self.rng.shuffle(ranks)
        self.popularity = [1.0 / r**0.8 for r in ranks]
        self.qual_names = [q.ja for q in vocab.qualifications.values()]
        self.areas = {k: vocab.skills[k].focus_areas for k in self.keys}

    def skills(self, k: int) -> list[str]:
        chosen: dict[str, None] = {}
        while len(chosen) < k:
            for key in self.rng.choices(self.keys, weights=self.popularity, k=k):
                chosen.setdefault(key)
        return list(chosen)[:k]

    def term(self, key: str) -> str:
        return _variant(self.rng.choice(self.vocab.skills[key].terms), self.rng)

    def text(self, keys: Sequence[str]) -> str:
        rng = self.rng
        chosen = [self.term(k) for k in keys]
        text = f"{rng.choice(_ORGS)}で{rng.randint(2, 25)}年間、{'、'.join(chosen[:2])}を担当しました。"
        if len(chosen) > 2:
            text += f"{'と'.join(chosen[2:4])}の経験もあります。"
        return text

    def focus(self, keys: Sequence[str]) -> list[str]:
        areas = sorted({fa for k in keys for fa in self.areas[k]})
        return self.rng.sample(areas, min(len(areas), self.rng.randint(1, 3)))

    def profile(self, pid: int) -> ProfileData:
        rng = self.rng
        keys = self.skills(rng.randint(5, 15))
        tags = [self.term(k) for k in keys]
        if rng.random() < 0.1:
            tags.append(rng.choice(_FREE_TAGS))
        available = float(rng.randint(2, 20))
        used = float(rng.randint(0, int(available * 0.6))) if rng.random() < 0.3 else 0.0
        n_pref = rng.choices((0, 1, 2, 3), weights=(0.2, 0.45, 0.25, 0.1))[0]
        accepted = [
            t
            for t in _BENCH_EMPLOYMENT
            if rng.random() < (0.3 if t == "full_time_staff" else 0.7)
        ]
        return ProfileData(
            id=pid,
            display_name=f"Professional {pid}",
            skills=tags,
            focus_areas=self.focus(keys),
            experience=self.text(rng.sample(keys, 4)),
            qualifications=rng.sample(self.qual_names, rng.randint(0, 2)),
            public_sector_experience=rng.random() < 0.3,
            preferred_prefectures=rng.sample(_PREFECTURES, n_pref),
            remote_preference=rng.choices(REMOTE_PREFERENCES, weights=(0.35, 0.45, 0.2))[0],
            available_days=available,
            used_days=used,
            accepted_employment_types=accepted,
            discoverable=rng.random() < 0.92,
        )

    def need(self, nid: int) -> NeedData:
        rng = self.rng
        keys = self.skills(rng.randint(3, 8))
        n_req = rng.randint(2, min(5, len(keys) - 1))
        return NeedData(
            id=nid,
            required_skills=[self.term(k) for k in keys[:n_req]],
            preferred_skills=[self.term(k) for k in keys[n_req:]],
            focus_areas=self.focus(keys),
            required_experience=self.text(keys[:3]),
            duties=self.text(rng.sample(keys, 3)),
            employment_type=rng.choices(_BENCH_EMPLOYMENT, weights=(0.05, 0.55, 0.15, 0.25))[0],
            days_per_month=float(rng.randint(1, 10)),
            remote=rng.choices(REMOTE_MODES, weights=(0.3, 0.5, 0.2))[0],
            prefecture_codes=rng.sample(_PREFECTURES, 3 if rng.random() < 0.1 else 1),
            preferred_qualifications=rng.sample(self.qual_names, rng.randint(0, 2)),
            title=f"CIO補佐官 {nid}",
        )


def _profile_string(p: ProfileData) -> str:
    return " ".join([*p.skills, *p.focus_areas, p.experience])


def _need_string(n: NeedData) -> str:
    return " ".join(
        [*n.required_skills, *n.preferred_skills, *n.focus_areas, n.required_experience]
    )


def _ms(seconds: Sequence[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def run_match_bench(
    profiles: int = 100_000, queries: int = 50, seed: int = 1, postings: int = 20_000
) -> dict[str, Any]:
    """Time ranking `profiles` professionals for `queries` postings, and recommending among
    `postings` open postings (reverse direction); see the module doc."""
    vocab = load_vocabulary()
    synth = _Synth(vocab, seed)
    people = [synth.profile(i + 1) for i in range(profiles)]
    needs = [synth.need(i + 1) for i in range(queries)]

    gc.collect()
    t0 = time.perf_counter()
    index = MatchIndex(people, vocab)
    build_s = time.perf_counter() - t0

    for need in needs[:3]:  # warm caches (tag resolution, lexicon)
        index.rank(need, limit=50)
    timings = []
    cpu = []  # this thread's CPU time: what a ranking costs even when the machine is busy
    for need in needs:
        t, c = time.perf_counter(), time.thread_time()
        index.rank(need, limit=50)
        cpu.append(time.thread_time() - c)
        timings.append(time.perf_counter() - t)
    median_ms, p95_ms = _ms(timings)

    # Naive baseline 1: rapidfuzz token_set_ratio of the query against whole profile strings.
    strings = [_profile_string(p) for p in people]
    naive = []
    for need in needs[: min(5, len(needs))]:
        t = time.perf_counter()
        process.cdist(strings, [_need_string(need)], scorer=fuzz.token_set_ratio, workers=-1)
        naive.append(time.perf_counter() - t)
    naive_ms = statistics.median(naive) * 1000

    # Naive baseline 2: difflib on a 10,000 sample, extrapolated to the full set.
    sample = strings[: min(10_000, len(strings))]
    query = _need_string(needs[0])
    t = time.perf_counter()
    for s in sample:
        difflib.SequenceMatcher(None, query, s).ratio()
    difflib_ms = (time.perf_counter() - t) * 1000 * (len(strings) / max(1, len(sample)))

    # Reverse direction: postings for a professional.
    posting_index = PostingIndex((synth.need(i + 1) for i in range(postings)), vocab)
    for p in people[:3]:
        posting_index.rank_for(p, limit=20)
    rec = []
    for p in people[3 : 3 + queries]:
        t = time.perf_counter()
        posting_index.rank_for(p, limit=20)
        rec.append(time.perf_counter() - t)
    recommend_ms, _ = _ms(rec)

    return {
        "profiles": len(index),
        "median_ms": round(median_ms, 2),
        "p95_ms": round(p95_ms, 2),
        "build_s": round(build_s, 2),
        "memory_mb": round(index.memory_bytes() / 2**20, 1),
        "naive_rapidfuzz_ms": round(naive_ms, 1),
        "difflib_ms": round(difflib_ms, 1),
        "speedup_vs_rapidfuzz": round(naive_ms / median_ms, 1),
        "speedup_vs_difflib": round(difflib_ms / median_ms, 1),
        "recommend_median_ms": round(recommend_ms, 2),
        "median_cpu_ms": round(statistics.median(cpu) * 1000, 2),
        "load_average": round(os.getloadavg()[0], 2),
    }
