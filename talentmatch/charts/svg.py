"""PURE: what every chart of talentmatch.charts draws with — the SVG element that names
itself, escaped text, label fitting, round axes, the series legend.

The CSP allows no inline style or script, so every colour is a CSS class (`ch-s1` … in
static/css/app.css, each at least 3:1 against white) and every figure is also drawn as text.
Each chart names itself for assistive technology (role="img" with <title> and <desc>); the
page puts the same figures in a table. Every text and attribute is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Drawn about 1:1 in a dashboard card (its content is ~480px wide), so 12px text stays 12px.
WIDTH = 480
FONT = 12
SERIES_CLASSES = ("ch-s1", "ch-s2", "ch-s3", "ch-s4", "ch-s5", "ch-s6")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float]
    css: str = "ch-s1"


def axis(peak: float, count: int = 5) -> tuple[float, list[float]]:
    """A round top and its gridlines: at most ``count`` steps of 1, 2 or 5 × 10^k (whole
    numbers when the figures are whole, as counts are)."""
    if peak <= 0:
        return 1, [0, 1]
    raw = peak / count
    exp = math.floor(math.log10(raw))
    step = next(m * 10**exp for m in (1, 2, 5, 10) if m * 10**exp >= raw - 1e-9)
    if float(peak).is_integer():
        step = max(step, 1)
    top = math.ceil(peak / step - 1e-9) * step
    return top, [round(step * i, 6) for i in range(int(round(top / step)) + 1)]


def num(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def open_svg(chart_id: str, title: str, desc: str, width: int, height: int, *,
             interactive: bool = False) -> list[str]:
    """The opening tags. A chart holding links is a named group, not an image: an image's
    content is hidden from assistive technology, so links inside it could not be reached."""
    cid = escape(chart_id)
    role = "group" if interactive else "img"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="{role}" aria-labelledby="{cid}-title {cid}-desc" class="chart-svg" '
        f'data-chart="{cid}">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]


def text(x: float, y: float, text: str, cls: str, anchor: str = "start") -> str:
    """A text; a line break in ``text`` starts a second line below the first."""
    first, _, second = text.partition("\n")
    body = escape(first)
    if second:
        body += f'<tspan x="{x:g}" dy="14">{escape(second)}</tspan>'
    return f'<text x="{x:g}" y="{y:g}" class="{cls}" text-anchor="{anchor}">{body}</text>'


def fit(text: str, width: float) -> str:
    """Shorten a label to about ``width`` pixels (the full text stays in the table)."""
    if width_of(text) <= width:
        return text
    out = ""
    for ch in text:
        if width_of(out + ch + "…") > width:
            break
        out += ch
    return out + "…"


def legend(series: Sequence[Series], x: float, y: float) -> list[str]:
    parts = []
    cx = x
    for s in series:
        parts.append(f'<rect x="{cx:g}" y="{y - 11:g}" width="14" height="14" rx="2" '
                     f'class="{escape(s.css)}"/>')
        parts.append(text(cx + 20, y, s.label, "ch-legend"))
        cx += 30 + width_of(s.label)
    return parts


def width_of(text: str) -> float:
    """Rough width in pixels at 13px: full-width characters are about twice as wide."""
    return sum(FONT if ord(ch) > 0x2E7F else FONT * 0.6 for ch in text)


def vertical_grid(parts: list[str], grid: Sequence[float], top: float, *, left: float,
                  plot: float, top_pad: float, height: float, tick=num) -> None:
    """Vertical gridlines with their figures above the plot (horizontal bar charts)."""
    for t in grid:
        x = left + plot * t / top
        parts.append(f'<line x1="{x:g}" y1="{top_pad - 6}" x2="{x:g}" y2="{height - 8}" '
                     f'class="ch-grid"/>')
        parts.append(text(x, top_pad - 10, tick(t), "ch-tick", "middle"))


def horizontal_grid(parts: list[str], grid: Sequence[float], top: float, *, left: float,
                    right: float, top_pad: float, plot_h: float, tick=num) -> None:
    """Horizontal gridlines with their figures left of the plot (columns and lines)."""
    for t in grid:
        y = top_pad + plot_h - plot_h * t / top
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" '
                     f'class="ch-grid"/>')
        parts.append(text(left - 8, y + 4, tick(t), "ch-tick", "end"))


def base_line(left: float, right: float, y: float) -> str:
    return (f'<line x1="{left}" y1="{y}" x2="{WIDTH - right}" '
            f'y2="{y}" class="ch-axis"/>')
