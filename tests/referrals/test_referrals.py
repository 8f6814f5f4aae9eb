import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from hbm.audit.models import AuditEvent
from hbm.lib.rejected import Rejected
from hbm.referrals import selectors, services
from hbm.referrals.models import SHAREABLE_FIELDS, Pathway, Provider, Referral, ServiceType
from hbm.referrals.views import PAGE_SIZE
from tests.factories import AgencyFactory, UserFactory
from tests.paging import walk
from tests.registry.helpers import register

CHILD = {
    "given_name": "Akol",
    "family_name": "Majok",
    "sex": "M",
    "age_estimate": 12,
    "phone": "+211 900 000 001",
    "document_number": "SECRET-DOC",
}


@pytest.fixture
def child_protection(db):
    return ServiceType.objects.get(code="child-protection")


@pytest.fixture
def provider(child_protection, point_a):
    agency = AgencyFactory(code="icpn", name="Ituri Child Protection Network", kind="ngo")
    provider = Provider.objects.create(
        name="ICPN Mahagi", agency=agency, contact_email="intake@icpn.invalid"
    )
    provider.service_types.add(child_protection)
    Pathway.objects.create(crossing_point=point_a, service_type=child_protection, provider=provider)
    return provider


@pytest.fixture
def other_provider(child_protection):
    agency = AgencyFactory(code="other-ngo-2", name="Far away NGO", kind="ngo")
    provider = Provider.objects.create(name="Far away", agency=agency)
    provider.service_types.add(child_protection)
    return provider


@pytest.fixture
def provider_ruth(provider):
    return UserFactory(username="ruth", agency=provider.agency, roles=["service_provider"])


@pytest.fixture
def child(officer_amina):
    (child,) = register(officer_amina, CHILD, kind="individual")
    return child


def send(actor, child, provider, point, **overrides):
    values = {
        "actor": actor,
        "person": child,
        "crossing_point": point,
        "service_type": ServiceType.objects.get(code="child-protection"),
        "provider": provider,
        "urgency": "urgent",
        "consent_given": True,
    }
    values.update(overrides)
    return services.referral_send(**values)


