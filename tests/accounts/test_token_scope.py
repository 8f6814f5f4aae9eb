"""Device-token scopes: read-write (the default) or read-only. A read-only token reads but
changes nothing; a token made with a read-only token can't be read-write."""

import pytest
from django.core.exceptions import ValidationError

from hbm.accounts import services
from hbm.accounts.models import DeviceToken
from hbm.audit.models import AuditEvent

TOKENS = "/api/v1/accounts/tokens"


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def read_only(officer_amina):
    return services.device_token_create(actor=officer_amina, name="Kiosk", scope="read-only")


def test_tokens_are_read_write_unless_asked(officer_amina):
    token, _ = services.device_token_create(actor=officer_amina, name="Tablet")
    assert token.scope == DeviceToken.Scope.READ_WRITE


def test_a_read_only_token_reads(client, read_only):
    _, key = read_only
    response = client.get("/api/v1/accounts/me", **bearer(key))
    assert response.status_code == 200
    response = client.get(TOKENS, **bearer(key))
    assert response.json()[0]["scope"] == "read-only"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", TOKENS),
        ("post", "/api/v1/registrations"),
        ("post", "/api/v1/persons/match"),
        ("patch", "/api/v1/persons/00000000-0000-0000-0000-000000000000"),
        ("post", "/api/v1/accounts/tokens/abc/revoke"),
    ],
)
def test_a_read_only_token_changes_nothing(client, read_only, officer_amina, method, path):
    _, key = read_only
    response = getattr(client, method)(path, {}, content_type="application/json", **bearer(key))
    assert response.status_code == 403
    assert response.json() == {"message": services.TOKEN_READ_ONLY}
    assert DeviceToken.objects.filter(user=officer_amina).count() == 1


def test_the_scope_is_chosen_through_the_api(client, officer_amina):
    client.force_login(officer_amina)
    response = client.post(
        TOKENS, {"name": "Kiosk", "scope": "read-only"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["scope"] == "read-only"
    assert DeviceToken.objects.get().scope == "read-only"
    event = AuditEvent.objects.get(action="create", object_type="accounts.devicetoken")
    assert "scope" in event.fields


def test_an_unknown_scope_is_a_422_on_its_field(client, officer_amina):
    client.force_login(officer_amina)
    response = client.post(
        TOKENS, {"name": "Kiosk", "scope": "admin"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.payload.scope"]
    assert not DeviceToken.objects.exists()


def test_an_unknown_scope_is_refused_by_the_service(officer_amina):
    with pytest.raises(ValidationError) as refused:
        services.device_token_create(actor=officer_amina, name="Kiosk", scope="everything")
    assert "scope" in refused.value.message_dict


def test_a_child_of_a_read_only_token_can_not_be_read_write(officer_amina, read_only):
    parent, _ = read_only
    with pytest.raises(ValidationError) as refused:
        services.device_token_create(actor=officer_amina, name="Child", parent=parent)
    assert refused.value.message_dict == {"scope": [services.SCOPE_WIDER_THAN_PARENT]}
    child, _ = services.device_token_create(
        actor=officer_amina, name="Child", parent=parent, scope="read-only"
    )
    assert child.scope == "read-only"


def test_a_read_write_token_may_make_a_read_only_child(client, officer_amina):
    _, key = services.device_token_create(actor=officer_amina, name="Tablet")
    response = client.post(
        TOKENS,
        {"name": "Kiosk", "scope": "read-only"},
        content_type="application/json",
        **bearer(key),
    )
    assert response.status_code == 201
    assert DeviceToken.objects.get(name="Kiosk").parent.name == "Tablet"


def test_the_devices_page_issues_a_read_only_token_and_lists_scopes(client, officer_amina):
    client.force_login(officer_amina)
    response = client.post("/accounts/devices/", {"name": "Kiosk", "scope": "read-only"})
    assert response.status_code == 200
    assert DeviceToken.objects.get().scope == "read-only"
    assert "Read only" in response.content.decode()


def test_the_devices_page_refuses_an_unknown_scope_on_its_field(client, officer_amina):
    client.force_login(officer_amina)
    response = client.post("/accounts/devices/", {"name": "Kiosk", "scope": "admin"})
    assert "Select a valid choice" in response.content.decode()
    assert not DeviceToken.objects.exists()
