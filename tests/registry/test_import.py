import csv
import io

import pytest

from hbm.audit.models import AuditEvent
from hbm.lib.rejected import Rejected
from hbm.registry import validation
from hbm.registry.models import Consent, Crossing, Person, Registration
from hbm.registry.services import imports
from tests.registry.helpers import register

HEADER = (
    "group_id,relationship,given_name,family_name,sex,date_of_birth,age_estimate,"
    "nationality,crossing_point,direction,crossed_at,reason,consent_given\n"
)
GOOD = (
    "g1,head,Mohammed,Hassan,M,1984-03-12,,SSD,point-a,entry,2026-11-20T08:00:00+02:00,conflict,"
    "yes\n"
    "g1,child,Yusuf,Hassan,M,,7,SSD,,,,,\n"
    "g2,head,Amina,Deng,F,1990,,SSD,point-a,entry,,,Yes\n"
)


def run(actor, text, dry_run=False, filename="registrations.csv"):
    return imports.registrations_import(
        actor=actor, content=text.encode(), filename=filename, dry_run=dry_run
    )


def test_it_imports_groups_all_at_once_and_a_second_import_adds_nobody(officer_amina):
    summary = run(officer_amina, HEADER + GOOD)
    assert (summary.groups, summary.persons, summary.replayed) == (2, 3, 0)
    assert Person.objects.count() == 3 and Registration.objects.count() == 2
    assert str(Crossing.objects.get(person__given_name="Mohammed").crossed_at) == (
        "2026-11-20 06:00:00+00:00"
    )
    again = run(officer_amina, HEADER + GOOD)
    assert again.replayed == 2 and Person.objects.count() == 3
    assert AuditEvent.objects.filter(action="import").count() == 2


def test_a_dry_run_previews_and_writes_nothing(officer_amina):
    summary = run(officer_amina, HEADER + GOOD, dry_run=True)
    assert summary.sample[0] == {
        "group": summary.sample[0]["group"],
        "crossing_point": "point-a",
        "head": "Mohammed Hassan",
        "members": "2",
    }
    assert not Person.objects.exists()


def test_problems_carry_their_line_and_nothing_is_written(officer_amina, point_b):
    text = (
        HEADER
        + GOOD
        + (
            ",head,No,Group,,,,,point-a,entry,,,yes\n"
            "g3,head,Bad,Date,M,2026-02-30,,XXX,point-a,entry,,,yes\n"
            "g3,head,Second,Head,M,,abc,,,,,,\n"
            "g4,head,Wrong,Place,F,,,,point-b,entry,,,yes\n"
            "g5,head,When,Unclear,F,,,,point-a,entry,yesterday,,yes\n"
        )
    )
    with pytest.raises(Rejected) as caught:
        run(officer_amina, text)
    assert caught.value.problems == [
        "line 5: group_id: is required (rows sharing it form one group)",
        "line 6: date_of_birth: 2026-02-30 is not a date in the calendar.",
        "line 6: nationality: 'XXX' is not an ISO 3166 alpha-3 country code.",
        "line 7: age_estimate: 'abc' is not a whole number",
        "line 7: relationship: Only one person can be head of the group.",
        "line 8: crossing_point: You do not register at this crossing point.",
        "line 9: crossed_at: 'yesterday' is not a date-time such as 2026-11-24T08:30:00+02:00",
    ]
    assert not Person.objects.exists()


def test_an_export_imports_back(client_for, officer_amina, coordinator_patrick):
    register(
        officer_amina,
        {
            "given_name": "Amina",
            "family_name": "Deng",
            "sex": "F",
            "date_of_birth": "1990",
            "nationality": "SSD",
        },
        {"given_name": "Akol", "family_name": "Deng", "age_estimate": 4, "relationship": "child"},
    )
    exported = b"".join(client_for(officer_amina).get("/api/v1/crossings/export").streaming_content)
    Person.objects.update()  # nothing else changes: the re-import creates new registrations
    summary = imports.registrations_import(
        actor=officer_amina, content=exported, filename="export.csv", dry_run=True
    )
    assert (summary.groups, summary.persons) == (1, 2)


def test_the_api_and_page_refuse_bad_files_with_line_numbers(
    client_for, officer_amina, protection_bruno
):
    client = client_for(officer_amina)
    upload = io.BytesIO((HEADER + "g1,head,X,Y,Q,,,,point-a,entry,,,yes\n").encode())
    upload.name = "r.csv"
    response = client.post("/api/v1/registrations/import", {"file": upload, "dry_run": "false"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.file", "message": "line 2: sex: 'Q' is not one of: F, M, X."}
    ]
    upload = io.BytesIO((HEADER + GOOD).encode())
    upload.name = "r.csv"
    page = client.post("/registry/import/", {"file": upload})
    assert "Preview: 2 groups, 3 people" in page.content.decode()
    assert not Person.objects.exists()
    assert client_for(protection_bruno).get("/registry/import/").status_code == 403


def test_each_group_says_whether_consent_was_given(officer_amina):
    text = HEADER + (
        "g1,head,Grace,Akello,F,1990,,UGA,point-a,entry,,,\n"
        "g2,head,Peter,Okello,M,1980,,UGA,point-a,entry,,,maybe\n"
        "g3,head,Rose,Atim,F,1985,,UGA,point-a,entry,,,no\n"
    )
    with pytest.raises(Rejected) as caught:
        run(officer_amina, text)
    assert caught.value.problems == [
        f"line 2: {imports.CONSENT_ANSWER}",
        f"line 3: {imports.CONSENT_ANSWER}",
        "line 4: consent_given: " + validation.CONSENT_REQUIRED,
    ]
    assert not Person.objects.exists()


def test_who_gave_consent_and_how_are_recorded(officer_amina):
    text = (
        "group_id,relationship,given_name,family_name,age_estimate,crossing_point,direction,"
        "consent_given,consent_giver,consent_given_by,consent_method\n"
        "g1,head,Akol,Deng,9,point-a,entry,yes,guardian,Mary Deng,thumbprint\n"
    )
    run(officer_amina, text)
    consent = Consent.objects.get(person__given_name="Akol")
    assert (consent.purpose, consent.given, consent.given_by) == ("registration", True, "guardian")
    assert (consent.given_by_name, consent.method) == ("Mary Deng", "thumbprint")


def test_no_consent_imports_under_the_deployments_legal_basis(officer_amina, settings):
    settings.REGISTRATION_LEGAL_BASIS = "Immigration Act 2019, s. 12"
    run(officer_amina, HEADER + "g1,head,Rose,Atim,F,1985,,UGA,point-a,entry,,,no\n")
    consent = Consent.objects.get(person__given_name="Rose")
    assert not consent.given and consent.legal_basis == "Immigration Act 2019, s. 12"


def test_the_export_says_whose_consent_is_in_force(client_for, officer_amina):
    from hbm.registry.services import consents

    (_mohammed, yusuf) = register(
        officer_amina,
        {"given_name": "Mohammed", "family_name": "Hassan"},
        {"given_name": "Yusuf", "family_name": "Hassan", "relationship": "child"},
    )
    consents.consent_withdraw(
        actor=officer_amina, consent=yusuf.consents.get(), reason="Asked to be removed"
    )
    exported = b"".join(client_for(officer_amina).get("/api/v1/crossings/export").streaming_content)
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))[1:]
    assert {r["given_name"]: r["consent_given"] for r in rows} == {"Mohammed": "yes", "Yusuf": "no"}
    assert (
        list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))[1][-1] == "#indicator+consent"
    )
