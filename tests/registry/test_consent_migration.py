"""Consents written before consents were records keep their meaning: a blank ``given_by``
was the person themself, a name someone else (kept as the name); how it was given is not
recorded."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.registry.helpers import register

BEFORE = [("registry", "0008_export_files")]
AFTER = [
    ("registry", "0011_consent_given_by_choices"),
    ("referrals", "0004_referral_consent_record"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_consents_written_before_keep_who_gave_them(transactional_db, officer_amina):
    adult, child = register(
        officer_amina,
        {"given_name": "Achol", "age_estimate": 34},
        {"given_name": "Deng", "age_estimate": 6},
    )
    try:
        old = migrate(BEFORE).get_model("registry", "Consent")
        old.objects.filter(person_id=child.pk).update(given_by="Aunt Mary Akol")
        new = migrate(AFTER).get_model("registry", "Consent")
        rows = {
            row.person_id: (row.given, row.given_by, row.given_by_name, row.method)
            for row in new.objects.all()
        }
    finally:
        # Back to the latest schema (not AFTER: later migrations of any app must be there for
        # the tests that follow).
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert rows == {
        adult.pk: (True, "self", "", ""),
        child.pk: (True, "other", "Aunt Mary Akol", ""),
    }
