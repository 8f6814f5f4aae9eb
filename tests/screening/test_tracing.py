from hbm.audit.models import AuditEvent
from hbm.screening import services
from tests.registry.helpers import register


def test_family_tracing_finds_the_father_registered_at_another_point(
    client_for, officer_amina, officer_bintu, protection_bruno
):
    (father,) = register(
        officer_bintu,
        {
            "given_name": "Hassan",
            "family_name": "Karimi",
            "father_name": "Ali",
            "sex": "M",
            "date_of_birth": "1975",
            "place_of_origin": "Yei",
        },
        point="point-b",
    )
    (child,) = register(
        officer_amina,
        {
            "given_name": "Ahmad",
            "family_name": "Karimi",
            "father_name": "Hassan",
            "sex": "M",
            "age_estimate": 11,
            "place_of_origin": "Yei",
        },
        kind="individual",
    )
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
