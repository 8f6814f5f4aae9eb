"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

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


def console_errors(page) -> list[str]:
    """Every error the page reports from now on: console errors (htmx logs its own errors,
    such as htmx:syntax:error, there; a resource that failed to load is one too) and uncaught
    exceptions. The list fills as the page is used. A 422 page (bad input refused) is not
    an error."""
    errors: list[str] = []

    def on_console(message) -> None:
        # A page that refuses bad input answers 422 with the fields and reasons, by design;
        # Chromium reports any 4xx page as a failed load.
        if message.type == "error" and "responded with a status of 422" not in message.text:
            errors.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return errors


def sideways_scroll(page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scroll)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def log_in(page, base_url: str, username: str, password: str, next_path: str = "/") -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}{next_path}")


@pytest.fixture(scope="session", autouse=True)
def no_server_connections_left(django_db_setup, django_db_blocker):
    """The live server's request threads may still hold PostgreSQL sessions when the
    browser tests end (a page polling its progress); end them so the test database can be
    dropped."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
