import json
import uuid

import pytest

from hbm.audit.models import AuditEvent
from hbm.registry import validation
from hbm.registry.birth import IN_THE_FUTURE, NOT_A_DATE, TOO_OLD
from hbm.registry.models import Consent, Crossing, DuplicateCandidate, Group, Person, full_name
from tests.registry.helpers import VARIANT

URL = "/api/v1/registrations"


def family(point="point-a", **overrides):
    body = {
        "id": str(uuid.uuid4()),
        "crossing_point": point,
        "direction": "entry",
        "transport": "on_foot",
        "reason": "conflict",
        "origin_country": "SSD",
        "origin_place": "Yei",
        "destination": "Bunia",
        "consent_given": True,
        "members": [
            {
                "relationship": "head",
                "given_name": "Mohammed",
                "family_name": "Hassan",
                "father_name": "Ali",
                "sex": "M",
                "date_of_birth": "1984-03-12",
                "nationality": "SSD",
                "document_type": "national_id",
                "document_number": "ss 123 456",
                "phone": "+211 912 345 678",
                "languages": ["ar", "en"],
            },
            {
                "relationship": "spouse",
                "given_name": "Amina",
                "family_name": "Deng",
                "sex": "F",
                "date_of_birth": "1988",
                "nationality": "SSD",
            },
            {
                "relationship": "child",
                "given_name": "Yusuf",
                "family_name": "Hassan",
                "father_name": "Mohammed",
                "sex": "M",
                "age_estimate": 7,
                "nationality": "SSD",
            },
            {
                "relationship": "child",
                "given_name": "Mariam",
                "family_name": "Hassan",
                "father_name": "Mohammed",
                "sex": "F",
                "date_of_birth": "2022-06",
                "nationality": "SSD",
            },
        ],
    }
    body.update(overrides)
    return body


def post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_it_registers_a_family_with_its_crossing_in_one_go(client_for, officer_amina):
    response = post(client_for(officer_amina), family())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["replayed"] is False and body["crossing_point"] == "point-a"
    assert [p["relationship"] for p in body["persons"]] == ["head", "spouse", "child", "child"]
    assert not any(p["child_without_related_adult"] for p in body["persons"])
    head = Person.objects.get(public_id=body["persons"][0]["person"])
    assert head.document_number == "SS123456" and head.phone == "+211912345678"
    assert str(head.birth_earliest) == "1984-03-12" and head.languages == ["ar", "en"]
    assert Crossing.objects.filter(group__public_id=body["group"]).count() == 4
    assert Consent.objects.filter(purpose="registration", given=True).count() == 4
    assert AuditEvent.objects.filter(action="create", object_type="registry.person").count() == 4


def test_a_replay_returns_the_same_result_and_writes_nothing(client_for, officer_amina):
    client = client_for(officer_amina)
    body = family()
    first = post(client, body).json()
    again = post(client, body)
    assert again.status_code == 200
    assert again.json()["replayed"] is True
    assert again.json()["persons"] == first["persons"] and again.json()["group"] == first["group"]
    assert Person.objects.count() == 4 and Group.objects.count() == 1


def test_the_same_id_with_other_content_is_a_409(client_for, officer_amina):
    client = client_for(officer_amina)
    body = family()
    post(client, body)
    body["destination"] = "Aru"
    response = post(client, body)
    assert response.status_code == 409
    assert "already received with different content" in response.json()["message"]
    assert Person.objects.count() == 4


def test_a_child_alone_is_flagged(client_for, officer_amina):
    body = family(
        members=[{"relationship": "head", "given_name": "Deng", "age_estimate": 12}],
        group_kind="individual",
    )
    persons = post(client_for(officer_amina), body).json()["persons"]
    assert persons[0]["child_without_related_adult"] is True


