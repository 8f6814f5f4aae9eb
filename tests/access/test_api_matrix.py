"""Every API operation × every role × an object in and out of the caller's scope."""

import pytest

from hbm.api import api
from tests.access.api_table import CASES
from tests.access.probe import judge, send
from tests.access.rules import Scope
from tests.access.world import ROLES

METHODS = {"get", "post", "put", "patch", "delete"}


def test_every_api_operation_is_classified():
    paths = api.get_openapi_schema()["paths"]
    operations = {
        f"{m.upper()} {path}" for path, item in paths.items() for m in item if m in METHODS
    }
    classified = {case.endpoint for case in CASES}
    assert sorted(operations - classified) == [], "classify these in tests/access/api_table.py"
    assert sorted(classified - operations) == [], "these are no longer in the API"


@pytest.mark.parametrize(
    ("case", "role"),
    [(case, role) for case in CASES for role in ROLES],
    ids=[f"{case.id}-{role}" for case in CASES for role in ROLES],
)
def test_api(world, db, case, role):
    problems = []
    for scope in ("a",) if case.scope is Scope.NONE or case.marker else ("a", "b"):
        request = case.build(world, world.side(scope), role)
        seen = send(world, role, case.method, request)
        problems += judge(case, role, scope, seen, world, web=False)
    assert not problems, "\n".join(problems)
