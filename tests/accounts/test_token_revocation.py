"""A device token can issue tokens (a field client renewing its key): revoking it revokes,
at once, every token issued through it, however deep, each audited. A deactivated user's
tokens are all refused."""

import pytest
from django.core.exceptions import PermissionDenied

from hbm.accounts import services
from hbm.accounts.models import DeviceToken
from hbm.audit.models import AuditEvent

ME = "/api/v1/accounts/me"
TOKENS = "/api/v1/accounts/tokens"


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def issue_with(client, key, name):
    response = client.post(TOKENS, {"name": name}, content_type="application/json", **bearer(key))
    assert response.status_code == 201
    return response.json()["key"]


@pytest.fixture
def lineage(client, officer_amina):
    """A token, a token it issued, and one that one issued; and an unrelated token."""
    root, root_key = services.device_token_create(actor=officer_amina, name="Tablet 3")
    child_key = issue_with(client, root_key, "Tablet 3, renewed")
    grandchild_key = issue_with(client, child_key, "Tablet 3, renewed again")
    _, other_key = services.device_token_create(actor=officer_amina, name="Phone")
    return root, [root_key, child_key, grandchild_key], other_key


def test_a_token_issued_through_a_token_records_its_parent(lineage):
    root, _, _ = lineage
    child = DeviceToken.objects.get(parent=root)
    assert DeviceToken.objects.get(parent=child).name == "Tablet 3, renewed again"


def test_revoking_a_token_revokes_every_token_issued_through_it(client, lineage, officer_amina):
    root, keys, other_key = lineage
    services.device_token_revoke(actor=officer_amina, token=root)
    for key in keys:
        response = client.get(ME, **bearer(key))
        assert response.status_code == 401 and "revoked" in response.json()["message"]
    assert client.get(ME, **bearer(other_key)).status_code == 200
    events = AuditEvent.objects.filter(object_type="accounts.devicetoken", action="update")
    assert events.count() == 3
    assert {e.detail for e in events} == {"revoked", f"revoked with token {root.prefix}"}


def test_revoking_through_the_api_with_the_token_itself_cascades(client, lineage):
    root, keys, _ = lineage
    response = client.post(f"{TOKENS}/{root.prefix}/revoke", **bearer(keys[0]))
    assert response.status_code == 200
    assert client.get(ME, **bearer(keys[2])).status_code == 401


def test_revoking_a_child_leaves_its_parent_alive(client, lineage, officer_amina):
    root, keys, _ = lineage
    child = DeviceToken.objects.get(parent=root)
    services.device_token_revoke(actor=officer_amina, token=child)
    assert [client.get(ME, **bearer(key)).status_code for key in keys] == [200, 401, 401]


def test_a_revoked_token_issues_nothing(lineage, officer_amina):
    root, _, _ = lineage
    services.device_token_revoke(actor=officer_amina, token=root)
    root.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.device_token_create(actor=officer_amina, name="Late", parent=root)


def test_a_deactivated_users_tokens_are_all_refused(client, lineage, officer_amina):
    _, keys, other_key = lineage
    officer_amina.is_active = False
    officer_amina.save()
    for key in [*keys, other_key]:
        response = client.get(ME, **bearer(key))
        assert response.status_code == 401
        assert response.json()["message"] == services.USER_INACTIVE
