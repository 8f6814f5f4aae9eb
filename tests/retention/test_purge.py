"""The retention purge: a dry run changes nothing and counts; a purge anonymises exactly the
people past retention, keeps every total (flow series and their rebuild, dashboards, HXL
export, health counts), leaves people with an open case alone, and is audited per policy
without the data it purged."""

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from django.utils import timezone

from hbm.audit.models import AuditEvent
from hbm.flows.exports import flow_export
from hbm.flows.selectors import FlowFilters, flow_dashboard
from hbm.flows.services import rollup
from hbm.flows.sitrep import sitrep_context
from hbm.referrals.dashboard import protection_dashboard
from hbm.referrals.models import Referral
from hbm.registry.identity import registry_index, snapshot_database_identity
from hbm.registry.models import (
    Consent,
    Crossing,
    DuplicateCandidate,
    Person,
    PersonCorrection,
    PersonReveal,
)
from hbm.retention import services
from hbm.retention.models import RetentionRun
from hbm.retention.policies import POLICY_CODES
from hbm.retention.services.purging import ANONYMISED, BLANKED, coarse_birth
from hbm.screening.models import HealthScreening, ProtectionScreening, TracingRequest
from hbm.screening.services.health import daily_health_counts
from hbm.security.models import Hit
from tests.flows.test_rollup import rollup_rows, series
from tests.retention.conftest import decide_kony_hit, later

PURGED = {"ana", "ana_child", "teen", "mohammed", "namesake"}
KEPT = {"waiting", "recent", "kony"}
PERSONAL_VALUES = ("Ana", "Lokuda", "P1234567", "900 111", "Kajo", "Grace", "private")


def purge(now=None, actor=None):
    return services.retention_run(actor=actor, kind="purge", trigger="command", now=now or later())


def report(now=None, actor=None):
    return services.retention_run(actor=actor, kind="report", trigger="command", now=now or later())


def people(caseload, names):
    return {getattr(caseload, name).pk for name in names}


def totals(user):
    """Every count the dashboards, the series and the exports show."""
    year = FlowFilters(start=date(2026, 1, 1), end=timezone.localdate())
    export = "".join(flow_export(actor=user, filters=year, file_format="json"))
    board = flow_dashboard(user=user, filters=year)
    sitrep = sitrep_context(user=user, filters=year, dashboard={"board": board})
    return {
        "series": series(),
        "rollups": rollup_rows(),
        "flow dashboard": board,
        "situation report": {k: v for k, v in sitrep.items() if k != "generated_at"},
        "hxl export": json.loads(export)["rows"],
        "protection dashboard": protection_dashboard(user=user),
        "health counts": daily_health_counts(user=user),
        "persons": Person.objects.count(),
        "crossings": Crossing.objects.count(),
        "referrals": Referral.objects.count(),
        "screenings": ProtectionScreening.objects.count() + HealthScreening.objects.count(),
    }


def snapshot():
    return {person.pk: model_to_dict(person) for person in Person.objects.all()}


def test_the_dry_run_counts_each_policy_and_changes_nothing(caseload, admin_samuel):
    before = snapshot(), list(Referral.objects.values()), list(DuplicateCandidate.objects.values())
    run = report(actor=admin_samuel)
    assert (run.kind, run.status, run.trigger) == ("report", "done", "command")
    assert list(run.results) == list(POLICY_CODES)
    persons = run.results["inactive_persons"]
    assert persons["eligible"] == len(PURGED) and persons["done"] == 0
    assert set(persons["sample"]) <= {str(getattr(caseload, n).public_id) for n in PURGED}
    assert persons["cutoff"].startswith(str((later() - timedelta(days=1825)).date()))
    assert run.results["referral_shared"]["eligible"] == 1  # Ana's, revoked
    assert before == (
        snapshot(),
        list(Referral.objects.values()),
        list(DuplicateCandidate.objects.values()),
    )
    events = AuditEvent.objects.filter(object_type="retention.policy")
    assert sorted(events.values_list("object_id", flat=True)) == sorted(POLICY_CODES)
    assert set(events.values_list("action", flat=True)) == {"view"}
    assert all(f"dry run {run.pk}" in event.detail for event in events)


def test_nothing_is_eligible_before_the_retention_period(caseload):
    run = report(now=timezone.now())
    assert {code: r["eligible"] for code, r in run.results.items()} == dict.fromkeys(
        POLICY_CODES, 0
    )


