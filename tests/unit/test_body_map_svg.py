"""The body map as SVG: every region once, checkable, marked by layer, named in plain words."""

import xml.etree.ElementTree as ET
from collections.abc import Collection, Mapping

import pytest

from sciatica_care.domain.codes import REGIONS
from sciatica_care.web.body_map_svg import REGION_LABELS, body_map_svg, regions_text

NS = "{http://www.w3.org/2000/svg}"
SCIATICA = {
    "pain": ["lateral_calf_left", "buttock_left"],
    "numbness": ["lateral_calf_left", "dorsum_of_foot_left"],
}


def regions(
    marked: Mapping[str, Collection[str]] | None = None, **kw: bool
) -> dict[str, ET.Element]:
    """The drawn regions by code, from a parsed body map."""
    root = ET.fromstring(body_map_svg(marked=marked, **kw))
    return {el.get("data-region", ""): el for el in root.iter() if el.get("data-region")}


def centre_across(el: ET.Element) -> float:
    """Where a rect or ellipse sits across the picture."""
    if el.tag == f"{NS}ellipse":
        return float(el.get("cx", "0"))
    return float(el.get("x", "0")) + float(el.get("width", "0")) / 2


def view_of(code: str) -> str:
    """The view (front or back) whose group holds a region."""
    root = ET.fromstring(body_map_svg())
    for view in root.iter(f"{NS}g"):
        if any(el.get("data-region") == code for el in view):
            return (view.get("class") or "").removeprefix("view view-")
    raise AssertionError(code)


def test_labels_name_every_region_and_nothing_else() -> None:
    assert list(REGION_LABELS) == list(REGIONS)
    assert len(set(REGION_LABELS.values())) == len(REGIONS) == 28


def test_labels_are_plain_words() -> None:
    assert REGION_LABELS["lateral_calf_left"] == "Left calf, outer side"
    assert REGION_LABELS["dorsum_of_foot_right"] == "Right foot, top"
    assert REGION_LABELS["lower_back"] == "Lower back"


@pytest.mark.parametrize("interactive", [True, False])
def test_every_region_is_drawn_exactly_once_with_its_id_and_name(interactive: bool) -> None:
    root = ET.fromstring(body_map_svg(interactive=interactive))
    codes = [el.get("data-region", "") for el in root.iter() if el.get("data-region")]
    assert sorted(codes) == sorted(REGIONS)
    for code, el in regions(interactive=interactive).items():
        assert el.get("id") == f"region-{code}"
        assert el.findtext(f"{NS}title") == REGION_LABELS[code]


@pytest.mark.parametrize(
    ("code", "view"),
    [
        *((c, "back") for c in ("lower_back", "saddle", "buttock_left", "posterior_thigh_right")),
        *((c, "back") for c in ("posterior_calf_left", "heel_right", "sole_left")),
        *((c, "front") for c in ("anterolateral_thigh_left", "knee_right", "medial_calf_left")),
        *((c, "front") for c in ("lateral_calf_right", "dorsum_of_foot_left", "great_toe_right")),
        *((c, "front") for c in ("medial_foot_left", "lateral_foot_right")),
    ],
)
def test_each_region_is_drawn_in_the_view_it_is_seen_from(code: str, view: str) -> None:
    assert view_of(code) == view


def test_the_clients_left_is_on_the_viewers_right_in_the_front_view_only() -> None:
    drawn = regions()
    assert centre_across(drawn["knee_left"]) > centre_across(drawn["knee_right"])
    assert centre_across(drawn["buttock_left"]) < centre_across(drawn["buttock_right"])


def test_inner_side_of_each_calf_is_towards_the_midline() -> None:
    drawn = regions()
    for side, sign in (("right", 1), ("left", -1)):
        medial, lateral = drawn[f"medial_calf_{side}"], drawn[f"lateral_calf_{side}"]
        assert sign * (centre_across(medial) - centre_across(lateral)) > 0


def test_marked_regions_carry_a_class_per_layer() -> None:
    drawn = regions(SCIATICA)
    assert drawn["lateral_calf_left"].get("class") == "region marked-pain marked-numbness"
    assert drawn["buttock_left"].get("class") == "region marked-pain"
    assert drawn["dorsum_of_foot_left"].get("class") == "region marked-numbness"
    assert drawn["lateral_calf_right"].get("class") == "region"


def test_checked_state_says_whether_a_region_is_marked_in_any_layer() -> None:
    drawn = regions({"tingling": ["sole_left"], "pain": ["saddle"]})
    checked = sorted(code for code, el in drawn.items() if el.get("aria-checked") == "true")
    assert checked == ["saddle", "sole_left"]
    assert all(el.get("aria-checked") in ("true", "false") for el in drawn.values())


def test_numbness_and_tingling_are_shown_by_pattern_not_colour_alone() -> None:
    root = ET.fromstring(body_map_svg(marked={"numbness": ["heel_left"], "tingling": ["saddle"]}))
    fills = sorted(el.get("fill", "") for el in root.iter() if "overlay" in el.get("class", ""))
    assert fills == ["url(#body-map-dots)", "url(#body-map-hatch)"]


def test_interactive_map_is_a_labelled_group_of_focusable_checkboxes() -> None:
    root = ET.fromstring(body_map_svg())
    assert root.get("role") == "group"
    assert root.get("aria-label")
    for el in regions().values():
        assert (el.get("role"), el.get("tabindex")) == ("checkbox", "0")


def test_static_map_is_an_image_whose_label_lists_the_marks() -> None:
    root = ET.fromstring(body_map_svg(marked=SCIATICA, interactive=False))
    assert root.get("role") == "img"
    assert "Pain: left buttock, left calf outer side" in (root.get("aria-label") or "")
    for el in regions(SCIATICA, interactive=False).values():
        assert (el.get("role"), el.get("tabindex"), el.get("aria-checked")) == (None, None, None)


def test_text_alternative_has_a_sentence_per_marked_layer_in_order() -> None:
    marked = {"tingling": ["great_toe_right"], **SCIATICA}
    assert regions_text(marked) == [
        "Pain: left buttock, left calf outer side",
        "Numbness: left calf outer side, left foot top",
        "Tingling: right big toe",
    ]


def test_text_alternative_is_empty_when_nothing_is_marked() -> None:
    assert regions_text({}) == []
    assert regions_text({"pain": []}) == []


@pytest.mark.parametrize(
    "marked",
    [pytest.param({"pain": ["elbow_left"]}, id="region"), pytest.param({"ache": []}, id="layer")],
)
def test_unknown_regions_and_layers_are_refused(marked: dict[str, list[str]]) -> None:
    with pytest.raises(ValueError, match="unknown body-map"):
        body_map_svg(marked=marked)
    with pytest.raises(ValueError, match="unknown body-map"):
        regions_text(marked)


def test_the_same_marks_draw_the_same_svg() -> None:
    assert body_map_svg(marked=SCIATICA) == body_map_svg(marked=SCIATICA)
