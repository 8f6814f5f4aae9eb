"""Every operation of /api/v1/, classified. A new operation fails test_api_matrix until it is
added here with who may call it."""

from datetime import timedelta

from django.utils import timezone

from tests.access.rules import (
    ADMIN,
    ANY_ROLE,
    ASSESS,
    COORD,
    EVERYONE,
    FLOW,
    FLOW_READERS,
    HEALTH,
    PERSON_READERS,
    PLAN_READERS,
    PROT,
    PROV,
    REG,
    SEC,
    STATION,
    Outcome,
    Req,
    Scope,
    case,
)
from tests.access.world import PNG, new_id
from tests.alerts.cap_documents import cap_alert
from tests.fieldops.conftest import movement_body, rescue_body

P = "/api/v1"


def _plan(w, s):
    """A plan's body: the side's point, one task for the coordinator's agency."""
    agency = w.users[COORD].agency.code
    return {
        "name": "Matrix plan",
        "scenario": "Mass arrival",
        "crossing_points": [s.point.code],
        "activation_level": "warning",
        "tasks": [{"title": "Open a lane", "agency": agency, "due_hours": 2}],
    }


def _task(s, r):
    """The side's task for the role's agency (a role with none: the coordinator's)."""
    return s.tasks.get(r) or s.tasks[COORD]


def _deployment(team, s):
    """A deployment's body: the team at the side's point for the next hour."""
    now = timezone.now()
    return {
        "team": str(team.public_id),
        "crossing_point": s.point.code,
        "starts_at": (now - timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(hours=1)).isoformat(),
    }


def _later_movement():
    """A bus leaving after the world's movements, so that no one is on two at once."""
    now = timezone.now()
    return movement_body(
        planned_departure=(now + timedelta(hours=30)).isoformat(),
        planned_arrival=(now + timedelta(hours=32)).isoformat(),
    )


def _moved(w, name):
    return f"{P}/fieldops/movements/{w.movements[name].public_id}"


WRITERS = {ASSESS, COORD, ADMIN}
MANAGERS = frozenset({COORD, ADMIN})
EQUIPMENT_READERS = ANY_ROLE - {STATION}
APPROVERS = {COORD, ADMIN}
DIRECTORY = frozenset({PROT, HEALTH, COORD, ADMIN})
HIDDEN = Outcome.HIDDEN  # the security compartment answers 404 to everyone else
POINT = Scope.POINT


def _person(w, s, r):
    return s.person.public_id


def _consent(w, s, r):
    return s.person.consents.get(purpose="registration").pk


def _export(w, s, r):
    """The caller's own background export at A, another user's at B."""
    return (w.exports.get(r, w.exports["b"]) if s is w.a else w.exports["b"]).pk


def _registration(code, member):
    return {
        "id": new_id(),
        "crossing_point": code,
        "direction": "entry",
        "consent_given": True,
        "members": [member],
    }


NEWCOMER = {
    "relationship": "head",
    "given_name": "Zawadi",
    "family_name": "Matrix",
    "sex": "F",
    "date_of_birth": "2001",
}


def _tally(code):
    now = timezone.now()
    return {
        "id": new_id(),
        "crossing_point": code,
        "window_start": (now - timedelta(hours=3)).isoformat(),
        "window_end": (now - timedelta(hours=2)).isoformat(),
        "total": 2,
        "lines": [{"direction": "entry", "male_18_59": 2, "nationality": "SSD"}],
    }


def _file(name, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)


def _xlsform():
    from tests.collect.conftest import TEMPLATE

    return TEMPLATE.read_bytes()


def _import_csv(code):
    return (
        "group_id,relationship,given_name,family_name,sex,date_of_birth,crossing_point,direction,"
        "consent_given\n"
        f"g-{new_id()},head,Imani,Matrix,F,2001,{code},entry,yes\n"
    )


