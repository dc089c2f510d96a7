"""PURE: every chart TalentMatch draws, as server-rendered SVG (DESIGN.md §9, §11).

``svg`` holds what all charts share (the self-naming SVG element, escaped text, round axes,
legends); ``bars`` the horizontal charts (bars, segmented bars, shares of a whole);
``columns`` columns and lines over an x axis; ``tilemap`` the map of the 47 prefectures and
its legend. The names below are the family's public face: ``from talentmatch import charts``.
"""

from talentmatch.charts.bars import Bar, bar_chart, share_chart, stacked_bar_chart
from talentmatch.charts.columns import column_chart, line_chart
from talentmatch.charts.svg import SERIES_CLASSES, WIDTH, Series, axis

__all__ = [
    "SERIES_CLASSES",
    "WIDTH",
    "Bar",
    "Series",
    "axis",
    "bar_chart",
    "column_chart",
    "line_chart",
    "share_chart",
    "stacked_bar_chart",
]
