"""Learn: short pages in plain words, open to everyone signed in."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from sciatica_care.services.access import NotFound
from sciatica_care.web import learn_topics
from sciatica_care.web.deps import Reader
from sciatica_care.web.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/learn")
def learn_index(request: Request, user: Reader) -> Response:
    """Every Learn page with its one-sentence summary."""
    context = {"title": "Learn", "nav": "learn", "topics": learn_topics.TOPICS}
    return render(request, "learn/index.html", context)


@router.get("/learn/{slug}")
def learn_page(request: Request, slug: str, user: Reader) -> Response:
    """One Learn page: a trusted fragment shipped in the package, wrapped in the site's page."""
    topic = learn_topics.topic(slug)
    fragment = learn_topics.page_html(slug)
    if topic is None or fragment is None:
        raise NotFound(f"no Learn page {slug!r}")
    context = {"title": topic.title, "nav": "learn", "topic": topic, "fragment": fragment}
    return render(request, "learn/page.html", context)
