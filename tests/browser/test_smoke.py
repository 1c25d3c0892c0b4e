"""The browser harness works: the app loads in Chromium, and the accessibility scan can fail."""

from playwright.sync_api import Page

from tests.browser.conftest import Server, axe_violations, describe, shot

BROKEN = """<!doctype html>
<html lang="en">
<head><title>Broken on purpose</title></head>
<body>
  <main>
    <h1>Broken on purpose</h1>
    <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
    <form><input type="text" name="pain"></form>
  </main>
</body>
</html>"""


def test_healthz_loads_in_chromium(server: Server, page: Page) -> None:
    response = page.goto(f"{server.url}/healthz")

    assert response is not None
    assert response.status == 200
    assert response.json()["status"] == "ok"
    assert "ok" in page.inner_text("body")
    assert shot(page, "healthz").stat().st_size > 0


def test_axe_reports_an_image_without_alt_and_an_unlabelled_input(page: Page) -> None:
    page.set_content(BROKEN)

    violations = axe_violations(page)

    assert {v["id"] for v in violations} >= {"image-alt", "label"}, describe(violations)
    assert all(v["impact"] in {"serious", "critical"} for v in violations)
