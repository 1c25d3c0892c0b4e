"""The Learn pages: every topic has a safe, well-formed fragment and every plan code a page."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from sciatica_care.domain.codes import SELF_CARE_ITEMS, TECHNIQUES, THERAPIES
from sciatica_care.web.learn_topics import LINKS, TOPICS, link_for, page_html, topic

SLUGS = [item.slug for item in TOPICS]
VOID = frozenset({"br", "hr", "wbr", "img", "input", "meta", "link", "area", "base", "col"})


class TagBalance(HTMLParser):
    """Collects tag-balance problems and the first start tag and heading of a fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []
        self.starts: list[str] = []
        self.h1_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Opens a non-void element."""
        self.starts.append(tag)
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        """Closes the innermost element, which must be this one."""
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> does not close {self.open[-1:] or 'anything'}")
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        """Keeps the text of the first heading."""
        if self.open == ["h1"] and self.starts.count("h1") == 1:
            self.h1_text += data


def parsed(slug: str) -> TagBalance:
    """The parsed fragment of a topic."""
    html = page_html(slug)
    assert html is not None
    parser = TagBalance()
    parser.feed(html)
    parser.close()
    return parser


def words(slug: str) -> int:
    """How many words of text a topic's fragment holds."""
    html = page_html(slug)
    assert html is not None
    return len(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize("slug", SLUGS)
def test_each_page_opens_with_its_title_as_the_only_h1(slug: str) -> None:
    page = parsed(slug)
    found = topic(slug)
    assert found is not None
    assert page.starts[0] == "h1"
    assert page.starts.count("h1") == 1
    assert page.h1_text.strip() == found.title


@pytest.mark.parametrize("slug", SLUGS)
def test_each_page_is_well_formed(slug: str) -> None:
    page = parsed(slug)
    assert page.problems == []
    assert page.open == []


@pytest.mark.parametrize("slug", SLUGS)
def test_each_page_is_a_fragment_without_scripts_styles_or_documents(slug: str) -> None:
    html = page_html(slug)
    assert html is not None
    lowered = html.lower()
    for banned in ("<script", "style=", "<style", "<html", "<head", "<body", "{{", "{%", "<img"):
        assert banned not in lowered


@pytest.mark.parametrize("slug", SLUGS)
def test_each_page_is_short_and_names_its_sources(slug: str) -> None:
    html = page_html(slug)
    assert html is not None
    assert 150 <= words(slug) <= 400
    assert "Sources:" in html


def test_topics_have_unique_slugs_and_one_sentence_summaries() -> None:
    assert len(set(SLUGS)) == len(SLUGS)
    for item in TOPICS:
        assert item.summary.endswith(".")
        assert item.summary.count(". ") == 0


def test_every_link_points_at_a_real_topic() -> None:
    assert {slug for slug in LINKS.values() if topic(slug) is None} == set()


@pytest.mark.parametrize(
    "code",
    [*TECHNIQUES, *SELF_CARE_ITEMS, *THERAPIES, "see_doctor", "urgent", "emergency"],
)
def test_every_plan_code_links_to_a_page(code: str) -> None:
    slug = link_for(code)
    assert slug is not None
    assert page_html(slug) is not None


@pytest.mark.parametrize(
    ("code", "slug"),
    [
        ("emergency", "urgent-help"),
        ("urgent", "urgent-help"),
        ("see_doctor", "urgent-help"),
        ("cadence", "your-session"),
        ("massage", "massage-and-evidence"),
        ("heat", "heat-and-cold"),
        ("cold", "heat-and-cold"),
    ],
)
def test_red_flags_cadence_massage_and_heat_link_to_their_pages(code: str, slug: str) -> None:
    assert link_for(code) == slug


@pytest.mark.parametrize(
    "slug",
    [
        "",
        "nope",
        "../x",
        "what-is-sciatica/../../etc",
        "../learn_topics.py",
        "/etc/passwd",
        "what-is-sciatica.html",
        "WHAT-IS-SCIATICA",
        "what-is-sciatica\x00",
    ],
)
def test_unknown_or_traversal_slugs_give_nothing(slug: str) -> None:
    assert topic(slug) is None
    assert page_html(slug) is None


def test_unknown_codes_have_no_link() -> None:
    assert link_for("clear") is None
    assert link_for("../urgent") is None
