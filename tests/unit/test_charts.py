"""Line charts as SVG: valid, accessible without colour, and the same every time."""

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciatica_care.web.chart_marks import STYLES
from sciatica_care.web.charts import Point, chart_table, line_chart

NS = "{http://www.w3.org/2000/svg}"
Series = Sequence[tuple[str, Sequence[Point]]]


def day(n: int) -> date:
    """A day counted from the first assessment, 5 January 2026."""
    return date(2026, 1, 5) + timedelta(days=n)


LEG = ("Leg pain", [Point(day(0), 7), Point(day(14), 5), Point(day(54), 3)])
BACK = ("Back pain", [Point(day(0), 4), Point(day(27), 2)])


def chart(series: Series = (LEG, BACK), markers: Sequence[date] = (), title: str = "Pain") -> str:
    """A pain chart with the given series and session days."""
    return line_chart(
        title=title, series=series, y_max=10, y_label="Pain (0 to 10)", markers=markers
    )


def with_class(root: ET.Element, name: str) -> list[ET.Element]:
    """Every element whose class list holds the name."""
    return [el for el in root.iter() if name in el.get("class", "").split()]


def marks(group: ET.Element) -> list[ET.Element]:
    """The point markers of one series' group."""
    return [el for el in group if el.tag != f"{NS}polyline"]


def texts(root: ET.Element) -> list[str]:
    """The text of every <text> element."""
    return ["".join(el.itertext()) for el in root.iter(f"{NS}text")]


