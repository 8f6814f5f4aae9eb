"""Key rotation: with a new key put first and the old one listed after it, old ciphertext
still reads; ``hbm field_keys rotate`` re-encrypts every value with the new key, so that the
old key can go; it is resumable, audited, and names each value no key opens."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from hbm.audit.models import AuditEvent
from hbm.lib.reencrypt import to_current_key, walk
from hbm.screening.models import ProtectionScreening
from hbm.security.models import Hit
from tests.keys.helpers import ANSWERS, EXPLANATION, NEW_KEY, NOTES, OLD_KEY, OTHER_KEY, REASON


def stored(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def rotate(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("field_keys", "rotate", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_old_ciphertext_reads_with_the_old_key_listed_second(hit, screening, settings):
    settings.FIELD_KEYS = [NEW_KEY, OLD_KEY]
    assert Hit.objects.get(pk=hit.pk).reason == REASON
    assert ProtectionScreening.objects.get(pk=screening.pk).notes == NOTES


def test_rotation_re_encrypts_so_that_the_new_key_alone_reads(hit, screening, settings):
    before = (
        stored("security_hit", "reason", hit.pk),
        stored("screening_protectionscreening", "notes", screening.pk),
    )
    settings.FIELD_KEYS = [NEW_KEY, OLD_KEY]

    code, out, err = rotate()

    assert code == 0, err
    assert "security_hit.reason: 1 re-encrypted, 0 already with the first key, 0 empty" in out
    assert "screening_protectionscreening.answers: 1 re-encrypted" in out
    assert out.splitlines()[-1] == "Done: 4 values re-encrypted with the first key."
    after = (
        stored("security_hit", "reason", hit.pk),
        stored("screening_protectionscreening", "notes", screening.pk),
    )
    assert all(a != b for a, b in zip(after, before, strict=True))
    settings.FIELD_KEYS = [NEW_KEY]
    hit = Hit.objects.get(pk=hit.pk)
    assert (hit.reason, hit.explanation) == (REASON, EXPLANATION)
    screening = ProtectionScreening.objects.get(pk=screening.pk)
    assert (screening.notes, screening.answers) == (NOTES, ANSWERS)


def test_a_second_run_changes_nothing_and_each_run_is_audited(hit, settings):
    settings.FIELD_KEYS = [NEW_KEY, OLD_KEY]
    assert rotate()[0] == 0
    first = stored("security_hit", "reason", hit.pk)

    code, out, _ = rotate("--batch-size", "1")

    assert code == 0
    assert "security_hit.reason: 0 re-encrypted, 1 already with the first key" in out
    assert stored("security_hit", "reason", hit.pk) == first
    events = AuditEvent.objects.filter(actor_label="hbm field_keys rotate").order_by("pk")
    assert [e.detail for e in events] == [
        "2 values encrypted with the first key, 0 unreadable",
        "0 values encrypted with the first key, 0 unreadable",
    ]
    assert "security_hit.reason" in events[0].fields


def test_a_run_cut_short_is_finished_by_the_next(hit, screening, settings):
    """The first run re-encrypted the hits and died: the next does the screenings only."""
    settings.FIELD_KEYS = [NEW_KEY, OLD_KEY]
    walk(Hit, to_current_key, batch_size=1)

    code, out, _ = rotate()

    assert code == 0
    assert "security_hit.explanation: 0 re-encrypted, 1 already with the first key" in out
    assert "screening_protectionscreening.notes: 1 re-encrypted, 0 already" in out


def test_plain_values_from_before_are_encrypted_by_a_rotation(hit, settings):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE security_hit SET reason = 'Legacy' WHERE id = %s", [hit.pk])

    code, out, _ = rotate()

    assert code == 0
    assert "security_hit.reason: 1 re-encrypted, 0 already" in out
    assert stored("security_hit", "reason", hit.pk).startswith("hbm1:")
    assert Hit.objects.get(pk=hit.pk).reason == "Legacy"


def test_values_no_key_opens_are_named_one_a_line_and_left_alone(hit, screening, settings):
    settings.FIELD_KEYS = [OTHER_KEY]
    before = stored("security_hit", "reason", hit.pk)

    code, out, err = rotate()

    assert code == 1
    lines = err.splitlines()
    assert (
        f"security_hit.explanation id {hit.pk}: no key in HBM_FIELD_KEYS (or var/field_keys) "
        "opens this value; it was written with a key that is no longer listed (a backup "
        "restored without its keys?): list that key again"
    ) in lines
    assert sorted(line.split(":")[0] for line in lines[:-1]) == [
        f"screening_protectionscreening.answers id {screening.pk}",
        f"screening_protectionscreening.notes id {screening.pk}",
        f"security_hit.explanation id {hit.pk}",
        f"security_hit.reason id {hit.pk}",
    ]
    assert lines[-1] == "4 value(s) could not be re-encrypted: list the key they were written with."
    assert (
        "security_hit.reason: 0 re-encrypted, 0 already with the first key, 0 empty, 1 unreadable"
        in out
    )
    assert stored("security_hit", "reason", hit.pk) == before
    assert AuditEvent.objects.get(actor_label="hbm field_keys rotate").detail.endswith(
        "4 unreadable"
    )


@pytest.mark.parametrize("size", ["0", "-3"])
def test_a_batch_size_below_one_is_refused(db, size):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--batch-size: give a whole number above 0"):
        call_command("field_keys", "rotate", "--batch-size", size)


def test_generate_prints_a_new_key(capsys):
    from cryptography.fernet import Fernet

    out = StringIO()
    call_command("field_keys", "generate", stdout=out)
    Fernet(out.getvalue().strip())
