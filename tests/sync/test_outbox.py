"""Station, in process: what the commands refuse before reaching the national server, and
the retention of the log."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from hbm.audit.models import AuditEvent
from hbm.sync.management.commands.sync import RETRY_WHICH
from hbm.sync.models import Change, SyncState
from tests.registry.helpers import register


@override_settings(SYNC_URL="http://127.0.0.1:9", SYNC_TOKEN="x")
@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["retry"], RETRY_WHICH),
        (["retry", "3", "--all"], RETRY_WHICH),
        (["push", "3"], "3: `hbm sync push` takes no change numbers."),
    ],
)
def test_retry_names_its_changes_or_all(db, args, problem):
    with pytest.raises(CommandError) as refused:
        call_command("sync", *args)
    assert str(refused.value) == problem


@override_settings(SYNC_URL="http://127.0.0.1:9", SYNC_TOKEN="x")
def test_retry_of_a_change_not_refused_says_so(db):
    with pytest.raises(CommandError) as refused:
        call_command("sync", "retry", "7")
    assert "change 7: not a refused change" in str(refused.value)


AMINA = {"given_name": "Amina", "family_name": "Yusuf", "sex": "F", "date_of_birth": "1990"}


@pytest.fixture
def station_log(officer_amina):
    """Four changes: 1 refused, 2 acknowledged ten days ago, 3 yesterday, 4 not yet."""
    with override_settings(SYNC_URL="http://national.invalid"):
        for name in ("Amina", "Bahati", "Chausiku", "Dalila"):
            register(officer_amina, {**AMINA, "given_name": name})
    SyncState.objects.update_or_create(name=SyncState.PUSHED, defaults={"number": 3})
    now = timezone.now()
    Change.objects.filter(seq=1).update(refused_at=now - timedelta(days=20), refusal="x: no")
    Change.objects.filter(seq=2).update(acknowledged_at=now - timedelta(days=10))
    Change.objects.filter(seq=3).update(acknowledged_at=now - timedelta(days=1))


def seqs() -> list[int]:
    return list(Change.objects.order_by("seq").values_list("seq", flat=True))


def test_prune_deletes_only_acknowledged_changes_past_the_retention(station_log):
    out = StringIO()
    call_command("sync", "prune", "--older-than", "7", stdout=out)
    assert "Pruned 1 changes acknowledged more than 7 days ago" in out.getvalue()
    assert seqs() == [1, 3, 4]
    call_command("sync", "prune", "--older-than", "0", stdout=StringIO())
    assert seqs() == [1, 4]  # the refused one and the one not acknowledged stay
    assert AuditEvent.objects.filter(object_type="sync.change", action="delete").count() == 2
    status = StringIO()
    call_command("sync", "status", stdout=status)
    assert "changes written: 4" in status.getvalue()  # numbers are never reused


@override_settings(SYNC_RETENTION_DAYS=5)
def test_prune_defaults_to_the_retention_setting(station_log):
    call_command("sync", "prune", stdout=StringIO())
    assert seqs() == [1, 3, 4]


def test_prune_refuses_a_negative_age(db):
    with pytest.raises(CommandError) as refused:
        call_command("sync", "prune", "--older-than", "-1")
    assert str(refused.value) == "--older-than: give a number of days, 0 or more."
