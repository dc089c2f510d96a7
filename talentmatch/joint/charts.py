"""PURE: dashboard charts as server-rendered SVG (bars, columns, lines, stacked bars and
shares of a whole).

The CSP allows no inline style or script, so every colour is a CSS class (`ch-s1` … in
static/css/app.css, each at least 3:1 against white) and every figure is also drawn as text.
Each chart names itself for assistive technology (role="img" with <title> and <desc>); the
page puts the same figures in a table and a CSV file. Every text and attribute is escaped.
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
class Bar:
    label: str
    value: float
    text: str  # the value as shown
    href: str | None = None


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


def _num(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    cid = escape(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{cid}-title {cid}-desc" class="chart-svg" '
        f'data-chart="{cid}">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]


def _text(x: float, y: float, text: str, cls: str, anchor: str = "start") -> str:
    """A text; a line break in ``text`` starts a second line below the first."""
    first, _, second = text.partition("\n")
    body = escape(first)
    if second:
        body += f'<tspan x="{x:g}" dy="14">{escape(second)}</tspan>'
    return f'<text x="{x:g}" y="{y:g}" class="{cls}" text-anchor="{anchor}">{body}</text>'


def _fit(text: str, width: float) -> str:
    """Shorten a label to about ``width`` pixels (the full text stays in the table)."""
    if _width_of(text) <= width:
        return text
    out = ""
    for ch in text:
        if _width_of(out + ch + "…") > width:
            break
        out += ch
    return out + "…"


def _legend(series: Sequence[Series], x: float, y: float) -> list[str]:
    parts = []
    cx = x
    for s in series:
        parts.append(f'<rect x="{cx:g}" y="{y - 11:g}" width="14" height="14" rx="2" '
                     f'class="{escape(s.css)}"/>')
        parts.append(_text(cx + 20, y, s.label, "ch-legend"))
        cx += 30 + _width_of(s.label)
    return parts


def _width_of(text: str) -> float:
    """Rough width in pixels at 13px: full-width characters are about twice as wide."""
    return sum(FONT if ord(ch) > 0x2E7F else FONT * 0.6 for ch in text)


def bar_chart(bars: Sequence[Bar], *, chart_id: str, title: str, desc: str,
              label_width: int | None = None) -> str:
    """Horizontal bars, one per row, scaled to a round maximum with light gridlines."""
    row, bar_h, top_pad = 28, 18, 24
    label_w = label_width or int(min(170, max(72, max((_width_of(b.label) for b in bars),
                                                      default=60) + 14)))
    value_w = max(40, int(max((_width_of(b.text) for b in bars), default=20)) + 14)
    plot = WIDTH - label_w - value_w
    top, grid = axis(max((b.value for b in bars), default=0))
    height = top_pad + row * max(1, len(bars)) + 8
    parts = _open(chart_id, title, desc, WIDTH, height)
    for t in grid:
        x = label_w + plot * t / top
        parts.append(f'<line x1="{x:g}" y1="{top_pad - 6}" x2="{x:g}" y2="{height - 8}" '
                     f'class="ch-grid"/>')
        parts.append(_text(x, top_pad - 10, _num(t), "ch-tick", "middle"))
    for i, b in enumerate(bars):
        y = top_pad + i * row + (row - bar_h) / 2
        w = plot * max(b.value, 0) / top
        if b.value > 0:
            w = max(w, 2)
        label = _text(label_w - 8, y + bar_h - 4, _fit(b.label, label_w - 10), "ch-label", "end")
        if b.href:
            label = (f'<a href="{escape(b.href)}" class="ch-link">{label}</a>')
        parts.append(label)
        parts.append(f'<rect x="{label_w}" y="{y:g}" width="{w:.1f}" height="{bar_h}" rx="2" '
                     f'class="ch-s1"><title>{escape(b.label)}: {escape(b.text)}</title></rect>')
        parts.append(_text(label_w + w + 6, y + bar_h - 4, b.text, "ch-value"))
    parts.append(f'<line x1="{label_w}" y1="{top_pad - 6}" x2="{label_w}" y2="{height - 8}" '
                 f'class="ch-axis"/>')
    parts.append("</svg>")
    return "".join(parts)


def share_chart(items: Sequence[tuple[str, int, int]], *, chart_id: str, title: str, desc: str,
                of_text: str = "{part} / {whole}") -> str:
    """For each (label, part, whole): a full-width track for the whole and the part's share
    filled in, with 'part / whole (p%)' written beside it."""
    row, bar_h, top_pad = 32, 18, 24
    label_w = int(min(140, max(60, max((_width_of(i[0]) for i in items), default=40) + 14)))
    value_w = 118
    plot = WIDTH - label_w - value_w
    height = top_pad + row * max(1, len(items)) + 8
    parts = _open(chart_id, title, desc, WIDTH, height)
    for t in (0, 25, 50, 75, 100):
        x = label_w + plot * t / 100
        parts.append(f'<line x1="{x:g}" y1="{top_pad - 6}" x2="{x:g}" y2="{height - 8}" '
                     f'class="ch-grid"/>')
        parts.append(_text(x, top_pad - 10, f"{t}%", "ch-tick", "middle"))
    for i, (label, part, whole) in enumerate(items):
        y = top_pad + i * row + (row - bar_h) / 2
        pct = part / whole * 100 if whole else 0
        w = plot * pct / 100
        if part > 0:
            w = max(w, 2)
        text = of_text.format(part=f"{part:,}", whole=f"{whole:,}") + f" ({pct:.1f}%)"
        parts.append(_text(label_w - 8, y + bar_h - 5, _fit(label, label_w - 10), "ch-label",
                           "end"))
        parts.append(f'<rect x="{label_w}" y="{y:g}" width="{plot}" height="{bar_h}" rx="2" '
                     f'class="ch-track"/>')
        parts.append(f'<rect x="{label_w}" y="{y:g}" width="{w:.1f}" height="{bar_h}" rx="2" '
                     f'class="ch-s2"><title>{escape(label)}: {escape(text)}</title></rect>')
        parts.append(_text(label_w + plot + 6, y + bar_h - 5, text, "ch-value"))
    parts.append("</svg>")
    return "".join(parts)


def column_chart(labels: Sequence[str], series: Sequence[Series], *, chart_id: str, title: str,
                 desc: str, stacked: bool = False, value_format=_num, height: int = 250,
                 x_title: str = "", y_title: str = "") -> str:
    """Vertical columns per category: side by side for several series, or stacked. Single
    series get their value written above each column."""
    left, right, top_pad, bottom = 52, 8, 40 if len(series) > 1 else 22, 36
    if y_title:
        top_pad += 14
    if x_title:
        height += 18
    plot_w, plot_h = WIDTH - left - right, height - top_pad - bottom - (18 if x_title else 0)
    n = max(1, len(labels))
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    peak = max(totals if stacked else [v for s in series for v in s.values] or [0], default=0)
    top, grid = axis(peak)
    parts = _open(chart_id, title, desc, WIDTH, height)
    if len(series) > 1:
        parts += _legend(series, left, 16)
    if y_title:
        parts.append(_text(4, top_pad - 12, y_title, "ch-axis-title"))
    if x_title:
        parts.append(_text(left + plot_w / 2, height - 6, x_title, "ch-axis-title", "middle"))
    for t in grid:
        y = top_pad + plot_h - plot_h * t / top
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" '
                     f'class="ch-grid"/>')
        parts.append(_text(left - 8, y + 4, value_format(t), "ch-tick", "end"))
    slot = plot_w / n
    group_w = min(slot * 0.7, 72)
    col_w = group_w if stacked else group_w / max(1, len(series))
    for i, label in enumerate(labels):
        x0 = left + slot * i + (slot - group_w) / 2
        base = top_pad + plot_h
        for j, s in enumerate(series):
            v = s.values[i]
            h = plot_h * max(v, 0) / top
            x = x0 if stacked else x0 + j * col_w
            y = base - h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{col_w:.1f}" height="{h:.1f}" '
                         f'class="{escape(s.css)}"><title>{escape(label)} {escape(s.label)}: '
                         f'{escape(value_format(v))}</title></rect>')
            if stacked:
                base = y
            elif len(series) == 1:
                parts.append(_text(x + col_w / 2, y - 6, value_format(v), "ch-value", "middle"))
        if stacked and len(series) > 1:
            parts.append(_text(x0 + group_w / 2, base - 6, value_format(totals[i]), "ch-value",
                               "middle"))
        parts.append(_text(left + slot * i + slot / 2, top_pad + plot_h + 18,
                           _fit(label, slot - 4), "ch-label", "middle"))
    parts.append(f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{WIDTH - right}" '
                 f'y2="{top_pad + plot_h}" class="ch-axis"/>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(labels: Sequence[str], series: Sequence[Series], *, chart_id: str, title: str,
               desc: str, height: int = 240, label_every: int = 1) -> str:
    """Lines over an ordered axis (months), each point marked and named."""
    left, right, top_pad, bottom = 44, 16, 40 if len(series) > 1 else 22, 48
    plot_w, plot_h = WIDTH - left - right, height - top_pad - bottom
    top, grid = axis(max((v for s in series for v in s.values), default=0))
    n = len(labels)
    parts = _open(chart_id, title, desc, WIDTH, height)
    if len(series) > 1:
        parts += _legend(series, left, 16)
    for t in grid:
        y = top_pad + plot_h - plot_h * t / top
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" '
                     f'class="ch-grid"/>')
        parts.append(_text(left - 8, y + 4, _num(t), "ch-tick", "end"))

    def x_of(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    for i, label in enumerate(labels):
        if i % label_every == 0 or i == n - 1:
            parts.append(_text(x_of(i), top_pad + plot_h + 18, label, "ch-label", "middle"))
    for s in series:
        pts = [(x_of(i), top_pad + plot_h - plot_h * max(v, 0) / top)
               for i, v in enumerate(s.values)]
        if len(pts) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            parts.append(f'<polyline points="{path}" class="ch-line {escape(s.css)}"/>')
        for (x, y), v, label in zip(pts, s.values, labels, strict=False):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="ch-dot {escape(s.css)}">'
                         f"<title>{escape(label)} {escape(s.label)}: {escape(_num(v))}</title>"
                         "</circle>")
        if pts:
            x, y = pts[-1]
            parts.append(_text(x, y - 10, _num(s.values[-1]), "ch-value", "middle"))
    parts.append(f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{WIDTH - right}" '
                 f'y2="{top_pad + plot_h}" class="ch-axis"/>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar_chart(labels: Sequence[str], series: Sequence[Series], *, chart_id: str,
                      title: str, desc: str) -> str:
    """Horizontal bars split into segments (e.g. postings waiting, by age), legend on top,
    the total at the end of each bar and a segment's figure inside it when it fits."""
    row, bar_h, top_pad = 32, 20, 50
    label_w = int(min(190, max(72, max((_width_of(x) for x in labels), default=60) + 14)))
    value_w = 36
    plot = WIDTH - label_w - value_w
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top, grid = axis(max(totals, default=0))
    height = top_pad + row * max(1, len(labels)) + 8
    parts = _open(chart_id, title, desc, WIDTH, height)
    parts += _legend(series, 4, 16)
    for t in grid:
        x = label_w + plot * t / top
        parts.append(f'<line x1="{x:g}" y1="{top_pad - 6}" x2="{x:g}" y2="{height - 8}" '
                     f'class="ch-grid"/>')
        parts.append(_text(x, top_pad - 10, _num(t), "ch-tick", "middle"))
    for i, label in enumerate(labels):
        y = top_pad + i * row + (row - bar_h) / 2
        parts.append(_text(label_w - 8, y + bar_h - 6, _fit(label, label_w - 10), "ch-label",
                           "end"))
        x = float(label_w)
        for s in series:
            v = s.values[i]
            if v <= 0:
                continue
            w = plot * v / top
            parts.append(f'<rect x="{x:.1f}" y="{y:g}" width="{w:.1f}" height="{bar_h}" '
                         f'class="{escape(s.css)} ch-seg"><title>{escape(label)} '
                         f'{escape(s.label)}: {escape(_num(v))}</title></rect>')
            if w >= 8 + _width_of(_num(v)):
                parts.append(_text(x + w / 2, y + bar_h - 6, _num(v), "ch-inside", "middle"))
            x += w
        parts.append(_text(x + 6, y + bar_h - 6, _num(totals[i]), "ch-value"))
    parts.append("</svg>")
    return "".join(parts)
