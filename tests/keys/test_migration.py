"""The migrations encrypt the values written before encryption, and their reverse gives them
back in the clear, on SQLite and PostgreSQL alike."""

import json

from django.core.management import call_command
from django.db import connection

from hbm.lib.reencrypt import unopened_columns
from hbm.screening.models import ProtectionScreening
from hbm.security.models import Hit
from tests.keys.helpers import ANSWERS, EXPLANATION, NOTES, REASON

BEFORE = {"security": "0004_hits_in_review_order", "screening": "0008_tracing_requests"}


def stored(table, columns, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()


def as_json(value):
    return value if isinstance(value, dict) else json.loads(value)  # jsonb or text


def test_existing_rows_are_encrypted_forward_and_decrypted_backward(
    transactional_db, hit, screening
):
    try:
        for app, migration in BEFORE.items():
            call_command("migrate", app, migration, verbosity=0)

        reason, explanation = stored("security_hit", ["reason", "explanation"], hit.pk)
        assert (reason, as_json(explanation)) == (REASON, EXPLANATION)
        notes, answers = stored("screening_protectionscreening", ["notes", "answers"], screening.pk)
        assert (notes, as_json(answers)) == (NOTES, ANSWERS)
        assert unopened_columns() == []  # a restore's check passes over the old columns
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE security_hit SET reason = %s WHERE id = %s", ["Written before", hit.pk]
            )
    finally:
        for app in BEFORE:
            call_command("migrate", app, verbosity=0)

    for table, columns, pk in [
        ("security_hit", ["reason", "explanation"], hit.pk),
        ("screening_protectionscreening", ["notes", "answers"], screening.pk),
    ]:
        assert all(value.startswith("hbm1:") for value in stored(table, columns, pk))
    again = Hit.objects.get(pk=hit.pk)
    assert (again.reason, again.explanation) == ("Written before", EXPLANATION)
    screening = ProtectionScreening.objects.get(pk=screening.pk)
    assert (screening.notes, screening.answers) == (NOTES, ANSWERS)
