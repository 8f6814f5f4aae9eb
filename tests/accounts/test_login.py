import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from hbm import settings as production
from hbm.accounts.views import LOCKED_OUT
from hbm.audit.models import AuditEvent
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def test_it_logs_in_and_audits_the_login(client, officer_amina):
    response = client.post(LOGIN, {"username": "amina", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    event = AuditEvent.objects.get(action="login")
    assert event.actor == officer_amina
    assert event.ip_address == "127.0.0.1"


def test_a_wrong_password_says_so_and_is_audited_without_the_password(client, officer_amina):
    response = client.post(LOGIN, {"username": "amina", "password": "wrong-password"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor is None
    assert event.actor_label == "amina"
    assert "wrong-password" not in str(event.__dict__)


def test_the_fifth_wrong_password_locks_with_a_clear_message(client, officer_amina):
    for _ in range(4):
        response = client.post(LOGIN, {"username": "amina", "password": "nope-nope"})
        assert response.status_code == 200
    response = client.post(LOGIN, {"username": "amina", "password": "nope-nope"})
    assert response.status_code == 429
    assert LOCKED_OUT.format(minutes=15) in response.content.decode()
    response = client.post(LOGIN, {"username": "amina", "password": PASSWORD})
    assert response.status_code == 429, "even the right password waits for the cool-off"


def test_other_accounts_are_not_locked_by_someone_elses_failures(
    client, officer_amina, officer_bintu
):
    for _ in range(6):
        client.post(LOGIN, {"username": "amina", "password": "nope-nope"})
    response = client.post(LOGIN, {"username": "bintu", "password": PASSWORD})
    assert response.status_code == 302


def test_it_redirects_only_to_local_next_urls(client, officer_amina):
    response = client.post(
        LOGIN, {"username": "amina", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("web:home")
    client.logout()
    response = client.post(
        LOGIN, {"username": "amina", "password": PASSWORD, "next": "/places/crossing-points/"}
    )
    assert response["Location"] == "/places/crossing-points/"


def test_logout_needs_post_and_is_audited(client, officer_amina):
    client.force_login(officer_amina)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="logout", actor=officer_amina).exists()


@pytest.mark.parametrize("url", ["/", "/places/crossing-points/", "/accounts/devices/", "/audit/"])
def test_pages_need_a_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_production_hashes_passwords_with_argon2(settings):
    """The suite hashes with MD5 for speed (tests/conftest.py); production settings do not."""
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert make_password(PASSWORD).startswith("argon2$")