def test_a_child_with_unrelated_adults_is_flagged(client_for, officer_amina):
    body = family(
        group_kind="travel_group",
        members=[
            {
                "relationship": "head",
                "given_name": "Peter",
                "family_name": "Lado",
                "age_estimate": 40,
            },
            {
                "relationship": "unrelated",
                "given_name": "Akol",
                "family_name": "Majok",
                "age_estimate": 11,
            },
        ],
    )
    persons = post(client_for(officer_amina), body).json()["persons"]
    assert [p["child_without_related_adult"] for p in persons] == [False, True]


@pytest.mark.parametrize(
    ("member", "field", "message"),
    [
        (
            {"date_of_birth": "2026-02-30"},
            "members.0.date_of_birth",
            NOT_A_DATE.format("2026-02-30"),
        ),
        ({"date_of_birth": "2099-01-01"}, "members.0.date_of_birth", IN_THE_FUTURE),
        ({"date_of_birth": "1880"}, "members.0.date_of_birth", TOO_OLD),
        (
            {"date_of_birth": "", "age_estimate": 140},
            "members.0.age_estimate",
            "An estimated age is between 0 and 120.",
        ),
        ({"nationality": "XYZ"}, "members.0.nationality", validation.UNKNOWN_COUNTRY.format("XYZ")),
        ({"sex": "Q"}, "members.0.sex", "'Q' is not one of: F, M, X."),
        ({"given_name": "", "family_name": ""}, "members.0.given_name", validation.NO_NAME),
        (
            {"languages": ["klingon"]},
            "members.0.languages.0",
            validation.UNKNOWN_LANGUAGE.format("klingon"),
        ),
        ({"phone": "call me"}, "members.0.phone", validation.BAD_PHONE),
        ({"family_name": "x" * 101}, "members.0.family_name", validation.TOO_LONG.format(100)),
    ],
)
def test_bad_members_get_field_errors_and_nothing_is_saved(
    client_for, officer_amina, member, field, message
):
    body = family()
    body["members"][0].update(member)
    response = post(client_for(officer_amina), body)
    assert response.status_code == 422
    assert {"field": f"body.{field}", "message": message} in response.json()["errors"]
    assert not Person.objects.exists() and not Group.objects.exists()


def test_group_level_problems(client_for, officer_amina):
    client = client_for(officer_amina)
    response = post(client, family(members=[]))
    assert response.json()["errors"] == [
        {"field": "body.members", "message": validation.NO_MEMBERS}
    ]
    body = family()
    body["members"][1]["relationship"] = "head"
    body["direction"] = "sideways"
    body["crossed_at"] = "2099-01-01T00:00:00Z"
    errors = post(client, body).json()["errors"]
    assert {"field": "body.members.1.relationship", "message": validation.TWO_HEADS} in errors
    assert {
        "field": "body.direction",
        "message": "'sideways' is not one of: entry, exit.",
    } in errors
    assert {"field": "body.crossed_at", "message": validation.IN_THE_FUTURE} in errors
    assert not Person.objects.exists()


def test_one_person_cannot_be_in_a_group_twice(client_for, officer_amina):
    client = client_for(officer_amina)
    first = post(client, family()).json()
    head = first["persons"][0]["person"]
    body = family(
        members=[
            {"relationship": "head", "existing_person": head},
            {"relationship": "spouse", "existing_person": head},
        ]
    )
    response = post(client, body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.members.1.existing_person", "message": validation.TWICE_IN_GROUP.format(1)}
    ]


def test_a_second_crossing_links_the_existing_person(client_for, officer_amina):
    client = client_for(officer_amina)
    first = post(client, family()).json()
    head = first["persons"][0]["person"]
    body = family(direction="exit", members=[{"relationship": "head", "existing_person": head}])
    response = post(client, body)
    assert response.status_code == 201
    assert response.json()["persons"][0]["linked_existing"] is True
    assert Person.objects.count() == 4
    assert Crossing.objects.filter(person__public_id=head).count() == 2


