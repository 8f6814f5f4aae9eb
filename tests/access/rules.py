"""How the matrix states a rule: per operation, the roles allowed, how the object's scope
matters, and what a refused role gets. The tables themselves are in api_table.py and
web_table.py; docs/access.md, docs/protection.md and docs/security.md are their source."""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from hbm.accounts.roles import NATIONAL_ROLES, Role
from tests.access.world import OUTSIDER, Side, World

REG = Role.REGISTRATION_OFFICER.value
PROT = Role.PROTECTION_OFFICER.value
HEALTH = Role.HEALTH_OFFICER.value
SEC = Role.SECURITY_OFFICER.value
FLOW = Role.FLOW_ENUMERATOR.value
COORD = Role.COORDINATOR.value
ASSESS = Role.ASSESSOR.value
PROV = Role.SERVICE_PROVIDER.value
ADMIN = Role.ADMINISTRATOR.value
STATION = Role.FIELD_STATION.value

ANY_ROLE = frozenset(Role.values)
EVERYONE = ANY_ROLE | {OUTSIDER}  # every logged-in user, even one with no role
NATIONAL = frozenset(r.value for r in NATIONAL_ROLES)
PERSON_READERS = frozenset({REG, PROT, HEALTH, SEC, COORD, ADMIN})
FLOW_READERS = frozenset({COORD, ADMIN, ASSESS, FLOW, REG, PROT, HEALTH})
# contingency plans: read at one's points, tasks worked on by one's agency (docs/plans.md)
PLAN_READERS = ANY_ROLE - {STATION}


class Outcome(Enum):
    OK = "allowed"
    REFUSED = "refused (403, or 404 that reveals nothing)"
    DENIED = "denied-403"
    HIDDEN = "hidden-404"
    # The body names what the caller may not see: answered as an unknown id would be (an
    # import: all or nothing, problems by line; a registration: the member's field).
    REJECTED = "rejected-422"
    LOGIN = "auth-required"
    # OpenRosa (ODK Collect): only a Collect credential (HTTP Digest or Basic) opens it, never a
    # session.
    CHALLENGE = "basic-auth-401"


class Scope(Enum):
    NONE = "no object"  # one request; nothing in it belongs to a point
    POINT = "point"  # the object (or point) named lies at point A or B
    OWNER = "owner"  # A: the caller's own object; B: another user's


@dataclass(frozen=True)
class Req:
    path: str
    json: Any = None
    data: dict[str, Any] | None = None  # a form, multipart when it holds files


Build = Callable[[World, Side, str], Req]


@dataclass(frozen=True)
class Case:
    """One operation (an endpoint, or an endpoint with one kind of body)."""

    endpoint: str  # "GET /api/v1/persons/{person_id}" or a URL name "registry:person-detail"
    build: Build
    allowed: frozenset[str]
    scope: Scope = Scope.NONE
    label: str = ""
    beyond: frozenset[str] | None = None  # allowed out of scope; default the national ones
    refused: Outcome = Outcome.REFUSED  # what a role outside ``allowed`` gets
    out: Outcome = Outcome.HIDDEN  # what an allowed role gets for an object out of its scope
    marker: Callable[[World, Side, str], str] | None = None  # a list shows the side's object
    personal: frozenset[str] = frozenset()  # roles that must not read the person's name
    writes: bool = False  # an allowed request writes something besides the audit log
    method: str = "GET"
    public: bool = False  # open to anonymous visitors too
    basic_auth: bool = False  # answers a session, or no login, with 401: Digest and Basic offered

    @property
    def id(self) -> str:
        return f"{self.endpoint} {self.label}".strip()


def case(endpoint: str, build: Build, allowed: frozenset[str] | set[str], **rest: Any) -> Case:
    method = endpoint.split(" ", 1)[0] if " " in endpoint else rest.pop("method", "GET")
    writes = rest.pop("writes", method not in ("GET", "HEAD"))
    return Case(endpoint, build, frozenset(allowed), method=method, writes=writes, **rest)


def in_scope(case: Case, role: str, scope: str) -> bool:
    if case.scope is Scope.OWNER:
        return scope == "a" or role in (case.beyond or frozenset())
    beyond = NATIONAL if case.beyond is None else case.beyond
    return role in beyond or (scope == "a" and role != OUTSIDER)


def expected(case: Case, role: str, scope: str) -> Outcome:
    if case.basic_auth:
        return Outcome.CHALLENGE
    if role == "anonymous":
        return Outcome.OK if case.public else Outcome.LOGIN
    if role not in case.allowed:
        return case.refused
    if case.scope is Scope.NONE or in_scope(case, role, scope):
        return Outcome.OK
    return case.out


@dataclass
class Seen:
    """What one request did."""

    status: int
    location: str
    body: str
    writes: list[str] = field(default_factory=list)
