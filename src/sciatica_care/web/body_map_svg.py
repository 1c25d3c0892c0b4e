"""The body map as server-side SVG: a front and a back view, one shape per region."""

from collections.abc import Collection, Mapping
from html import escape

from sciatica_care.domain.codes import LAYERS, REGIONS

Shape = tuple[str, str]  # an element name and its geometry attributes

WIDTH, HEIGHT = 420, 560
FRONT_X, BACK_X = 105.0, 315.0
LEG_OFFSET = 28.0
PAIN_FILL = "#d9534f"  # 3.96:1 against white
HATCH = "#102a5c"  # 3.5:1 against the pain fill
DOTS = "#111111"
OUTLINE = "#444444"
VIEW_LABELS = {
    "front": "Front view: your left side is on the right",
    "back": "Back view: your left side is on the left",
}
OVERLAYS = {"numbness": "url(#body-map-hatch)", "tingling": "url(#body-map-dots)"}

_UNSIDED = {"lower_back": "Lower back", "saddle": "Saddle area (between the legs)"}
_SIDED = {
    "buttock": "{side} buttock",
    "anterolateral_thigh": "{side} thigh, front and outer side",
    "posterior_thigh": "{side} thigh, back",
    "knee": "{side} knee",
    "medial_calf": "{side} calf, inner side",
    "lateral_calf": "{side} calf, outer side",
    "posterior_calf": "{side} calf, back",
    "dorsum_of_foot": "{side} foot, top",
    "great_toe": "{side} big toe",
    "medial_foot": "{side} foot, inner edge",
    "lateral_foot": "{side} foot, outer edge",
    "sole": "{side} foot, sole",
    "heel": "{side} heel",
}


def _label(code: str) -> str:
    """The plain-words name of one region code."""
    if code in _UNSIDED:
        return _UNSIDED[code]
    base, _, side = code.rpartition("_")
    return _SIDED[base].format(side=side.capitalize())


REGION_LABELS: dict[str, str] = {code: _label(code) for code in REGIONS}


def regions_text(marked: Mapping[str, Collection[str]]) -> list[str]:
    """One plain sentence per marked layer, like "Pain: left buttock, left calf outer side"."""
    layers = _validated(marked)
    return [
        f"{layer.capitalize()}: " + ", ".join(_in_sentence(code) for code in layers[layer])
        for layer in LAYERS
        if layers[layer]
    ]


def body_map_svg(
    *, marked: Mapping[str, Collection[str]] | None = None, interactive: bool = True
) -> str:
    """Draw the body map with each region as its own shape, checkable when interactive."""
    layers = _validated(marked or {})
    if interactive:
        role = 'role="group" aria-label="Body map, front and back views: choose each area'
        role += ' where you have symptoms"'
    else:
        summary = ". ".join(regions_text(layers)) or "No areas marked"
        role = f'role="img" aria-label="{escape(f"Body map. {summary}.")}"'
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="body-map" viewBox="0 0 {WIDTH}'
            f' {HEIGHT}" width="100%" font-family="system-ui, sans-serif" font-size="14" {role}>',
            _defs(),
            *_view("front", _front_shapes(), layers, interactive),
            *_view("back", _back_shapes(), layers, interactive),
            _key(),
            "</svg>",
        ]
    )


def _validated(marked: Mapping[str, Collection[str]]) -> dict[str, list[str]]:
    """Each layer's regions in the vocabulary's order; an unknown layer or region is an error."""
    unknown = [layer for layer in marked if layer not in LAYERS]
    unknown += [code for codes in marked.values() for code in codes if code not in REGIONS]
    if unknown:
        raise ValueError(f"unknown body-map layer or region: {', '.join(sorted(unknown))}")
    chosen = {layer: set(marked.get(layer, ())) for layer in LAYERS}
    return {layer: [code for code in REGIONS if code in chosen[layer]] for layer in LAYERS}


def _in_sentence(code: str) -> str:
    """A region's label as it reads inside a list: lower case, without commas."""
    label = REGION_LABELS[code].replace(", ", " ")
    return label[0].lower() + label[1:]


def _view(
    name: str,
    shapes: list[tuple[str, Shape]],
    layers: dict[str, list[str]],
    interactive: bool,
) -> list[str]:
    """One view: the silhouette, its caption and its regions."""
    label = f' role="group" aria-label="{VIEW_LABELS[name]}"' if interactive else ""
    parts = [f'<g class="view view-{name}"{label}>', _silhouette(name)]
    for code, shape in shapes:
        marked_in = [layer for layer in LAYERS if code in layers[layer]]
        parts.append(_region(code, shape, marked_in, interactive))
    parts.append("</g>")
    return parts


def _region(code: str, shape: Shape, marked_in: list[str], interactive: bool) -> str:
    """One region's shape, named by its title, with a pattern laid over it per marked layer."""
    tag, geometry = shape
    classes = " ".join(["region", *(f"marked-{layer}" for layer in marked_in)])
    fill = PAIN_FILL if "pain" in marked_in else "#ffffff"
    checkbox = ""
    if interactive:
        state = "true" if marked_in else "false"
        checkbox = f' tabindex="0" role="checkbox" aria-checked="{state}"'
    element = (
        f'<{tag} {geometry} class="{classes}" data-region="{code}" id="region-{code}"'
        f' fill="{fill}" stroke="{OUTLINE}" stroke-width="1.5"{checkbox}>'
        f"<title>{escape(REGION_LABELS[code])}</title></{tag}>"
    )
    overlays = [
        f'<{tag} {geometry} class="overlay overlay-{layer}" fill="{OVERLAYS[layer]}"'
        ' stroke="none" pointer-events="none" aria-hidden="true"/>'
        for layer in marked_in
        if layer in OVERLAYS
    ]
    return "".join([element, *overlays])