def contrast(colour: str) -> float:
    """The WCAG contrast ratio of a #rrggbb colour against white."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_chart_is_an_image_named_by_its_title_and_described_in_words() -> None:
    root = ET.fromstring(chart())
    assert root.get("role") == "img"
    ids = (root.get("aria-labelledby") or "").split()
    found = {el.get("id"): el.tag for el in root if el.get("id") in ids}
    assert sorted(found.values()) == [f"{NS}desc", f"{NS}title"]
    assert root.findtext(f"{NS}title") == "Pain"


def test_description_gives_each_series_first_and_last_values() -> None:
    desc = ET.fromstring(chart()).findtext(f"{NS}desc") or ""
    assert "Leg pain: first 7 on 5 Jan 2026, last 3 on 28 Feb 2026 (3 readings)." in desc
    assert "Back pain: first 4 on 5 Jan 2026, last 2 on 1 Feb 2026 (2 readings)." in desc


def test_chart_scales_to_its_container_through_its_view_box() -> None:
    root = ET.fromstring(line_chart(title="t", series=[LEG], y_max=10, y_label="p", width=360))
    assert (root.get("viewBox"), root.get("width")) == ("0 0 360 240", "100%")


def test_each_series_differs_in_colour_dash_and_marker_shape() -> None:
    assert len({s.colour for s in STYLES}) == len(STYLES)
    assert len({s.dash for s in STYLES}) == len(STYLES)
    assert len({s.shape for s in STYLES}) == len(STYLES)
    lines = list(ET.fromstring(chart()).iter(f"{NS}polyline"))
    assert lines[0].get("stroke") != lines[1].get("stroke")
    assert lines[0].get("stroke-dasharray") != lines[1].get("stroke-dasharray")


@pytest.mark.parametrize("colour", [s.colour for s in STYLES])
def test_every_series_colour_has_three_to_one_contrast_against_white(colour: str) -> None:
    assert contrast(colour) >= 3.0


def test_legend_names_every_series_and_the_session_marker() -> None:
    root = ET.fromstring(chart(markers=[day(0)]))
    (legend,) = with_class(root, "legend")
    assert texts(legend) == ["Leg pain", "Back pain", "session"]


def test_y_axis_runs_from_zero_to_y_max() -> None:
    labels = texts(with_class(ET.fromstring(chart()), "axes")[0])
    assert labels[:6] == ["0", "2", "4", "6", "8", "10"]
    assert "Pain (0 to 10)" in labels


def test_a_dashed_vertical_line_marks_each_session_once() -> None:
    root = ET.fromstring(chart(markers=[day(14), day(0), day(14)]))
    lines = with_class(root, "marker")
    assert [line.findtext(f"{NS}title") for line in lines] == [
        "session, 5 Jan 2026",
        "session, 19 Jan 2026",
    ]
    assert all(line.get("x1") == line.get("x2") and line.get("stroke-dasharray") for line in lines)


@pytest.mark.parametrize(
    "series", [pytest.param([], id="no-series"), pytest.param([("Leg pain", [])], id="empty")]
)
def test_a_chart_without_readings_says_so(series: Series) -> None:
    root = ET.fromstring(chart(series, markers=[day(3)]))
    assert "No readings yet" in texts(root)
    assert not list(root.iter(f"{NS}polyline"))
    assert not with_class(root, "marker")


def test_one_reading_is_a_point_without_a_line() -> None:
    root = ET.fromstring(chart([("Leg pain", [Point(day(0), 6)])]))
    (group,) = with_class(root, "series")
    assert not list(group.iter(f"{NS}polyline"))
    assert [m.findtext(f"{NS}title") for m in marks(group)] == ["Leg pain, 5 Jan 2026: 6"]


def test_readings_all_on_one_day_are_drawn_at_the_same_place_across() -> None:
    series = [("Leg pain", [Point(day(2), 6), Point(day(2), 4)]), ("Back", [Point(day(2), 1)])]
    root = ET.fromstring(chart(series))
    xs = {m.get("cx") or m.get("x") for g in with_class(root, "series") for m in marks(g)}
    assert len(xs) == 2  # the circle's centre and the square's corner: one day across
    assert [len(marks(g)) for g in with_class(root, "series")] == [2, 1]


def test_series_of_different_lengths_each_get_all_their_points() -> None:
    root = ET.fromstring(chart((LEG, BACK, ("Oswestry", [Point(day(5), 4)]))))
    assert [len(marks(g)) for g in with_class(root, "series")] == [3, 2, 1]


def test_titles_names_and_labels_are_escaped() -> None:
    svg = line_chart(
        title="<&> pain",
        series=[("Leg <&>", [Point(day(0), 1)])],
        y_max=10,
        y_label="a&b",
        markers=[day(0)],
        marker_label="<visit>",
    )
    root = ET.fromstring(svg)
    assert root.findtext(f"{NS}title") == "<&> pain"
    assert {"Leg <&>", "a&b", "<visit>"} <= set(texts(root))


def test_characters_that_xml_forbids_are_dropped_from_text() -> None:
    svg = line_chart(title="Pain\x00\x1f", series=[("Leg\x0b", [])], y_max=10, y_label="p")
    root = ET.fromstring(svg)
    assert root.findtext(f"{NS}title") == "Pain"
    assert "Leg" in texts(root)


def test_the_same_readings_draw_the_same_svg() -> None:
    assert chart(markers=[day(3)]) == chart(markers=[day(3)])


def test_table_has_one_row_per_day_with_a_gap_where_a_series_has_no_reading() -> None:
    assert chart_table(series=[LEG, BACK]) == [
        (day(0), [7, 4]),
        (day(14), [5, None]),
        (day(27), [None, 2]),
        (day(54), [3, None]),
    ]


def test_table_sorts_days_and_is_empty_without_readings() -> None:
    late_first = [("Leg pain", [Point(day(9), 2), Point(day(1), 8)])]
    assert chart_table(series=late_first) == [(day(1), [8]), (day(9), [2])]
    assert chart_table(series=[("Leg pain", [])]) == []


points = st.builds(
    Point,
    day=st.dates(),
    value=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
)


@given(
    series=st.lists(st.tuples(st.text(), st.lists(points, max_size=6)), max_size=6),
    y_max=st.floats(min_value=1e-3, max_value=1e6),
    markers=st.lists(st.dates(), max_size=4),
    title=st.text(),
)
def test_any_readings_draw_a_chart_that_parses(
    series: Series, y_max: float, markers: list[date], title: str
) -> None:
    svg = line_chart(title=title, series=series, y_max=y_max, y_label="y", markers=markers)
    assert ET.fromstring(svg).get("role") == "img"
