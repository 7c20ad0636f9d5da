"""SVG building blocks: escaping, scales, colours."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cxbench.report.charts.heatmap import shade
from cxbench.report.charts.ranking import RankHeaders, RankRow, ranking_chart
from cxbench.report.scales import Scale, nice_domain
from cxbench.report.svg import Svg, esc, text_width


def test_escaping():
    assert esc('<a href="x">&</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
    svg = Svg(100, 50, "Titel <1>", "desc & more", "u1")
    svg.text(1, 2, "A < B")
    root = ET.fromstring(svg.render())
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Titel <1>"


def test_text_width_grows_with_text():
    assert 0 < text_width("ICT", 13) < text_width("Facilitaire dienstverlening", 13)
    assert text_width("abc", 13, bold=True) > text_width("abc", 13)


def test_nice_domain_and_ticks():
    assert nice_domain([-4.4, 35.2], include=[0]) == (-10.0, 40.0)
    assert nice_domain([6.6, 8.3], limits=(1, 10)) == (6.5, 8.5)
    assert nice_domain([None]) == (0.0, 1.0)
    scale = Scale(-20, 40, 0, 600)
    assert scale(-20) == 0 and scale(40) == 600 and scale.clamp(90) == 600
    assert scale.ticks() == [-20, 0, 20, 40]
    assert scale.ticks(8) == [-20, -10, 0, 10, 20, 30, 40]
    assert all(float(t).is_integer() for t in Scale(-43, -30, 0, 1).ticks(6))


def test_heat_colours_keep_text_readable():
    light_fill, light_text = shade(0.0)
    dark_fill, dark_text = shade(1.0)
    assert light_fill != dark_fill
    assert light_text == "#1d2433" and dark_text == "#ffffff"


def test_ranking_marks_suppressed_rows():
    headers = RankHeaders("NPS", "vs 2019", "n", "all", "95%", "rise", "fall", "suppressed")
    rows = [
        RankRow("All", 11.0, 8.0, 14.0, "+11", emphasis=True),
        RankRow("Industry", 35.0, 29.0, 41.0, "+35", "+8", 8.0, True),
        RankRow(
            "Waste", None, None, None, "", suppressed=True, suppressed_text="suppressed – n<30"
        ),
    ]
    svg = ranking_chart("t", "Title", "Description", rows, headers, str)
    assert "suppressed – n&lt;30" in svg and "url(#t-hatch)" in svg
    ET.fromstring(svg)
