"""Each process's index follows the database: changes committed by others are picked up,
rows written in a long transaction (an import) too, and rows already indexed at the same
stamp are not read again."""

import gc
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hbm.registry import hooks
from hbm.registry.identity import REGISTRATION_STALENESS, RegistryIndex, registry_index
from hbm.registry.models import DuplicateCandidate, Person
from tests.registry.helpers import VARIANT, register


def names(index):
    return {record.given_name for record in index.records()}


def test_another_process_sees_new_and_changed_persons(officer_amina):
    other = RegistryIndex()
    (amina,) = register(officer_amina, {"given_name": "Achol", "family_name": "Deng"})
    assert "Achol" in names(other.current())
    Person.objects.filter(pk=amina.pk).update(given_name="Acholl", updated_at=timezone.now())
    assert names(other.current()) == {"Acholl"}


def test_rows_of_a_long_transaction_are_seen_after_it_commits(
    officer_amina, django_capture_on_commit_callbacks
):
    other = RegistryIndex()
    register(officer_amina, {"given_name": "First"})
    other.current()  # this process has now looked at everything up to now
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        (late,) = register(officer_amina, {"given_name": "Imported"})
        # as if the import had started an hour ago and only now commits
        Person.objects.filter(pk=late.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    assert "Imported" in names(other.current())


def test_an_unchanged_person_is_not_read_twice(officer_amina, django_assert_num_queries):
    other = RegistryIndex()
    register(officer_amina, {"given_name": "Once"})
    other.current()
    with django_assert_num_queries(1):  # the (id, stamp) look only; nothing to load
        other.current()


def test_a_process_indexes_its_own_registrations_without_reading_them_back(
    transactional_db, officer_amina, django_assert_num_queries
):
    register(officer_amina, {"given_name": "Earlier"})
    registry_index.current()
    (achol,) = register(officer_amina, {"given_name": "Achol", "family_name": "Deng"})
    assert "Achol" in names(registry_index.current(catch_up=False))
    with django_assert_num_queries(1):  # the (id, stamp) look finds it indexed already
        registry_index.current()
    Person.objects.filter(pk=achol.pk).update(given_name="Acholl", updated_at=timezone.now())
    assert "Acholl" in names(registry_index.current())


def test_a_registration_that_commits_late_is_stamped_again(transactional_db, officer_amina):
    other = RegistryIndex()
    register(officer_amina, {"given_name": "First"})
    other.current()  # this process has now looked at everything up to now

    def stamped_long_ago(persons):  # as if the registration had waited a minute to commit
        def write():
            earlier = timezone.now() - timedelta(minutes=1)
            Person.objects.filter(pk__in=[p.pk for p in persons]).update(updated_at=earlier)
            for person in persons:
                person.updated_at = earlier

        return write

    hooks.on_screening(stamped_long_ago)
    try:
        register(officer_amina, {"given_name": "Late"})
    finally:
        hooks._screenings.remove(stamped_long_ago)
    assert "Late" in names(other.current())


def test_the_loaded_index_is_kept_out_of_garbage_collection(officer_amina, monkeypatch):
    # Counting frozen objects before and after is not enough: objects frozen earlier in the
    # process may be freed meanwhile. Whether the index froze the objects alive once loaded:
    register(officer_amina, {"given_name": "Frozen"})
    frozen: list[RegistryIndex] = []
    index = RegistryIndex()
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(index))
    index.current()
    assert frozen == [index]  # a full collection will not walk them
    index.current()
    assert frozen == [index]  # once


def test_a_registration_may_use_an_index_caught_up_a_moment_ago(
    officer_amina, monkeypatch, django_assert_num_queries
):
    clock = [1000.0]
    monkeypatch.setattr("hbm.lib.index_follower.time.monotonic", lambda: clock[0])
    index = RegistryIndex()
    register(officer_amina, {"given_name": "Achol"})
    index.current()
    register(officer_amina, {"given_name": "Deng"})  # as if by another process
    with django_assert_num_queries(0):
        seen = names(index.current(staleness=REGISTRATION_STALENESS))
    assert "Deng" not in seen
    clock[0] += REGISTRATION_STALENESS * 1.01
    assert "Deng" in names(index.current(staleness=REGISTRATION_STALENESS))
    assert "Deng" in names(RegistryIndex().current())  # others always catch up


def test_the_first_registrations_of_an_empty_registry_find_each_other(
    transactional_db, officer_amina
):
    first = {"given_name": "Mohammed", "family_name": "Hassan", "father_name": "Ali"}
    register(officer_amina, {**first, "date_of_birth": "1984-05-02", "nationality": "SSD"})
    register(officer_amina, VARIANT)  # at once: within REGISTRATION_STALENESS
    assert DuplicateCandidate.objects.count() == 1
