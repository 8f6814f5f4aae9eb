"""The report's charts: the layout computed in Python, drawn by the templates in
assessments/charts/, with labels escaped and numbers written as SVG reads them."""

from decimal import Decimal

from django.utils import translation

from hbm.assessments import charts
from tests.svg import NS, drawn, marks, markup, numbers, texts

AXES = ["PREP", "CTX", "HLT", "PROT"]
NOW = charts.Series("2026-03-01", [Decimal("50.0"), None, Decimal("100"), Decimal("12.5")])
BEFORE = charts.Series("2025-03-01", [Decimal("25"), Decimal("0"), None, Decimal("75.0")])


def test_the_radar_has_four_rings_a_spoke_per_dimension_and_a_shape_per_series():
    svg = drawn("assessments/charts/radar.svg.html", charts.radar(AXES, [NOW, BEFORE], title="R"))
    assert svg.get("class") == "chart radar" and svg.get("viewBox") == "0 0 448 360"
    assert (svg.get("width"), svg.get("height")) == ("448", "360")
    polygons = marks(svg, "polygon")
    rings, shapes = polygons[:4], polygons[4:]
    assert all(len(ring.get("points").split()) == 4 for ring in rings)
    assert [shape.find(f"{NS}title").text for shape in shapes] == ["2026-03-01", "2025-03-01"]
    assert shapes[0].get("stroke-dasharray") is None and shapes[1].get("stroke-dasharray") == "5 3"
    assert len(marks(svg, "line")) == 4 and len(marks(svg, "circle")) == 8
    assert texts(svg) == ["25%", "50%", "75%", "100%", *AXES]
    anchors = [t.get("text-anchor") for t in marks(svg, "text")[4:]]
    assert anchors == ["middle", "start", "middle", "end"]  # top, right, bottom, left


def test_a_dimension_without_a_score_is_drawn_at_the_centre():
    chart = charts.radar(AXES, [NOW], title="R")
    assert chart.shapes[0].points[1] == chart.centre


def test_the_bars_show_a_group_per_dimension_and_a_dash_where_nothing_applies():
    svg = drawn("assessments/charts/bars.svg.html", charts.bars(AXES, [NOW, BEFORE], title="B"))
    assert svg.get("class") == "chart bars" and svg.get("viewBox") == "0 0 560 196"
    assert len(marks(svg, "rect")) == 8 and len(marks(svg, "line")) == 5
    titles = [rect.find(f"{NS}title").text for rect in marks(svg, "rect")]
    assert titles[:4] == ["2026-03-01: 50.0%", "2025-03-01: 25%", "2026-03-01: –", "2025-03-01: 0%"]
    shown = texts(svg)
    assert shown[:5] == ["0%", "25%", "50%", "75%", "100%"]
    assert shown[5:8] == ["PREP", "50.0%", "25%"]
    full = [r for r in marks(svg, "rect") if r.find(f"{NS}title").text.endswith(": 100%")]
    assert float(full[0].get("width")) == 560 - 70 - 52


def test_labels_are_escaped():
    script = "<script>alert(1)</script>"
    series = [charts.Series(script, [Decimal("40")])]
    for template, chart in [
        ("assessments/charts/radar.svg.html", charts.radar([script], series, title=script)),
        ("assessments/charts/bars.svg.html", charts.bars([script], series, title=script)),
    ]:
        svg = markup(template, chart)
        assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
        assert svg.startswith("<svg ") and svg.endswith("</svg>")  # side by side in the PDF
        assert drawn(template, chart).get("aria-label") == script


def test_numbers_are_written_as_svg_reads_them_in_french_and_arabic():
    for language in ("fr", "ar"):
        with translation.override(language):
            radar = drawn("assessments/charts/radar.svg.html", charts.radar(AXES, [NOW], title="R"))
            bars = drawn("assessments/charts/bars.svg.html", charts.bars(AXES, [NOW], title="B"))
        written = numbers(radar) + numbers(bars)
        assert any("." in number for number in written)
        for number in written:
            float(number)
