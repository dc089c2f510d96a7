"""PURE: geometry of a horizontal bar chart, rendered as SVG by a template.

The page's CSP allows no inline styles or scripts, so the chart is plain SVG shapes with
classes; the template draws what this computes and the table next to it carries the figures.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 720
LABEL_WIDTH = 150
VALUE_WIDTH = 130
ROW_HEIGHT = 30
BAR_HEIGHT = 18
TOP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    value_text: str
    x: int
    y: int
    width: int
    height: int
    text_y: int
    value_x: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_x: int
    axis_x: int
    bars: tuple[Bar, ...]

    @property
    def empty(self) -> bool:
        return not self.bars


def bar_chart(items: list[tuple[str, int, str]]) -> BarChart:
    """``items`` are (label, value, formatted value); bars scale to the largest value."""
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    top = max((v for _, v, _ in items), default=0)
    bars = []
    for i, (label, value, text) in enumerate(items):
        w = round(plot * max(value, 0) / top) if top > 0 else 0
        y = TOP + i * ROW_HEIGHT
        bars.append(
            Bar(
                label=label,
                value=value,
                value_text=text,
                x=LABEL_WIDTH,
                y=y,
                width=max(w, 1 if value > 0 else 0),
                height=BAR_HEIGHT,
                text_y=y + BAR_HEIGHT - 4,
                value_x=LABEL_WIDTH + max(w, 0) + 6,
            )
        )
    return BarChart(
        width=WIDTH,
        height=TOP * 2 + ROW_HEIGHT * len(items),
        label_x=LABEL_WIDTH - 8,
        axis_x=LABEL_WIDTH,
        bars=tuple(bars),
    )