def test_a_referral_shares_only_the_configured_fields_and_notifies(
    protection_bruno, child, provider, point_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = send(protection_bruno, child, provider, point_a, notes="Alone since Yei")
    assert referral.status == "pending"
    assert referral.due_at - referral.sent_at == timedelta(days=3)
    assert "document_number" not in referral.shared and "phone" not in referral.shared
    assert referral.shared["given_name"] == "Akol" and referral.shared["notes"] == "Alone since Yei"
    assert len(mail.outbox) == 1 and "Akol" not in mail.outbox[0].body
    share = AuditEvent.objects.get(action="share")
    assert share.actor == protection_bruno and "given_name" in share.fields


def test_nothing_outside_the_shareable_fields_ever_leaves(
    protection_bruno, child, provider, point_a, child_protection
):
    child_protection.shared_fields = ["document_number", *SHAREABLE_FIELDS, "public_id", "id"]
    child_protection.save()
    referral = send(protection_bruno, child, provider, point_a, notes="Alone since Yei")
    assert list(referral.shared) == list(SHAREABLE_FIELDS)
    assert referral.shared["phone"] == child.phone
    assert AuditEvent.objects.get(action="share").fields == sorted(SHAREABLE_FIELDS)


def test_no_consent_is_refused_unless_a_protection_officer_overrides_with_a_reason(
    protection_bruno, child, provider, point_a, db
):
    health = UserFactory(username="grace", roles=["health_officer"], crossing_points=[point_a])
    with pytest.raises(ValidationError) as caught:
        send(health, child, provider, point_a, consent_given=False)
    assert services.NO_CONSENT in caught.value.message_dict["consent_given"]
    with pytest.raises(ValidationError) as caught:
        send(protection_bruno, child, provider, point_a, consent_given=False)
    assert caught.value.message_dict == {"consent_override_reason": [services.OVERRIDE_REASON]}
    referral = send(
        protection_bruno,
        child,
        provider,
        point_a,
        consent_given=False,
        consent_override_reason="Child too young; best interests decision",
    )
    assert referral.consent_override_reason.startswith("Child too young")
    assert referral.consent is None and not referral.consent_given  # no consent record
    assert Referral.objects.count() == 1


def test_a_provider_outside_the_pathway_is_refused(
    protection_bruno, child, provider, other_provider, point_a
):
    with pytest.raises(ValidationError) as caught:
        send(protection_bruno, child, other_provider, point_a)
    assert caught.value.message_dict["provider"] == [
        services.OUTSIDE_PATHWAY.format(
            provider="Far away", service="Child protection", point="Point A", urgency="urgent"
        )
    ]
    assert not Referral.objects.exists()


def test_the_lifecycle_runs_in_order_and_logs_every_step(
    protection_bruno, provider_ruth, child, provider, point_a
):
    referral = send(protection_bruno, child, provider, point_a)
    with pytest.raises(ValidationError) as caught:
        services.referral_transition(
            actor=provider_ruth, referral=referral, to_status="completed", outcome="done"
        )
    assert "from pending it can become: accepted, rejected, revoked" in str(caught.value)
    for status in ("accepted", "in_service"):
        services.referral_transition(actor=provider_ruth, referral=referral, to_status=status)
    with pytest.raises(ValidationError):
        services.referral_transition(actor=provider_ruth, referral=referral, to_status="completed")
    done = services.referral_transition(
        actor=provider_ruth, referral=referral, to_status="completed", outcome="Placed with aunt"
    )
    assert (done.status, done.outcome) == ("completed", "Placed with aunt")
    assert [e.to_status for e in done.events.all()] == [
        "pending",
        "accepted",
        "in_service",
        "completed",
    ]


def test_only_the_provider_moves_it_and_only_the_sender_revokes(
    protection_bruno, provider_ruth, child, provider, point_a
):
    referral = send(protection_bruno, child, provider, point_a)
    with pytest.raises(PermissionDenied):
        services.referral_transition(
            actor=protection_bruno, referral=referral, to_status="accepted"
        )
    with pytest.raises(PermissionDenied):
        services.referral_transition(
            actor=provider_ruth, referral=referral, to_status="revoked", reason="x"
        )
    with pytest.raises(ValidationError):
        services.referral_transition(actor=protection_bruno, referral=referral, to_status="revoked")
    revoked = services.referral_transition(
        actor=protection_bruno, referral=referral, to_status="revoked", reason="Family found"
    )
    assert revoked.status == "revoked"


def test_a_provider_user_sees_only_their_referrals_and_not_the_person(
    client_for,
    protection_bruno,
    provider_ruth,
    child,
    provider,
    other_provider,
    point_a,
):
    mine = send(protection_bruno, child, provider, point_a)
    Pathway.objects.create(
        crossing_point=point_a, service_type=mine.service_type, provider=other_provider
    )
    theirs = send(protection_bruno, child, other_provider, point_a)
    client = client_for(provider_ruth)
    listed = [r["id"] for r in client.get("/api/v1/referrals").json()["results"]]
    assert listed == [mine.pk]
    assert client.get(f"/api/v1/referrals/{theirs.pk}").status_code == 404
    page = client.get(f"/referrals/{mine.pk}/").content.decode()
    assert "Akol" in page and "SECRET-DOC" not in page and "+211900000001" not in page
    assert client.get(f"/registry/people/{child.public_id}/").status_code == 403
    assert client.get(f"/api/v1/persons/{child.public_id}").status_code == 403


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("service_type", "no-such-service", selectors.NO_SUCH_SERVICE),
        ("provider", 999999, "No such provider."),
    ],
)
def test_the_api_answers_404_for_an_unknown_service_or_provider(
    client_for, protection_bruno, child, provider, field, value, message
):
    payload = {
        "person": str(child.public_id),
        "crossing_point": "point-a",
        "service_type": "child-protection",
        "provider": provider.pk,
        "urgency": "normal",
        "consent_given": True,
    }
    response = client_for(protection_bruno).post(
        "/api/v1/referrals", json.dumps(payload | {field: value}), content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json() == {"message": message}
    assert not Referral.objects.exists()


def test_the_api_walks_the_whole_lifecycle(
    client_for, protection_bruno, provider_ruth, child, provider, point_a
):
    sender = client_for(protection_bruno)
    response = sender.post(
        "/api/v1/referrals",
        json.dumps(
            {
                "person": str(child.public_id),
                "crossing_point": "point-a",
                "service_type": "child-protection",
                "provider": provider.pk,
                "urgency": "emergency",
                "consent_given": True,
                "need_code": "SC-UC",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    referral_id = response.json()["id"]
    receiver = client_for(provider_ruth)
    early = receiver.post(
        f"/api/v1/referrals/{referral_id}/transition",
        json.dumps({"status": "completed", "outcome": "x"}),
        content_type="application/json",
    )
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "body.status"
    for body in (
        {"status": "accepted"},
        {"status": "in_service"},
        {"status": "completed", "outcome": "Reunited"},
    ):
        assert (
            receiver.post(
                f"/api/v1/referrals/{referral_id}/transition",
                json.dumps(body),
                content_type="application/json",
            ).status_code
            == 200
        )
    seen = sender.get(f"/api/v1/referrals/{referral_id}").json()
    assert seen["status"] == "completed" and seen["outcome"] == "Reunited"


def test_overdue_referrals_are_listed(client_for, protection_bruno, child, provider, point_a):
    late = send(protection_bruno, child, provider, point_a, now=timezone.now() - timedelta(days=5))
    send(protection_bruno, child, provider, point_a)
    overdue = client_for(protection_bruno).get("/api/v1/referrals?overdue=true").json()
    assert [r["id"] for r in overdue["results"]] == [late.pk]
    assert overdue["results"][0]["overdue"] is True


def test_roles_without_referral_access_are_refused(
    client_for, officer_amina, security_joseph, child, provider, point_a, protection_bruno
):
    send(protection_bruno, child, provider, point_a)
    for user in (officer_amina, security_joseph):
        assert client_for(user).get("/api/v1/referrals").status_code == 403
        page = client_for(user).get(f"/registry/people/{child.public_id}/").content.decode()
        assert "Refer to a service" not in page


def test_the_dashboard_counts_needs_the_funnel_and_timings(
    client_for,
    protection_bruno,
    provider_ruth,
    child,
    provider,
    point_a,
    coordinator_patrick,
    officer_amina,
):
    from hbm.screening.services import screening_record

    screening_record(
        actor=protection_bruno, person=child, answers={"child_without_caregiver": True}
    )
    referral = send(protection_bruno, child, provider, point_a)
    services.referral_transition(actor=provider_ruth, referral=referral, to_status="accepted")
    body = client_for(coordinator_patrick).get("/api/v1/protection/dashboard").json()
    assert body["screenings"] == 1
    assert body["needs"] == [
        {"code": "SC-UC", "label": "Unaccompanied child", "point": "point-a", "n": 1}
    ]
    assert {row["status"]: row["n"] for row in body["funnel"]}["accepted"] == 1
    assert body["hours_to_accept"] is not None and body["overdue"] == 0
    page = client_for(protection_bruno).get("/referrals/dashboard/").content.decode()
    assert "SC-UC" in page and "Akol" not in page
    assert client_for(officer_amina).get("/api/v1/protection/dashboard").status_code == 403


def test_the_directory_round_trips_through_xlsx_and_refuses_bad_lines(
    client_for, admin_samuel, provider, protection_bruno
):
    import io

    from openpyxl import load_workbook

    from hbm.referrals.services import directory

    client = client_for(admin_samuel)
    exported = client.get("/referrals/directory/?export=xlsx").content
    book = load_workbook(io.BytesIO(exported))
    assert book["providers"]["A2"].value == "ICPN Mahagi"
    assert book["pathways"]["D2"].value == "ICPN Mahagi"
    book["providers"]["H2"] = "not-an-email"
    book["pathways"].append(["nowhere", "child-protection", "soon", "Ghost NGO"])
    broken = io.BytesIO()
    book.save(broken)
    with pytest.raises(Rejected) as caught:
        directory.directory_import(actor=admin_samuel, content=broken.getvalue(), dry_run=False)
    assert caught.value.problems == [
        "providers line 2: contact_email 'not-an-email' is not an e-mail",
        "pathways line 3: unknown crossing point 'nowhere'",
        "pathways line 3: unknown urgency 'soon'",
        "pathways line 3: unknown provider 'Ghost NGO'",
    ]
    book["providers"]["H2"] = "new@icpn.invalid"
    book["pathways"].delete_rows(3)
    fixed = io.BytesIO()
    book.save(fixed)
    summary = directory.directory_import(
        actor=admin_samuel, content=fixed.getvalue(), dry_run=False
    )
    assert (summary.providers, summary.pathways) == (1, 1)
    provider.refresh_from_db()
    assert provider.contact_email == "new@icpn.invalid"
    assert client_for(protection_bruno).get("/referrals/directory/").status_code == 403


def test_reading_a_referral_is_audited(
    client_for, protection_bruno, provider_ruth, child, provider, point_a
):
    referral = send(protection_bruno, child, provider, point_a)
    client = client_for(provider_ruth)
    client.get(f"/referrals/{referral.pk}/")
    client.get(f"/api/v1/referrals/{referral.pk}")
    client.get("/referrals/")
    reads = AuditEvent.objects.filter(
        action="view", actor=provider_ruth, object_id=str(child.public_id)
    )
    assert sorted(e.detail for e in reads) == [
        f"referral {referral.pk}",
        f"referral {referral.pk} (api)",
        "referral list",
    ]


def test_the_referral_list_pages_through_every_referral_and_keeps_the_filter(
    client_for, protection_bruno, child, provider, point_a
):
    pending = [send(protection_bruno, child, provider, point_a) for _ in range(PAGE_SIZE + 3)]
    services.referral_transition(
        actor=protection_bruno, referral=pending.pop(), to_status="revoked", reason="Found"
    )
    client = client_for(protection_bruno)
    pages, visited = walk(client, "/referrals/?status=pending", r'href="/referrals/(\d+)/"')
    assert visited == ["/referrals/?status=pending", "/referrals/?status=pending&page=2"]
    assert [len(rows) for rows in pages] == [PAGE_SIZE, 2]
    shown = [int(pk) for rows in pages for pk in rows]
    assert shown == [r.pk for r in reversed(pending)], "newest first, none lost or repeated"
    reads = AuditEvent.objects.filter(actor=protection_bruno, detail="referral list")
    assert reads.count() == PAGE_SIZE + 2, "one read per referral shown"


@pytest.fixture
def back_to_english():
    """A request in French activates French for the thread; the next test starts in English."""
    yield
    translation.deactivate()


def api_send(client, child, provider, *, language, **overrides):
    body = {
        "person": str(child.public_id),
        "crossing_point": "point-a",
        "service_type": "child-protection",
        "provider": provider.pk,
        "urgency": "urgent",
        "consent_given": False,
        **overrides,
    }
    return client.post(
        "/api/v1/referrals",
        json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_a_referral_without_consent_is_refused_in_the_language_of_the_request(
    client_for, back_to_english, protection_bruno, child, provider, point_a
):
    client = client_for(protection_bruno)
    french = api_send(client, child, provider, language="fr")
    assert french.status_code == 422
    assert french.json()["errors"] == [
        {
            "field": "body.consent_override_reason",
            "message": "Indiquez le motif de l'orientation sans consentement.",
        }
    ]
    arabic = api_send(client, child, provider, language="ar")
    assert arabic.json()["errors"][0]["message"] == "اذكر سبب الإحالة دون موافقة."
    english = api_send(client, child, provider, language="en")
    assert english.json()["errors"][0]["message"] == str(services.OVERRIDE_REASON)
    assert english.json()["errors"][0]["message"] == (
        "Give the reason for referring without consent."
    )
    health = UserFactory(username="grace", roles=["health_officer"], crossing_points=[point_a])
    refused = api_send(client_for(health), child, provider, language="fr")
    assert [e["message"] for e in refused.json()["errors"]] == [
        "La personne n'a pas consenti à cette orientation. Enregistrez son consentement, "
        "ou passez outre en donnant un motif si votre rôle le permet.",
        "Votre rôle ne permet pas de passer outre l'absence de consentement.",
    ]
    assert not Referral.objects.exists()


def test_the_referral_form_answers_in_french_with_french_need_labels(
    client_for, back_to_english, protection_bruno, child, provider, child_protection, point_a
):
    from django.utils.html import escape

    client = client_for(protection_bruno)
    client.post("/i18n/setlang/", {"language": "fr"})
    url = f"/referrals/persons/{child.public_id}/new/"
    page = client.get(url, {"need_code": "SC-UC"}).content.decode()
    assert "SC-UC Enfant non accompagné" in page
    response = client.post(
        url,
        {
            "crossing_point": point_a.pk,
            "service_type": child_protection.pk,
            "provider": provider.pk,
            "urgency": "urgent",
            "need_code": "SC-UC",
        },
    )
    assert response.status_code == 422
    assert escape("Indiquez le motif de l'orientation sans consentement.") in (
        response.content.decode()
    )
    assert not Referral.objects.exists()


def test_the_dashboard_names_needs_in_the_language_of_the_request(
    client_for, back_to_english, protection_bruno, child
):
    from hbm.screening.services import screening_record

    screening_record(
        actor=protection_bruno, person=child, answers={"child_without_caregiver": True}
    )
    client = client_for(protection_bruno)
    body = client.get("/api/v1/protection/dashboard", HTTP_ACCEPT_LANGUAGE="ar").json()
    assert body["needs"][0]["label"] == "طفل غير مصحوب"
    page = client.get("/referrals/dashboard/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<code>SC-UC</code> Enfant non accompagné" in page
