"""What other capabilities add to registration: a screening searches before the
registration's transaction opens (holding no database lock) and writes inside it."""

from django.db import transaction

from hbm.registry import hooks
from hbm.registry.models import Person
from tests.registry.helpers import register


def test_a_screening_searches_outside_the_transaction_and_writes_inside(
    transactional_db, officer_amina
):
    [before] = register(officer_amina, {"given_name": "Before"})
    seen = {}

    def screening(persons):
        seen["search"] = (transaction.get_connection().in_atomic_block, [p.pk for p in persons])

        def write():
            seen["write"] = (
                transaction.get_connection().in_atomic_block,
                Person.objects.filter(pk__in=[p.pk for p in persons]).count(),
            )

        return write

    hooks.on_screening(screening)
    try:
        register(
            officer_amina,
            {"given_name": "New"},
            {"relationship": "spouse", "existing_person": before.public_id},
        )
    finally:
        hooks._screenings.remove(screening)
    in_transaction, pks = seen["search"]
    assert not in_transaction and pks == [None, before.pk]
    assert seen["write"] == (True, 2)
