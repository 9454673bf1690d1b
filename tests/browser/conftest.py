"""Real-browser fixtures: Debian's Chromium driven by Playwright against a live server on loopback.

Playwright cannot download its own browsers here, so it launches ``/usr/bin/chromium`` (or
``$CHROMIUM``). Without Chromium or Playwright the tests skip with the reason; with
``BROWSER_TESTS_REQUIRED=1`` (``.ci/run`` sets it) or ``CI`` set they fail instead, so CI never passes by skipping.
Every page a test visits is checked the same way by :class:`Tab` (see :meth:`Tab.check`).
Screenshots go to ``artifacts/browser/`` (git-ignored); ``README_SCREENSHOTS=1`` also refreshes
those under ``docs/screenshots/`` that the README shows (catat-belanja, peringkat, koordinator from the
journeys; beranda and peta-petak, the home page's headline and tile map at 360 px, from test_first_screens).
"""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import threading
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"
README_SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
PAGE_LIMIT = 100 * 1024  # bytes: a page and everything it loads
TIMEOUT_MS = 20_000  # any single browser action
TEST_SECONDS = 480  # a whole journey, on a busy machine
ALSO_REFUSED = {"empty-table-header"}  # minor for axe, but a header cell that says nothing (issue 18, row 13)


def _unavailable() -> str | None:
    if importlib.util.find_spec("playwright") is None or importlib.util.find_spec("axe_playwright_python") is None:
        return "Playwright or axe-playwright-python is not installed (pip install -r requirements-dev.txt)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM=/path/to/chromium)"
    return None


def _kill_marked(marker: str) -> None:
    """SIGKILL every process whose command line carries ``marker`` (this test's Chromium only)."""
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and marker.encode() in (proc / "cmdline").read_bytes():
                os.kill(int(proc.name), signal.SIGKILL)
        except (OSError, ProcessLookupError):
            continue


@pytest.fixture(scope="session")
def playwright_driver():
    reason = _unavailable()
    if reason:
        if os.environ.get("BROWSER_TESTS_REQUIRED") == "1" or os.environ.get("CI"):
            pytest.fail(f"browser tests are required here but cannot run: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture
def chromium(playwright_driver):
    """A Chromium of this test's own. Playwright has no timeout on some waits (a new page, say), so a
    watchdog kills this browser after :data:`TEST_SECONDS`: the test then fails instead of hanging."""
    marker = f"--bwt-test={uuid.uuid4().hex}"  # Chromium ignores switches it does not know
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, marker],
                                                headless=True)
    watchdog = threading.Timer(TEST_SECONDS, _kill_marked, args=(marker,))
    watchdog.daemon = True
    watchdog.start()
    yield browser
    watchdog.cancel()
    try:
        browser.close()
    finally:
        _kill_marked(marker)


@pytest.fixture
def app_config():
    """As in production: CSRF tokens on every form."""
    return {"WTF_CSRF_ENABLED": True}



