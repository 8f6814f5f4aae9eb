"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

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


def authenticator_code(username: str, secret: str | None = None) -> str:
    """The code an authenticator app holding the user's key shows: of the current 30-second
    step, or the next, whichever the server has not taken yet (a test may log the same user
    in twice within a step; a person would wait for the next code, and so does this, if
    need be)."""
    import pyotp
    from django.utils import timezone

    from hbm.accounts.models import TotpDevice

    device = TotpDevice.objects.get(user__username=username)
    totp = pyotp.TOTP(secret or device.secret)
    while True:
        current = totp.timecode(timezone.now())
        step = max(current, (device.last_used_step or 0) + 1)
        if step <= current + 1:
            return totp.generate_otp(step)
        time.sleep(1)


def second_factor(page, username: str, on_page: Callable[[], None] | None = None) -> None:
    """After the password, as the person would: give the code from the authenticator, or,
    for a role that needs one and has none yet, set it up from the key on the page (the
    recovery codes then shown are acknowledged). ``on_page`` is called on each such page."""
    page.wait_for_url(lambda url: urlsplit(url).path != "/accounts/login/")
    path = urlsplit(page.url).path
    if path == "/accounts/login/code/":
        if on_page:
            on_page()
        page.get_by_label("Code", exact=True).fill(authenticator_code(username))
        page.get_by_role("button", name="Verify").click()
    elif path == "/accounts/two-factor/":
        if on_page:
            on_page()
        secret = page.locator("#totp-secret").inner_text().replace(" ", "")
        page.get_by_label("Code", exact=True).fill(authenticator_code(username, secret))
        page.get_by_role("button", name="Confirm").click()
        page.locator("#recovery-codes").wait_for()
        if on_page:
            on_page()
        page.locator("#continue").click()


def log_in(page, base_url: str, username: str, password: str, next_path: str = "/") -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    second_factor(page, username)
    page.wait_for_url(f"{base_url}{next_path}")


PHONE = {"width": 390, "height": 844}
# A page has settled when nothing it loads by itself is still on its way.
SETTLED = (
    "() => !document.querySelector('[hx-trigger=\"load\"]')"
    " && !document.querySelector('.htmx-request')"
)


class Day:
    """One role's working day in a phone-sized browser. Every page it opens is checked with
    ``fits()`` (no sideways scroll, screenshot taken); ``end()`` then asserts that every page
    opened was checked, that no console error or uncaught exception happened, and that no
    request failed, apart from the refusals a step expects (``with day.refused(422):``)."""

    def __init__(self, browser, base_url: str, username: str, password: str, screenshots):
        self.context = browser.new_context(viewport=PHONE, locale="en-GB")
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.base_url, self.username, self.screenshots = base_url, username, screenshots
        self.errors = console_errors(self.page)
        self.failed: list[str] = []
        self.expected: set[int] = set()
        self.refusals: list[str] = []
        self.opened: set[str] = set()
        self.checked: set[str] = set()
        self.shots = 0
        self.page.on("response", self._on_response)
        # A request the page cancels itself (by leaving a page that polls) is not a failure.
        self.page.on(
            "requestfailed",
            lambda r: (
                None
                if r.failure == "net::ERR_ABORTED"
                else self.failed.append(f"{r.method} {r.url}: {r.failure}")
            ),
        )
        self.page.on(
            "framenavigated",
            lambda frame: (
                self.opened.add(urlsplit(frame.url).path) if frame == self.page.main_frame else None
            ),
        )
        self.page.goto(f"{base_url}/accounts/login/")
        self.fits()
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()
        second_factor(self.page, username, on_page=self.fits)
        self.page.wait_for_url(f"{base_url}/")
        self.fits()

    def menu(self, name: str) -> None:
        """Open a section from the menu, folded behind its button on a phone."""
        self.page.locator(".menu-toggle").click()
        self.page.locator("#mainnav").get_by_role("link", name=name, exact=True).click()
        self.page.wait_for_load_state()

    def _on_response(self, response) -> None:
        if response.status < 400:
            return
        line = f"{response.status} {response.request.method} {response.url}"
        if response.status in self.expected:
            self.refusals.append(line)
        else:
            self.failed.append(line)

    @contextmanager
    def refused(self, status: int) -> Iterator[None]:
        """A step whose bad input the server must refuse with ``status``."""
        before = len(self.refusals)
        self.expected.add(status)
        try:
            yield
        finally:
            self.expected.discard(status)
        assert len(self.refusals) > before, f"no {status} answer in this step"

    def open(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, f"{self.username}: {path}"
        self.fits()

    def fits(self) -> None:
        """The page as it is now: settled, no wider than the phone; a screenshot taken."""
        self.page.wait_for_function(SETTLED)
        path = urlsplit(self.page.url).path
        over = sideways_scroll(self.page)
        assert over <= 0, f"{self.username}: {path} is {over} px wider than the phone"
        self.checked.add(path)
        self.shots += 1
        slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
        name = f"{PHONE['width']}-day-{self.username}-{self.shots:02d}-{slug}.png"
        self.page.screenshot(path=self.screenshots(name), full_page=True)

    def end(self) -> None:
        self.context.close()
        assert self.opened - self.checked == set(), "pages opened but not checked"
        assert self.errors == []
        assert self.failed == []


@pytest.fixture
def day(browser, live_server, screenshot_path):
    """Start a role's day: ``day("registration")`` logs the demo user in on a phone."""
    from hbm.demo.scenario import DEMO_PASSWORD

    days: list[Day] = []

    def start(username: str) -> Day:
        days.append(Day(browser, live_server.url, username, DEMO_PASSWORD, screenshot_path))
        return days[-1]

    yield start
    for started in days:
        started.end()


@pytest.fixture
def demo(transactional_db):
    """The demo scenario, small: every role's users and points, a few hundred arrivals,
    screenings, referrals, a watchlist with hits, and the possible duplicates found by the
    worker's first job."""
    from hbm.demo.services import demo_load
    from hbm.registry.models import DuplicateScan
    from hbm.registry.tasks import rescan_duplicates

    demo_load(scale=0.02)
    rescan_duplicates.call(scan_id=DuplicateScan.objects.get().pk)


@pytest.fixture
def officer(transactional_db):
    """Amina, a registration officer at Mahagi – Goli (the desk's browser tests)."""
    from tests.factories import AgencyFactory, CrossingPointFactory, UserFactory

    point = CrossingPointFactory(code="mahagi-goli", name="Mahagi – Goli")
    agency = AgencyFactory(code="dgm", name="Direction Générale de Migration")
    return UserFactory(
        username="amina",
        first_name="Amina",
        last_name="Lokwa",
        agency=agency,
        roles=["registration_officer"],
        crossing_points=[point],
    )


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
