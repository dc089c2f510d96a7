"""PURE: horizontal bar charts as SVG — one bar per row, bars split into segments, and
shares of a whole (see talentmatch.charts.svg for what every chart shares)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from talentmatch.charts.svg import (
    WIDTH,
    Series,
    axis,
    fit,
    legend,
    num,
    open_svg,
    text,
    vertical_grid,
    width_of,
)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as shown
    href: str | None = None


def bar_chart(bars: Sequence[Bar], *, chart_id: str, title: str, desc: str,
              label_width: int | None = None) -> str:
    """Horizontal bars, one per row, scaled to a round maximum with light gridlines."""
    row, bar_h, top_pad = 28, 18, 24
    label_w = label_width or int(min(170, max(72, max((width_of(b.label) for b in bars),
                                                      default=60) + 14)))
    value_w = max(40, int(max((width_of(b.text) for b in bars), default=20)) + 14)
    plot = WIDTH - label_w - value_w
    top, grid = axis(max((b.value for b in bars), default=0))
    height = top_pad + row * max(1, len(bars)) + 8
    parts = open_svg(chart_id, title, desc, WIDTH, height,
                     interactive=any(b.href for b in bars))
    vertical_grid(parts, grid, top, left=label_w, plot=plot, top_pad=top_pad, height=height)
    for i, b in enumerate(bars):
        y = top_pad + i * row + (row - bar_h) / 2
        w = plot * max(b.value, 0) / top
        if b.value > 0:
            w = max(w, 2)
        label = text(label_w - 8, y + bar_h - 4, fit(b.label, label_w - 10), "ch-label", "end")
        if b.href:
            label = (f'<a href="{escape(b.href)}" class="ch-link">{label}</a>')
        parts.append(label)
        parts.append(f'<rect x="{label_w}" y="{y:g}" width="{w:.1f}" height="{bar_h}" rx="2" '
                     f'class="ch-s1"><title>{escape(b.label)}: {escape(b.text)}</title></rect>')
        parts.append(text(label_w + w + 6, y + bar_h - 4, b.text, "ch-value"))
    parts.append(f'<line x1="{label_w}" y1="{top_pad - 6}" x2="{label_w}" y2="{height - 8}" '
                 f'class="ch-axis"/>')
    parts.append("</svg>")
    return "".join(parts)


def share_chart(items: Sequence[tuple[str, int, int]], *, chart_id: str, title: str, desc: str,
                of_text: str = "{part} / {whole}") -> str:
    """For each (label, part, whole): a full-width track for the whole and the part's share
    filled in, with 'part / whole (p%)' written beside it."""
    row, bar_h, top_pad = 32, 18, 24
    label_w = int(min(140, max(60, max((width_of(i[0]) for i in items), default=40) + 14)))
    value_w = 118
    plot = WIDTH - label_w - value_w
    height = top_pad + row * max(1, len(items)) + 8
    parts = open_svg(chart_id, title, desc, WIDTH, height)
    vertical_grid(parts, (0, 25, 50, 75, 100), 100, left=label_w, plot=plot, top_pad=top_pad,
                  height=height, tick=lambda t: f"{t}%")
    for i, (label, part, whole) in enumerate(items):
        y = top_pad + i * row + (row - bar_h) / 2
        pct = part / whole * 100 if whole else 0
        w = plot * pct / 100
        if part > 0:
            w = max(w, 2)
        value = of_text.format(part=f"{part:,}", whole=f"{whole:,}") + f" ({pct:.1f}%)"
        parts.append(text(label_w - 8, y + bar_h - 5, fit(label, label_w - 10), "ch-label",
                          "end"))
        parts.append(f'<rect x="{label_w}" y="{y:g}" width="{plot}" height="{bar_h}" rx="2" '
                     f'class="ch-track"/>')
        parts.append(f'<rect x="{label_w}" y="{y:g}" width="{w:.1f}" height="{bar_h}" rx="2" '
                     f'class="ch-s2"><title>{escape(label)}: {escape(value)}</title></rect>')
        parts.append(text(label_w + plot + 6, y + bar_h - 5, value, "ch-value"))
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar_chart(labels: Sequence[str], series: Sequence[Series], *, chart_id: str,
                      title: str, desc: str) -> str:
    """Horizontal bars split into segments (e.g. postings waiting, by age), legend on top,
    the total at the end of each bar and a segment's figure inside it when it fits."""
    row, bar_h, top_pad = 32, 20, 50
    label_w = int(min(190, max(72, max((width_of(x) for x in labels), default=60) + 14)))
    value_w = 36
    plot = WIDTH - label_w - value_w
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top, grid = axis(max(totals, default=0))
    height = top_pad + row * max(1, len(labels)) + 8
    parts = open_svg(chart_id, title, desc, WIDTH, height)
    parts += legend(series, 4, 16)
    vertical_grid(parts, grid, top, left=label_w, plot=plot, top_pad=top_pad, height=height)
    for i, label in enumerate(labels):
        y = top_pad + i * row + (row - bar_h) / 2
        parts.append(text(label_w - 8, y + bar_h - 6, fit(label, label_w - 10), "ch-label",
                          "end"))
        x = float(label_w)
        for s in series:
            v = s.values[i]
            if v <= 0:
                continue
            w = plot * v / top
            parts.append(f'<rect x="{x:.1f}" y="{y:g}" width="{w:.1f}" height="{bar_h}" '
                         f'class="{escape(s.css)} ch-seg"><title>{escape(label)} '
                         f'{escape(s.label)}: {escape(num(v))}</title></rect>')
            if w >= 8 + width_of(num(v)):
                parts.append(text(x + w / 2, y + bar_h - 6, num(v), "ch-inside", "middle"))
            x += w
        parts.append(text(x + 6, y + bar_h - 6, num(totals[i]), "ch-value"))
    parts.append("</svg>")
    return "".join(parts)
