"""The marks a chart is drawn with: line styles, point shapes and the legend."""

import re
from dataclasses import dataclass
from html import escape

LEFT = 56.0
TOP = 10.0
LEGEND_ROW = 20.0
CHAR_WIDTH = 8.0
MARKER = "#595959"
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text made safe inside XML: escaped, without the characters XML 1.0 forbids."""
    return escape(NOT_XML.sub("", text))


@dataclass(frozen=True, slots=True)
class Style:
    """How one series is drawn: never told apart by colour alone (WCAG 1.4.1)."""

    colour: str
    dash: str
    shape: str


# Every colour has at least 3:1 contrast against white; the dash and the shape differ too.
STYLES: tuple[Style, ...] = (
    Style("#1b5fa8", "", "circle"),
    Style("#b34700", "8 4", "square"),
    Style("#2d7a32", "2 3", "triangle"),
    Style("#7b3fa0", "10 3 2 3", "diamond"),
    Style("#a3286b", "4 2", "ring"),
)


LegendRows = list[list[tuple[int, str, float]]]


def legend_rows(names: list[str], marker_label: str | None, width: int) -> LegendRows:
    """Legend items (series index, or -1 for the markers; label; x), wrapped into rows."""
    items = list(enumerate(names)) + ([(-1, marker_label)] if marker_label is not None else [])
    rows: LegendRows = []
    x = LEFT
    for index, label in items:
        size = 50 + CHAR_WIDTH * len(label)
        if not rows or (rows[-1] and x + size > width):
            rows.append([])
            x = LEFT
        rows[-1].append((index, label, x))
        x += size
    return rows


def legend(rows: LegendRows) -> list[str]:
    """A key: a sample of each line with its marker shape, and of the marker line."""
    if not rows:
        return []
    parts = ['<g class="legend">']
    for number, row in enumerate(rows):
        y = TOP + LEGEND_ROW * number + 6
        parts += [_legend_item(index, label, x, y) for index, label, x in row]
    parts.append("</g>")
    return parts


def _legend_item(index: int, label: str, x: float, y: float) -> str:
    """One legend entry."""
    text = f'<text x="{x + 36:.1f}" y="{y + 4:.1f}">{xml_text(label)}</text>'
    if index < 0:
        return (
            f'<line x1="{x + 14:.1f}" y1="{y - 7:.1f}" x2="{x + 14:.1f}" y2="{y + 7:.1f}"'
            f' stroke="{MARKER}" stroke-width="1.5" stroke-dasharray="4 3"/>{text}'
        )
    style = STYLES[index % len(STYLES)]
    return (
        f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 28:.1f}" y2="{y:.1f}"'
        f' stroke="{style.colour}" stroke-width="2"{dash_attr(style)}/>'
        f"{point_mark(style, x + 14, y, '')}{text}"
    )


def dash_attr(style: Style) -> str:
    """The stroke-dasharray attribute of a style, if it has one."""
    return f' stroke-dasharray="{style.dash}"' if style.dash else ""


def point_mark(style: Style, x: float, y: float, title: str) -> str:
    """A point marker in the style's own shape, with an optional tooltip."""
    tag, attrs = _shape_attrs(style, x, y)
    if not title:
        return f"<{tag} {attrs}/>"
    return f"<{tag} {attrs}><title>{xml_text(title)}</title></{tag}>"


def _shape_attrs(style: Style, x: float, y: float) -> tuple[str, str]:
    """The element and attributes of a style's marker shape centred on (x, y)."""
    c = style.colour
    if style.shape == "square":
        return "rect", f'x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{c}"'
    if style.shape in ("triangle", "diamond"):
        corners = TRIANGLE if style.shape == "triangle" else DIAMOND
        points = " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in corners)
        return "polygon", f'points="{points}" fill="{c}"'
    fill = "#ffffff" if style.shape == "ring" else c
    return (
        "circle",
        f'cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{fill}" stroke="{c}" stroke-width="2"',
    )


TRIANGLE = ((0.0, -5.0), (4.5, 3.0), (-4.5, 3.0))
DIAMOND = ((0.0, -5.0), (5.0, 0.0), (0.0, 5.0), (-5.0, 0.0))
