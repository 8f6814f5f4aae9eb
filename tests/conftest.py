"""Personas used across the suite: two registration officers at different crossing points,
a protection officer, a security officer, a coordinator, an administrator, and an outsider
from another agency with no role and no crossing point."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client, override_settings

from hbm.accounts import session_state
from hbm.alerts.queue import detection_queue_forget
from hbm.registry.crossed_at import crossed_at
from hbm.registry.identity import registry_index
from hbm.security.screening import watchlist_index
from tests.factories import AgencyFactory, CrossingPointFactory, UserFactory

PASSWORD = "correct horse battery staple"
# Production's Argon2 is slow on purpose; the suite creates users by the hundred. The live
# server of the browser tests runs in this process and hashes with it too.
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(autouse=True, scope="session")
def fast_password_hasher():
    with override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        yield


@pytest.fixture(autouse=True, scope="session")
def force_login_passes_two_factor():
    """``client.force_login(user)`` stands for a user who logged in the whole way, second
    factor included, as the suite's personas of every role do. The two-factor steps
    themselves are tested through the login pages (tests/accounts/test_two_factor*.py)."""
    force_login = Client.force_login

    def force_login_verified(self, user, backend=None):
        force_login(self, user, backend)
        session = self.session
        session_state.mark_verified(session)
        session.save()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "force_login", force_login_verified)
        yield


@pytest.fixture(autouse=True)
def fresh_person_index():
    """Each test starts with an empty in-memory index that follows its own database."""
    registry_index.snapshot = None
    registry_index.catch_up_inside_transactions = True
    registry_index.reset()
    watchlist_index.reset()
    crossed_at.reset()
    detection_queue_forget()
    yield
    registry_index.reset()
    watchlist_index.reset()
    crossed_at.reset()
    detection_queue_forget()


REFERENCE_DATA = [
    ("hbm.places.migrations.0002_load_countries", "load_countries"),
    ("hbm.screening.migrations.0005_need_labels_fr_ar", "load"),
    ("hbm.referrals.migrations.0002_service_types", "load"),
    ("hbm.assessments.migrations.0002_default_template", "load"),
    ("hbm.assessments.migrations.0003_template_translations", "load"),
    ("hbm.fieldops.migrations.0004_equipment", "load_catalogue"),
]


@pytest.fixture(autouse=True)
def reference_data(request):
    """Transactional tests (the browser's included) run on flushed tables, and a flush also
    empties the reference data that data migrations load: load it again for them."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        for module, function in REFERENCE_DATA:
            getattr(importlib.import_module(module), function)(apps, None)


SQLITE_AUDIT_TRIGGER = importlib.import_module("hbm.audit.migrations.0004_sqlite_refuses_deletes")


@pytest.fixture(autouse=True)
def audit_deletes_refused(request):
    """SQLite refuses deletes of audit events by trigger, but the flush that ends a
    transactional test deletes every row: the trigger is lifted for that flush only, and put
    back for the next test."""
    uses_db = {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if not uses_db or connection.vendor != "sqlite":
        yield
        return
    request.getfixturevalue("transactional_db" if uses_db - {"db"} else "db")
    with connection.cursor() as cursor:
        cursor.execute(SQLITE_AUDIT_TRIGGER.SQLITE_UP)
    yield
    if uses_db - {"db"}:
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_AUDIT_TRIGGER.SQLITE_DOWN)


@pytest.fixture
def point_a(db):
    return CrossingPointFactory(code="point-a", name="Point A")


@pytest.fixture
def point_b(db):
    return CrossingPointFactory(code="point-b", name="Point B", status="restricted")


@pytest.fixture
def immigration(db):
    return AgencyFactory(code="immigration", name="Immigration service", kind="immigration")


@pytest.fixture
def officer_amina(immigration, point_a):
    return UserFactory(
        username="amina",
        agency=immigration,
        roles=["registration_officer"],
        crossing_points=[point_a],
    )


@pytest.fixture
def officer_bintu(immigration, point_b):
    return UserFactory(
        username="bintu",
        agency=immigration,
        roles=["registration_officer"],
        crossing_points=[point_b],
    )


@pytest.fixture
def protection_bruno(db, point_a):
    agency = AgencyFactory(code="unhcr", name="UNHCR", kind="un_io")
    return UserFactory(
        username="bruno", agency=agency, roles=["protection_officer"], crossing_points=[point_a]
    )


@pytest.fixture
def security_joseph(db, point_a):
    agency = AgencyFactory(code="police", name="Police", kind="police")
    return UserFactory(
        username="joseph", agency=agency, roles=["security_officer"], crossing_points=[point_a]
    )


@pytest.fixture
def coordinator_patrick(immigration, point_a, point_b):
    return UserFactory(username="patrick", agency=immigration, roles=["coordinator"])


@pytest.fixture
def admin_samuel(db):
    agency = AgencyFactory(code="iom", name="IOM", kind="un_io")
    return UserFactory(username="samuel", agency=agency, roles=["administrator"], is_staff=True)


@pytest.fixture
def outsider_chen(db, point_a, point_b):
    agency = AgencyFactory(code="other-ngo", name="Another NGO", kind="ngo")
    return UserFactory(username="chen", agency=agency, roles=[])


@pytest.fixture
def client_for(client):
    """A test client logged in as the given persona."""

    def login(user):
        client.force_login(user)
        return client

    return login
