"""The demo users whose roles need two-factor login share the published demo key; `hbm demo
code` prints their current code and refuses every other account."""

import pytest
from django.core.management import CommandError, call_command

from hbm.accounts.models import TotpDevice, User
from hbm.accounts.services import two_factor
from hbm.demo import scenario
from hbm.demo.services import demo_load
from tests.accounts.two_factor_helpers import enrol


@pytest.fixture
def demo_users(db):
    demo_load(scale=0.01)


def test_the_demo_enrols_exactly_the_roles_that_need_it(demo_users):
    enrolled = TotpDevice.objects.filter(confirmed_at__isnull=False)
    assert sorted(enrolled.values_list("user__username", flat=True)) == [
        "admin",
        "coordinator",
        "security",
    ]
    assert {d.secret for d in enrolled} == {scenario.DEMO_TOTP_SECRET}


def test_the_printed_code_logs_a_demo_user_in(demo_users, capsys):
    call_command("demo", "code", "security")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()
    security = User.objects.get(username="security")
    assert two_factor.two_factor_verify(user=security, code=code) == "authenticator"


def test_the_logins_name_the_demo_key(demo_users, capsys):
    call_command("demo", "logins")
    out = capsys.readouterr().out
    assert scenario.DEMO_TOTP_SECRET in out
    assert "security, coordinator, admin" in out


def test_it_refuses_an_account_with_its_own_key(security_joseph):
    enrol(security_joseph)
    with pytest.raises(CommandError, match="does not use the published demo key"):
        call_command("demo", "code", "joseph")


def test_it_refuses_an_account_without_a_key_and_an_unknown_name(officer_amina):
    with pytest.raises(CommandError, match="does not use the published demo key"):
        call_command("demo", "code", "amina")
    with pytest.raises(CommandError, match="no user is named 'nobody'"):
        call_command("demo", "code", "nobody")
