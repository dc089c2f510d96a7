"""talentmatch.charts, the one SVG family every page draws with: bars, columns, lines,
segmented bars, shares of a whole and the tile map of the 47 prefectures."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from talentmatch import charts
from talentmatch.charts import tilemap

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314  (our own output)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    cid = root.get("data-chart")
    assert root.get("aria-labelledby") == f"{cid}-title {cid}-desc"
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
    assert "style=" not in svg and "<script" not in svg
    return root


def test_bar_chart_scales_to_a_round_maximum_and_escapes():
    svg = charts.bar_chart([charts.Bar("<b>A&B</b>", 30, "30"), charts.Bar("B", 15, "15")],
                           chart_id="x", title='T "1"', desc="D")
    root = _parse(svg)
    bars = [r for r in root.iter(f"{SVG}rect")]
    widths = [float(r.get("width")) for r in bars]
    assert widths[0] == pytest.approx(2 * widths[1])
    assert "<b>" not in svg and "&lt;b&gt;A&amp;B&lt;/b&gt;" in svg
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "30" in texts and "15" in texts


def test_column_line_stacked_and_share_charts_are_well_formed():
    s1 = charts.Series("a", [1, 2, 3], "ch-s1")
    s2 = charts.Series("b", [3, 0, 1], "ch-s2")
    for svg in (
        charts.column_chart(["x", "y", "z"], [s1], chart_id="c1", title="t", desc="d"),
        charts.column_chart(["x", "y", "z"], [s1, s2], chart_id="c2", title="t", desc="d",
                            stacked=True),
        charts.line_chart(["x", "y", "z"], [s1], chart_id="c3", title="t", desc="d"),
        charts.stacked_bar_chart(["x", "y", "z"], [s1, s2], chart_id="c4", title="t", desc="d"),
        charts.share_chart([("市", 3, 10), ("村", 0, 0)], chart_id="c5", title="t", desc="d"),
        charts.bar_chart([], chart_id="c6", title="t", desc="d"),
    ):
        _parse(svg)
    share = charts.share_chart([("市", 3, 12)], chart_id="c7", title="t", desc="d")
    assert "3 / 12 (25.0%)" in share


@pytest.mark.parametrize(("peak", "top", "grid"), [
    (0, 1, [0, 1]), (4, 4, [0, 1, 2, 3, 4]), (11, 15, [0, 5, 10, 15]),
    (230, 250, [0, 50, 100, 150, 200, 250]),
    (0.4, 0.4, [0, 0.1, 0.2, 0.3, 0.4]), (2_080_000, 2_500_000, [0, 500_000, 1_000_000,
                                                                  1_500_000, 2_000_000, 2_500_000]),
])
def test_axis_has_round_whole_steps(peak, top, grid):
    assert charts.axis(peak) == (pytest.approx(top), pytest.approx(grid))


def test_bar_chart_scales_to_the_largest_value():
    """The special grant's years: the largest bar spans the plot, the others in proportion,
    a zero draws nothing; each bar adds one row; no bars, no rectangles."""
    def draw(n):
        bars = [charts.Bar("FY2021", 100, "100"), charts.Bar("FY2022", 400, "400"),
                charts.Bar("FY2023", 0, "0")][:n]
        return _parse(charts.bar_chart(bars, chart_id="g", title="t", desc="d"))

    root = draw(3)
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    axis_line = root.findall(f"{SVG}line")[-1]
    plot_left = float(axis_line.get("x1"))
    plot_right = max(float(g.get("x1")) for g in root.findall(f"{SVG}line"))
    assert widths[1] == pytest.approx(plot_right - plot_left, abs=0.05)
    assert widths[0] == pytest.approx(widths[1] / 4, abs=0.05) and widths[2] == 0
    heights = [float(draw(n).get("viewBox").split()[3]) for n in (1, 2, 3)]
    assert heights[2] - heights[1] == heights[1] - heights[0] > 0
    assert list(draw(0).iter(f"{SVG}rect")) == []


def test_tile_map_names_every_tile_and_escapes():
    tiles = [tilemap.Tile(code, f"<{code}>", f'"{code}" & co', int(code), f"/postings?prefecture={code}")
             for code in tilemap.TILE_POSITIONS]
    svg = tilemap.render(tiles, title="Open <postings>")
    root = ET.fromstring(svg)  # noqa: S314 (well-formed XML)
    links = root.findall("{http://www.w3.org/2000/svg}a")
    assert len(links) == 47
    assert all(a.get("aria-label") and a.find("{http://www.w3.org/2000/svg}title") is not None
               for a in links)
    assert "<01>" not in svg and "&lt;01&gt;" in svg and "&quot;01&quot; &amp; co" in svg
    assert tilemap.level(0, tilemap.thresholds(47)) == 0
    assert tilemap.level(47, tilemap.thresholds(47)) == 4
    assert [lvl for lvl, *_ in tilemap.legend_ranges(47)] == [0, 1, 2, 3, 4]
    assert tilemap.legend_ranges(0) == [(0, 0, 0)]
    assert tilemap.short_name("神奈川県") == "神奈川" and tilemap.short_name("北海道") == "北海道"


def test_tiles_and_legend_say_what_they_show():
    names = {"01": "北海道", "13": "東京都", "14": "神奈川県"}
    tiles = tilemap.tiles(names, {"13": 1200}, lambda code: f"/p/{code}", lang="ja")
    assert [(t.code, t.short_name, t.count, t.href) for t in tiles] == [
        ("01", "北海道", 0, "/p/01"), ("13", "東京", 1200, "/p/13"), ("14", "神奈川", 0, "/p/14")]
    assert tiles[1].label == "東京都: 1,200 open postings"
    en = tilemap.tiles({"13": "Tokyo"}, {}, lambda code: "/", lang="en",
                       gettext=lambda msgid: f"[{msgid}]")
    assert en[0].short_name == "Tokyo" and en[0].label == "[Tokyo: 0 open postings]"
    assert tilemap.legend({"13": 8}) == [(0, "No open postings"), (1, "1–2 postings"),
                                         (2, "3–4 postings"), (3, "5–6 postings"),
                                         (4, "7–8 postings")]
    assert tilemap.legend({"13": 1}) == [(0, "No open postings"), (1, "1 postings")]
    assert tilemap.legend({}) == [(0, "No open postings")]
