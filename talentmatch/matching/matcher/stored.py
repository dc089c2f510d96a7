"""PURE: a profile's compiled form as stored with it, and the index built from many of them.

`pack_profile` turns what a professional wrote into one small binary row of uint32 words
(saved with the profile): the bitmasks and codes the scoring reads, then the vocabulary
token ids of the skills and of the experience text. Ids are positions in the vocabulary,
valid only for the vocabulary version stored next to them. Free skills (not in the
vocabulary) are kept as text by the profile and get their ids when an index is built.

`unpack_rows` reads many such rows at once with numpy (no per-row Python beyond joining
the bytes), which is what lets a new process build its index at national scale quickly.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from talentmatch.matching.matcher.compiled import Tokens, compile_profile
from talentmatch.matching.matcher.data import ProfileData

# Words before the token ids: focus_decl, emp, remote, prefs (low, high), quals (low,
# high), number of skill ids, number of experience ids.
HEADER = 9
_LOW = (1 << 32) - 1


def pack_profile(p: ProfileData, tokens: Tokens) -> bytes:
    """The stored row of one profile (only vocabulary ids: `tokens` must hold no free
    entries of other profiles, i.e. a fresh `Tokens(vocab)`)."""
    c = compile_profile(p, tokens, create=False)
    n_vocab = len(tokens.vocab.skill_keys)
    skills = [t for t in c.tokens if 0 < t <= n_vocab]
    exp = [t for t in c.exp if 0 < t <= n_vocab]
    words = [c.focus_decl, c.emp, c.remote, c.prefs & _LOW, c.prefs >> 32, c.quals & _LOW,
             c.quals >> 32, len(skills), len(exp), *skills, *exp]
    return struct.pack(f"<{len(words)}I", *words)


@dataclass
class Unpacked:
    """Columns of many stored rows (row i of every array is profile i)."""

    focus_decl: np.ndarray
    emp: np.ndarray
    remote: np.ndarray
    prefs: np.ndarray
    quals: np.ndarray
    skills_flat: np.ndarray  # int32 token ids, rows one after the other
    skills_starts: np.ndarray  # n + 1 offsets into skills_flat
    exp_flat: np.ndarray
    exp_starts: np.ndarray


def _segments(flat: np.ndarray, first: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The runs flat[first[i] : first[i] + counts[i]] joined, and their offsets."""
    starts = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    total = int(starts[-1])
    if total == 0:
        return np.zeros(0, dtype=np.int32), starts
    within = np.arange(total, dtype=np.int64) - np.repeat(starts[:-1], counts)
    return flat[np.repeat(first, counts) + within].astype(np.int32), starts


def unpack_rows(blobs: Sequence[bytes]) -> Unpacked:
    n = len(blobs)
    words = np.fromiter(map(len, blobs), dtype=np.int64, count=n) // 4
    flat = np.frombuffer(b"".join(blobs), dtype="<u4").astype(np.int64)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(words, out=offsets[1:])
    begin = offsets[:-1]
    head = flat[begin[:, None] + np.arange(HEADER)] if n else np.zeros((0, HEADER), np.int64)
    n_sk, n_ex = head[:, 7], head[:, 8]
    skills_flat, skills_starts = _segments(flat, begin + HEADER, n_sk)
    exp_flat, exp_starts = _segments(flat, begin + HEADER + n_sk, n_ex)
    return Unpacked(
        focus_decl=head[:, 0].astype(np.uint16),
        emp=head[:, 1].astype(np.uint8),
        remote=head[:, 2].astype(np.uint8),
        prefs=(head[:, 3].astype(np.uint64) | (head[:, 4].astype(np.uint64) << np.uint64(32))),
        quals=(head[:, 5].astype(np.uint64) | (head[:, 6].astype(np.uint64) << np.uint64(32))),
        skills_flat=skills_flat,
        skills_starts=skills_starts,
        exp_flat=exp_flat,
        exp_starts=exp_starts,
    )


def add_tokens(flat: np.ndarray, starts: np.ndarray, rows: Sequence[int],
               extra: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Token lists with `extra[k]` appended to row `rows[k]` (free skills' ids)."""
    if not rows:
        return flat, starts
    n = len(starts) - 1
    counts = np.diff(starts)
    base_rows = np.repeat(np.arange(n, dtype=np.int64), counts)
    add_rows = np.repeat(np.asarray(rows, dtype=np.int64),
                         np.fromiter((len(e) for e in extra), dtype=np.int64, count=len(extra)))
    add_toks = np.fromiter((t for e in extra for t in e), dtype=np.int32, count=len(add_rows))
    all_rows = np.concatenate([base_rows, add_rows])
    order = np.argsort(all_rows, kind="stable")
    merged = np.concatenate([flat, add_toks])[order]
    new_starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(all_rows, minlength=n), out=new_starts[1:])
    return merged.astype(np.int32), new_starts


def derived_focus(tokens: Tokens, flat: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per row, the focus areas its skills imply (OR of each token's areas)."""
    n = len(starts) - 1
    out = np.zeros(n, dtype=np.uint16)
    if len(flat) == 0:
        return out
    focus = np.asarray(tokens.focus, dtype=np.uint16)
    per_token = focus[np.minimum(flat, len(focus) - 1)] * (flat < len(focus))
    counts = np.diff(starts)
    has = counts > 0
    out[has] = np.bitwise_or.reduceat(per_token, starts[:-1][has])
    return out
