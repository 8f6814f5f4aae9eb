"""The most sensitive fields are unreadable in the database's columns and read back whole
through the ORM; a filter that an encrypted column cannot answer fails loudly; a value no
listed key opens is an error that names the column, never an empty value."""

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from hbm.lib.fieldcrypt import PREFIX, UnreadableValue
from hbm.lib.reencrypt import encrypted_models
from hbm.screening.models import ProtectionScreening
from hbm.security.models import Hit
from tests.keys.helpers import ANSWERS, EXPLANATION, NOTES, OTHER_KEY, REASON

EXPECTED_COLUMNS = {
    "accounts_totpdevice": ["secret"],
    "collect_collectcredential": ["digest_ha1"],
    "referrals_referral": ["consent_override_reason", "notes", "shared", "outcome"],
    "referrals_referralevent": ["reason"],
    "screening_healthscreening": ["symptoms", "notes"],
    "screening_protectionscreening": ["answers", "notes"],
    "screening_tracingevent": ["note"],
    "screening_tracingmatch": ["decision_note"],
    "screening_tracingrequest": ["description", "closing_note"],
    "security_hit": ["explanation", "reason"],
    "sync_change": ["payload"],
    "sync_syncconflict": ["payload"],
}


def raw(table, columns, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()


def test_the_encrypted_columns_are_the_ones_decided():
    found = {
        m._meta.db_table: [
            f.column for f in m._meta.concrete_fields if "Encrypted" in type(f).__name__
        ]
        for m in encrypted_models()
    }
    assert found == EXPECTED_COLUMNS


def test_hit_details_are_ciphertext_in_the_column_and_whole_through_the_orm(hit):
    reason, explanation = raw("security_hit", ["reason", "explanation"], hit.pk)
    for stored in (reason, explanation):
        assert stored.startswith(PREFIX)
        assert "passport" not in stored and "family_name" not in stored
    again = Hit.objects.get(pk=hit.pk)
    assert (again.reason, again.explanation) == (REASON, EXPLANATION)
    assert Hit.objects.values_list("reason", flat=True).get(pk=hit.pk) == REASON


def test_screening_answers_and_notes_are_ciphertext_and_read_back(screening):
    notes, answers = raw("screening_protectionscreening", ["notes", "answers"], screening.pk)
    assert notes.startswith(PREFIX) and answers.startswith(PREFIX)
    assert "Survivor" not in notes and "violence_survivor" not in answers
    again = ProtectionScreening.objects.get(pk=screening.pk)
    assert (again.notes, again.answers) == (NOTES, ANSWERS)


def test_equal_texts_differ_in_the_column(hit, security_joseph):
    Hit.objects.filter(pk=hit.pk).update(reason=REASON)
    (first,) = raw("security_hit", ["reason"], hit.pk)
    Hit.objects.filter(pk=hit.pk).update(reason=REASON)
    (second,) = raw("security_hit", ["reason"], hit.pk)
    assert first != second
    assert Hit.objects.get(pk=hit.pk).reason == REASON


def test_an_empty_note_stays_empty_and_can_be_found_empty(old_key, person, protection_bruno):
    from hbm.screening import services

    screening = services.screening_record(
        actor=protection_bruno, person=person, answers=ANSWERS, notes=""
    )
    assert raw("screening_protectionscreening", ["notes"], screening.pk) == ("",)
    assert ProtectionScreening.objects.filter(notes="").count() == 1
    assert ProtectionScreening.objects.exclude(notes="").count() == 0


@pytest.mark.parametrize(
    "lookup",
    [
        {"notes__icontains": "violence"},
        {"notes": "Survivor of violence"},
        {"notes__startswith": "S"},
        {"answers__violence_survivor": True},
        {"answers": ANSWERS},
    ],
)
def test_a_filter_an_encrypted_column_cannot_answer_fails_loudly(screening, lookup):
    with pytest.raises(FieldError, match="is encrypted: it can be filtered on isnull"):
        list(ProtectionScreening.objects.filter(**lookup))


def test_ordering_by_an_encrypted_column_is_not_used(screening):
    """Ordering would sort ciphertext: no list orders by an encrypted field."""
    for model in encrypted_models():
        encrypted = {f.name for f in model._meta.concrete_fields if "Encrypted" in type(f).__name__}
        assert not encrypted & {name.lstrip("-") for name in model._meta.ordering}


def test_a_value_no_listed_key_opens_is_an_error_naming_the_column(hit, settings):
    settings.FIELD_KEYS = [OTHER_KEY]
    with pytest.raises(UnreadableValue) as caught:
        Hit.objects.get(pk=hit.pk)
    assert str(caught.value).startswith("security_hit.explanation: no key in HBM_FIELD_KEYS")
    assert "passport" not in str(caught.value)


def test_an_altered_value_is_refused_not_read(hit):
    (reason,) = raw("security_hit", ["reason"], hit.pk)
    altered = reason[:-6] + ("A" if reason[-6] != "A" else "B") + reason[-5:]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE security_hit SET reason = %s WHERE id = %s", [altered, hit.pk])
    with pytest.raises(UnreadableValue, match=r"security_hit\.reason"):
        Hit.objects.get(pk=hit.pk)


def test_a_plain_value_from_before_encryption_still_reads(hit):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE security_hit SET reason = %s WHERE id = %s", ["Legacy", hit.pk])
    assert Hit.objects.get(pk=hit.pk).reason == "Legacy"


def test_a_totp_secret_is_ciphertext_in_the_column(db):
    from hbm.accounts.models import TotpDevice
    from tests.factories import UserFactory

    device = TotpDevice.objects.create(
        user=UserFactory(), secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    )
    (stored,) = raw("accounts_totpdevice", ["secret"], device.pk)
    assert stored.startswith(PREFIX) and "JBSWY3DP" not in stored
    assert TotpDevice.objects.get(pk=device.pk).secret == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
