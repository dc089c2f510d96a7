"""PURE: charts over an x axis as SVG — vertical columns (side by side or stacked) and
lines over ordered categories such as months (see talentmatch.charts.svg)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from talentmatch.charts.svg import (
    WIDTH,
    Series,
    axis,
    base_line,
    fit,
    horizontal_grid,
    legend,
    num,
    open_svg,
    text,
)


def column_chart(labels: Sequence[str], series: Sequence[Series], *, chart_id: str, title: str,
                 desc: str, stacked: bool = False, value_format=num, height: int = 250,
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
    parts = open_svg(chart_id, title, desc, WIDTH, height)
    if len(series) > 1:
        parts += legend(series, left, 16)
    if y_title:
        parts.append(text(4, top_pad - 12, y_title, "ch-axis-title"))
    if x_title:
        parts.append(text(left + plot_w / 2, height - 6, x_title, "ch-axis-title", "middle"))
    horizontal_grid(parts, grid, top, left=left, right=right, top_pad=top_pad, plot_h=plot_h,
                    tick=value_format)
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
                parts.append(text(x + col_w / 2, y - 6, value_format(v), "ch-value", "middle"))
        if stacked and len(series) > 1:
            parts.append(text(x0 + group_w / 2, base - 6, value_format(totals[i]), "ch-value",
                              "middle"))
        parts.append(text(left + slot * i + slot / 2, top_pad + plot_h + 18,
                          fit(label, slot - 4), "ch-label", "middle"))
    parts.append(base_line(left, right, top_pad + plot_h))
    parts.append("</svg>")
    return "".join(parts)


def line_chart(labels: Sequence[str], series: Sequence[Series], *, chart_id: str, title: str,
               desc: str, height: int = 240, label_every: int = 1) -> str:
    """Lines over an ordered axis (months), each point marked and named."""
    left, right, top_pad, bottom = 44, 16, 40 if len(series) > 1 else 22, 48
    plot_w, plot_h = WIDTH - left - right, height - top_pad - bottom
    top, grid = axis(max((v for s in series for v in s.values), default=0))
    n = len(labels)
    parts = open_svg(chart_id, title, desc, WIDTH, height)
    if len(series) > 1:
        parts += legend(series, left, 16)
    horizontal_grid(parts, grid, top, left=left, right=right, top_pad=top_pad, plot_h=plot_h)

    def x_of(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    for i, label in enumerate(labels):
        if i % label_every == 0 or i == n - 1:
            parts.append(text(x_of(i), top_pad + plot_h + 18, label, "ch-label", "middle"))
    for s in series:
        pts = [(x_of(i), top_pad + plot_h - plot_h * max(v, 0) / top)
               for i, v in enumerate(s.values)]
        if len(pts) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            parts.append(f'<polyline points="{path}" class="ch-line {escape(s.css)}"/>')
        for (x, y), v, label in zip(pts, s.values, labels, strict=False):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="ch-dot {escape(s.css)}">'
                         f"<title>{escape(label)} {escape(s.label)}: {escape(num(v))}</title>"
                         "</circle>")
        if pts:
            x, y = pts[-1]
            parts.append(text(x, y - 10, num(s.values[-1]), "ch-value", "middle"))
    parts.append(base_line(left, right, top_pad + plot_h))
    parts.append("</svg>")
    return "".join(parts)
