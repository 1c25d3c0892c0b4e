"""Browser tests: Debian's Chromium driven by Playwright against a real `sciatica serve`.

Playwright never downloads a browser here: it launches the system's /usr/bin/chromium (or
$SCIATICA_CHROMIUM). axe-core comes from the pinned PyPI package axe-playwright-python, which
ships axe.min.js; only that file is used, injected into the page under test.
"""

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from sciatica_care.services.demo import PASSWORD as DEMO_PASSWORD
from tests.paths import ROOT, SCIATICA

HERE = Path(__file__).resolve().parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

# As root, Chromium needs --no-sandbox; the network flags stop it calling out of a closed network.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 360, "height": 740}

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
HEALTH_TIMEOUT = 30.0
DEMO_ADMIN = "admin@demo.example"
ACTION_TIMEOUT_MS = 10_000  # a missing element fails in 10 s, not Playwright's 30

_CALL_REPORT = pytest.StashKey[pytest.TestReport]()


# --- helpers the tests import ------------------------------------------------------------------


def shot(page: Page, name: str) -> Path:
    """Save a full-page PNG of `page` as test-artifacts/screenshots/NAME.png; return its path."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise ValueError(f"screenshot name {name!r}: use letters, digits, '_', '.' and '-'")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


@cache
def _axe_script() -> str:
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page; the serious and critical violations.

    Each violation is axe's own dict: "id", "impact", "help", "helpUrl" and "nodes" (with the
    "target" selectors and "html" of each offending element).
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_script())
    results: dict[str, Any] = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation and element, for an assertion message."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(map(str, node['target']))}"
        for v in violations
        for node in v["nodes"]
    )


# --- hooks -------------------------------------------------------------------------------------


def pytest_sessionstart(session: pytest.Session) -> None:
    """Screenshots of failures from an earlier run are gone before this run starts."""
    for stale in SCREENSHOTS.glob("FAILED-*.png"):
        stale.unlink()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser is marked `browser` (select or deselect with -m)."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each test's call report (for failure screenshots); attach the server's log to it."""
    report = yield
    if report.when == "call":
        item.stash[_CALL_REPORT] = report
        funcargs = getattr(item, "funcargs", {})
        for name in ("server", "demo_server"):
            running = funcargs.get(name)
            if report.failed and isinstance(running, Server):
                report.sections.append((f"sciatica serve stderr ({name})", running.stderr()))
    return report


# --- the server --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    """A running `sciatica serve` with its own empty SQLite database and home."""

    url: str
    database_url: str
    home: Path
    log_dir: Path

    def stderr(self, limit: int = 8000) -> str:
        """The last `limit` characters the server has written to stderr."""
        text = (self.log_dir / "stderr.log").read_text(encoding="utf-8", errors="replace")
        return text if len(text) <= limit else f"[...]\n{text[-limit:]}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _healthy(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{url}/healthz", timeout=2) as response:
            body: object = json.load(response)
    except (OSError, ValueError):  # refused, reset, timed out, HTTP error, not JSON
        return False
    return isinstance(body, dict) and body.get("status") == "ok"


