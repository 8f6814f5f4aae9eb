from django.core.management import call_command

from hbm.accounts.models import Agency, User
from hbm.audit.models import AuditEvent
from hbm.demo import scenario
from hbm.demo.services import demo_load
from hbm.fieldops.models import RescueIncident
from hbm.places.models import BorderCrossingPoint
from hbm.referrals.models import Referral
from hbm.registry.models import Crossing, DuplicateScan, Person


def snapshot():
    return {
        "points": list(BorderCrossingPoint.objects.order_by("code").values()),
        "agencies": list(Agency.objects.order_by("code").values()),
        "users": list(User.objects.order_by("username").values()),
        "people": Person.objects.count(),
        "crossings": Crossing.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_it_loads_the_scenario_and_a_second_run_changes_nothing(db):
    created = demo_load(scale=0.05)
    people = created.pop("people")
    screenings = created.pop("screenings")
    assert created.pop("assessments") == 3
    assert created.pop("flow_counts") in (118, 120)  # today's window may not be over yet
    assert created.pop("watchlist_entries") == 6
    assert created.pop("alerts") > 0
    assert created.pop("plans") == 2
    assert created.pop("teams") == 2
    assert created.pop("movements") == 2
    assert created.pop("rescues") == 1
    assert created.pop("equipment") == 17
    assert created == {"admin_areas": 3, "crossing_points": 6, "agencies": 9, "users": 10}
    assert 800 < people < 1200
    assert screenings > 0
    rescue = RescueIncident.objects.get()
    assert rescue.found.count() == 3 and rescue.found.filter(injury="serious").count() == 1
    assert Referral.objects.filter(
        person__rescues__incident=rescue, service_type__code="health"
    ).exists()
    before = snapshot()
    assert demo_load(scale=0.05) == {
        "admin_areas": 0,
        "crossing_points": 0,
        "agencies": 0,
        "users": 0,
        "people": 0,
        "screenings": 0,
        "assessments": 0,
        "flow_counts": 0,
        "watchlist_entries": 0,
        "alerts": 0,
        "plans": 0,
        "teams": 0,
        "movements": 0,
        "rescues": 0,
        "equipment": 0,
    }
    assert snapshot() == before


def test_every_role_has_a_demo_login(db):
    from hbm.accounts.roles import Role

    demo_load(scale=0.02)
    roles = {role for user in User.objects.all() for role in user.roles}
    assert roles == set(Role.values)
    assert User.objects.get(username="coordinator").check_password(scenario.DEMO_PASSWORD)


def test_the_command_prints_the_logins(db, capsys):
    call_command("demo", "load", "--scale", "0.02")
    out = capsys.readouterr().out
    assert scenario.DEMO_PASSWORD in out
    assert "coordinator" in out and "registration" in out


def test_quiet_the_command_prints_only_the_logins_and_mails_go_to_the_backend(
    db, capsys, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", "load", "--scale", "0.02", verbosity=0)
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    assert lines[0].startswith("Demo logins") and len(lines) == 1 + len(scenario.USERS) + 1
    assert lines[-1].startswith("Two-factor login for security, coordinator, admin")
    assert captured.err == ""
    assert mailoutbox, "referral notices went to the configured backend, not the terminal"


def test_the_demo_population_has_families_a_surge_and_returning_people(db):
    from django.db.models import Count
    from django.db.models.functions import TruncDate

    demo_load(scale=0.1)
    sizes = Crossing.objects.values("group").annotate(n=Count("id")).values_list("n", flat=True)
    assert max(sizes) >= 5 and min(sizes) == 1
    daily = dict(
        Crossing.objects.annotate(day=TruncDate("crossed_at"))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    assert len(daily) == 60
    ordered = [daily[day] for day in sorted(daily)]
    assert max(ordered[38:49]) > 2 * max(ordered[:30]), "the surge stands out"
    assert Person.objects.exclude(name_original_script="").exists()
    assert Crossing.objects.filter(child_without_related_adult=True).exists()
    assert DuplicateScan.objects.filter(status="queued").count() == 1


def test_a_bad_scale_is_refused(db):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--scale"):
        call_command("demo", "load", "--scale", "0")


def test_referrals_exist_in_every_state(db):
    from hbm.referrals.models import Referral

    demo_load(scale=0.3)
    assert set(Referral.objects.values_list("status", flat=True)) == {
        "pending",
        "accepted",
        "in_service",
        "completed",
        "rejected",
        "closed",
        "revoked",
    }


def test_the_flow_series_holds_registrations_and_sixty_days_of_tallies(db):
    from django.db.models import Sum

    from hbm.flows.models import FlowCount, FlowDaily

    demo_load(scale=0.05)
    informal = ["kasenyi-landing", "ariwara-path"]
    tallies = FlowCount.objects.filter(crossing_point__code__in=informal)
    assert tallies.values("crossing_point", "window_start__date").distinct().count() >= 118
    counted = tallies.aggregate(n=Sum("total"))["n"]
    series = FlowDaily.objects.aggregate(n=Sum("people"))["n"]
    assert series == counted + Crossing.objects.count()
    first = tallies.order_by("window_start")[0].window_start.date()
    by_offset = {}
    for start, total in tallies.values_list("window_start", "total"):
        by_offset.setdefault((start.date() - first).days, []).append(total)
    surge = [sum(v) for k, v in by_offset.items() if 38 <= k <= 48]
    calm = [sum(v) for k, v in by_offset.items() if k < 38]
    assert sum(surge) / len(surge) > 2 * sum(calm) / len(calm)


def test_the_security_officer_finds_hits_waiting_on_other_spellings(db):
    from hbm.security.models import Hit, WatchlistEntry
    from hbm.security.selectors import hit_review_list

    demo_load(scale=0.05)
    security = User.objects.get(username="security")
    hits = list(hit_review_list(user=security, status="open"))
    assert len(hits) >= 4 and hits[0].probability > 0.9
    listed = {(h.entry.given_name, h.entry.family_name) for h in hits if h.probability > 0.9}
    registered = {(h.person.given_name, h.person.family_name) for h in hits}
    assert listed - registered, "a list writes some names otherwise than the desk did"
    assert WatchlistEntry.objects.filter(hits=None).count() >= 2, "some listed never came"
    assert Hit.objects.count() >= len(hits)


def test_each_childs_referral_answers_the_need_that_calls_for_child_protection(db):
    from hbm.referrals.models import Referral

    demo_load(scale=0.05)
    children = Referral.objects.filter(service_type__code="child-protection")
    needs = set(children.values_list("need_code__code", flat=True))
    assert needs and needs <= {"SC-UC", "SC-SC"}, needs


def test_the_surge_raises_warnings_at_the_points_it_reached(db):
    from hbm.alerts.models import Alert

    demo_load(scale=0.05)
    warnings = Alert.objects.filter(nationality="", level="warning", status="open")
    points = set(warnings.values_list("crossing_point__code", flat=True))
    assert {"kasenyi-landing", "ariwara-path"} <= points
    for alert in warnings:
        assert alert.observed >= 2 * alert.expected  # a warning is at least twice the usual


def test_one_plan_is_active_on_the_surge_s_proposal_with_some_tasks_done(db):
    from hbm.plans.models import Activation, ContingencyPlan

    demo_load(scale=0.05)
    activation = Activation.objects.get()
    assert activation.closed_at is None
    assert activation.alert is not None and activation.alert.level in ("warning", "emergency")
    statuses = list(activation.tasks.values_list("status", flat=True))
    assert statuses.count("done") == 2 and len(statuses) == 10
    assert {"in_progress", "blocked", "open"} <= set(statuses)
    assert ContingencyPlan.objects.count() == 2
