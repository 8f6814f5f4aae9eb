"""Recovery codes renewed by their owner, and an administrator's reset of a user's
two-factor login (a lost phone), from the administration or the server's command line."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from hbm.accounts.models import RecoveryCode, TotpDevice
from hbm.accounts.services import two_factor
from hbm.audit.models import AuditEvent
from tests.accounts.two_factor_helpers import enrol

REGENERATE = "/accounts/two-factor/recovery-codes/"


def test_the_page_shows_the_state_and_codes_left(client, security_joseph):
    enrol(security_joseph)
    client.force_login(security_joseph)
    body = client.get("/accounts/two-factor/").content.decode()
    assert "10 unused recovery codes left." in body
    assert "<svg" not in body, "the key is never shown again"


def test_new_recovery_codes_replace_the_old_and_are_audited(client, security_joseph):
    old = enrol(security_joseph)
    client.force_login(security_joseph)
    response = client.post(REGENERATE)
    assert response.status_code == 200
    assert 'id="recovery-codes"' in response.content.decode()
    assert not any(code in response.content.decode() for code in old)
    assert RecoveryCode.objects.filter(user=security_joseph).count() == 10
    with pytest.raises(two_factor.CodeRejected):
        two_factor.two_factor_verify(user=security_joseph, code=old[0])
    assert AuditEvent.objects.filter(
        actor=security_joseph, detail="recovery codes renewed"
    ).exists()


def test_new_recovery_codes_need_an_authenticator(client, officer_amina):
    client.force_login(officer_amina)
    response = client.post(REGENERATE, follow=True)
    assert two_factor.NOT_ENROLLED in response.content.decode()
    assert not RecoveryCode.objects.exists()
    assert client.get(REGENERATE).status_code == 405


def test_an_administrator_resets_from_the_administration(client, admin_samuel, security_joseph):
    enrol(security_joseph)
    admin_samuel.is_superuser = True
    admin_samuel.save()
    client.force_login(admin_samuel)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [security_joseph.pk]},
        follow=True,
    )
    assert "Two-factor login reset for 1 user(s)" in response.content.decode()
    assert not TotpDevice.objects.filter(user=security_joseph).exists()
    assert not RecoveryCode.objects.filter(user=security_joseph).exists()
    event = AuditEvent.objects.get(detail=two_factor.RESET)
    assert event.actor == admin_samuel
    assert event.object_id == str(security_joseph.pk)


def test_only_an_administrator_may_reset(coordinator_patrick, security_joseph):
    enrol(security_joseph)
    with pytest.raises(PermissionDenied, match=two_factor.RESET_NOT_ALLOWED):
        two_factor.two_factor_reset(actor=coordinator_patrick, user=security_joseph)
    assert TotpDevice.objects.filter(user=security_joseph).exists()


def test_the_command_line_resets_and_audits(security_joseph, capsys):
    enrol(security_joseph)
    call_command("two_factor", "reset", "joseph")
    assert "reset for joseph" in capsys.readouterr().out
    assert not TotpDevice.objects.filter(user=security_joseph).exists()
    assert AuditEvent.objects.get(detail=two_factor.RESET).actor_label == ("hbm two_factor reset")


def test_the_command_line_names_an_unknown_user(db):
    with pytest.raises(CommandError, match="no user is named 'nobody'"):
        call_command("two_factor", "reset", "nobody")
