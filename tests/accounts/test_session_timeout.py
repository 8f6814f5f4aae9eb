"""Sessions end after HBM_SESSION_IDLE_MINUTES without a request and SESSION_COOKIE_AGE after
the login, whatever happens in between; each end is audited as a logout (timeout). The tests
move the session's recorded times back instead of waiting."""

import pytest

from hbm.accounts import session_state
from hbm.accounts.middleware import SESSION_IDLE, SESSION_TOO_OLD
from hbm.audit.models import AuditEvent

LOGIN = "/accounts/login/"


def age_session(client, **seconds_ago):
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] -= ago
    session.save()


@pytest.fixture
def amina_client(client, officer_amina):
    client.force_login(officer_amina)
    assert client.get("/").status_code == 200
    return client


def test_a_used_session_stays_open(amina_client):
    age_session(amina_client, hbm_seen_at=29 * 60)
    assert amina_client.get("/").status_code == 200


def test_an_idle_session_ends_with_a_message_and_an_audit(amina_client, officer_amina):
    age_session(amina_client, hbm_seen_at=31 * 60)
    response = amina_client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Faudit%2F"
    page = amina_client.get(response["Location"])
    assert SESSION_IDLE.format(minutes=30) in page.content.decode()
    assert amina_client.get("/")["Location"].startswith(LOGIN), "the session is gone"
    event = AuditEvent.objects.get(action="logout")
    assert event.actor == officer_amina
    assert event.detail == "session timeout (idle)"


def test_the_idle_limit_is_configurable(amina_client, settings):
    settings.SESSION_IDLE_MINUTES = 5
    age_session(amina_client, hbm_seen_at=6 * 60)
    assert amina_client.get("/")["Location"].startswith(LOGIN)


def test_a_session_ends_at_its_absolute_age_even_when_busy(amina_client):
    age_session(amina_client, hbm_login_at=12 * 3600 + 1)
    response = amina_client.get("/", follow=True)
    assert SESSION_TOO_OLD.format(hours=12) in response.content.decode()
    assert AuditEvent.objects.get(action="logout").detail == "session timeout (absolute)"


def test_an_idle_api_session_answers_401(amina_client):
    age_session(amina_client, hbm_seen_at=31 * 60)
    response = amina_client.get("/api/v1/accounts/me")
    assert response.status_code == 401
    assert AuditEvent.objects.get(action="logout").detail == "session timeout (idle)"


def test_the_last_seen_time_is_not_rewritten_on_every_request(amina_client):
    before = amina_client.session[session_state.SEEN_AT]
    amina_client.get("/")
    assert amina_client.session[session_state.SEEN_AT] == before
    age_session(amina_client, hbm_seen_at=61)
    amina_client.get("/")
    assert amina_client.session[session_state.SEEN_AT] > before - 61