def test_the_purge_anonymises_exactly_the_eligible_and_keeps_every_total(
    caseload, coordinator_patrick
):
    before = totals(coordinator_patrick)
    assert sum(before["series"].values()) == before["crossings"] == 8  # every crossing counted
    assert before["hxl export"] and before["health counts"] and before["protection dashboard"]
    run = purge()
    assert run.status == "done"
    assert run.results["inactive_persons"] == {
        **run.results["inactive_persons"],
        "eligible": len(PURGED),
        "done": len(PURGED),
    }
    anonymised = set(
        Person.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True)
    )
    assert anonymised == people(caseload, PURGED)
    assert totals(coordinator_patrick) == before
    # The series rebuilt from the anonymised rows is the series counted before.
    rollup.rebuild()
    assert totals(coordinator_patrick) == before


def test_people_with_an_open_case_or_recent_activity_are_kept(caseload):
    kept_before = {pk: model_to_dict(Person.objects.get(pk=pk)) for pk in people(caseload, KEPT)}
    purge()
    assert {pk: model_to_dict(Person.objects.get(pk=pk)) for pk in kept_before} == kept_before


def test_a_decided_hit_no_longer_keeps_its_person(caseload, security_joseph):
    decide_kony_hit(security_joseph, caseload.kony_hit)
    purge()
    caseload.kony.refresh_from_db()
    hit = Hit.objects.get(pk=caseload.kony_hit.pk)
    assert caseload.kony.anonymised_at and hit.explanation == {} and hit.status == "false_positive"


def test_an_unaccompanied_child_is_kept_while_a_child(caseload, protection_bruno):
    from hbm.screening.services import screening_record

    child = caseload.ana_child
    screening_record(
        actor=protection_bruno, person=child, answers={"child_without_caregiver": True}
    )
    ProtectionScreening.objects.filter(person=child).update(screened_at=timezone.now())
    purge()
    child.refresh_from_db()
    assert child.anonymised_at is None
    # Sixteen years on she is an adult: her case no longer keeps her.
    purge(now=later() + timedelta(days=16 * 366))
    child.refresh_from_db()
    assert child.anonymised_at is not None


def test_anonymisation_blanks_what_identifies_and_keeps_what_is_counted(caseload):
    ana = caseload.ana
    purge()
    ana.refresh_from_db()
    values = model_to_dict(ana)
    for field in BLANKED:
        assert values[field] == "", field
    assert not any(value in str(values) for value in PERSONAL_VALUES)
    assert (ana.languages, ana.photo.name) == ([], "")
    assert (ana.sex, ana.nationality_id, ana.date_of_birth) == ("F", "SSD", "1990")
    assert (ana.birth_earliest, ana.birth_latest) == (date(1990, 1, 1), date(1990, 12, 31))
    assert ana.anonymised_under == "inactive_persons"
    caseload.teen.refresh_from_db()
    assert caseload.teen.date_of_birth == "2008-03"  # her year alone would move her crossing
    # What other records held of her is blanked; the records stay.
    assert Consent.objects.filter(person=ana).count() == 3  # registration, referral x2
    assert set(Consent.objects.filter(person=ana).values_list("given_by_name", flat=True)) == {""}
    assert Consent.objects.get(person=ana, withdrawn_at__isnull=False).withdrawal_reason == (
        ANONYMISED
    )
    correction = PersonCorrection.objects.get(person=ana)
    assert correction.changes == [{"field": "phone", "before": "", "after": ""}]
    assert correction.reason == ANONYMISED
    assert ProtectionScreening.objects.get(person=ana).notes == ""
    assert HealthScreening.objects.get(person=ana).notes == ""
    referral = Referral.objects.get(person=ana)
    assert (referral.shared, referral.notes, referral.status) == ({}, "", "revoked")
    assert TracingRequest.objects.get(pk=caseload.tracing.pk).enquirer_name == ""
    assert set(PersonReveal.objects.filter(person=ana).values_list("reason", flat=True)) == {
        ANONYMISED
    }
    assert set(Crossing.objects.filter(person=ana).values_list("origin_place", "destination")) <= {
        ("", "")
    }


