"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import importlib
import os
import shutil

import pytest
from django.apps import apps

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
# here are still plain synchronous calls, so Django's async guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_MISSING = "Debian's chromium is not installed (apt-get install -y chromium)"


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
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


REFERENCE_DATA = [
    ("hbm.places.migrations.0002_load_countries", "load_countries"),
    ("hbm.screening.migrations.0002_specific_needs_2009", "load"),
    ("hbm.referrals.migrations.0002_service_types", "load"),
]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Browser tests run on flushed tables, and a flush also empties the reference data that
    data migrations load (countries, specific-needs codes): load it again for each test."""
    for module, function in REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(apps, None)