def _stop(process: "subprocess.Popen[bytes]") -> None:
    """End the server's process group (uvicorn may have children): TERM, then KILL."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def _serving(base: Path, database_url: str) -> Iterator[Server]:
    """`sciatica serve` on a free port of 127.0.0.1 over `database_url`, home and logs in `base`."""
    home = base / "home"
    home.mkdir(exist_ok=True)
    port = _free_port()
    env = os.environ | {
        "SCIATICA_DATABASE_URL": database_url,
        "SCIATICA_HOME": str(home),
        "PYTHONUNBUFFERED": "1",
    }
    command = [str(SCIATICA), "serve", "--host", "127.0.0.1", "--port", str(port)]
    running = Server(f"http://127.0.0.1:{port}", database_url, home, base)
    with (base / "stdout.log").open("wb") as out, (base / "stderr.log").open("wb") as err:
        process = subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + HEALTH_TIMEOUT
        while not _healthy(running.url):
            if process.poll() is not None:
                pytest.fail(
                    f"`{' '.join(command)}` exited with {process.returncode} before "
                    f"/healthz answered; its stderr:\n{running.stderr()}",
                    pytrace=False,
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"{running.url}/healthz did not answer within {HEALTH_TIMEOUT:.0f} s; "
                    f"stderr of `{' '.join(command)}`:\n{running.stderr()}",
                    pytrace=False,
                )
            time.sleep(0.1)
        yield running
    finally:
        _stop(process)


def _need_sciatica() -> None:
    if not SCIATICA.exists():
        pytest.fail(f"{SCIATICA} is missing: run `make install`")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`sciatica serve` on a free port of 127.0.0.1, fresh SQLite database, own SCIATICA_HOME."""
    _need_sciatica()
    base = tmp_path_factory.mktemp("server")
    with _serving(base, f"sqlite:///{base / 'sciatica.db'}") as running:
        yield running


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`sciatica serve` over a database that `sciatica demo` filled first (shared by the session).

    Accounts: admin@demo.example, ana@ and sam@ (therapists), one client account per first name
    (maya@, tom@, lena@, omar@, rosa@, jo@), all with DEMO_PASSWORD; Rosa Red has an emergency.
    Tests that write pick clients no other test reads, so the order of the tests never matters.
    """
    _need_sciatica()
    base = tmp_path_factory.mktemp("demo")
    database_url = f"sqlite:///{base / 'sciatica.db'}"
    filled = subprocess.run(
        [str(SCIATICA), "demo", "--db", database_url],
        env=os.environ | {"SCIATICA_HOME": str(base / "home")},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if filled.returncode != 0 or DEMO_PASSWORD not in filled.stdout:
        pytest.fail(
            f"`sciatica demo` exited with {filled.returncode}:\n{filled.stdout}\n{filled.stderr}",
            pytrace=False,
        )
    with _serving(base, database_url) as running:
        yield running


# --- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium (`make browser-deps` installs it), or $SCIATICA_CHROMIUM."""
    path = Path(os.environ.get("SCIATICA_CHROMIUM", "/usr/bin/chromium"))
    if not os.access(path, os.X_OK):
        pytest.skip(
            f"no Chromium at {path}: run `make browser-deps` (Debian's chromium and "
            "chromium-driver) or set SCIATICA_CHROMIUM"
        )
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Browser]:
    """Headless Chromium under sync Playwright, shared by the whole session."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


def _page(
    browser: Browser, request: pytest.FixtureRequest, suffix: str = "", **options: Any
) -> Iterator[Page]:
    context = browser.new_context(**options)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        report = request.node.stash.get(_CALL_REPORT, None)
        if report is not None and report.failed and not page.is_closed():
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid).strip("_.")
            shot(page, f"FAILED-{name}{suffix}")
        context.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in a fresh desktop context (1280x800); a failing test leaves a screenshot."""
    yield from _page(browser, request, viewport=DESKTOP)


@pytest.fixture
def phone(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in a fresh phone context (360x740, mobile, touch); a failing test leaves a shot."""
    yield from _page(browser, request, viewport=PHONE, is_mobile=True, has_touch=True)


# --- signed-in pages on the demo clinic --------------------------------------------------------


def sign_in(page: Page, server: Server, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form at /login and wait for the home page it leads to."""
    page.goto(f"{server.url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if page.url.rstrip("/").endswith("/login"):
        pytest.fail(f"{email} could not sign in: {page.inner_text('main')}", pytrace=False)


@pytest.fixture(scope="session")
def demo_cookies(demo_server: Server, browser: Browser) -> Callable[[str], Any]:
    """The storage state (cookies) of one signed-in browser per demo account, made once each."""
    made: dict[str, Any] = {}

    def state_of(email: str) -> Any:
        if email not in made:
            context = browser.new_context(viewport=DESKTOP)
            try:
                sign_in(context.new_page(), demo_server, email)
                made[email] = context.storage_state()
            finally:
                context.close()
        return made[email]

    return state_of


OpenAs = Callable[..., Page]


@pytest.fixture
def open_as(
    browser: Browser, request: pytest.FixtureRequest, demo_cookies: Callable[[str], Any]
) -> Iterator[OpenAs]:
    """`open_as(email, phone=False)`: a page in a new context signed in as `email` (None: nobody).

    The contexts close after the test; a failing test leaves a screenshot of each page.
    """
    pages: list[Iterator[Page]] = []

    def opened(email: str | None, *, phone: bool = False) -> Page:
        shape: dict[str, Any] = (
            {"viewport": PHONE, "is_mobile": True, "has_touch": True}
            if phone
            else {"viewport": DESKTOP}
        )
        suffix = f"-{len(pages) + 1}" if pages else ""
        if email is not None:
            shape["storage_state"] = demo_cookies(email)
        made = _page(browser, request, suffix, **shape)
        pages.append(made)
        return next(made)

    yield opened
    for made in pages:
        next(made, None)


@pytest.fixture(scope="session")
def demo_clients(
    demo_server: Server, browser: Browser, demo_cookies: Callable[[str], Any]
) -> dict[str, int]:
    """Each demo client's id by name, read from the admin's client list."""
    context = browser.new_context(viewport=DESKTOP, storage_state=demo_cookies(DEMO_ADMIN))
    try:
        page = context.new_page()
        page.goto(f"{demo_server.url}/clients")
        links: list[list[str]] = page.locator("table a[href^='/clients/']").evaluate_all(
            "links => links.map(a => [a.textContent.trim(), a.getAttribute('href')])"
        )
    finally:
        context.close()
    found = {name: int(href.rsplit("/", 1)[1]) for name, href in links}
    if len(found) < 6:
        pytest.fail(f"the demo clinic's client list shows {found}", pytrace=False)
    return found
