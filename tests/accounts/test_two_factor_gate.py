"""Two-factor login is required for administrators, security officers and coordinators (and
superusers), issue #20: until they have set up an authenticator they can do nothing else,
on the web or through the API with their session."""

import pytest
from django.test import Client

from hbm import api
from hbm.accounts import session_state
from hbm.accounts.models import TotpDevice
from hbm.accounts.services import two_factor
from hbm.audit.models import AuditEvent
from tests.accounts.two_factor_helpers import code_for, wrong_code
from tests.conftest import PASSWORD
from tests.factories import UserFactory

LOGIN = "/accounts/login/"
ENROL = "/accounts/two-factor/"
PAGES = ["/", "/places/crossing-points/", "/accounts/devices/", "/audit/", "/admin/"]
API_CALLS = ["/api/v1/accounts/me", "/api/v1/places/crossing-points"]


@pytest.fixture(params=["administrator", "security_officer", "coordinator", "superuser"])
def needs_two_factor(request, db):
    if request.param == "superuser":
        return UserFactory(username="root", is_superuser=True, is_staff=True)
    return UserFactory(username="keeper", roles=[request.param], is_staff=True)


def log_in_with_password(client, user, next_url="/audit/"):
    return client.post(LOGIN, {"username": user.username, "password": PASSWORD, "next": next_url})


def test_the_password_leads_straight_to_the_set_up(client, needs_two_factor):
    response = log_in_with_password(client, needs_two_factor)
    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=%2Faudit%2F"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_sends_back_to_the_set_up(client, needs_two_factor, page):
    log_in_with_password(client, needs_two_factor)
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL)


def test_an_htmx_request_is_sent_to_the_set_up_as_a_whole_page(client, needs_two_factor):
    log_in_with_password(client, needs_two_factor)
    response = client.get("/audit/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(ENROL)


@pytest.mark.parametrize("path", API_CALLS)
def test_every_session_api_call_is_refused_with_the_reason(client, needs_two_factor, path):
    log_in_with_password(client, needs_two_factor)
    response = client.get(path)
    assert response.status_code == 403
    assert response.json() == {"message": api.TWO_FACTOR_SETUP_NEEDED}


def test_a_change_through_the_api_is_refused_too(client, needs_two_factor):
    log_in_with_password(client, needs_two_factor)
    response = client.post(
        "/api/v1/accounts/tokens", {"name": "Tablet"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not needs_two_factor.device_tokens.exists()


def test_setting_up_the_authenticator_opens_everything(client, needs_two_factor):
    log_in_with_password(client, needs_two_factor)
    page = client.get(f"{ENROL}?next=/audit/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and 'id="totp-secret"' in body
    secret = TotpDevice.objects.get(user=needs_two_factor).secret
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in body
    response = client.post(ENROL, {"code": code_for(needs_two_factor), "next": "/audit/"})
    assert response.status_code == 200
    assert 'id="recovery-codes"' in response.content.decode()
    assert 'href="/audit/"' in response.content.decode()
    assert client.get("/").status_code == 200
    assert client.get(API_CALLS[0]).status_code == 200
    assert AuditEvent.objects.filter(
        actor=needs_two_factor, action="update", detail="two-factor login set up"
    ).exists()


def test_the_next_login_asks_for_a_code(client, needs_two_factor):
    log_in_with_password(client, needs_two_factor)
    client.get(ENROL)
    client.post(ENROL, {"code": code_for(needs_two_factor)})
    client.post("/accounts/logout/")
    response = log_in_with_password(client, needs_two_factor)
    assert response["Location"] == "/accounts/login/code/"


def test_a_wrong_code_at_the_set_up_is_refused_and_changes_nothing(client, needs_two_factor):
    log_in_with_password(client, needs_two_factor)
    client.get(ENROL)
    wrong = wrong_code(needs_two_factor)
    response = client.post(ENROL, {"code": wrong})
    assert response.status_code == 422
    assert two_factor.WRONG_CODE in response.content.decode()
    assert client.get("/audit/")["Location"].startswith(ENROL)
    assert TotpDevice.objects.get(user=needs_two_factor).confirmed_at is None


def test_reloading_the_set_up_page_keeps_the_same_key(client, needs_two_factor):
    log_in_with_password(client, needs_two_factor)
    client.get(ENROL)
    first = TotpDevice.objects.get(user=needs_two_factor).secret
    client.get(ENROL)
    assert TotpDevice.objects.get(user=needs_two_factor).secret == first


def test_logging_out_and_changing_language_stay_open(client, needs_two_factor):
    log_in_with_password(client, needs_two_factor)
    assert client.post("/i18n/setlang/", {"language": "fr", "next": ENROL}).status_code == 302
    assert client.post("/accounts/logout/")["Location"] == LOGIN


def test_a_session_that_skipped_the_code_is_logged_out(needs_two_factor):
    """A session that knows only the password of a user with an authenticator (another way
    in than the login page) is ended at its first request."""
    two_factor.two_factor_enrol_start(actor=needs_two_factor)
    two_factor.two_factor_enrol_confirm(actor=needs_two_factor, code=code_for(needs_two_factor))
    client = Client()
    client.force_login(needs_two_factor)
    session = client.session
    del session[session_state.VERIFIED]
    session.save()
    assert client.get(API_CALLS[0]).status_code == 403
    response = client.post("/accounts/two-factor/recovery-codes/")
    assert response["Location"].startswith(LOGIN), "no new recovery codes without the code"
    assert client.get("/audit/")["Location"].startswith(LOGIN)
    assert AuditEvent.objects.filter(action="logout", actor=needs_two_factor).exists()
    assert not AuditEvent.objects.filter(detail="recovery codes renewed").exists()


def test_an_officer_is_not_asked_to_set_up_anything(client, officer_amina):
    client.post(LOGIN, {"username": "amina", "password": PASSWORD})
    assert client.get("/").status_code == 200
    assert client.get(API_CALLS[0]).status_code == 200


def test_an_officer_may_choose_to_set_up_an_authenticator(client, officer_amina):
    client.post(LOGIN, {"username": "amina", "password": PASSWORD})
    page = client.get(ENROL)
    assert "Add a second step" in page.content.decode()
    response = client.post(ENROL, {"code": code_for(officer_amina)})
    assert 'id="recovery-codes"' in response.content.decode()


def test_the_set_up_page_shows_no_menu_to_pages_that_would_not_open(client, needs_two_factor):
    log_in_with_password(client, needs_two_factor)
    body = client.get(ENROL).content.decode()
    assert 'href="/places/crossing-points/"' not in body
    client.post(ENROL, {"code": code_for(needs_two_factor)})
    assert 'href="/places/crossing-points/"' in client.get("/").content.decode()