def _rect(x0: float, x1: float, y0: float, y1: float, r: float = 6.0) -> Shape:
    """A rounded rectangle from its edges, in either order across."""
    left, width = min(x0, x1), abs(x1 - x0)
    return "rect", f'x="{left:g}" y="{y0:g}" width="{width:g}" height="{y1 - y0:g}" rx="{r:g}"'


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> Shape:
    """An ellipse from its centre and radii."""
    return "ellipse", f'cx="{cx:g}" cy="{cy:g}" rx="{rx:g}" ry="{ry:g}"'


def _front_shapes() -> list[tuple[str, Shape]]:
    """The front view's regions; the client's left leg is on the viewer's right."""
    shapes: list[tuple[str, Shape]] = []
    for side, sign in (("right", -1.0), ("left", 1.0)):
        leg = FRONT_X + sign * LEG_OFFSET
        shapes += [
            (f"anterolateral_thigh_{side}", _rect(*_across(leg, sign, -25, 25), 222, 322, 10)),
            (f"knee_{side}", _ellipse(leg, 338, 22, 14)),
            (f"medial_calf_{side}", _rect(*_across(leg, sign, 1, 24), 354, 432)),
            (f"lateral_calf_{side}", _rect(*_across(leg, sign, -24, -1), 354, 432)),
            (f"dorsum_of_foot_{side}", _rect(*_across(leg, sign, -11, 11), 436, 474, 3)),
            (f"medial_foot_{side}", _rect(*_across(leg, sign, 12, 25), 436, 474, 3)),
            (f"lateral_foot_{side}", _rect(*_across(leg, sign, -25, -13), 436, 500, 3)),
            (f"great_toe_{side}", _rect(*_across(leg, sign, 7, 25), 477, 500, 6)),
        ]
    return shapes


def _across(leg: float, sign: float, inner: float, outer: float) -> tuple[float, float]:
    """Two edges measured from a leg's centre towards the midline (negative: away from it)."""
    return leg - sign * inner, leg - sign * outer


def _back_shapes() -> list[tuple[str, Shape]]:
    """The back view's regions; the client's left is on the viewer's left."""
    shapes: list[tuple[str, Shape]] = [("lower_back", _rect(BACK_X - 46, BACK_X + 46, 150, 192))]
    for side, sign in (("left", -1.0), ("right", 1.0)):
        leg = BACK_X + sign * LEG_OFFSET
        shapes += [
            (f"buttock_{side}", _ellipse(BACK_X + sign * 26, 215, 26, 23)),
            (f"posterior_thigh_{side}", _rect(leg - 25, leg + 25, 240, 322, 10)),
            (f"posterior_calf_{side}", _rect(leg - 24, leg + 24, 354, 432, 10)),
            (f"heel_{side}", _ellipse(leg, 450, 18, 13)),
            (f"sole_{side}", _rect(leg - 17, leg + 17, 467, 500, 8)),
        ]
    # Drawn last so that it lies over the buttocks and stays clickable.
    shapes.append(("saddle", _ellipse(BACK_X, 234, 8, 15)))
    return shapes


def _silhouette(name: str) -> str:
    """The figure behind the regions, its caption and which side is which; not announced."""
    near, far = ("Right", "Left") if name == "front" else ("Left", "Right")
    c = FRONT_X if name == "front" else BACK_X
    body = [
        _ellipse(c, 58, 17, 21),
        _rect(c - 7, c + 7, 76, 92, 2),
        _rect(c - 54, c + 54, 88, 232, 14),
        _rect(c - 73, c - 58, 92, 252, 8),
        _rect(c + 58, c + 73, 92, 252, 8),
        _rect(c - 54, c - 2, 222, 504, 10),
        _rect(c + 2, c + 54, 222, 504, 10),
    ]
    shapes = "".join(f"<{tag} {geometry}/>" for tag, geometry in body)
    return (
        f'<g class="silhouette" aria-hidden="true" fill="#eeeeee" stroke="#999999">{shapes}'
        f'<text x="{c:g}" y="22" text-anchor="middle" fill="#222222" stroke="none"'
        f' font-weight="bold">{name.capitalize()}</text>'
        f'<text x="{c - 55:g}" y="524" text-anchor="middle" fill="#222222" stroke="none">{near}'
        f'</text><text x="{c + 55:g}" y="524" text-anchor="middle" fill="#222222"'
        f' stroke="none">{far}</text></g>'
    )


def _defs() -> str:
    """The patterns that mark numbness (hatching) and tingling (dots), not colour alone."""
    return (
        '<defs><pattern id="body-map-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
        f' patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="{HATCH}"'
        ' stroke-width="2.5"/></pattern>'
        '<pattern id="body-map-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<circle cx="3" cy="3" r="1.6" fill="{DOTS}"/></pattern></defs>'
    )


def _key() -> str:
    """A key to the three layers' fills; the page's text alternative says the same."""
    swatches = [("pain", PAIN_FILL), *OVERLAYS.items()]
    parts = ['<g class="key" aria-hidden="true">']
    for index, (layer, fill) in enumerate(swatches):
        x = 40 + index * 130
        parts.append(
            f'<rect x="{x}" y="536" width="18" height="14" fill="{fill}" stroke="{OUTLINE}"/>'
            f'<text x="{x + 24}" y="548" fill="#222222">{layer.capitalize()}</text>'
        )
    parts.append("</g>")
    return "".join(parts)
