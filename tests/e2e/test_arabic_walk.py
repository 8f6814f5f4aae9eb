"""Issue #23: each role, having switched the language to Arabic with the switcher, walks the
main pages its menu leads to, and one page of each kind one click further (a person's page,
a referral, a hit, a watchlist, an assessment...), on the demo scenario. On every page:
``<html dir="rtl" lang="ar">``, the page and its menu laid out right to left, and no text
shown in English where the Arabic catalogue has a translation.

What legitimately stays as it was typed (names, codes, numbers, e-mails, code samples) is
either not in the catalogue or sits in an element marked ``translate="no"``."""

import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

from hbm.demo import scenario
from tests.e2e.conftest import SETTLED, console_errors, log_in

pytestmark = pytest.mark.e2e

CATALOGUE = Path(__file__).resolve().parents[2] / "src" / "hbm" / "locale"
ROLES = ["registration", "protection", "security", "coordinator", "admin"]
# Links that download a file, leave HBM's own pages or change something.
SKIPPED = re.compile(
    r"^/(api|static|media|admin|accounts/logout)/|export|download|\.(csv|xlsx|pdf|xml|json)$"
)
ID = re.compile(r"/([0-9]+|[0-9a-f-]{36})(?=/|$)|(?<=/crossing-points/)(?!import/)[a-z0-9-]+")
MAX_PAGES_PER_ROLE = 30

# The visible text of the page, one entry per text node (and per placeholder, label or
# tooltip a person reads), leaving out what is not interface text: code samples, scripts,
# and anything inside an element marked translate="no" (names, codes, what a user typed).
VISIBLE_TEXT = """() => {
  const skipped = "script, style, code, pre, kbd, samp, [translate='no'], [hidden]";
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.replace(/\\s+/g, " ").trim();
    const element = node.parentElement;
    if (!text || !element || element.closest(skipped)) continue;
    if (!element.getClientRects().length) continue;
    texts.push(text);
  }
  for (const element of document.body.querySelectorAll("[placeholder], [aria-label], [title]")) {
    if (element.closest(skipped)) continue;
    for (const name of ["placeholder", "aria-label", "title"]) {
      const value = (element.getAttribute(name) || "").trim();
      if (value) texts.push(value);
    }
  }
  return texts;
}"""

# Where the first item of the menu sits, against the page's width, and the computed
# direction of the page and its menu.
LAYOUT = """() => {
  const nav = document.querySelector("#mainnav");
  const first = nav && nav.querySelector("a");
  const box = first && first.getBoundingClientRect();
  const last = nav && nav.querySelector("a:last-child").getBoundingClientRect();
  return {
    body: getComputedStyle(document.body).direction,
    nav: nav && getComputedStyle(nav).direction,
    first: box && {left: box.left, right: box.right, top: box.top},
    last: last && {left: last.left, right: last.right, top: last.top},
    width: document.documentElement.clientWidth,
  };
}"""


def english_messages() -> set[str]:
    """Every English message of the catalogue that Arabic translates differently."""
    with (CATALOGUE / "ar" / "LC_MESSAGES" / "django.mo").open("rb") as file:
        catalogue = gettext.GNUTranslations(file)
    english = set()
    for key, arabic in catalogue._catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid or "\x04" in msgid:
            # The header, or a message with a context: its msgid still counts.
            msgid = msgid.split("\x04", 1)[-1]
        if msgid and arabic != msgid:
            english.add(msgid.strip())
    return english - {""}


def english_data() -> set[str]:
    """Data stored in English that the project can show in Arabic: the names of the
    countries that pycountry names in Arabic, and the need labels that have an Arabic
    translation (ADR 0021)."""
    from hbm.places.models import Country
    from hbm.screening.models import NeedCode

    with translation.override("ar"):
        countries = {c.name for c in Country.objects.all() if c.local_name != c.name}
    needs = NeedCode.objects.prefetch_related("translations")
    return countries | {n.label for n in needs if n.label_for("ar") != n.label}


def shape(path: str) -> str:
    return ID.sub("/{id}", path)


class ArabicWalk:
    def __init__(self, browser, base_url: str, username: str, english: set[str]):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.errors = console_errors(self.page)
        self.base_url, self.username, self.english = base_url, username, english
        self.problems: list[str] = []
        self.visited: list[str] = []
        log_in(self.page, base_url, username, scenario.DEMO_PASSWORD)
        # As a person does: the language switcher in the top bar.
        with self.page.expect_navigation():
            self.page.select_option("#language", "ar")

    def menu(self) -> list[str]:
        return self.page.eval_on_selector_all("#mainnav a", "links => links.map(a => a.pathname)")

    def links_in_main(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "main a[href]:not([download])",
            "links => links.filter(a => a.origin === location.origin).map(a => a.pathname)",
        )

    def open(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 400, f"{self.username}: {path}"
        self.page.wait_for_function(SETTLED)
        self.visited.append(path)
        self.check(path)

    def problem(self, path: str, text: str) -> None:
        self.problems.append(f"{self.username} {path}: {text}")

    def check(self, path: str) -> None:
        page = self.page
        html = page.locator("html")
        if (html.get_attribute("dir"), html.get_attribute("lang")) != ("rtl", "ar"):
            self.problem(path, f'<html dir="{html.get_attribute("dir")}" lang=...> not rtl/ar')
        layout = page.evaluate(LAYOUT)
        if layout["body"] != "rtl":
            self.problem(path, f"the body's direction is {layout['body']}")
        if layout["nav"] is not None:
            first, last = layout["first"], layout["last"]
            if layout["nav"] != "rtl":
                self.problem(path, f"the menu's direction is {layout['nav']}")
            # The menu reads from the right: its first item is right of its last on the
            # same line, or (wrapped) the first line starts at the right.
            if first["top"] == last["top"] and first["left"] <= last["left"]:
                self.problem(path, "the menu is not mirrored: its first item is on the left")
            if first["right"] < layout["width"] / 2:
                self.problem(path, "the menu's first item is in the left half of the page")
        for text in page.evaluate(VISIBLE_TEXT):
            if text in self.english:
                self.problem(path, f"untranslated {text!r}")

    def walk(self) -> None:
        main_pages = [p for p in self.menu() if not SKIPPED.search(p)]
        seen = {shape(p) for p in main_pages}
        queue = list(main_pages)
        while queue and len(self.visited) < MAX_PAGES_PER_ROLE:
            path = queue.pop(0)
            self.open(path)
            if path not in main_pages:
                continue
            for link in self.links_in_main():
                if shape(link) not in seen and not SKIPPED.search(link):
                    seen.add(shape(link))
                    queue.append(link)

    def close(self) -> None:
        self.context.close()


def test_every_role_walks_its_main_pages_in_arabic(live_server, browser, demo):
    english = english_messages() | english_data()
    assert {"People", "Log out", "Register"} <= english
    problems, errors, visited = [], [], set()
    for username in ROLES:
        walk = ArabicWalk(browser, live_server.url, username, english)
        walk.walk()
        if username == "coordinator":
            walk.open("/api/v1/docs")
        walk.close()
        problems += walk.problems
        errors += walk.errors
        visited |= {shape(p) for p in walk.visited}
    for must in ("/registry/desk/", "/registry/people/{id}/", "/flows/", "/api/v1/docs"):
        assert must in visited, f"the walk did not reach {must}"
    assert problems == [], "\n".join(sorted(set(problems)))
    assert errors == []
