"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
# here are still plain synchronous calls, so Django's async guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_MISSING = "Debian's chromium is not installed (apt-get install -y chromium)"
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(CHROMIUM_MISSING + ": browser tests must run in CI")
        pytest.skip(CHROMIUM_MISSING)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page; the test fails if the page broke the Content-Security-Policy (a blocked
    script or style is a feature that silently stopped working)."""
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert blocked == [], "the page broke the Content-Security-Policy"


@pytest.fixture
def screenshot_path(tmp_path) -> Callable[[str], Path]:
    """Where a test saves a screenshot called ``name``: docs/screenshots when
    HBM_UPDATE_SCREENSHOTS=1 (``make screenshots``), else the test's own temporary directory,
    so that an ordinary run still takes the screenshot but leaves the work tree clean."""
    update = os.environ.get("HBM_UPDATE_SCREENSHOTS") == "1"
    folder = DOCS_SCREENSHOTS if update else tmp_path / "screenshots"

    def path_for(name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name

    return path_for