class Tab:
    """One browser context (a person's phone or laptop) and its page, checking every page it shows:
    axe-core finds nothing serious or critical, nor any rule in :data:`ALSO_REFUSED` (with JavaScript
    on), no request left the server, nothing scrolls sideways at 360 px, and the page weighs at most
    :data:`PAGE_LIMIT` (the caller may ask less)."""

    def __init__(self, browser, base: str, *, viewport: str, javascript: bool, run: str):
        self.base, self.viewport, self.run, self.javascript = base, viewport, run, javascript
        self.context = browser.new_context(viewport=VIEWPORTS[viewport], java_script_enabled=javascript,
                                           locale="id-ID", timezone_id="Asia/Makassar")
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.sizes: dict[str, int] = {}
        self.checked: list[str] = []
        self.weights: list[tuple[int, str]] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page.on("response", self._measure)
        self.shots = ARTIFACTS / run
        self.shots.mkdir(parents=True, exist_ok=True)

    def _measure(self, response) -> None:
        try:
            size = len(response.body())
        except Exception:  # redirects have no body to read
            size = 0
        self.sizes[response.url] = max(size, self.sizes.get(response.url, 0))  # a 304 keeps the size

    def goto(self, path: str, *, limit: int = PAGE_LIMIT, name: str | None = None):
        response = self.page.goto(self.base + path)
        assert response is not None and response.ok, f"{path}: {response.status if response else 'no response'}"
        return self.check(limit=limit, name=name)

    def check(self, *, limit: int = PAGE_LIMIT, name: str | None = None) -> int:
        """Check the page now shown; returns its weight in bytes."""
        page = self.page
        page.wait_for_load_state("load")
        url = page.url
        self._check_hosts()
        if self.javascript:  # axe.run waits on timers, which never fire where scripts are off;
            self._check_axe(url)  # the same pages are checked in the runs with JavaScript
        if self.viewport == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= VIEWPORTS["phone"]["width"], f"{url} scrolls sideways: {width} px wide"
        weight = self.weight()
        assert weight <= limit, f"{url} weighs {weight} bytes (limit {limit})"
        self.checked.append(url)
        self.weights.append((weight, url))
        self.screenshot(name or re.sub(r"[^a-z0-9]+", "-", urlsplit(url).path.lower()).strip("-") or "beranda")
        return weight

    def weight(self) -> int:
        """Bytes of the document and of every resource it loaded (cached ones counted too)."""
        resources = self.page.evaluate(
            "[location.href, ...performance.getEntriesByType('resource').map(e => e.name)]")
        return sum(self.sizes.get(url, 0) for url in dict.fromkeys(resources))

    def _check_hosts(self) -> None:
        server = urlsplit(self.base).netloc
        foreign = [u for u in self.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                   and urlsplit(u).netloc != server]
        assert not foreign, f"requests left the server: {foreign}"

    def _check_axe(self, url: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page)
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3], v["help"])
               for v in results.response["violations"]
               if v["impact"] in ("serious", "critical") or v["id"] in ALSO_REFUSED]
        assert not bad, f"axe on {url}: {bad}"

    def screenshot(self, name: str, *, readme: str | None = None, element: str | None = None) -> None:
        """Full page into the artifacts; with ``readme``, also the viewport (or ``element``, a CSS
        selector) into docs/screenshots when README_SCREENSHOTS=1."""
        number = len(list(self.shots.glob("*.png"))) + 1
        path = self.shots / f"{number:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        if readme and os.environ.get("README_SCREENSHOTS") == "1":
            README_SHOTS.mkdir(parents=True, exist_ok=True)
            target = self.page.locator(element).first if element else self.page
            target.screenshot(path=str(README_SHOTS / f"{readme}.png"))

    def press(self, name: str) -> None:
        """Click the button (or link styled as one) with this exact name; wait for the next page."""
        target = self.page.get_by_role("button", name=name, exact=True)
        if target.count() == 0:
            target = self.page.get_by_role("link", name=name, exact=True)
        with self.page.expect_navigation():
            target.first.click()

    def fill(self, label: str, value: str) -> None:
        """Type into the field with this label, or pick the option with this text (or value)."""
        field = self.page.get_by_label(label, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            options = field.locator("option").all_inner_texts()
            chosen = next((o for o in options if value.lower() in o.lower()), None)
            field.select_option(label=chosen) if chosen else field.select_option(value=value)
        else:
            field.fill(value)

    def text(self) -> str:
        return self.page.inner_text("main")

    def close(self) -> None:
        """Closes the context; the weight of every page checked goes to weights.txt beside the shots."""
        self.context.close()
        lines = [f"{weight:>7} {url}" for weight, url in self.weights]
        (self.shots / "weights.txt").write_text("bytes   page (with everything it loaded)\n" + "\n".join(lines) + "\n")


@pytest.fixture
def open_tab(chromium, live_server, request):
    """``open_tab(viewport=..., javascript=...)``: a fresh browser context on the live server."""
    tabs: list[Tab] = []
    run = re.sub(r"[^A-Za-z0-9]+", "-", request.node.name).strip("-")
    shutil.rmtree(ARTIFACTS / run, ignore_errors=True)

    def open_(*, viewport: str = "phone", javascript: bool = True) -> Tab:
        tabs.append(Tab(chromium, live_server, viewport=viewport, javascript=javascript, run=run))
        return tabs[-1]
    yield open_
    for tab in tabs:
        tab.close()
