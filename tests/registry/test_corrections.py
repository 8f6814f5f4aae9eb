"""Correcting a registered person's identity: who may, what is checked, what is kept, and
what the correction sets off (the index, the duplicate check, watchlist screening)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from hbm.audit.models import AuditEvent
from hbm.matching import PersonRecord
from hbm.registry import birth, validation
from hbm.registry.identity import registry_index
from hbm.registry.models import DuplicateCandidate, Person, PersonCorrection
from hbm.registry.services import corrections
from hbm.security.models import Hit
from tests.registry.helpers import list_joseph_kony, register
from tests.registry.test_duplicates import HASSAN

# The same man, typed so badly at another registration that the engine finds no pair.
MISTYPED = {"given_name": "Peter", "family_name": "Okello", "sex": "F", "date_of_birth": "2001"}


def correct(actor, person, reason="Typed from the wrong card", **changes):
    return corrections.person_correct(actor=actor, person=person, changes=changes, reason=reason)


def problems_of(caught):
    return caught.value.message_dict


def test_a_correction_changes_the_fields_and_keeps_each_value_before_and_after(officer_amina):
    (person,) = register(officer_amina, {**HASSAN, "phone": "+256 700 000 001"})
    result = correct(
        officer_amina,
        person,
        given_name=" Mohamed ",
        phone="+256 (700) 000-002",
        document_number="p 123 456",
        document_type="passport",
        languages=["AR", "en"],
        sex="M",  # as stored: not a change
    )
    person.refresh_from_db()
    assert (person.given_name, person.phone, person.document_number) == (
        "Mohamed",
        "+256700000002",
        "P123456",
    ), "stored as a registration stores them"
    assert person.languages == ["ar", "en"]
    (correction,) = PersonCorrection.objects.all()
    assert result.correction == correction
    assert correction.reason == "Typed from the wrong card"
    assert correction.corrected_by == officer_amina
    assert correction.changes == [
        {"field": "given_name", "before": "Mohammed", "after": "Mohamed"},
        {"field": "document_type", "before": "", "after": "passport"},
        {"field": "document_number", "before": "", "after": "P123456"},
        {"field": "phone", "before": "+256700000001", "after": "+256700000002"},
        {"field": "languages", "before": [], "after": ["ar", "en"]},
    ]
    event = AuditEvent.objects.get(action="update", object_id=str(person.public_id))
    assert event.fields == sorted(
        ["given_name", "document_type", "document_number", "phone", "languages"]
    )
    assert event.detail == f"correction {correction.pk}"
    assert event.actor == officer_amina


def test_a_date_of_birth_replaces_an_estimated_age_and_its_interval(officer_amina):
    (person,) = register(officer_amina, {"given_name": "Deng", "age_estimate": 40})
    correct(officer_amina, person, date_of_birth="1984-03")
    person.refresh_from_db()
    assert (person.date_of_birth, person.age_estimate) == ("1984-03", None)
    assert (person.birth_earliest, person.birth_latest) == (date(1984, 3, 1), date(1984, 3, 31))
    correct(officer_amina, person, age_estimate=30, reason="The card was his brother's")
    person.refresh_from_db()
    assert (person.date_of_birth, person.age_estimate) == ("", 30)
    registered = person.created_at.date()
    assert person.birth_latest == date(registered.year - 28, registered.month, registered.day)
    assert person.birth_earliest == date(registered.year - 33, registered.month, registered.day)


@pytest.mark.parametrize(
    ("changes", "reason", "expected"),
    [
        ({"given_name": "Mo"}, "  ", {"reason": [corrections.NO_REASON]}),
        (
            {"given_name": "", "family_name": ""},
            "names lost",
            {"given_name": [validation.NO_NAME]},
        ),
        (
            {"date_of_birth": "1984-02-30"},
            "x",
            {"date_of_birth": ["1984-02-30 is not a date in the calendar."]},
        ),
        ({"date_of_birth": "1984", "age_estimate": 40}, "x", {"age_estimate": [birth.NEED_ONE]}),
        (
            {"nationality": "XXX"},
            "x",
            {"nationality": ["'XXX' is not an ISO 3166 alpha-3 country code."]},
        ),
        ({"sex": "Q"}, "x", {"sex": ["'Q' is not one of: F, M, X."]}),
        ({"phone": "call me"}, "x", {"phone": [validation.BAD_PHONE]}),
        (
            {"languages": ["ar", "zz9"]},
            "x",
            {"languages.1": ["'zz9' is not an ISO 639 language code."]},
        ),
        ({"given_name": "Mo\u202ehammed"}, "x", "given_name"),
        ({"given_name": "Mohamed"}, "bad\x00reason", "reason"),
        ({"cluster": 3}, "x", {"cluster": [corrections.NOT_CORRECTABLE]}),
        ({"age_estimate": "forty"}, "x", {"age_estimate": [corrections.NOT_A_NUMBER]}),
        ({"given_name": "Mohammed"}, "x", {"__all__": [corrections.NOTHING_CHANGED]}),
        ({"given_name": "M" * 101}, "x", {"given_name": [validation.TOO_LONG.format(100)]}),
        ({"given_name": "Mo"}, "r" * 301, {"reason": [validation.TOO_LONG.format(300)]}),
    ],
)
def test_bad_corrections_say_which_field_and_why_and_write_nothing(
    officer_amina, changes, reason, expected
):
    (person,) = register(officer_amina, HASSAN)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        corrections.person_correct(
            actor=officer_amina, person=person, changes=changes, reason=reason
        )
    if isinstance(expected, str):
        assert list(problems_of(caught)) == [expected]
    else:
        assert problems_of(caught) == expected
    assert not PersonCorrection.objects.exists()
    assert Person.objects.get().given_name == "Mohammed"
    assert AuditEvent.objects.count() == events


def test_only_writers_in_scope_correct(
    officer_amina,
    officer_bintu,
    protection_bruno,
    security_joseph,
    coordinator_patrick,
    admin_samuel,
    outsider_chen,
):
    (person,) = register(officer_amina, HASSAN)
    with pytest.raises(Http404):
        correct(officer_bintu, person, given_name="Mohamed")
    for reader in (security_joseph, coordinator_patrick, outsider_chen):
        with pytest.raises(PermissionDenied):
            correct(reader, person, given_name="Mohamed")
    assert not PersonCorrection.objects.exists()
    correct(protection_bruno, person, given_name="Mohamed")
    correct(admin_samuel, person, given_name="Muhammad")
    assert PersonCorrection.objects.count() == 2


def test_a_change_made_meanwhile_is_not_overwritten(officer_amina, protection_bruno):
    (person,) = register(officer_amina, HASSAN)
    stale = Person.objects.get(pk=person.pk)
    correct(protection_bruno, person, given_name="Mohamed")
    with pytest.raises(ValidationError) as caught:
        correct(officer_amina, stale, family_name="Hasan")
    assert problems_of(caught) == {"__all__": [corrections.CHANGED_MEANWHILE]}
    person.refresh_from_db()
    assert (person.given_name, person.family_name) == ("Mohamed", "Hassan")


def test_the_index_learns_the_correction_and_a_new_pair_appears(officer_amina, officer_bintu):
    register(officer_amina, HASSAN)
    (mistyped,) = register(officer_amina, MISTYPED)
    assert not DuplicateCandidate.objects.exists()
    result = correct(officer_amina, mistyped, **HASSAN)
    assert result.new_duplicate_pairs == 1
    pair = DuplicateCandidate.objects.get()
    assert mistyped.pk in (pair.person_a_id, pair.person_b_id)
    assert pair.status == "open" and pair.probability > 0.5
    # Corrected again, nothing new: the pair exists once.
    assert correct(officer_amina, mistyped, phone="+256700000009").new_duplicate_pairs == 0


def found_by_index(identity, *, catch_up):
    record = PersonRecord(id="query", **identity)
    return {
        int(m.id) for m in registry_index.search(record, limit=5, threshold=0.05, catch_up=catch_up)
    }


def test_this_process_indexes_its_correction_once_committed(transactional_db, officer_amina):
    registry_index.catch_up_inside_transactions = False  # as in production
    (person,) = register(officer_amina, MISTYPED)
    assert found_by_index(MISTYPED, catch_up=True) == {person.pk}
    correct(officer_amina, person, **HASSAN)
    assert found_by_index(HASSAN, catch_up=False) == {person.pk}, "no read of its own write"
    assert found_by_index(MISTYPED, catch_up=False) == set()


def test_a_correction_inside_a_longer_transaction_is_stamped_again_once_committed(
    officer_amina, django_capture_on_commit_callbacks
):
    (person,) = register(officer_amina, MISTYPED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        correct(officer_amina, person, given_name="Pita")
    assert callbacks, "stamped again when the transaction commits"
    assert found_by_index({**MISTYPED, "given_name": "Pita"}, catch_up=True) == {person.pk}


def test_a_corrected_name_on_a_watchlist_raises_a_hit(officer_amina, security_joseph):
    list_joseph_kony(security_joseph)
    (person,) = register(officer_amina, {"given_name": "Josef", "family_name": "Okot"})
    assert not Hit.objects.exists()
    correct(
        officer_amina,
        person,
        given_name="Joseph",
        family_name="Kony",
        date_of_birth="1961",
        nationality="UGA",
    )
    hit = Hit.objects.get()
    assert hit.person_id == person.pk and hit.entry.external_id == "W-2"
