"""Every web page, by URL name, classified. A new page fails test_web_matrix until it is added
here. The API's operations are in api_table.py; the admin site is one row (staff only)."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.access.api_table import APPROVERS, WRITERS
from tests.access.rules import (
    ADMIN,
    ANY_ROLE,
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
from tests.access.world import PDF
from tests.fieldops.conftest import movement_form, rescue_form

POINT = Scope.POINT
HIDDEN = Outcome.HIDDEN
REFERRAL_READERS = {PROT, HEALTH, PROV, COORD, ADMIN}
EQUIPMENT_READERS = ANY_ROLE - {STATION}
SENDERS = {PROT, HEALTH}


def page(name, **kwargs):
    return lambda w, s, r: Req(reverse(name, kwargs={k: v(w, s, r) for k, v in kwargs.items()}))


def form(name, data, **kwargs):
    def build(w, s, r):
        url = reverse(name, kwargs={k: v(w, s, r) for k, v in kwargs.items()})
        return Req(url, data=data() if callable(data) else data)

    return build


def _deployment_form():
    """The spare team at point A for the next hour (the team found by its name)."""
    from hbm.fieldops.models import Team

    now = timezone.now()
    return {
        "team": str(Team.objects.get(name="Spare team").public_id),
        "crossing_point": "point-a",
        "starts_at": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }


def _later_movement():
    """A bus leaving after the world's movements (the form's local times)."""
    now = timezone.localtime()
    return movement_form(
        planned_departure=(now + timedelta(hours=30)).strftime("%Y-%m-%dT%H:%M"),
        planned_arrival=(now + timedelta(hours=32)).strftime("%Y-%m-%dT%H:%M"),
    )


def _movement(name):
    return lambda w, s, r: w.movements[name].public_id


def _on(movement, side):
    """The first person of a movement's manifest (a form's data is built without the world)."""
    from hbm.fieldops.models import Movement

    entries = Movement.objects.get(vehicle=f"Bus {movement}").entries.order_by("pk")
    return str(entries.first().person.public_id)


def _rescue(w, s, r):
    return w.rescue.public_id


def _side_b_person():
    return _on("spare", "b")


def _moving_person():
    return _on("moving", "a")


def _pair_person():
    from hbm.registry.models import DuplicateCandidate, Person

    pair = DuplicateCandidate.objects.order_by("pk").first()
    return str(Person.objects.get(pk=pair.person_a_id).public_id)


def person(w, s, r):
    return s.person.public_id


def registration_consent(w, s, r):
    return s.person.consents.get(purpose="registration").pk


def approved(w, s, r):
    return s.approved.public_id


def draft(w, s, r):
    return s.draft.public_id


def submitted(w, s, r):
    return s.submitted.public_id


def template(w, s, r):
    return w.template.pk


def draft_template(w, s, r):
    return w.draft_template.pk


def referral(w, s, r):
    return s.referral.pk


def collect_form(w, s, r):
    """A form for Collect, uploaded by the coordinator (the shipped XLSForm)."""
    from hbm.collect.services.forms import collect_form_upload
    from tests.collect.conftest import TEMPLATE

    return collect_form_upload(
        actor=w.users[COORD],
        content=TEMPLATE.read_bytes(),
        filename="registration.xlsx",
        crossing_points=[w.a.point],
    ).pk


def collect_credential(w, s, r):
    """A: the caller's own Collect credential; B: one of point B's officer's."""
    from hbm.collect.models import CollectCredential

    owner = w.users.get(r) if s is w.a else None
    return CollectCredential.objects.create(
        user=owner or w.b.builder,
        name="tablet",
        username=f"matrix-{r}-{s.point.code}",
        password_hash="!",
        expires_at=timezone.now() + timedelta(days=1),
    ).pk


def openrosa(name, method="GET", **kwargs):
    """An OpenRosa endpoint: a browser session is no credential there."""
    return case(name, page(name, **kwargs), EVERYONE, basic_auth=True, method=method, writes=False)


