"""The Learn pages: an index of every topic, each page in the site's frame, unknown pages 404."""

import re

import pytest

from sciatica_care.web import learn_topics
from tests.web.world import World


def test_the_index_lists_every_topic_with_its_summary(world: World) -> None:
    response = world.browser("client").http.get("/learn")
    assert response.status_code == 200
    for topic in learn_topics.TOPICS:
        assert f'<a href="/learn/{topic.slug}">' in response.text
        assert topic.summary in response.text


@pytest.mark.parametrize("slug", [topic.slug for topic in learn_topics.TOPICS])
def test_each_topic_renders_in_the_site_frame(world: World, slug: str) -> None:
    response = world.browser("client").http.get(f"/learn/{slug}")
    assert response.status_code == 200
    topic = learn_topics.topic(slug)
    assert topic is not None
    assert f"<title>{topic.title}" in response.text.replace("&#39;", "'")
    assert len(re.findall(r"<h1[ >]", response.text)) == 1
    assert "<h1>" in response.text.split('<article class="learn">', 1)[1]


def test_a_therapist_reads_learn_pages_too(world: World) -> None:
    assert world.browser("therapist").http.get("/learn/urgent-help").status_code == 200


@pytest.mark.parametrize("slug", ["no-such-page", "..%2Fpages.py", "URGENT-HELP"])
def test_an_unknown_page_is_not_found(world: World, slug: str) -> None:
    assert world.browser("client").http.get(f"/learn/{slug}").status_code == 404


def test_every_plan_code_links_to_a_page_that_exists(world: World) -> None:
    browser = world.browser("client")
    for code in learn_topics.LINKS:
        slug = learn_topics.link_for(code)
        assert slug is not None
        assert browser.http.get(f"/learn/{slug}").status_code == 200, code


def test_learn_needs_signing_in(world: World) -> None:
    response = world.client().get("/learn/what-is-sciatica", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
