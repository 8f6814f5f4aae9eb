"""Two-factor login (issue #20): the password step, then the code step, for users with an
authenticator; recovery codes; replays, wrong codes, lockout and the audit trail."""

import pytest
from django.urls import reverse

from hbm.accounts import services
from hbm.accounts.models import RecoveryCode
from hbm.accounts.services import two_factor
from hbm.accounts.views import CODE_STEP_EXPIRED, LOCKED_OUT
from hbm.audit.models import AuditEvent
from tests.accounts.two_factor_helpers import code_for, enrol, last_code_used, wrong_code
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"


@pytest.fixture
def joseph(security_joseph):
    security_joseph.recovery = enrol(security_joseph)
    return security_joseph


def password_step(client, username="joseph", next_url=""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def test_the_password_alone_does_not_log_in_a_user_with_an_authenticator(client, joseph):
    response = password_step(client)
    assert response.status_code == 302
    assert response["Location"] == CODE
    assert client.get("/").status_code == 302, "not logged in yet"
    assert client.get("/")["Location"].startswith(LOGIN)
    assert not AuditEvent.objects.filter(action="login").exists()


def test_the_code_completes_the_login_and_goes_to_next(client, joseph):
    password_step(client, next_url="/security/hits/")
    response = client.post(CODE, {"code": code_for(joseph, steps_ahead=1)})
    assert response.status_code == 302
    assert response["Location"] == "/security/hits/"
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(action="login")
    assert event.actor == joseph
    assert event.detail == "with authenticator"


def test_a_code_can_not_be_used_twice(client, joseph):
    """The code that confirmed the enrolment was of this step: it opens nothing again."""
    password_step(client)
    response = client.post(CODE, {"code": last_code_used(joseph)})
    assert response.status_code == 200
    assert two_factor.WRONG_CODE in response.content.decode()
    assert client.post(CODE, {"code": code_for(joseph, steps_ahead=1)}).status_code == 302
    client.post("/accounts/logout/")
    password_step(client)
    response = client.post(CODE, {"code": last_code_used(joseph)})
    assert two_factor.WRONG_CODE in response.content.decode(), "replayed after logout"


def test_a_wrong_code_is_refused_audited_and_never_stored(client, joseph):
    password_step(client)
    response = client.post(CODE, {"code": wrong_code(joseph)})
    assert response.status_code == 200
    assert two_factor.WRONG_CODE in response.content.decode()
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor_label == "joseph"
    assert event.object_id == str(joseph.pk)
    assert event.detail == services.WRONG_CODE
    assert client.get("/")["Location"].startswith(LOGIN)


@pytest.mark.parametrize("code", ["", "   ", "12345", "not-a-code", "1234567"])
def test_malformed_codes_are_refused_with_a_reason(client, joseph, code):
    password_step(client)
    response = client.post(CODE, {"code": code})
    assert response.status_code == 200
    assert 'id="code-error"' in response.content.decode()
    assert client.get("/")["Location"].startswith(LOGIN)


def test_wrong_codes_count_toward_the_lockout(client, joseph):
    """Five wrong codes lock the account as five wrong passwords do, code step and password
    step alike."""
    password_step(client)
    wrong = wrong_code(joseph)
    for _ in range(4):
        assert client.post(CODE, {"code": wrong}).status_code == 200
    response = client.post(CODE, {"code": wrong})
    assert response.status_code == 429
    assert LOCKED_OUT.format(minutes=15) in response.content.decode()
    assert f'action="{LOGIN}"' in response.content.decode(), "the form goes back to the password"
    response = client.post(CODE, {"code": code_for(joseph, steps_ahead=1)})
    assert response.status_code == 429, "even the right code waits for the cool-off"
    assert password_step(client).status_code == 429
    failures = AuditEvent.objects.filter(action="login_failed", detail=services.WRONG_CODE)
    assert failures.count() == 5


def test_the_code_step_without_a_password_sends_back_to_login(client, joseph):
    response = client.get(CODE, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert CODE_STEP_EXPIRED in response.content.decode()


def test_the_code_step_expires(client, joseph):
    password_step(client)
    session = client.session
    session["hbm_two_factor_pending"]["at"] -= 301
    session.save()
    response = client.post(CODE, {"code": code_for(joseph, steps_ahead=1)})
    assert response["Location"] == LOGIN
    assert client.get("/")["Location"].startswith(LOGIN)


def test_a_disabled_account_can_not_finish_the_code_step(client, joseph):
    password_step(client)
    joseph.is_active = False
    joseph.save()
    response = client.post(CODE, {"code": code_for(joseph, steps_ahead=1)})
    assert response["Location"] == LOGIN


def test_a_recovery_code_logs_in_once(client, joseph):
    code = joseph.recovery[0]
    password_step(client)
    response = client.post(CODE, {"code": code.upper().replace("-", " ")}, follow=True)
    assert response.status_code == 200
    assert "9 are left" in response.content.decode()
    assert AuditEvent.objects.get(action="login").detail == "with recovery code"
    client.post("/accounts/logout/")
    password_step(client)
    response = client.post(CODE, {"code": code})
    assert two_factor.WRONG_CODE in response.content.decode()


def test_recovery_codes_are_ten_stored_hashed(joseph):
    assert len(joseph.recovery) == 10
    assert len(set(joseph.recovery)) == 10
    stored = str(list(RecoveryCode.objects.filter(user=joseph).values()))
    assert not any(code in stored or code.replace("-", "") in stored for code in joseph.recovery)


def test_an_officer_with_no_authenticator_logs_in_with_the_password_alone(client, officer_amina):
    response = password_step(client, "amina")
    assert response["Location"] == reverse("web:home")
    assert client.get("/").status_code == 200


def test_an_officer_who_chose_an_authenticator_gives_codes_too(client, officer_amina):
    enrol(officer_amina)
    response = password_step(client, "amina")
    assert response["Location"] == CODE
    response = client.post(CODE, {"code": code_for(officer_amina, steps_ahead=1)})
    assert response["Location"] == reverse("web:home")


def test_the_administration_login_page_leads_to_this_one(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/"