def test_a_variant_spelling_elsewhere_is_a_duplicate_candidate(
    client_for, officer_amina, officer_bintu
):
    first = post(client_for(officer_amina), family()).json()
    body = family(
        point="point-b",
        group_kind="individual",
        members=[{"relationship": "head", **VARIANT}],
    )
    response = post(client_for(officer_bintu), body)
    candidates = response.json()["persons"][0]["duplicate_candidates"]
    assert candidates[0]["person"] == first["persons"][0]["person"]
    assert candidates[0]["first_crossing_point"] == "point-a"
    assert candidates[0]["probability"] > 0.5
    head = Person.objects.get(public_id=first["persons"][0]["person"])
    assert candidates[0]["name"] == full_name(head.given_name, head.father_name, head.family_name)
    assert candidates[0]["shown"] == "minimum", "registered at another point"
    assert (candidates[0]["date_of_birth"], candidates[0]["nationality"]) == ("", None)
    assert (candidates[0]["year_of_birth"], candidates[0]["sex"]) == (
        head.date_of_birth[:4],
        head.sex,
    )
    fields = {f["field"] for f in candidates[0]["explanation"]["fields"]}
    assert {"given_name", "family_name"} <= fields
    pair = DuplicateCandidate.objects.get()
    assert pair.status == "open"


def test_an_officer_cannot_register_at_another_point(client_for, officer_amina, point_b):
    response = post(client_for(officer_amina), family(point="point-b"))
    assert response.status_code == 403
    assert response.json()["message"] == "You do not register at this crossing point."
    response = post(client_for(officer_amina), family(point="nowhere"))
    assert response.status_code == 422
    assert not Person.objects.exists()


def test_roles_that_do_not_register_are_refused(client_for, protection_bruno, outsider_chen):
    for user in (protection_bruno, outsider_chen):
        assert post(client_for(user), family()).status_code == 403
    assert not Person.objects.exists()


def test_a_device_token_registers_and_is_recorded(client, officer_amina):
    from hbm.accounts.services import device_token_create
    from hbm.registry.models import Registration

    token, key = device_token_create(actor=officer_amina, name="Tablet 1")
    response = client.post(
        URL,
        json.dumps(family()),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 201
    assert Registration.objects.get().device == token


def test_the_outcome_shown_at_once_is_the_one_a_replay_reads_back(
    client_for, officer_amina, officer_bintu
):
    """The fresh outcome is composed from what the registration wrote; a replay reads it
    from the database. Both must say the same, candidates and flags included."""
    first = post(client_for(officer_amina), family()).json()
    neighbour = {"relationship": "head", "given_name": "Grace", "family_name": "Ayen", "sex": "F"}
    at_b = post(client_for(officer_bintu), family(point="point-b", members=[neighbour])).json()
    spouse = at_b["persons"][0]["person"]  # linked by an officer who may see her
    variant = {"relationship": "head", **VARIANT}
    earlier = post(client_for(officer_bintu), family(point="point-b", members=[variant])).json()
    linked_with_pair = earlier["persons"][0]["person"]
    body = family(
        point="point-b",
        group_kind="travel_group",
        members=[
            {"relationship": "head", "existing_person": linked_with_pair},
            {"relationship": "unrelated", "existing_person": spouse},
            {
                **variant,
                "relationship": "unrelated",
                "given_name": "Mohamed",
            },
            {"relationship": "unrelated", "given_name": "Akol", "age_estimate": 9},
        ],
    )
    fresh = post(client_for(officer_bintu), body)
    again = post(client_for(officer_bintu), body)
    assert (fresh.status_code, again.status_code) == (201, 200)
    persons = fresh.json()["persons"]
    assert persons == again.json()["persons"]
    assert [p["linked_existing"] for p in persons] == [True, True, False, False]
    assert [p["child_without_related_adult"] for p in persons] == [False, False, False, True]
    # the linked head keeps the pair found when it was registered; the new member has its own
    assert persons[0]["duplicate_candidates"][0]["person"] == first["persons"][0]["person"]
    assert {c["person"] for c in persons[2]["duplicate_candidates"]} >= {
        first["persons"][0]["person"]
    }
