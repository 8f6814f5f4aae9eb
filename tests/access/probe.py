"""Send one request of the matrix as one role and judge the answer against the rule."""

import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hbm.audit.models import AuditEvent
from tests.access.rules import Case, Outcome, Seen, expected, in_scope
from tests.access.world import World

# SQLite adds to a many-to-many relation with INSERT OR IGNORE.
WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+IGNORE\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE
)
# A refused request may still be audited and touch the caller's session.
BOOKKEEPING = {AuditEvent._meta.db_table, "django_session"}
LOGIN_URLS = ("/accounts/login/", "/admin/login/")


def send(world: World, role: str, method: str, req) -> Seen:
    client = world.client(role)
    with CaptureQueriesContext(connection) as queries:
        if req.json is not None:
            response = client.generic(
                method, req.path, json.dumps(req.json), content_type="application/json"
            )
        elif method == "GET":
            response = client.get(req.path)
        else:
            response = (
                client.generic(method, req.path)
                if req.data is None
                else (client.post(req.path, req.data))
            )
        content = b"".join(response.streaming_content) if response.streaming else response.content
    writes = [
        match.group(1)
        for query in queries.captured_queries
        if (match := WRITE.match(query["sql"])) and match.group(1) not in BOOKKEEPING
    ]
    return Seen(
        status=response.status_code,
        location=response.get("Location", ""),
        body=content.decode("utf-8", errors="replace"),
        writes=writes,
    )


def judge(case: Case, role: str, scope: str, seen: Seen, world: World, *, web: bool) -> list[str]:
    """The ways the answer breaks the rule (empty when it keeps it)."""
    want = expected(case, role, scope)
    where = f"{role} @{scope}: want {want.value}, got {seen.status}"
    to_login = seen.status == 302 and any(url in seen.location for url in LOGIN_URLS)
    if want is Outcome.LOGIN:
        ok = to_login if web else seen.status == 401
        return [] if ok and not seen.writes else [f"{where} {seen.writes or ''}".strip()]
    if want is not Outcome.OK:
        statuses = {
            Outcome.REFUSED: (403, 404),
            Outcome.HIDDEN: (404,),
            Outcome.DENIED: (403,),
            Outcome.REJECTED: (422,),
            Outcome.CHALLENGE: (401,),
        }[want]
        if seen.status not in statuses:
            return [f"{where} {seen.body[:160]!r}"]
        return [f"{where} but wrote {sorted(set(seen.writes))}"] if seen.writes else []
    if not (200 <= seen.status < 400) or (to_login and not case.public):
        return [f"{where} {seen.body[:160]!r}"]
    problems = []
    if case.writes and not seen.writes:
        problems.append(f"{where} but wrote nothing")
    if case.marker is not None:
        for letter in ("a", "b"):
            shown = case.marker(world, world.side(letter), role) in seen.body
            if shown != in_scope(case, role, letter):
                problems.append(
                    f"{role}: the object at point {letter.upper()} is "
                    f"{'listed' if shown else 'missing'}"
                )
    for letter in ("a", "b") if role in case.personal else ():
        if world.side(letter).person.given_name in seen.body:
            problems.append(f"{role} reads the name of the person at point {letter.upper()}")
    return problems