def test_anonymised_people_leave_the_index_and_the_duplicate_queue(caseload, tmp_path):
    pair = caseload.pair
    assert str(caseload.ana.pk) in registry_index.current()
    registry_index.snapshot = tmp_path / "person-index.bin"
    registry_index.save_snapshot()
    purge()
    index = registry_index.current()
    assert str(caseload.ana.pk) not in index and str(caseload.waiting.pk) in index
    assert not DuplicateCandidate.objects.filter(pk=pair.pk).exists()
    # The snapshot on disk was written again without them.
    registry_index.reset()
    meta = json.loads((tmp_path / "person-index.json").read_text())
    assert meta["database"] == snapshot_database_identity()
    from hbm.matching import PersonIndex

    saved = PersonIndex.load(tmp_path / "person-index.bin")
    assert str(caseload.ana.pk) not in saved and str(caseload.waiting.pk) in saved


def test_a_second_purge_finds_nothing_more(caseload):
    purge()
    again = report()
    assert again.results["inactive_persons"]["eligible"] == 0
    assert again.results["referral_shared"]["eligible"] == 0


def test_each_policy_of_a_purge_is_audited_without_the_data_purged(caseload):
    run = purge()
    events = AuditEvent.objects.filter(object_type="retention.policy", action="delete")
    assert sorted(events.values_list("object_id", flat=True)) == sorted(POLICY_CODES)
    persons = events.get(object_id="inactive_persons")
    assert persons.actor is None and persons.actor_label == services.OPERATOR
    assert f"purge {run.pk}: {len(PURGED)} eligible, cutoff" in persons.detail
    for event in AuditEvent.objects.filter(occurred_at__gte=run.started_at):
        text = f"{event.detail} {event.fields} {event.object_id}"
        assert not any(value in text for value in PERSONAL_VALUES), text
    assert not any(value in json.dumps(run.results) for value in PERSONAL_VALUES)


def test_only_administrators_run_the_policies(caseload, coordinator_patrick, admin_samuel):
    with pytest.raises(PermissionDenied):
        purge(actor=coordinator_patrick)
    assert not RetentionRun.objects.exists()
    run = purge(actor=admin_samuel)
    assert run.started_by == admin_samuel


def test_closed_referrals_lose_their_shared_data_after_their_retention(caseload, settings):
    settings.RETENTION_PERSON_DAYS = 100_000  # nobody is anonymised
    referral = caseload.referral
    assert referral.shared and referral.notes
    run = purge()
    referral.refresh_from_db()
    assert (referral.shared, referral.notes) == ({}, "")
    assert run.results["referral_shared"]["done"] == 1
    pending = Referral.objects.get(person=caseload.waiting)
    assert pending.shared  # open: kept


def test_coarse_birth_keeps_every_crossing_in_its_band():
    today = date(2026, 12, 6)
    # No crossing near a band's edge: the year.
    assert coarse_birth(
        "1990-05-17", date(1990, 5, 17), date(1990, 5, 17), [date(2026, 1, 1)], today=today
    ) == (
        "1990",
        date(1990, 1, 1),
        date(1990, 12, 31),
    )
    # Crossed the week after her 18th birthday: the month.
    assert coarse_birth(
        "2008-03-01", date(2008, 3, 1), date(2008, 3, 1), [date(2026, 3, 20)], today=today
    ) == ("2008-03", date(2008, 3, 1), date(2008, 3, 31))
    # Crossed the day after: neither keeps her band; the interval stays.
    assert coarse_birth(
        "2008-03-01", date(2008, 3, 1), date(2008, 3, 1), [date(2026, 3, 2)], today=today
    ) == ("2008-03", date(2008, 3, 1), date(2008, 3, 1))
    # A year or an estimated age is coarse already.
    assert coarse_birth("1975", date(1975, 1, 1), date(1975, 12, 31), [], today=today)[0] == "1975"
    assert coarse_birth("", date(1990, 1, 1), date(1994, 1, 1), [], today=today)[0] == ""


def test_the_command_reports_and_purges_only_with_yes(caseload, capsys):
    call_command("retention", "report", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "report" and set(out["results"]) == set(POLICY_CODES)
    with pytest.raises(CommandError, match="--yes"):
        call_command("retention", "purge")
    assert RetentionRun.objects.filter(kind="purge").count() == 0
    call_command("retention", "report")
    assert "inactive_persons: 0 would be purged" in capsys.readouterr().out
