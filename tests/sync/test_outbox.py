"""Station, in process: what the commands refuse before reaching the national server, and
the retention of the log."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from hbm.sync.management.commands.sync import RETRY_WHICH


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