CASES = [
    # accounts
    case("GET /api/v1/accounts/me", lambda w, s, r: Req(f"{P}/accounts/me"), EVERYONE),
    case(
        "GET /api/v1/accounts/tokens",
        lambda w, s, r: Req(f"{P}/accounts/tokens"),
        EVERYONE,
        scope=Scope.OWNER,
        marker=lambda w, s, r: (w.tokens[r] if s is w.a else w.b.token).prefix,
        beyond=frozenset(),  # one's own tokens only, whoever one is
    ),
    case(
        "POST /api/v1/accounts/tokens",
        lambda w, s, r: Req(f"{P}/accounts/tokens", json={"name": "phone"}),
        EVERYONE,
    ),
    case(
        "POST /api/v1/accounts/tokens/{prefix}/revoke",
        lambda w, s, r: Req(
            f"{P}/accounts/tokens/{(w.tokens.get(r, w.a.token) if s is w.a else w.b.token).prefix}"
            "/revoke"
        ),
        EVERYONE,
        scope=Scope.OWNER,
        beyond=frozenset({ADMIN}),
    ),
    # places
    case("GET /api/v1/places/countries", lambda w, s, r: Req(f"{P}/places/countries"), EVERYONE),
    case(
        "GET /api/v1/places/admin-areas", lambda w, s, r: Req(f"{P}/places/admin-areas"), EVERYONE
    ),
    case(
        "GET /api/v1/places/crossing-points",
        lambda w, s, r: Req(f"{P}/places/crossing-points"),
        EVERYONE,
        marker=lambda w, s, r: f'"{s.point.code}"',
    ),
    case(
        "POST /api/v1/places/crossing-points/import",
        lambda w, s, r: Req(
            f"{P}/places/crossing-points/import",
            data={
                "file": _file("points.csv", "code,name,country\npoint-new,New point,COD\n"),
                "dry_run": "false",
            },
        ),
        {ADMIN},
    ),
    case(
        "GET /api/v1/places/crossing-points/{code}",
        lambda w, s, r: Req(f"{P}/places/crossing-points/{s.point.code}"),
        EVERYONE,
        scope=POINT,
    ),
    # collect
    case(
        "POST /api/v1/collect/forms",
        lambda w, s, r: Req(
            f"{P}/collect/forms",
            data={"file": _file("registration.xlsx", _xlsform()), "crossing_points": "point-a"},
        ),
        {COORD, ADMIN},
    ),
    # audit
    case("GET /api/v1/audit/events", lambda w, s, r: Req(f"{P}/audit/events"), {ADMIN}),
    # registry
    case(
        "POST /api/v1/registrations",
        lambda w, s, r: Req(f"{P}/registrations", json=_registration(s.point.code, NEWCOMER)),
        {REG, ADMIN},
        scope=POINT,
        label="at the point",
        out=Outcome.REFUSED,
    ),
    case(
        "POST /api/v1/registrations",
        lambda w, s, r: Req(
            f"{P}/registrations",
            json=_registration(
                w.a.point.code,
                {"relationship": "head", "existing_person": str(s.person.public_id)},
            ),
        ),
        {REG, ADMIN},
        scope=POINT,
        out=Outcome.REJECTED,
        label="linking the person",
    ),
    case(
        "GET /api/v1/registrations/recent",
        lambda w, s, r: Req(f"{P}/registrations/recent?crossing_point={s.point.code}"),
        {REG, ADMIN},
        scope=POINT,
    ),
    case(
        "POST /api/v1/registrations/import",
        lambda w, s, r: Req(
            f"{P}/registrations/import",
            data={"file": _file("people.csv", _import_csv(s.point.code)), "dry_run": "false"},
        ),
        {REG, ADMIN},
        scope=POINT,
        out=Outcome.REJECTED,
    ),
    case(
        "GET /api/v1/persons",
        lambda w, s, r: Req(f"{P}/persons"),
        PERSON_READERS,
        marker=lambda w, s, r: str(s.person.public_id),
    ),
    case(
        "GET /api/v1/crossings",
        lambda w, s, r: Req(f"{P}/crossings"),
        PERSON_READERS,
        marker=lambda w, s, r: str(s.person.public_id),
    ),
    case(
        "POST /api/v1/persons/match",
        lambda w, s, r: Req(
            f"{P}/persons/match", json={"given_name": "Amani", "family_name": "Alphonse"}
        ),
        PERSON_READERS,
        writes=False,  # the desk sees people registered anywhere, by design
    ),
    case(
        "POST /api/v1/persons/{person_id}/reveal",
        lambda w, s, r: Req(
            f"{P}/persons/{s.person.public_id}/reveal",
            json={"reason": "Deciding a possible duplicate"},
        ),
        PERSON_READERS,
        # Any person, by design: another point's candidate needs the audited step (a write);
        # one of the reader's own points needs none.
        writes=False,
    ),
    case(
        "GET /api/v1/crossings/export",
        lambda w, s, r: Req(f"{P}/crossings/export"),
        {REG, COORD, ADMIN},
        marker=lambda w, s, r: s.person.family_name,
    ),
    case(
        "GET /api/v1/exports/{export_id}",
        lambda w, s, r: Req(f"{P}/exports/{_export(w, s, r)}"),
        EVERYONE,
        scope=Scope.OWNER,
        beyond=frozenset(),  # only the one who asked, whoever they are
        out=Outcome.DENIED,
    ),
    case(
        "GET /api/v1/exports/{export_id}/file",
        lambda w, s, r: Req(f"{P}/exports/{_export(w, s, r)}/file"),
        EVERYONE,
        scope=Scope.OWNER,
        beyond=frozenset(),
        out=Outcome.DENIED,
    ),
    case(
        "POST /api/v1/persons/{person_id}/photo",
        lambda w, s, r: Req(
            f"{P}/persons/{_person(w, s, r)}/photo", data={"photo": _file("p.png", PNG)}
        ),
        {REG, PROT, ADMIN},
        scope=POINT,
    ),
    case(
        "PATCH /api/v1/persons/{person_id}",
        lambda w, s, r: Req(
            f"{P}/persons/{_person(w, s, r)}",
            json={"reason": "number misread", "phone": "+256700000123"},
        ),
        {REG, PROT, ADMIN},
        scope=POINT,
    ),
    case(
        "GET /api/v1/persons/{person_id}/corrections",
        lambda w, s, r: Req(f"{P}/persons/{_person(w, s, r)}/corrections"),
        PERSON_READERS,
        scope=POINT,
    ),
    case(
        "GET /api/v1/persons/{person_id}/subject-access",
        lambda w, s, r: Req(f"{P}/persons/{_person(w, s, r)}/subject-access"),
        {PROT, COORD, ADMIN},
        scope=POINT,
    ),
    case(
        "GET /api/v1/persons/{person_id}/consents",
        lambda w, s, r: Req(f"{P}/persons/{_person(w, s, r)}/consents"),
        PERSON_READERS,
        scope=POINT,
    ),
    case(
        "POST /api/v1/persons/{person_id}/consents",
        lambda w, s, r: Req(
            f"{P}/persons/{_person(w, s, r)}/consents",
            json={"purpose": "data_sharing", "given": True, "method": "signed"},
        ),
        {REG, PROT, ADMIN},
        scope=POINT,
    ),
    case(
        "POST /api/v1/persons/{person_id}/consents/{consent_id}/withdraw",
        lambda w, s, r: Req(
            f"{P}/persons/{_person(w, s, r)}/consents/{_consent(w, s, r)}/withdraw",
            json={"reason": "No longer wishes to be assisted"},
        ),
        {REG, PROT, ADMIN},
        scope=POINT,
    ),
    case(
        "GET /api/v1/persons/{person_id}/photo",
        lambda w, s, r: Req(f"{P}/persons/{_person(w, s, r)}/photo"),
        PERSON_READERS,
        scope=POINT,
    ),
    case(
        "GET /api/v1/groups",
        lambda w, s, r: Req(f"{P}/groups"),
        PERSON_READERS,
        marker=lambda w, s, r: str(s.group.public_id),
    ),
    case(
        "GET /api/v1/groups/{group_id}",
        lambda w, s, r: Req(f"{P}/groups/{s.group.public_id}"),
        PERSON_READERS,
        scope=POINT,
    ),
    case(
        "GET /api/v1/persons/{person_id}",
        lambda w, s, r: Req(f"{P}/persons/{_person(w, s, r)}"),
        PERSON_READERS,
        scope=POINT,
    ),
    # screening
    case(
        "POST /api/v1/persons/{person_id}/health-screenings",
        lambda w, s, r: Req(
            f"{P}/persons/{_person(w, s, r)}/health-screenings",
            json={"crossing_point": s.point.code},
        ),
        {HEALTH},
        scope=POINT,
    ),
    case(
        "GET /api/v1/persons/{person_id}/health-screenings",
        lambda w, s, r: Req(f"{P}/persons/{_person(w, s, r)}/health-screenings"),
        {HEALTH},
        scope=POINT,
    ),
    case(
        "GET /api/v1/health/daily",
        lambda w, s, r: Req(f"{P}/health/daily"),
        {HEALTH, COORD, ADMIN},
        marker=lambda w, s, r: f'"{s.point.code}"',
    ),
    case(
        "GET /api/v1/persons/{person_id}/relatives",
        lambda w, s, r: Req(f"{P}/persons/{_person(w, s, r)}/relatives"),
        {PROT},
        scope=POINT,
    ),
    case("GET /api/v1/children/to-screen", lambda w, s, r: Req(f"{P}/children/to-screen"), {PROT}),
    case("GET /api/v1/needs-codes", lambda w, s, r: Req(f"{P}/needs-codes"), EVERYONE),
    case(
        "GET /api/v1/persons/{person_id}/screening-questions",
        lambda w, s, r: Req(f"{P}/persons/{_person(w, s, r)}/screening-questions"),
        {PROT},
        scope=POINT,
    ),
    case(
        "GET /api/v1/persons/{person_id}/screenings",
        lambda w, s, r: Req(f"{P}/persons/{_person(w, s, r)}/screenings"),
        {PROT},
        scope=POINT,
    ),
    case(
        "POST /api/v1/persons/{person_id}/screenings",
        lambda w, s, r: Req(f"{P}/persons/{_person(w, s, r)}/screenings", json={"answers": {}}),
        {PROT},
        scope=POINT,
    ),
    # tracing requests: the protection officers of the request's point
    case(
        "GET /api/v1/tracing-requests",
        lambda w, s, r: Req(f"{P}/tracing-requests"),
        {PROT},
        marker=lambda w, s, r: f'"id": {s.tracing.pk},',
    ),
    case(
        "POST /api/v1/tracing-requests",
        lambda w, s, r: Req(
            f"{P}/tracing-requests",
            json={
                "crossing_point": s.point.code,
                "enquirer": str(s.person.public_id),
                "relationship": "parent",
                "family_name": "Matrix",
            },
        ),
        {PROT},
        scope=POINT,
    ),
    case(
        "GET /api/v1/tracing-requests/{request_id}",
        lambda w, s, r: Req(f"{P}/tracing-requests/{s.tracing.pk}"),
        {PROT},
        scope=POINT,
    ),
    case(
        "POST /api/v1/tracing-requests/{request_id}/proposals",
        lambda w, s, r: Req(f"{P}/tracing-requests/{s.tracing.pk}/proposals", json={}),
        {PROT},
        scope=POINT,
    ),
    case(
        "POST /api/v1/tracing-requests/{request_id}/matches/{match_id}/decision",
        lambda w, s, r: Req(
            f"{P}/tracing-requests/{s.tracing.pk}/matches/{s.tracing_match.pk}/decision",
            json={"decision": "rejected"},
        ),
        {PROT},
        scope=POINT,
    ),
    case(
        "POST /api/v1/tracing-requests/{request_id}/close",
        lambda w, s, r: Req(f"{P}/tracing-requests/{s.tracing.pk}/close", json={"reason": "found"}),
        {PROT},
        scope=POINT,
    ),
    # referrals
    case(
        "GET /api/v1/protection/dashboard",
        lambda w, s, r: Req(f"{P}/protection/dashboard"),
        {PROT, COORD, ADMIN},
    ),
    case(
        "GET /api/v1/referrals",
        lambda w, s, r: Req(f"{P}/referrals"),
        {PROT, HEALTH, PROV, COORD, ADMIN},
        marker=lambda w, s, r: f'"id": {s.referral.pk},',
        personal=frozenset({COORD, ADMIN}),
    ),
    case(
        "POST /api/v1/referrals",
        lambda w, s, r: Req(
            f"{P}/referrals",
            json={
                "person": str(s.person.public_id),
                "crossing_point": s.point.code,
                "service_type": w.service_type.code,
                "provider": s.provider.pk,
                "urgency": "urgent",
                "consent_given": True,
            },
        ),
        {PROT, HEALTH},
        scope=POINT,
    ),
    case(
        "GET /api/v1/referrals/{referral_id}",
        lambda w, s, r: Req(f"{P}/referrals/{s.referral.pk}"),
        {PROT, HEALTH, PROV, COORD, ADMIN},
        scope=POINT,
        personal=frozenset({COORD, ADMIN}),
    ),
    case(
        "POST /api/v1/referrals/{referral_id}/transition",
        lambda w, s, r: Req(
            f"{P}/referrals/{s.referral.pk}/transition", json={"status": "accepted"}
        ),
        {PROV},
        scope=POINT,
        label="accept (the provider)",
    ),
    case(
        "POST /api/v1/referrals/{referral_id}/transition",
        lambda w, s, r: Req(
            f"{P}/referrals/{s.referral.pk}/transition",
            json={"status": "revoked", "reason": "moved on"},
        ),
        {PROT, HEALTH},
        scope=POINT,
        label="revoke (the sender)",
    ),
    # the service directory: read by who refers or oversees referrals, written by administrators
    case("GET /api/v1/service-types", lambda w, s, r: Req(f"{P}/service-types"), DIRECTORY),
    case(
        "GET /api/v1/providers",
        lambda w, s, r: Req(f"{P}/providers"),
        DIRECTORY,
        marker=lambda w, s, r: f'"id": {s.provider.pk},',
        beyond=DIRECTORY,  # the directory is national
    ),
    case(
        "POST /api/v1/providers",
        lambda w, s, r: Req(
            f"{P}/providers",
            json={"name": "Matrix NGO", "agency": s.provider.agency.code},
        ),
        {ADMIN},
    ),
    case(
        "PATCH /api/v1/providers/{provider_id}",
        lambda w, s, r: Req(f"{P}/providers/{s.provider.pk}", json={"capacity_per_week": 9}),
        {ADMIN},
    ),
    case(
        "GET /api/v1/pathways",
        lambda w, s, r: Req(f"{P}/pathways"),
        DIRECTORY,
        marker=lambda w, s, r: f'"id": {s.pathway.pk},',
    ),
    case(
        "POST /api/v1/pathways",
        lambda w, s, r: Req(
            f"{P}/pathways",
            json={
                "crossing_point": s.point.code,
                "service_type": w.service_type.code,
                "urgency": "emergency",
                "provider": s.provider.pk,
            },
        ),
        {ADMIN},
    ),
    case(
        "DELETE /api/v1/pathways/{pathway_id}",
        lambda w, s, r: Req(f"{P}/pathways/{s.pathway.pk}"),
        {ADMIN},
    ),
    # security: everyone but security officers gets 404 (docs/security.md)
    case(
        "POST /api/v1/watchlists",
        lambda w, s, r: Req(
            f"{P}/watchlists",
            json={"name": "Regional", "owner": "agency-security_officer", "legal_basis": "Law 2"},
        ),
        {SEC},
    ),
    case(
        "GET /api/v1/watchlists",
        lambda w, s, r: Req(f"{P}/watchlists"),
        {SEC},
        refused=HIDDEN,
    ),
    case(
        "PATCH /api/v1/watchlists/{watchlist_id}",
        lambda w, s, r: Req(f"{P}/watchlists/{w.watchlist.pk}", json={"field_screening": True}),
        {SEC},
        refused=HIDDEN,
    ),
    case(
        "POST /api/v1/watchlists/{watchlist_id}/load",
        lambda w, s, r: Req(
            f"{P}/watchlists/{w.watchlist.pk}/load",
            data={
                "file": _file(
                    "list.csv", "external_id,given_name,family_name\nW-new,Someone,Listed\n"
                ),
                "replace": "false",
            },
        ),
        {SEC},
        refused=HIDDEN,
    ),
    case(
        "POST /api/v1/watchlists/{watchlist_id}/entries/{external_id}/remove",
        lambda w, s, r: Req(f"{P}/watchlists/{w.watchlist.pk}/entries/W-a/remove"),
        {SEC},
        refused=HIDDEN,
    ),
    case(
        "GET /api/v1/hits",
        lambda w, s, r: Req(f"{P}/hits"),
        {SEC},
        refused=HIDDEN,
        marker=lambda w, s, r: f'"id": {s.hit.pk},',
    ),
    case(
        "GET /api/v1/hits/{hit_id}",
        lambda w, s, r: Req(f"{P}/hits/{s.hit.pk}"),
        {SEC},
        scope=POINT,
        refused=HIDDEN,
    ),
    case(
        "POST /api/v1/hits/{hit_id}/decision",
        lambda w, s, r: Req(
            f"{P}/hits/{s.hit.pk}/decision",
            json={"decision": "false_positive", "reason": "not him"},
        ),
        {SEC},
        scope=POINT,
        refused=HIDDEN,
    ),
    case(
        "GET /api/v1/security/metrics",
        lambda w, s, r: Req(f"{P}/security/metrics"),
        {SEC},
        refused=HIDDEN,
        marker=lambda w, s, r: f'"{s.point.code}"',
    ),
    case(
        "POST /api/v1/security/rescreen",
        lambda w, s, r: Req(f"{P}/security/rescreen"),
        {SEC},
        refused=HIDDEN,
        writes=False,  # a rescreen is already queued: the answer is that run
    ),
    case(
        "GET /api/v1/security/rescreen/latest",
        lambda w, s, r: Req(f"{P}/security/rescreen/latest"),
        {SEC},
        refused=HIDDEN,
    ),
    # flows
    case(
        "POST /api/v1/flow-counts",
        lambda w, s, r: Req(f"{P}/flow-counts", json=_tally(s.point.code)),
        {FLOW, ADMIN},
        scope=POINT,
        out=Outcome.REFUSED,
    ),
    case(
        "GET /api/v1/flow-counts",
        lambda w, s, r: Req(f"{P}/flow-counts"),
        FLOW_READERS,
        marker=lambda w, s, r: str(s.tally.public_id),
    ),
    case(
        "GET /api/v1/flow-counts/{count_id}",
        lambda w, s, r: Req(f"{P}/flow-counts/{s.tally.public_id}"),
        FLOW_READERS,
        scope=POINT,
    ),
    case(
        "POST /api/v1/flow-counts/{count_id}/void",
        lambda w, s, r: Req(f"{P}/flow-counts/{s.tally.public_id}/void", json={"reason": "twice"}),
        {FLOW, ADMIN},
        scope=POINT,
    ),
    case(
        "GET /api/v1/flows/series",
        lambda w, s, r: Req(f"{P}/flows/series?by=point"),
        FLOW_READERS,
        marker=lambda w, s, r: f'"{s.point.code}"',
    ),
    case(
        "GET /api/v1/flows/export",
        lambda w, s, r: Req(f"{P}/flows/export"),
        {COORD, ADMIN, FLOW},
        marker=lambda w, s, r: s.point.code,
    ),
    case("POST /api/v1/flows/rebuild", lambda w, s, r: Req(f"{P}/flows/rebuild"), {COORD, ADMIN}),
    case(
        "GET /api/v1/flows/rebuild/latest",
        lambda w, s, r: Req(f"{P}/flows/rebuild/latest"),
        {COORD, ADMIN},
    ),
    # early warning: the flows' readers see the alerts of their points; managers act on them
    case(
        "GET /api/v1/alerts",
        lambda w, s, r: Req(f"{P}/alerts"),
        FLOW_READERS,
        marker=lambda w, s, r: str(s.alert.public_id),
    ),
    case(
        "GET /api/v1/alerts/{alert_id}",
        lambda w, s, r: Req(f"{P}/alerts/{s.alert.public_id}"),
        FLOW_READERS,
        scope=POINT,
    ),
    case(
        "POST /api/v1/alerts",
        lambda w, s, r: Req(
            f"{P}/alerts",
            json={
                "crossing_point": s.point.code,
                "level": "warning",
                "reason": "Across the border",
            },
        ),
        {COORD, ADMIN},
    ),
    case(
        "GET /api/v1/alerts/feed.atom",
        lambda w, s, r: Req(f"{P}/alerts/feed.atom"),
        FLOW_READERS,
        marker=lambda w, s, r: str(s.alert.public_id),
    ),
    case(
        "GET /api/v1/alerts/forecasts/{code}",
        lambda w, s, r: Req(f"{P}/alerts/forecasts/{s.point.code}"),
        FLOW_READERS,
        scope=POINT,
    ),
    case(
        "GET /api/v1/alerts/{alert_id}.cap.xml",
        lambda w, s, r: Req(f"{P}/alerts/{s.alert.public_id}.cap.xml"),
        FLOW_READERS,
        scope=POINT,
    ),
    case(
        "POST /api/v1/alerts/cap-import",
        lambda w, s, r: Req(
            f"{P}/alerts/cap-import",
            data={
                "file": _file("alert.xml", cap_alert(f"matrix-{r}-{s.point.code}")),
                "crossing_point": s.point.code,
            },
        ),
        {COORD, ADMIN},
    ),
    *(
        case(
            f"POST /api/v1/alerts/{{alert_id}}/{action}",
            lambda w, s, r, action=action: Req(f"{P}/alerts/{s.alert.public_id}/{action}", json={}),
            {COORD, ADMIN},
            scope=POINT,
        )
        for action in ("acknowledge", "escalate", "close")
    ),
    # mobile teams and deployments (ADR 0142): coordinators manage them; everyone reads the
    # deployments of the teams they are in
    case(
        "GET /api/v1/fieldops/teams",
        lambda w, s, r: Req(f"{P}/fieldops/teams"),
        MANAGERS,
        marker=lambda w, s, r: str(s.team.public_id),
    ),
    case(
        "POST /api/v1/fieldops/teams",
        lambda w, s, r: Req(f"{P}/fieldops/teams", json={"name": "Matrix team"}),
        MANAGERS,
    ),
    case(
        "GET /api/v1/fieldops/teams/{team_id}",
        lambda w, s, r: Req(f"{P}/fieldops/teams/{s.team.public_id}"),
        MANAGERS,
    ),
    case(
        "PUT /api/v1/fieldops/teams/{team_id}",
        lambda w, s, r: Req(f"{P}/fieldops/teams/{s.team.public_id}", json={"name": "Renamed"}),
        MANAGERS,
    ),
    case(
        "DELETE /api/v1/fieldops/teams/{team_id}",
        lambda w, s, r: Req(f"{P}/fieldops/teams/{w.spare_team.public_id}"),
        MANAGERS,
    ),
    case(
        "POST /api/v1/fieldops/teams/{team_id}/members",
        lambda w, s, r: Req(
            f"{P}/fieldops/teams/{w.spare_team.public_id}/members", json={"username": "outsider"}
        ),
        MANAGERS,
    ),
    case(
        "DELETE /api/v1/fieldops/teams/{team_id}/members/{username}",
        lambda w, s, r: Req(f"{P}/fieldops/teams/{w.a.team.public_id}/members/as-{REG}"),
        MANAGERS,
    ),
    case(
        "GET /api/v1/fieldops/deployments",
        lambda w, s, r: Req(f"{P}/fieldops/deployments"),
        EVERYONE,
        marker=lambda w, s, r: str(s.deployment.public_id),
        beyond=MANAGERS,
    ),
    case(
        "POST /api/v1/fieldops/deployments",
        lambda w, s, r: Req(f"{P}/fieldops/deployments", json=_deployment(w.spare_team, s)),
        MANAGERS,
    ),
    case(
        "GET /api/v1/fieldops/deployments/{deployment_id}",
        lambda w, s, r: Req(f"{P}/fieldops/deployments/{s.deployment.public_id}"),
        EVERYONE,
        scope=POINT,
        beyond=MANAGERS,
    ),
    case(
        "PUT /api/v1/fieldops/deployments/{deployment_id}",
        lambda w, s, r: Req(
            f"{P}/fieldops/deployments/{s.deployment.public_id}", json=_deployment(s.team, s)
        ),
        MANAGERS,
        scope=POINT,
        beyond=MANAGERS,
    ),
    case(
        "POST /api/v1/fieldops/deployments/{deployment_id}/end",
        lambda w, s, r: Req(f"{P}/fieldops/deployments/{s.deployment.public_id}/end"),
        MANAGERS,
        scope=POINT,
        beyond=MANAGERS,
    ),
    case(
        "DELETE /api/v1/fieldops/deployments/{deployment_id}",
        lambda w, s, r: Req(f"{P}/fieldops/deployments/{s.later.public_id}"),
        MANAGERS,
        scope=POINT,
        beyond=MANAGERS,
    ),
    # movements and their manifests (ADR 0144): coordinators and administrators only
    case(
        "GET /api/v1/fieldops/movements",
        lambda w, s, r: Req(f"{P}/fieldops/movements"),
        MANAGERS,
    ),
    case(
        "POST /api/v1/fieldops/movements",
        lambda w, s, r: Req(f"{P}/fieldops/movements", json=_later_movement()),
        MANAGERS,
    ),
    case(
        "GET /api/v1/fieldops/movements/{movement_id}",
        lambda w, s, r: Req(_moved(w, "planned")),
        MANAGERS,
    ),
    case(
        "POST /api/v1/fieldops/movements/{movement_id}/manifest",
        lambda w, s, r: Req(
            f"{_moved(w, 'spare')}/manifest",
            json={"persons": [str(w.a.pair.person_a.public_id)], "split_reason": "Matrix"},
        ),
        MANAGERS,
    ),
    case(
        "DELETE /api/v1/fieldops/movements/{movement_id}/manifest/{person_id}",
        lambda w, s, r: Req(f"{_moved(w, 'spare')}/manifest/{w.b.person.public_id}"),
        MANAGERS,
    ),
    case(
        "POST /api/v1/fieldops/movements/{movement_id}/board",
        lambda w, s, r: Req(
            f"{_moved(w, 'spare')}/board", json={"person": str(w.b.person.public_id)}
        ),
        MANAGERS,
    ),
    case(
        "POST /api/v1/fieldops/movements/{movement_id}/depart",
        lambda w, s, r: Req(f"{_moved(w, 'planned')}/depart", json={}),
        MANAGERS,
    ),
    case(
        "POST /api/v1/fieldops/movements/{movement_id}/arrive",
        lambda w, s, r: Req(
            f"{_moved(w, 'moving')}/arrive", json={"person": str(w.a.person.public_id)}
        ),
        MANAGERS,
    ),
    case(
        "POST /api/v1/fieldops/movements/{movement_id}/close",
        lambda w, s, r: Req(f"{_moved(w, 'moving')}/close", json={}),
        MANAGERS,
    ),
    case(
        "POST /api/v1/fieldops/movements/{movement_id}/cancel",
        lambda w, s, r: Req(f"{_moved(w, 'spare')}/cancel"),
        MANAGERS,
    ),
    # search and rescue incidents (ADR 0146): coordinators and administrators only
    case("GET /api/v1/fieldops/rescues", lambda w, s, r: Req(f"{P}/fieldops/rescues"), MANAGERS),
    case(
        "POST /api/v1/fieldops/rescues",
        lambda w, s, r: Req(f"{P}/fieldops/rescues", json=rescue_body(crossing_point="")),
        MANAGERS,
    ),
    case(
        "GET /api/v1/fieldops/rescues/{rescue_id}",
        lambda w, s, r: Req(f"{P}/fieldops/rescues/{w.rescue.public_id}"),
        MANAGERS,
    ),
    case(
        "POST /api/v1/fieldops/rescues/{rescue_id}/found",
        lambda w, s, r: Req(
            f"{P}/fieldops/rescues/{w.rescue.public_id}/found",
            json={"person": str(w.a.person.public_id), "injury": "minor"},
        ),
        MANAGERS,
    ),
    case(
        "POST /api/v1/fieldops/rescues/{rescue_id}/outcome",
        lambda w, s, r: Req(
            f"{P}/fieldops/rescues/{w.rescue.public_id}/outcome", json={"outcome": "suspended"}
        ),
        MANAGERS,
    ),
    # equipment readiness (ADR 0147): every role but the station's reads its points' and
    # teams' inventories (national roles all); coordinators and administrators write
    case(
        "GET /api/v1/fieldops/equipment/types",
        lambda w, s, r: Req(f"{P}/fieldops/equipment/types"),
        EVERYONE,
    ),
    case(
        "GET /api/v1/fieldops/equipment",
        lambda w, s, r: Req(f"{P}/fieldops/equipment"),
        EQUIPMENT_READERS,
        marker=lambda w, s, r: str(s.equipment.public_id),
    ),
    case(
        "GET /api/v1/fieldops/equipment/points/{code}",
        lambda w, s, r: Req(f"{P}/fieldops/equipment/points/{s.point.code}"),
        EQUIPMENT_READERS,
        scope=POINT,
    ),
    case(
        "GET /api/v1/fieldops/equipment/teams/{team_id}",
        lambda w, s, r: Req(f"{P}/fieldops/equipment/teams/{s.team.public_id}"),
        EQUIPMENT_READERS,
        scope=POINT,
    ),
    case(
        "POST /api/v1/fieldops/equipment/checks",
        lambda w, s, r: Req(
            f"{P}/fieldops/equipment/checks",
            json={"crossing_point": s.point.code, "item_type": "tent", "working": 2, "required": 2},
        ),
        MANAGERS,
    ),
    case(
        "POST /api/v1/fieldops/equipment/points/{code}/gaps",
        lambda w, s, r: Req(f"{P}/fieldops/equipment/points/{s.point.code}/gaps"),
        MANAGERS,
    ),
    case(
        "POST /api/v1/plans/{plan_id}/equipment-tasks",
        lambda w, s, r: Req(
            f"{P}/plans/{s.plan_ready.public_id}/equipment-tasks",
            json={"crossing_point": s.point.code, "agency": w.users[COORD].agency.code},
        ),
        MANAGERS,
    ),
    # contingency plans: read at one's points; coordinators make, activate and close them;
    # each agency works on its own tasks (docs/plans.md)
    case(
        "GET /api/v1/plans",
        lambda w, s, r: Req(f"{P}/plans"),
        PLAN_READERS,
        marker=lambda w, s, r: str(s.plan.public_id),
    ),
    case(
        "GET /api/v1/plans/{plan_id}",
        lambda w, s, r: Req(f"{P}/plans/{s.plan.public_id}"),
        PLAN_READERS,
        scope=POINT,
    ),
    case("POST /api/v1/plans", lambda w, s, r: Req(f"{P}/plans", json=_plan(w, s)), {COORD, ADMIN}),
    case(
        "PUT /api/v1/plans/{plan_id}",
        lambda w, s, r: Req(f"{P}/plans/{s.plan_ready.public_id}", json=_plan(w, s)),
        {COORD, ADMIN},
        scope=POINT,
    ),
    case(
        "GET /api/v1/plans/templates", lambda w, s, r: Req(f"{P}/plans/templates"), {COORD, ADMIN}
    ),
    case(
        "PUT /api/v1/plans/templates/{code}/translations",
        lambda w, s, r: Req(
            f"{P}/plans/templates/mass-arrival/translations",
            json={"translations": {"sw": {"name": f"matrix {r}"}}},
        ),
        {ADMIN},
    ),
    case(
        "POST /api/v1/plans/from-template",
        lambda w, s, r: Req(
            f"{P}/plans/from-template", json={"name": "From SOP", "crossing_points": [s.point.code]}
        ),
        {COORD, ADMIN},
    ),
    case(
        "POST /api/v1/plans/{plan_id}/activate",
        lambda w, s, r: Req(f"{P}/plans/{s.plan_ready.public_id}/activate", json={"reason": "x"}),
        {COORD, ADMIN},
        scope=POINT,
    ),
    case(
        "POST /api/v1/plans/{plan_id}/close",
        lambda w, s, r: Req(f"{P}/plans/{s.plan.public_id}/close", json={"after_action": "ok"}),
        {COORD, ADMIN},
        scope=POINT,
    ),
    case(
        "GET /api/v1/plans/tasks",
        lambda w, s, r: Req(f"{P}/plans/tasks"),
        PLAN_READERS,
        marker=lambda w, s, r: str(s.tasks[r].public_id),
    ),
    case(
        "POST /api/v1/plans/tasks/{task_id}",
        lambda w, s, r: Req(f"{P}/plans/tasks/{_task(s, r).public_id}", json={"status": "done"}),
        PLAN_READERS,
        scope=POINT,
    ),
    # field stations: only the station's account pushes and pulls
    case(
        "POST /api/v1/sync/changes",
        lambda w, s, r: Req(f"{P}/sync/changes", json={"protocol": 1, "changes": []}),
        {STATION},
        writes=False,  # an empty batch: what a change writes is in tests/sync
    ),
    case("GET /api/v1/sync/reference", lambda w, s, r: Req(f"{P}/sync/reference"), {STATION}),
    case(
        "GET /api/v1/sync/watchlist-entries",
        lambda w, s, r: Req(f"{P}/sync/watchlist-entries"),
        {STATION},
    ),
    case(
        "GET /api/v1/sync/referral-events",
        lambda w, s, r: Req(f"{P}/sync/referral-events"),
        {STATION},
    ),
    case(
        "GET /api/v1/sync/conflicts",
        lambda w, s, r: Req(f"{P}/sync/conflicts"),
        {COORD, REG, ADMIN, PROT, HEALTH},
    ),
    case(
        "POST /api/v1/sync/conflicts/{conflict_id}/resolve",
        lambda w, s, r: Req(
            f"{P}/sync/conflicts/{s.conflict.pk}/resolve",
            json={"resolution": "keep", "note": f"matrix {r}"},
        ),
        {COORD, REG, ADMIN},
        scope=POINT,
    ),
    # assessments
    case(
        "GET /api/v1/assessments/templates",
        lambda w, s, r: Req(f"{P}/assessments/templates"),
        EVERYONE,
    ),
    case(
        "GET /api/v1/assessments/templates/{template_id}",
        lambda w, s, r: Req(f"{P}/assessments/templates/{w.template.pk}"),
        ANY_ROLE,
        label="published",
    ),
    case(
        "GET /api/v1/assessments/templates/{template_id}",
        lambda w, s, r: Req(f"{P}/assessments/templates/{w.draft_template.pk}"),
        {ADMIN},
        label="draft",
    ),
    case(
        "PUT /api/v1/assessments/templates/{template_id}/translations",
        lambda w, s, r: Req(
            f"{P}/assessments/templates/{w.template.pk}/translations",
            json={"translations": {"sw": {"name": f"matrix {r}"}}},
        ),
        {ADMIN},
    ),
    case(
        "GET /api/v1/assessments",
        lambda w, s, r: Req(f"{P}/assessments"),
        EVERYONE,
        marker=lambda w, s, r: str(s.approved.public_id),
    ),
    case(
        "POST /api/v1/assessments",
        lambda w, s, r: Req(
            f"{P}/assessments",
            json={"crossing_point": s.point.code, "assessed_on": str(timezone.localdate())},
        ),
        WRITERS,
        scope=POINT,
    ),
    case(
        "GET /api/v1/assessments/{assessment_id}",
        lambda w, s, r: Req(f"{P}/assessments/{s.approved.public_id}"),
        EVERYONE,
        scope=POINT,
    ),
    case(
        "PUT /api/v1/assessments/{assessment_id}/scores/{code}",
        lambda w, s, r: Req(
            f"{P}/assessments/{s.draft.public_id}/scores/{w.indicator.code}", json={"level": 3}
        ),
        WRITERS,
        scope=POINT,
    ),
    case(
        "POST /api/v1/assessments/{assessment_id}/submit",
        lambda w, s, r: Req(f"{P}/assessments/{s.draft.public_id}/submit"),
        WRITERS,
        scope=POINT,
    ),
    case(
        "POST /api/v1/assessments/{assessment_id}/approve",
        lambda w, s, r: Req(f"{P}/assessments/{s.submitted.public_id}/approve", json={}),
        APPROVERS,
        scope=POINT,
    ),
    case(
        "POST /api/v1/assessments/{assessment_id}/return",
        lambda w, s, r: Req(
            f"{P}/assessments/{s.submitted.public_id}/return", json={"note": "redo"}
        ),
        APPROVERS,
        scope=POINT,
    ),
    case(
        "GET /api/v1/assessments/{assessment_id}/results",
        lambda w, s, r: Req(f"{P}/assessments/{s.approved.public_id}/results"),
        EVERYONE,
        scope=POINT,
    ),
    case(
        "GET /api/v1/assessments/{assessment_id}/report.pdf",
        lambda w, s, r: Req(f"{P}/assessments/{s.approved.public_id}/report.pdf"),
        EVERYONE,
        scope=POINT,
    ),
    case(
        "GET /api/v1/assessments/{assessment_id}/recommendations",
        lambda w, s, r: Req(f"{P}/assessments/{s.approved.public_id}/recommendations"),
        EVERYONE,
        scope=POINT,
    ),
    case(
        "POST /api/v1/assessments/{assessment_id}/recommendations",
        lambda w, s, r: Req(
            f"{P}/assessments/{s.draft.public_id}/recommendations",
            json={"text": "Add a shelter."},
        ),
        WRITERS,
        scope=POINT,
    ),
    case(
        "PATCH /api/v1/assessments/recommendations/{recommendation_id}",
        lambda w, s, r: Req(
            f"{P}/assessments/recommendations/{s.recommendation.public_id}",
            json={"status": "in_progress"},
        ),
        WRITERS,
        scope=POINT,
    ),
]
