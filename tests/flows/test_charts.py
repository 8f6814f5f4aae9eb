"""The dashboard's charts: the layout computed in Python, drawn by the templates in
flows/charts/, with names from users escaped and numbers written as SVG reads them."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from hbm.flows import charts, geo
from hbm.flows.models import AgeBand, FlowSex
from tests.svg import NS, drawn, marks, markup, numbers, texts

DAYS = [date(2026, 11, 1) + timedelta(days=i) for i in range(14)]
ENTRIES = [0, 3, 12, 0, 40, 7, 7, 1234, 9, 0, 0, 5, 6, 2]
EXITS = [1, 0, 2, 0, 4, 0, 3, 100, 1, 0, 0, 2, 2, 0]
AVERAGE = [None] * 6 + [10.0, 187.6, 187.0, 186.1, 185.7, 185.6, 185.4, 5.25]
SCRIPT = "<script>alert(1)</script>"


def timeline(title="Arrivals and departures"):
    return charts.timeline(DAYS, ENTRIES, EXITS, AVERAGE, title=title)


def points():
    return [
        geo.MapPoint("ariwara-path", SCRIPT, 3.05, 30.7, 120, official=False),
        geo.MapPoint("mahagi-goli", "Mahagi & Goli", 2.3, 30.95, 4000, official=True),
    ]


def test_the_timeline_draws_a_bar_per_day_with_arrivals_and_a_line_per_series():
    chart = timeline()
    assert len(chart.bars) == 10  # the four days without arrivals have no bar
    assert [len(line.points) for line in chart.lines] == [14, 8]  # exits; average from day 7
    svg = drawn("flows/charts/timeline.svg.html", chart)
    assert svg.get("class") == "chart timeline" and svg.get("viewBox") == "0 0 760 260"
    bars = [rect for rect in marks(svg, "rect") if rect.get("opacity") == "0.75"]
    assert [bar.find(f"{NS}title").text for bar in bars][:2] == ["2026-11-02: 3", "2026-11-03: 12"]
    assert len(marks(svg, "polyline")) == 2
    assert len(marks(svg, "polyline")[1].get("points").split()) == 8
    shown = texts(svg)
    assert "2,000" in shown  # the top of the scale, 1,234 rounded up to 1, 2 or 5 × 10ⁿ
    assert [day for day in shown if day.endswith("Nov")][:2] == ["1 Nov", "2 Nov"]
    assert shown[-3:] == ["Arrivals", "Departures", "Arrivals, 7-day average"]


def test_the_pyramid_puts_men_left_and_women_right_per_age_band():
    cells = {
        (FlowSex.FEMALE, AgeBand.ADULT_18_59): 6,
        (FlowSex.MALE, AgeBand.CHILD_5_17): 2,
        (FlowSex.UNKNOWN, AgeBand.ADULT_18_59): 4,
    }
    chart = charts.pyramid(cells, title="Sex and age")
    svg = drawn("flows/charts/pyramid.svg.html", chart)
    assert len(marks(svg, "rect")) == 8
    shown = texts(svg)
    assert shown[:2] == ["Men and boys", "Women and girls"]
    assert [row.band.text for row in chart.rows] == ["60 and over", "18–59", "5–17", "0–4"]
    assert "6 (50 %)" in shown and "2 (17 %)" in shown
    assert shown[-1] == "Sex or age not known: 4"
    adults = chart.rows[1]
    assert adults.women.x > adults.band.x > adults.men.x + adults.men.width


def test_the_bars_shorten_long_names_and_write_each_value():
    items = [("South Sudan", 1200), ("Democratic Republic of the Congo and more", 7)]
    svg = drawn("flows/charts/bars.svg.html", charts.bars(items, title="Nationalities"))
    assert len(marks(svg, "rect")) == 2
    assert texts(svg) == ["South Sudan", "1,200", "Democratic Republic of the Co…", "7"]
    empty = drawn("flows/charts/bars.svg.html", charts.bars([], title="None"))
    assert marks(empty, "rect") == [] and empty.get("viewBox") == "0 0 480 30"


def test_the_map_draws_the_countries_around_and_the_largest_point_first():
    chart = geo.point_map(points(), title="Crossing points")
    svg = drawn("flows/charts/map.svg.html", chart)
    groups = svg.findall(f"{NS}g")
    assert [g.get("data-point") for g in groups] == ["mahagi-goli", "ariwara-path"]
    assert all(g.get("class") == "map-point" for g in groups)
    big, small = (float(g.find(f"{NS}circle").get("r")) for g in groups)
    assert big == 26.0 and big > small
    assert groups[0].find(f"{NS}circle").get("fill") == geo.OFFICIAL
    assert groups[1].find(f"{NS}circle").get("fill") == geo.INFORMAL
    countries = {path.find(f"{NS}title").text for path in marks(svg, "path")}
    assert {"Dem. Rep. Congo", "Uganda"} <= countries
    assert "COD" in texts(svg) and "Mahagi & Goli · 4,000" in texts(svg)


def test_an_empty_map_shows_africa():
    chart = geo.point_map([], title="Nothing yet")
    assert chart.markers == () and len(chart.countries) > 40


def test_names_from_users_are_escaped_in_every_chart():
    drawings = {
        "timeline": markup("flows/charts/timeline.svg.html", timeline(title=SCRIPT)),
        "bars": markup(
            "flows/charts/bars.svg.html", charts.bars([(SCRIPT, 3)], title=f"By {SCRIPT}")
        ),
        "map": markup("flows/charts/map.svg.html", geo.point_map(points(), title=SCRIPT)),
    }
    for name, svg in drawings.items():
        assert "<script>" not in svg, name
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg, name
    parsed = drawn("flows/charts/map.svg.html", geo.point_map(points(), title=SCRIPT))
    assert parsed.get("aria-label") == SCRIPT and parsed.find(f"{NS}title").text == SCRIPT
    assert f"{SCRIPT} · 120" in texts(parsed)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_numbers_are_written_as_svg_reads_them_in_every_language(language):
    with translation.override(language):
        svg = drawn("flows/charts/timeline.svg.html", timeline())
        map_svg = drawn("flows/charts/map.svg.html", geo.point_map(points(), title="Carte"))
    written = numbers(svg) + numbers(map_svg)
    assert any("." in number for number in written)
    for number in written:
        float(number)  # a decimal comma or a grouping would make this fail


def test_a_chart_is_only_its_svg_so_two_sit_side_by_side_with_no_space():
    for template, chart in [
        ("flows/charts/timeline.svg.html", timeline()),
        ("flows/charts/pyramid.svg.html", charts.pyramid({}, title="Nobody")),
        ("flows/charts/bars.svg.html", charts.bars([], title="None")),
        ("flows/charts/map.svg.html", geo.point_map([], title="Nothing")),
    ]:
        svg = markup(template, chart)
        assert svg.startswith("<svg ") and svg.endswith("</svg>"), template
