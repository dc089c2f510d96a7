"""PURE: the tile map of the 47 prefectures as server-rendered SVG, and its legend.

Each prefecture is a square link, named (title and aria-label) with its count. Colours are
CSS classes (`tm-l0` … `tm-l4`, defined in static/css/app.css from the design tokens) so the
CSP needs no inline styles and every level keeps AA contrast for its text. The home page
links each tile to the listing, the national dashboard to the prefecture's dashboard; both
show the same legend (`legend`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from math import ceil

from talentmatch.messages import N_, Msg

TILE_W = 52
TILE_H = 44
GAP = 4

# Tile-map positions (column, row) for the 47 prefectures, north-east to south-west.
TILE_POSITIONS = {
    "01": (12, 0), "02": (11, 2), "03": (12, 3), "04": (12, 4), "05": (11, 3), "06": (11, 4),
    "07": (12, 5), "08": (12, 6), "09": (11, 6), "10": (10, 6), "11": (11, 7), "12": (12, 7),
    "13": (11, 8), "14": (10, 8), "15": (10, 4), "16": (9, 5), "17": (8, 5), "18": (8, 6),
    "19": (10, 7), "20": (9, 6), "21": (8, 7), "22": (9, 8), "23": (8, 8), "24": (7, 8),
    "25": (7, 7), "26": (6, 7), "27": (6, 8), "28": (5, 7), "29": (7, 9), "30": (6, 9),
    "31": (4, 6), "32": (3, 6), "33": (4, 7), "34": (3, 7), "35": (2, 7), "36": (4, 9),
    "37": (4, 8), "38": (3, 9), "39": (3, 10), "40": (1, 8), "41": (0, 8), "42": (0, 9),
    "43": (1, 9), "44": (2, 8), "45": (2, 10), "46": (1, 10), "47": (0, 12),
}

MSG_TILE = N_("%(prefecture)s: %(count)s open postings")
MSG_NONE = N_("No open postings")
MSG_ONE_COUNT = N_("%(n)s postings")
MSG_RANGE = N_("%(low)s–%(high)s postings")


@dataclass(frozen=True)
class Tile:
    code: str
    short_name: str  # drawn on the tile
    label: str  # accessible name, e.g. "東京都：12件の募集"
    count: int
    href: str


def thresholds(max_count: int) -> list[int]:
    """Lower bounds of levels 1..4: four equal-width bands from 1 to the maximum."""
    if max_count <= 0:
        return [1, 1, 1, 1]
    step = max(1, ceil(max_count / 4))
    return [1, 1 + step, 1 + 2 * step, 1 + 3 * step]


def level(count: int, bounds: Sequence[int]) -> int:
    if count <= 0:
        return 0
    return sum(1 for b in bounds if count >= b)


def legend_ranges(max_count: int) -> list[tuple[int, int, int]]:
    """(level, low, high) for the legend; empty bands are left out."""
    bounds = thresholds(max_count)
    out = [(0, 0, 0)]
    for i, low in enumerate(bounds, start=1):
        high = bounds[i] - 1 if i < len(bounds) else max_count
        if low <= high and low <= max_count:
            out.append((i, low, high))
    return out


def legend(counts: dict[str, int], gettext=None) -> list[tuple[int, str]]:
    """(level, what it means in the reader's language) for each colour the map uses."""
    out = []
    for lvl, low, high in legend_ranges(max(counts.values(), default=0)):
        if lvl == 0:
            msg = Msg(MSG_NONE)
        elif low == high:
            msg = Msg(MSG_ONE_COUNT, {"n": format(low, ",")})
        else:
            msg = Msg(MSG_RANGE, {"low": format(low, ","), "high": format(high, ",")})
        out.append((lvl, msg.render(gettext)))
    return out


def tiles(names: dict[str, str], counts: dict[str, int], href, *, lang: str,
          gettext=None) -> list[Tile]:
    """One tile per prefecture of ``names`` (code → name in the reader's language), linked
    to ``href(code)`` and named with its open postings."""
    out = []
    for code, name in names.items():
        n = counts.get(code, 0)
        label = Msg(MSG_TILE, {"prefecture": name, "count": f"{n:,}"}).render(gettext)
        out.append(Tile(code, name if lang == "en" else short_name(name), label, n, href(code)))
    return out


def render(tiles: Sequence[Tile], *, title: str, lang: str = "ja") -> str:
    """The SVG element. `title` names the whole map for assistive technology."""
    max_count = max((t.count for t in tiles), default=0)
    bounds = thresholds(max_count)
    cols = max(c for c, _ in TILE_POSITIONS.values()) + 1
    rows = max(r for _, r in TILE_POSITIONS.values()) + 1
    width = cols * (TILE_W + GAP)
    height = rows * (TILE_H + GAP)
    name_size = 12 if lang == "ja" else 9
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="group" aria-labelledby="tilemap-title" class="tilemap-svg">',
        f'<title id="tilemap-title">{escape(title)}</title>',
    ]
    for tile in tiles:
        col, row = TILE_POSITIONS[tile.code]
        x = col * (TILE_W + GAP)
        y = row * (TILE_H + GAP)
        lvl = level(tile.count, bounds)
        cx = x + TILE_W / 2
        parts.append(
            f'<a href="{escape(tile.href)}" aria-label="{escape(tile.label)}" '
            f'class="tm-tile tm-l{lvl}" data-prefecture="{escape(tile.code)}">'
            f"<title>{escape(tile.label)}</title>"
            f'<rect x="{x}" y="{y}" width="{TILE_W}" height="{TILE_H}" rx="4"/>'
            f'<text x="{cx:g}" y="{y + 18}" font-size="{name_size}" text-anchor="middle" '
            f'aria-hidden="true">{escape(tile.short_name)}</text>'
            f'<text x="{cx:g}" y="{y + 36}" font-size="13" font-weight="700" '
            f'text-anchor="middle" aria-hidden="true">{tile.count}</text>'
            "</a>"
        )
    parts.append("</svg>")
    return "".join(parts)


def short_name(name: str) -> str:
    """東京都 → 東京, 神奈川県 → 神奈川; 北海道 stays whole."""
    if name != "北海道" and len(name) > 2 and name[-1] in "都府県":
        return name[:-1]
    return name
