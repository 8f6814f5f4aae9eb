from datetime import timedelta

import pytest
from django.utils import timezone

from hbm.accounts import services
from hbm.accounts.models import DeviceToken
from hbm.audit.models import AuditEvent
from tests.factories import UserFactory

ME = "/api/v1/accounts/me"


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def issued(officer_amina):
    return services.device_token_create(actor=officer_amina, name="Tablet 3")


def test_a_token_authenticates_its_user_and_records_last_use(client, issued):
    token, key = issued
    response = client.get(ME, **bearer(key))
    assert response.status_code == 200
    assert response.json()["username"] == "amina"
    assert response.json()["crossing_points"] == ["point-a"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_a_hash_of_the_secret_is_stored(issued):
    token, key = issued
    secret = key.split("_", 2)[2]
    stored = DeviceToken.objects.filter(pk=token.pk).values().get()
    assert secret not in str(stored)


def test_a_revoked_token_is_refused_at_once_with_the_reason(client, issued, officer_amina):
    token, key = issued
    services.device_token_revoke(actor=officer_amina, token=token)
    response = client.get(ME, **bearer(key))
    assert response.status_code == 401
    assert "revoked" in response.json()["message"]


def test_an_expired_token_is_refused_with_the_reason(client, issued):
    token, key = issued
    DeviceToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(days=1))
    response = client.get(ME, **bearer(key))
    assert response.status_code == 401
    assert "expired" in response.json()["message"]


@pytest.mark.parametrize("key", ["garbage", "hbm_nope", "hbm_abc_def", "Basic abc"])
def test_bad_tokens_are_refused(client, issued, key):
    response = client.get(ME, **bearer(key))
    assert response.status_code == 401
    assert response.json()["message"]


def test_a_tampered_secret_is_refused(client, issued):
    _, key = issued
    response = client.get(ME, **bearer(key[:-2] + "xx"))
    assert response.status_code == 401
    assert response.json()["message"] == services.TOKEN_UNKNOWN


def test_no_credentials_get_401_with_a_hint(client, db):
    response = client.get(ME)
    assert response.status_code == 401
    assert "token" in response.json()["message"]


def test_tokens_are_issued_and_revoked_through_the_api(client, officer_amina):
    client.force_login(officer_amina)
    response = client.post(
        "/api/v1/accounts/tokens", {"name": "Phone"}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["key"].startswith(f"hbm_{body['prefix']}_")
    client.logout()
    assert client.get(ME, **bearer(body["key"])).status_code == 200
    response = client.post(
        f"/api/v1/accounts/tokens/{body['prefix']}/revoke", **bearer(body["key"])
    )
    assert response.status_code == 200
    assert response.json()["revoked_at"]
    assert client.get(ME, **bearer(body["key"])).status_code == 401


def test_a_token_needs_a_name(client, officer_amina):
    client.force_login(officer_amina)
    response = client.post(
        "/api/v1/accounts/tokens", {"name": "  "}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "body.name", "message": services.NAME_REQUIRED}]
    assert not DeviceToken.objects.exists()


def test_nobody_revokes_someone_elses_token(client, issued, officer_bintu):
    token, _ = issued
    client.force_login(officer_bintu)
    response = client.post(f"/accounts/devices/{token.prefix}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("power", [{"roles": ["administrator"]}, {"is_superuser": True}])
def test_an_administrator_or_a_superuser_revokes_anyones_token(client, issued, power):
    token, _ = issued
    client.force_login(UserFactory(username="root", **power))
    response = client.post(f"/accounts/devices/{token.prefix}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_devices_page_shows_the_key_once_and_audits(client, officer_amina):
    client.force_login(officer_amina)
    response = client.post("/accounts/devices/", {"name": "Tablet 7"})
    html = response.content.decode()
    token = DeviceToken.objects.get()
    key = html.split('id="new-key">', 1)[1].split("<", 1)[0]
    assert key.startswith(f"hbm_{token.prefix}_")
    assert client.get(ME, **bearer(key)).status_code == 200
    assert key not in client.get("/accounts/devices/").content.decode()
    assert AuditEvent.objects.filter(action="create", object_type="accounts.devicetoken").exists()
    response = client.post(f"/accounts/devices/{token.prefix}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
