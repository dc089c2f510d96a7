"""What every dashboard chart is: a title, a sentence saying what it shows, the SVG, the
same figures as a table, and its CSV rows (``?format=csv&chart=<name>``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from talentmatch.charts.svg import num


@dataclass
class Chart:
    name: str
    title: str
    summary: str
    svg: Markup
    headers: list[str]
    rows: list[list[Any]]
    csv_header: list[str]
    csv_rows: list[list[Any]]
    note: str = ""
    oldest: list[dict] = field(default_factory=list)  # waiting: the longest waits
    aside: Markup | None = None  # a second view beside the first (the tile map's ranking)
    legend: list[tuple[int, str]] = field(default_factory=list)  # tile map colour levels


def num_text(v: float | int | None) -> str:
    """A figure as the dashboards write it: 1,234 or 12.5, and — for none."""
    return "—" if v is None else num(v)


def band_labels(bands) -> list[str]:
    """Axis labels for count bands are the figures themselves ("2–5", "61+"); the chart's
    title names the unit and the table spells the labels out."""
    return [b.replace("-", "–") for b in bands]


