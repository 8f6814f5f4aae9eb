import pytest
from django.db import transaction
from django.test import override_settings

from tests.access.world import build


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The matrix's objects, built once inside a transaction that every test nests in (a
    savepoint each) and that is rolled back at the end: a test's writes never reach the next."""
    storage = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("media")},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    exports = tmp_path_factory.mktemp("exports")
    with django_db_blocker.unblock(), override_settings(STORAGES=storage, EXPORT_DIR=exports):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