def tracing_request(w, s, r):
    return s.tracing.pk


def tracing_match(w, s, r):
    return s.tracing_match.pk


def tally(w, s, r):
    return s.tally.public_id


def alert(w, s, r):
    return s.alert.public_id


def hit(w, s, r):
    return s.hit.pk


def own_export(w, s, r):
    """The caller's own background export at A, another user's at B."""
    return (w.exports.get(r, w.exports["b"]) if s is w.a else w.exports["b"]).pk


def own_token(w, s, r):
    return (w.tokens.get(r, w.a.token) if s is w.a else w.b.token).prefix


def correction_form(w, s, r):
    """The correction form as the person page fills it, with one change and a reason."""
    from hbm.registry.services.corrections import FIELDS, stored

    data = {field: stored(s.person, field) or "" for field in FIELDS}
    data.update(languages=", ".join(s.person.languages), phone="+256700000123", reason="misread")
    url = reverse("registry:person-correct", kwargs={"public_id": s.person.public_id})
    return Req(url, data=data)


def post(name, data, allowed, **rest):
    return case(name, form(name, data, **rest.pop("kwargs", {})), allowed, method="POST", **rest)


CASES = [
    case("web:home", page("web:home"), EVERYONE),
    case("web:healthz", page("web:healthz"), EVERYONE, public=True),
    case("accounts:login", page("accounts:login"), EVERYONE, public=True),
    post("accounts:logout", {}, EVERYONE, public=True, writes=False),
    # The code step of a login: without a password given first, back to the login page.
    case("accounts:login-code", page("accounts:login-code"), EVERYONE, public=True),
    # The world's users have no authenticator: the page starts setting one up (a key).
    case("accounts:two-factor", page("accounts:two-factor"), EVERYONE, writes=True),
    # ... and so has no recovery codes to renew: back to that page, nothing written.
    post("accounts:recovery-codes-regenerate", {}, EVERYONE, writes=False),
    case(
        "accounts:device-token-list",
        page("accounts:device-token-list"),
        EVERYONE,
        scope=Scope.OWNER,
        beyond=frozenset(),
        marker=lambda w, s, r: own_token(w, s, r),
    ),
    post(
        "accounts:device-token-revoke",
        {},
        EVERYONE,
        kwargs={"prefix": own_token},
        scope=Scope.OWNER,
        beyond=frozenset({ADMIN}),
    ),
    case(
        "places:crossing-point-list",
        page("places:crossing-point-list"),
        EVERYONE,
        marker=lambda w, s, r: f"/places/crossing-points/{s.point.code}/",
    ),
    case("places:crossing-point-import", page("places:crossing-point-import"), {ADMIN}),
    case(
        "places:crossing-point-detail",
        page("places:crossing-point-detail", code=lambda w, s, r: s.point.code),
        EVERYONE,
        scope=POINT,
    ),
    case("audit:event-list", page("audit:event-list"), {ADMIN}),
    case("retention:run-list", page("retention:run-list"), {ADMIN}),
    post("retention:dry-run", {}, {ADMIN}),
    case(
        "retention:subject-access-pdf",
        page("retention:subject-access-pdf", public_id=person),
        {PROT, COORD, ADMIN},
        scope=POINT,
    ),
    case(
        "registry:person-search",
        lambda w, s, r: Req(reverse("registry:person-search") + "?name=Alphonse"),
        PERSON_READERS,
    ),
    case(
        "registry:person-detail",
        page("registry:person-detail", public_id=person),
        PERSON_READERS,
        scope=POINT,
    ),
    case(
        "registry:person-correct",
        page("registry:person-correct", public_id=person),
        {REG, PROT, ADMIN},
        scope=POINT,
    ),
    case(
        "registry:person-correct",
        correction_form,
        {REG, PROT, ADMIN},
        scope=POINT,
        method="POST",
        label="correct",
    ),
    case(
        "registry:person-reveal",
        form(
            "registry:person-reveal",
            {"reveal_reason": "Deciding a possible duplicate"},
            public_id=person,
        ),
        PERSON_READERS,
        method="POST",
        # Any person, by design: another point's candidate needs the audited step (a write);
        # one of the reader's own points needs none.
        writes=False,
    ),
    case(
        "registry:consent-new",
        page("registry:consent-new", public_id=person),
        {REG, PROT, ADMIN},
        scope=POINT,
    ),
    case(
        "registry:consent-new",
        form(
            "registry:consent-new",
            {"purpose": "data_sharing", "given": "yes", "given_by": "self", "method": "signed"},
            public_id=person,
        ),
        {REG, PROT, ADMIN},
        scope=POINT,
        method="POST",
        label="record",
    ),
    case(
        "registry:consent-withdraw",
        form(
            "registry:consent-withdraw",
            {"reason": "No longer wishes to be assisted"},
            public_id=person,
            pk=registration_consent,
        ),
        {REG, PROT, ADMIN},
        scope=POINT,
        method="POST",
    ),
    post("registry:export", {"format": "csv"}, {REG, COORD, ADMIN}, writes=False),
    case(
        "registry:export-detail",
        page("registry:export-detail", pk=own_export),
        EVERYONE,
        scope=Scope.OWNER,
        beyond=frozenset(),  # only the one who asked, whoever they are
        out=Outcome.DENIED,
    ),
    case(
        "registry:export-download",
        page("registry:export-download", pk=own_export),
        EVERYONE,
        scope=Scope.OWNER,
        beyond=frozenset(),
        out=Outcome.DENIED,
    ),
    case(
        "registry:duplicate-queue",
        page("registry:duplicate-queue"),
        PERSON_READERS,
        marker=lambda w, s, r: f"/registry/duplicates/{s.pair.pk}/",
    ),
    post("registry:duplicate-queue", {}, {COORD, ADMIN}, label="rescan"),
    case(
        "registry:duplicate-review",
        page("registry:duplicate-review", pk=lambda w, s, r: s.pair.pk),
        PERSON_READERS,
        scope=POINT,
    ),
    post(
        "registry:duplicate-review",
        {"decision": "different"},
        {REG, PROT, COORD, ADMIN},
        kwargs={"pk": lambda w, s, r: s.pair.pk},
        scope=POINT,
        label="decide",
    ),
    case("registry:registration-import", page("registry:registration-import"), {REG, ADMIN}),
    case("registry:desk", page("registry:desk"), {REG, ADMIN}),
    case("registry:offline-desk", page("registry:offline-desk"), {REG, ADMIN}),
    # The secret that locks the desk's registrations on a device (ADR 0136): its own user's.
    case("registry:offline-key", page("registry:offline-key"), {REG, ADMIN}),
    # The offline desk's worker and manifest name files, not anyone's data.
    case("registry:offline-worker", page("registry:offline-worker"), EVERYONE, public=True),
    case("registry:offline-manifest", page("registry:offline-manifest"), EVERYONE, public=True),
    post(
        "registry:desk-candidates",
        {"member": "members-0", "members-0-given_name": "Amani"},
        {REG, ADMIN},
        writes=False,
    ),
    case(
        "assessments:list",
        page("assessments:list"),
        EVERYONE,
        marker=lambda w, s, r: str(s.approved.public_id),
    ),
    case("assessments:create", page("assessments:create"), WRITERS),
    case("assessments:compare", page("assessments:compare"), EVERYONE),
    case("assessments:actions", page("assessments:actions"), EVERYONE),
    case("assessments:template-list", page("assessments:template-list"), ANY_ROLE),
    case("assessments:template-import", page("assessments:template-import"), {ADMIN}),
    case(
        "assessments:template-detail",
        page("assessments:template-detail", template_id=template),
        ANY_ROLE,
    ),
    post("assessments:template-copy", {"name": ""}, {ADMIN}, kwargs={"template_id": template}),
    post("assessments:template-publish", {}, {ADMIN}, kwargs={"template_id": draft_template}),
    case(
        "assessments:template-export",
        page("assessments:template-export", template_id=template),
        ANY_ROLE,
    ),
    case(
        "assessments:indicator-edit",
        page(
            "assessments:indicator-edit",
            template_id=draft_template,
            code=lambda w, s, r: w.indicator.code,
        ),
        {ADMIN},
    ),
    case(
        "assessments:attachment",
        page("assessments:attachment", public_id=lambda w, s, r: s.attachment.public_id),
        EVERYONE,
        scope=POINT,
    ),
    post(
        "assessments:recommendation-status",
        {"status": "in_progress"},
        WRITERS,
        kwargs={"public_id": lambda w, s, r: s.recommendation.public_id},
        scope=POINT,
    ),
    case(
        "assessments:detail", page("assessments:detail", public_id=approved), EVERYONE, scope=POINT
    ),
    case("assessments:edit", page("assessments:edit", public_id=draft), WRITERS, scope=POINT),
    post(
        "assessments:score",
        {"level": "3"},
        WRITERS,
        kwargs={"public_id": draft, "code": lambda w, s, r: w.indicator.code},
        scope=POINT,
    ),
    post(
        "assessments:attach",
        lambda: {"file": SimpleUploadedFile("plan.pdf", PDF)},
        WRITERS,
        kwargs={"public_id": draft, "code": lambda w, s, r: w.indicator.code},
        scope=POINT,
    ),
    post("assessments:submit", {}, WRITERS, kwargs={"public_id": draft}, scope=POINT),
    post(
        "assessments:approve", {"note": ""}, APPROVERS, kwargs={"public_id": submitted}, scope=POINT
    ),
    post(
        "assessments:return",
        {"note": "redo"},
        APPROVERS,
        kwargs={"public_id": submitted},
        scope=POINT,
    ),
    case(
        "assessments:results",
        page("assessments:results", public_id=approved),
        EVERYONE,
        scope=POINT,
    ),
    post(
        "assessments:recommend",
        {"text": "Add a shelter."},
        WRITERS,
        kwargs={"public_id": draft},
        scope=POINT,
    ),
    case(
        "assessments:report",
        page("assessments:report", public_id=approved),
        EVERYONE,
        scope=POINT,
    ),
    case(
        "assessments:report-pdf",
        page("assessments:report-pdf", public_id=approved),
        EVERYONE,
        scope=POINT,
    ),
    case("assessments:xlsx", page("assessments:xlsx", public_id=approved), EVERYONE, scope=POINT),
    case(
        "screening:person-section",
        page("screening:person-section", public_id=person),
        {PROT},
        scope=POINT,
    ),
    case(
        "screening:screening-create",
        page("screening:screening-create", public_id=person),
        {PROT},
        scope=POINT,
    ),
    case("screening:proposal", page("screening:proposal", public_id=person), {PROT}, scope=POINT),
    case(
        "screening:health-section",
        page("screening:health-section", public_id=person),
        {HEALTH},
        scope=POINT,
    ),
    case(
        "screening:daily-health",
        page("screening:daily-health"),
        {HEALTH, COORD, ADMIN},
        marker=lambda w, s, r: f"<td>{s.point.code}</td>",
    ),
    case("screening:children-alone", page("screening:children-alone"), {PROT}),
    case(
        "screening:family-tracing",
        page("screening:family-tracing", public_id=person),
        {PROT},
        scope=POINT,
    ),
    case(
        "screening:tracing-list",
        page("screening:tracing-list"),
        {PROT},
        marker=lambda w, s, r: f'href="/screening/tracing/{s.tracing.pk}/"',
    ),
    case("screening:tracing-new", page("screening:tracing-new"), {PROT}),
    case(
        "screening:tracing-new-for",
        page("screening:tracing-new-for", public_id=person),
        {PROT},
        scope=POINT,
    ),
    case(
        "screening:tracing-detail",
        page("screening:tracing-detail", pk=tracing_request),
        {PROT},
        scope=POINT,
    ),
    post(
        "screening:tracing-propose",
        {},
        {PROT},
        kwargs={"pk": tracing_request},
        scope=POINT,
    ),
    post(
        "screening:tracing-decide",
        {"decision": "rejected"},
        {PROT},
        kwargs={"pk": tracing_request, "match_pk": tracing_match},
        scope=POINT,
    ),
    post(
        "screening:tracing-close",
        {"reason": "found"},
        {PROT},
        kwargs={"pk": tracing_request},
        scope=POINT,
    ),
    case(
        "referrals:referral-list",
        page("referrals:referral-list"),
        REFERRAL_READERS,
        marker=lambda w, s, r: f"/referrals/{s.referral.pk}/",
        personal=frozenset({COORD, ADMIN}),
    ),
    case("referrals:dashboard", page("referrals:dashboard"), {PROT, COORD, ADMIN}),
    case("referrals:directory", page("referrals:directory"), {ADMIN}),
    case(
        "referrals:referral-detail",
        page("referrals:referral-detail", pk=referral),
        REFERRAL_READERS,
        scope=POINT,
        personal=frozenset({COORD, ADMIN}),
    ),
    post(
        "referrals:referral-detail",
        {"status": "accepted"},
        {PROV},
        kwargs={"pk": referral},
        scope=POINT,
        label="accept",
    ),
    case(
        "referrals:person-section",
        page("referrals:person-section", public_id=person),
        SENDERS,
        scope=POINT,
    ),
    case(
        "referrals:referral-create",
        page("referrals:referral-create", public_id=person),
        SENDERS,
        scope=POINT,
    ),
    post(
        "referrals:referral-check",
        {},
        SENDERS,
        kwargs={"public_id": person},
        scope=POINT,
        writes=False,
    ),
    case(
        "security:hit-list",
        page("security:hit-list"),
        {SEC},
        refused=HIDDEN,
        marker=lambda w, s, r: f"/security/hits/{s.hit.pk}/",
    ),
    case(
        "security:hit-detail",
        page("security:hit-detail", pk=hit),
        {SEC},
        scope=POINT,
        refused=HIDDEN,
    ),
    post(
        "security:hit-detail",
        {"decision": "false_positive", "reason": "not him"},
        {SEC},
        kwargs={"pk": hit},
        scope=POINT,
        refused=HIDDEN,
        label="decide",
    ),
    case(
        "security:watchlist-list",
        page("security:watchlist-list"),
        {SEC},
        refused=HIDDEN,
    ),
    post(
        "security:watchlist-list",
        {
            "name": "Regional",
            "owner": "agency-security_officer",
            "legal_basis": "Law 2",
            "retention_days": "365",
        },
        {SEC},
        refused=HIDDEN,
        label="create",
    ),
    case(
        "security:watchlist-detail",
        page("security:watchlist-detail", pk=lambda w, s, r: w.watchlist.pk),
        {SEC},
        refused=HIDDEN,
    ),
    post(
        "security:watchlist-field-screening",
        {"field_screening": "on"},
        {SEC},
        kwargs={"pk": lambda w, s, r: w.watchlist.pk},
        refused=HIDDEN,
    ),
    case(
        "security:watchlist-load",
        page("security:watchlist-load", pk=lambda w, s, r: w.watchlist.pk),
        {SEC},
        refused=HIDDEN,
    ),
    post(
        "security:watchlist-load",
        lambda: {
            "file": SimpleUploadedFile("list.csv", b"external_id,given_name\nW-new,Someone\n"),
            "content": "",
        },
        {SEC},
        kwargs={"pk": lambda w, s, r: w.watchlist.pk},
        refused=HIDDEN,
        writes=False,
        label="check the file",
    ),
    case("flows:dashboard", page("flows:dashboard"), FLOW_READERS),
    case(
        "flows:export",
        page("flows:export", file_format=lambda w, s, r: "csv"),
        {COORD, ADMIN, FLOW},
        marker=lambda w, s, r: s.point.code,
    ),
    case("flows:sitrep", page("flows:sitrep"), {COORD, ADMIN}),
    case(
        "flows:count-list",
        page("flows:count-list"),
        FLOW_READERS,
        marker=lambda w, s, r: str(s.tally.public_id),
    ),
    case("flows:count-create", page("flows:count-create"), {FLOW, ADMIN}),
    case(
        "flows:count-detail",
        page("flows:count-detail", public_id=tally),
        FLOW_READERS,
        scope=POINT,
    ),
    post(
        "flows:count-void",
        {"reason": "twice"},
        {FLOW, ADMIN},
        kwargs={"public_id": tally},
        scope=POINT,
    ),
    case(
        "alerts:list", page("alerts:list"), FLOW_READERS, marker=lambda w, s, r: str(alert(w, s, r))
    ),
    case("alerts:detail", page("alerts:detail", public_id=alert), FLOW_READERS, scope=POINT),
    case("alerts:create", page("alerts:create"), {COORD, ADMIN}),
    case("alerts:cap-import", page("alerts:cap-import"), {COORD, ADMIN}),
    post(
        "alerts:act",
        {},
        {COORD, ADMIN},
        kwargs={"public_id": alert, "action": lambda w, s, r: "acknowledge"},
        scope=POINT,
    ),
    case(
        "alerts:detector-config",
        page("alerts:detector-config", code=lambda w, s, r: s.point.code),
        {COORD, ADMIN},
        scope=POINT,
    ),
    # mobile teams and deployments (ADR 0142)
    case(
        "fieldops:board",
        page("fieldops:board"),
        EVERYONE,
        marker=lambda w, s, r: str(s.deployment.public_id),
        beyond=frozenset({COORD, ADMIN}),
    ),
    case("fieldops:team-create", page("fieldops:team-create"), {COORD, ADMIN}),
    post("fieldops:team-create", {"name": "Matrix team"}, {COORD, ADMIN}, label="make"),
    case(
        "fieldops:team-edit",
        page("fieldops:team-edit", public_id=lambda w, s, r: w.a.team.public_id),
        {COORD, ADMIN},
    ),
    post(
        "fieldops:team-edit",
        {"name": "Renamed"},
        {COORD, ADMIN},
        kwargs={"public_id": lambda w, s, r: w.a.team.public_id},
        label="save",
    ),
    case("fieldops:deployment-create", page("fieldops:deployment-create"), {COORD, ADMIN}),
    post(
        "fieldops:deployment-create",
        lambda: _deployment_form(),
        {COORD, ADMIN},
        label="deploy",
    ),
    post(
        "fieldops:deployment-end",
        {},
        {COORD, ADMIN},
        kwargs={"public_id": lambda w, s, r: s.deployment.public_id},
        scope=POINT,
    ),
    # equipment readiness (ADR 0147): every role but the station's reads its points' and
    # teams' inventories (national roles all); coordinators and administrators write
    case(
        "fieldops:equipment-list",
        page("fieldops:equipment-list"),
        EQUIPMENT_READERS,
        marker=lambda w, s, r: str(s.equipment.public_id),
    ),
    case(
        "fieldops:equipment-point",
        page("fieldops:equipment-point", code=lambda w, s, r: s.point.code),
        EQUIPMENT_READERS,
        scope=POINT,
    ),
    post(
        "fieldops:equipment-point",
        {
            "row": "tent",
            "tent-item_type": "tent",
            "tent-working": "2",
            "tent-broken": "0",
            "tent-missing": "0",
            "tent-required": "2",
        },
        {COORD, ADMIN},
        kwargs={"code": lambda w, s, r: s.point.code},
        label="check",
    ),
    case(
        "fieldops:equipment-team",
        page("fieldops:equipment-team", public_id=lambda w, s, r: s.team.public_id),
        EQUIPMENT_READERS,
        scope=POINT,
    ),
    post(
        "fieldops:equipment-gaps",
        {},
        {COORD, ADMIN},
        kwargs={"code": lambda w, s, r: s.point.code},
    ),
    case(
        "plans:equipment-tasks",
        lambda w, s, r: Req(f"{reverse('plans:equipment-tasks')}?crossing_point={s.point.code}"),
        {COORD, ADMIN},
    ),
    case(
        "plans:equipment-tasks",
        lambda w, s, r: Req(
            reverse("plans:equipment-tasks"),
            data={
                "crossing_point": s.point.code,
                "plan": str(s.plan_ready.public_id),
                "agency": w.users[COORD].agency.code,
                "due_hours": "24",
            },
        ),
        {COORD, ADMIN},
        method="POST",
        label="add",
    ),
    # movements (ADR 0144): coordinators and administrators; the person page's section for
    # whoever may open the person
    case("fieldops:movement-list", page("fieldops:movement-list"), {COORD, ADMIN}),
    case("fieldops:movement-create", page("fieldops:movement-create"), {COORD, ADMIN}),
    post(
        "fieldops:movement-create",
        _later_movement,
        {COORD, ADMIN},
        label="plan",
    ),
    case(
        "fieldops:movement-detail",
        page("fieldops:movement-detail", public_id=_movement("planned")),
        {COORD, ADMIN},
    ),
    case(
        "fieldops:movement-find",
        page("fieldops:movement-find", public_id=_movement("spare")),
        {COORD, ADMIN},
    ),
    post(
        "fieldops:manifest-add",
        lambda: {"persons": _pair_person(), "split_reason": "Matrix"},
        {COORD, ADMIN},
        kwargs={"public_id": _movement("spare")},
    ),
    post(
        "fieldops:manifest-remove",
        lambda: {"person": _side_b_person()},
        {COORD, ADMIN},
        kwargs={"public_id": _movement("spare")},
    ),
    post(
        "fieldops:movement-board",
        lambda: {"person": _side_b_person()},
        {COORD, ADMIN},
        kwargs={"public_id": _movement("spare")},
    ),
    post(
        "fieldops:movement-arrive",
        lambda: {"person": _moving_person()},
        {COORD, ADMIN},
        kwargs={"public_id": _movement("moving")},
    ),
    post(
        "fieldops:movement-depart", {}, {COORD, ADMIN}, kwargs={"public_id": _movement("planned")}
    ),
    post("fieldops:movement-close", {}, {COORD, ADMIN}, kwargs={"public_id": _movement("moving")}),
    # search and rescue (ADR 0146): coordinators and administrators; the person page's
    # section for whoever may open the person
    case("fieldops:rescue-list", page("fieldops:rescue-list"), {COORD, ADMIN}),
    case("fieldops:rescue-create", page("fieldops:rescue-create"), {COORD, ADMIN}),
    post(
        "fieldops:rescue-create",
        lambda: rescue_form(crossing_point=""),
        {COORD, ADMIN},
        label="record",
    ),
    case(
        "fieldops:rescue-detail",
        page("fieldops:rescue-detail", public_id=_rescue),
        {COORD, ADMIN},
    ),
    post(
        "fieldops:rescue-found",
        lambda: {"person": _side_b_person(), "injury": "none"},
        {COORD, ADMIN},
        kwargs={"public_id": _rescue},
    ),
    post(
        "fieldops:rescue-outcome",
        {"outcome": "suspended"},
        {COORD, ADMIN},
        kwargs={"public_id": _rescue},
    ),
    case(
        "fieldops:person-rescues",
        page("fieldops:person-rescues", public_id=person),
        PERSON_READERS,
        scope=POINT,
    ),
    case(
        "fieldops:person-movements",
        page("fieldops:person-movements", public_id=person),
        PERSON_READERS,
        scope=POINT,
    ),
    # contingency plans (docs/plans.md)
    case(
        "plans:list", page("plans:list"), PLAN_READERS, marker=lambda w, s, r: str(s.plan.public_id)
    ),
    case(
        "plans:detail",
        page("plans:detail", public_id=lambda w, s, r: s.plan.public_id),
        PLAN_READERS,
        scope=POINT,
    ),
    case("plans:create", page("plans:create"), {COORD, ADMIN}),
    post(
        "plans:create",
        lambda: {"template": "mass-arrival", "name": "From SOP", "crossing_points": ["point-a"]},
        {COORD, ADMIN},
        label="from the template",
    ),
    case(
        "plans:edit",
        page("plans:edit", public_id=lambda w, s, r: s.plan_ready.public_id),
        {COORD, ADMIN},
        scope=POINT,
    ),
    post(
        "plans:activate",
        {"reason": "A report from across the border"},
        {COORD, ADMIN},
        kwargs={"public_id": lambda w, s, r: s.plan_ready.public_id},
        scope=POINT,
    ),
    post(
        "plans:close",
        {"after_action": "Went well."},
        {COORD, ADMIN},
        kwargs={"public_id": lambda w, s, r: s.plan.public_id},
        scope=POINT,
    ),
    case(
        "plans:tasks",
        page("plans:tasks"),
        PLAN_READERS,
        marker=lambda w, s, r: str(s.tasks[r].public_id),
    ),
    post(
        "plans:task-update",
        {"status": "done", "note": "ok"},
        PLAN_READERS,
        kwargs={"public_id": lambda w, s, r: (s.tasks.get(r) or s.tasks[COORD]).public_id},
        scope=POINT,
    ),
    case(
        "sync:conflict-list",
        page("sync:conflict-list"),
        {COORD, REG, ADMIN, PROT, HEALTH},
        # A screening's conflicts to its compartment's role only; the others to the rest.
        marker=lambda w, s, r: f'data-conflict="{s.screening_conflicts.get(r, s.conflict).pk}"',
    ),
    case(
        "sync:conflict-detail",
        page("sync:conflict-detail", pk=lambda w, s, r: s.conflict.pk),
        {COORD, REG, ADMIN},
        scope=POINT,
    ),
    post(
        "sync:conflict-detail",
        {"resolution": "keep", "note": "matrix"},
        {COORD, REG, ADMIN},
        kwargs={"pk": lambda w, s, r: s.conflict.pk},
        scope=POINT,
        label="resolve",
    ),
    case("flows:rebuild", page("flows:rebuild"), {COORD, ADMIN}),
    post("flows:rebuild", {}, {COORD, ADMIN}, label="rebuild"),
    post("set_language", {"language": "fr"}, EVERYONE, public=True, writes=False),
    case("api:openapi-json", page("api:openapi-json"), EVERYONE, public=True),
    case("api:openapi-view", page("api:openapi-view"), EVERYONE, public=True),
    # ODK Collect / KoboCollect (hbm.collect)
    case("collect:index", page("collect:index"), {COORD, ADMIN}),
    case("collect:form-edit", page("collect:form-edit", pk=collect_form), {COORD, ADMIN}),
    case("collect:credential-list", page("collect:credential-list"), {REG, ADMIN}),
    post(
        "collect:credential-revoke",
        {},
        {REG, ADMIN},
        kwargs={"pk": collect_credential},
        scope=Scope.OWNER,
        beyond=frozenset({ADMIN}),
    ),
    openrosa("collect:openrosa-form-list"),
    openrosa("collect:openrosa-form-xml", form_id=lambda w, s, r: "hbm_registration"),
    openrosa("collect:openrosa-manifest", form_id=lambda w, s, r: "hbm_registration"),
    openrosa("collect:openrosa-submission", method="POST"),
    # The admin site is for staff (administrators); everyone else is sent to its login.
    case("admin:*", lambda w, s, r: Req(reverse("admin:index")), {ADMIN}, refused=Outcome.LOGIN),
]
