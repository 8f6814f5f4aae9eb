"""Every role's pages on the demo scenario: at a phone's width (390 px) every page the menu
leads to and every page one click further, with no sideways scroll and no console error; at a
small tablet's width (800 px) the menu's pages again. Screenshots of the menu's pages at both
widths go to pytest's temporary directory (docs/screenshots with ``make screenshots``)."""

import re
from collections import Counter

import pytest

from hbm.demo import scenario
from tests.e2e.conftest import SETTLED, console_errors, log_in, sideways_scroll

pytestmark = pytest.mark.e2e

PHONE, TABLET = 390, 800
# Links that download a file or leave HBM's own pages.
SKIPPED = re.compile(
    r"/(api|static|media|admin/.+|accounts/logout)/|export|download|sitrep|report|\.(csv|xlsx|pdf)"
)
# Pages of the same kind (a person's, a crossing point's...) are visited twice: two persons'
# pages may lead to different pages (one screened already, the other not).
PAGES_PER_KIND = 2
ID = re.compile(r"/([0-9]+|[0-9a-f-]{36})(?=/|$)|(?<=/crossing-points/)(?!import/)[a-z0-9-]+")
MAX_PAGES_PER_ROLE = 60
# Pages the crawl must reach (the ones that once scrolled sideways or logged an error).
MUST_VISIT = {
    "/screening/persons/{id}/screen/",
    "/registry/duplicates/{id}/",
    "/referrals/",
    "/referrals/persons/{id}/new/",
    "/assessments/{id}/results/",
    "/security/hits/{id}/",
    "/security/watchlists/{id}/",
}


def shape(path: str) -> str:
    return ID.sub("/{id}", path)


def menu(page) -> list[str]:
    return page.eval_on_selector_all("#mainnav a", "links => links.map(a => a.pathname)")


def links_in_main(page) -> list[str]:
    return page.eval_on_selector_all(
        "main a[href]:not([download])",
        "links => links.filter(a => a.origin === location.origin).map(a => a.pathname)",
    )


class Visit:
    def __init__(self, browser, base_url, username, width):
        self.context = browser.new_context(viewport={"width": width, "height": 844})
        self.page = self.context.new_page()
        self.errors = console_errors(self.page)
        self.base_url, self.username, self.width = base_url, username, width
        self.too_wide: list[str] = []
        log_in(self.page, base_url, username, scenario.DEMO_PASSWORD)

    def open(self, path, screenshot=None):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 500, f"{self.username}: {path}"
        # Sections a page loads after it opens (the person page's) are part of it.
        self.page.wait_for_function(SETTLED)
        over = sideways_scroll(self.page)
        if over > 0:
            self.too_wide.append(f"{self.username} at {self.width} px: {path} {over} px too wide")
        if screenshot:
            self.page.screenshot(path=screenshot)


def screenshot_name(width, username, path):
    return f"{width}-{username}-{shape(path).strip('/').replace('/', '-') or 'home'}.png"


def test_every_page_of_every_role_fits_a_phone_with_no_console_error(
    live_server, browser, demo, screenshot_path
):
    errors, too_wide, visited_shapes = [], [], set()
    for username, *_rest in scenario.USERS:
        visit = Visit(browser, live_server.url, username, PHONE)
        main_pages = [p for p in menu(visit.page) if not p.startswith("/admin/")]
        seen, queue = Counter(shape(p) for p in main_pages), list(main_pages)
        queued = set(queue)
        visited = 0
        while queue and visited < MAX_PAGES_PER_ROLE:
            path = queue.pop(0)
            main = path in main_pages
            shot = screenshot_path(screenshot_name(PHONE, username, path)) if main else None
            visit.open(path, shot)
            visited_shapes.add(shape(path))
            visited += 1
            for link in links_in_main(visit.page):
                new = link not in queued and seen[shape(link)] < PAGES_PER_KIND
                if new and not SKIPPED.search(link):
                    seen[shape(link)] += 1
                    queued.add(link)
                    queue.append(link)
        visit.context.close()
        errors += visit.errors
        too_wide += visit.too_wide
    assert MUST_VISIT - visited_shapes == set()
    assert too_wide == []
    assert errors == []


def test_the_main_pages_of_every_role_fit_a_small_tablet(
    live_server, browser, demo, screenshot_path
):
    errors, too_wide = [], []
    for username, *_rest in scenario.USERS:
        visit = Visit(browser, live_server.url, username, TABLET)
        for path in menu(visit.page):
            if not path.startswith("/admin/"):
                visit.open(path, screenshot_path(screenshot_name(TABLET, username, path)))
        visit.context.close()
        errors += visit.errors
        too_wide += visit.too_wide
    assert too_wide == []
    assert errors == []


def test_the_menu_folds_behind_its_button_on_a_phone(live_server, browser, demo):
    visit = Visit(browser, live_server.url, "coordinator", PHONE)
    page = visit.page
    nav, toggle = page.locator("#mainnav"), page.locator(".menu-toggle")
    assert not nav.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert nav.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    nav.get_by_role("link", name="Flows").click()
    page.wait_for_url("**/flows/")
    assert not page.locator("#mainnav").is_visible()
    page.keyboard.press("Tab")
    assert page.get_by_role("link", name="Skip to the content").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    visit.context.close()
    assert visit.errors == []
