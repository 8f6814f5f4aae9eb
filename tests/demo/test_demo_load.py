from django.core.management import call_command

from hbm.accounts.models import Agency, User
from hbm.audit.models import AuditEvent
from hbm.demo import scenario
from hbm.demo.services import demo_load
from hbm.places.models import BorderCrossingPoint


def snapshot():
    return {
        "points": list(BorderCrossingPoint.objects.order_by("code").values()),
        "agencies": list(Agency.objects.order_by("code").values()),
        "users": list(User.objects.order_by("username").values()),
        "audit": AuditEvent.objects.count(),
    }


def test_it_loads_the_scenario_and_a_second_run_changes_nothing(db):
    created = demo_load()
    assert created == {"admin_areas": 3, "crossing_points": 4, "agencies": 9, "users": 9}
    before = snapshot()
    assert demo_load() == {"admin_areas": 0, "crossing_points": 0, "agencies": 0, "users": 0}
    assert snapshot() == before


def test_every_role_has_a_demo_login(db):
    from hbm.accounts.roles import Role

    demo_load()
    roles = {role for user in User.objects.all() for role in user.roles}
    assert roles == set(Role.values)
    assert User.objects.get(username="coordinator").check_password(scenario.DEMO_PASSWORD)


def test_the_command_prints_the_logins(db, capsys):
    call_command("demo", "load")
    out = capsys.readouterr().out
    assert scenario.DEMO_PASSWORD in out
    assert "coordinator" in out and "registration" in out
