from hbm.audit.models import AuditEvent
from hbm.screening import services
from hbm.screening.views import PAGE_SIZE
from tests.paging import walk
from tests.registry.helpers import register
from tests.screening.tracing_helpers import CHILD, FATHER


def test_family_tracing_finds_the_father_registered_at_another_point(
    client_for, officer_amina, officer_bintu, protection_bruno
):
    (father,) = register(officer_bintu, dict(FATHER), point="point-b")
    (child,) = register(officer_amina, dict(CHILD), kind="individual")
    services.screening_record(
        actor=protection_bruno, person=child, answers={"child_without_caregiver": True}
    )
    client = client_for(protection_bruno)
    listed = client.get("/screening/children-alone/").content.decode()
    assert "Ahmad Hassan Karimi" in listed
    assert AuditEvent.objects.filter(
        object_id=str(child.public_id), detail="children alone list"
    ).exists()
    found = client.get(f"/api/v1/persons/{child.public_id}/relatives").json()
    assert found[0]["person"] == str(father.public_id)
    assert found[0]["relation"] == "parent" and found[0]["reasons"]
    assert AuditEvent.objects.filter(
        object_id=str(father.public_id), detail__startswith="family tracing"
    ).exists()
    page = client.get(f"/screening/persons/{child.public_id}/relatives/").content.decode()
    assert "Hassan Ali Karimi" in page


def test_tracing_is_for_protection_officers_only(client_for, officer_amina):
    (child,) = register(
        officer_amina,
        {"given_name": "Ahmad", "family_name": "Karimi", "age_estimate": 11},
        kind="individual",
    )
    client = client_for(officer_amina)
    assert client.get(f"/api/v1/persons/{child.public_id}/relatives").status_code == 403
    assert client.get("/screening/children-alone/").status_code == 403


def test_the_children_alone_list_pages_through_every_child(
    client_for, officer_amina, protection_bruno
):
    children = [
        register(
            officer_amina,
            {"given_name": f"Child{n}", "family_name": "Deng", "age_estimate": 10},
            kind="individual",
        )[0]
        for n in range(PAGE_SIZE + 3)
    ]
    for child in children:
        services.screening_record(
            actor=protection_bruno, person=child, answers={"child_without_caregiver": True}
        )
    client = client_for(protection_bruno)
    pages, visited = walk(
        client, "/screening/children-alone/", r'href="/registry/people/([^/"]+)/"'
    )
    assert visited == ["/screening/children-alone/", "/screening/children-alone/?page=2"]
    assert [len(rows) for rows in pages] == [PAGE_SIZE, 3]
    shown = [public_id for rows in pages for public_id in rows]
    assert shown == [str(c.public_id) for c in reversed(children)], "latest screened first"
    reads = AuditEvent.objects.filter(actor=protection_bruno, detail="children alone list")
    assert sorted(reads.values_list("object_id", flat=True)) == sorted(shown)
