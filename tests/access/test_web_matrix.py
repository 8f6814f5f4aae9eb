"""Every web page × every role × an object in and out of the caller's scope."""

import pytest
from django.urls import URLResolver, get_resolver

from tests.access.probe import judge, send
from tests.access.rules import Scope
from tests.access.web_table import CASES
from tests.access.world import ROLES

# The API's own routes are the API matrix's; the admin site's pages are one row.
API_PAGES = {"api:openapi-json", "api:openapi-view"}


def _names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace or "") if n)
            yield from _names(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_web_page_is_classified():
    pages = set()
    for name in _names(get_resolver().url_patterns):
        if name.startswith("admin:"):
            pages.add("admin:*")
        elif not name.startswith("api:") or name in API_PAGES:
            pages.add(name)
    classified = {case.endpoint for case in CASES}
    assert sorted(pages - classified) == [], "classify these in tests/access/web_table.py"
    assert sorted(classified - pages) == [], "these pages are gone"


@pytest.mark.parametrize(
    ("case", "role"),
    [(case, role) for case in CASES for role in ROLES],
    ids=[f"{case.id}-{role}" for case in CASES for role in ROLES],
)
def test_web(world, db, case, role):
    problems = []
    for scope in ("a",) if case.scope is Scope.NONE or case.marker else ("a", "b"):
        request = case.build(world, world.side(scope), role)
        seen = send(world, role, case.method, request)
        problems += judge(case, role, scope, seen, world, web=True)
    assert not problems, "\n".join(problems)
