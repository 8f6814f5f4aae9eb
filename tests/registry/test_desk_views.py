import re
import uuid

import pytest

from hbm.audit.models import AuditEvent
from hbm.registry import services
from hbm.registry.birth import NOT_A_DATE
from hbm.registry.inputs import MemberInput, RegistrationInput
from hbm.registry.models import Consent, Crossing, Group, Person, Registration
from hbm.registry.validation import UNKNOWN_COUNTRY
from tests.registry.helpers import WHY_VARIANT

DESK = "/registry/desk/"
CANDIDATES = "/registry/desk/candidates/"

HEAD = {
    "given_name": "Mohammed",
    "family_name": "Hassan",
    "father_name": "Ali",
    "sex": "M",
    "date_of_birth": "1984-03-12",
    "nationality": "SSD",
    "document_type": "national_id",
    "document_number": "SS 123 456",
    "phone": "+211 912 345 678",
}
SPOUSE = {
    "relationship": "spouse",
    "given_name": "Amina",
    "family_name": "Deng",
    "sex": "F",
    "date_of_birth": "1988",
    "nationality": "SSD",
}
SON = {
    "relationship": "child",
    "given_name": "Yusuf",
    "family_name": "Hassan",
    "sex": "M",
    "age_estimate": "7",
    "nationality": "SSD",
}
DAUGHTER = {
    "relationship": "child",
    "given_name": "Mariam",
    "family_name": "Hassan",
    "sex": "F",
    "date_of_birth": "2022.06",  # a tablet's numeric keypad has '.', not '-'
    "nationality": "South Sudan",  # the country's name reads as its code
}


def desk_data(members, registration_id=None, **group):
    data = {
        "id": str(registration_id or uuid.uuid4()),
        "crossing_point": "point-a",
        "direction": "entry",
        "group_kind": "household",
        "transport": "on_foot",
        "reason": "conflict",
        "origin_country": "SSD",
        "origin_place": "Yei",
        "destination": "Bunia",
        "consent_given": "on",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "1000",
    }
    for index, member in enumerate(members):
        member = {"relationship": "head" if index == 0 else "child", **member}
        data.update({f"members-{index}-{key}": value for key, value in member.items()})
    data.update(group)
    return data


def family_data(**group):
    return desk_data([HEAD, SPOUSE, SON, DAUGHTER], **group)


def field_errors(html, field_id):
    """The error messages rendered right under one field."""
    match = re.search(rf'<ul class="errorlist" id="{field_id}_errors">(.*?)</ul>', html, re.S)
    return re.findall(r"<li[^>]*>(.*?)</li>", match.group(1)) if match else []


def test_the_desk_renders_for_a_registration_officer(client_for, officer_amina, point_b):
    response = client_for(officer_amina).get(DESK)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="point-a" selected>Point A</option>' in html, "her only point, chosen"
    assert "point-b" not in html, "another officer's point is not offered"
    assert 'name="members-0-relationship" value="head"' in html
    assert '<template id="member-template">' in html and "members-__prefix__-given_name" in html
    assert '<option value="SSD" label="South Sudan">' in html
    assert re.search(r'name="id" value="[0-9a-f-]{36}"', html), "a fresh id for this screen"
    assert "hbm/desk.js" in html
    assert 'href="/registry/desk/"' in html, "Register is in her navigation"


def test_each_rendering_gets_its_own_registration_id(client_for, officer_amina):
    client = client_for(officer_amina)
    ids = {
        re.search(r'name="id" value="([0-9a-f-]{36})"', client.get(DESK).content.decode())[1]
        for _ in range(2)
    }
    assert len(ids) == 2


def test_an_officer_with_several_points_chooses_one(client_for, officer_amina, point_b):
    officer_amina.crossing_points.add(point_b)
    html = client_for(officer_amina).get(DESK).content.decode()
    assert '<option value="point-a">Point A</option>' in html
    assert '<option value="point-b">Point B</option>' in html


@pytest.mark.parametrize("persona", ["protection_bruno", "outsider_chen", "security_joseph"])
def test_roles_that_do_not_register_get_a_403(db, client_for, persona, request):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(DESK).status_code == 403
    assert client.post(DESK, family_data()).status_code == 403
    assert (
        client.post(CANDIDATES, {"members-0-given_name": "x", "member": "members-0"}).status_code
        == 403
    )
    assert not Person.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(DESK)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_navigation_shows_register_only_to_those_who_register(
    client_for, protection_bruno, admin_samuel
):
    assert 'href="/registry/desk/"' not in client_for(protection_bruno).get("/").content.decode()
    assert 'href="/registry/desk/"' in client_for(admin_samuel).get("/").content.decode()


def test_a_good_post_registers_the_family_and_opens_the_heads_page(client_for, officer_amina):
    client = client_for(officer_amina)
    data = family_data()
    response = client.post(DESK, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    registration = Registration.objects.get(public_id=data["id"])
    head = Person.objects.get(given_name="Mohammed")
    assert response["Location"].startswith(f"/registry/people/{head.public_id}/?registered=")
    members = {m.person.given_name: m for m in registration.group.members.select_related("person")}
    assert {n: m.relationship for n, m in members.items()} == {
        "Mohammed": "head",
        "Amina": "spouse",
        "Yusuf": "child",
        "Mariam": "child",
    }
    mariam = members["Mariam"].person
    assert (mariam.date_of_birth, mariam.nationality_id) == ("2022-06", "SSD")
    assert members["Yusuf"].person.age_estimate == 7
    assert head.document_number == "SS123456" and head.phone == "+211912345678"
    crossings = Crossing.objects.filter(registration=registration)
    assert crossings.count() == 4
    assert {(c.direction, c.transport, c.reason, c.origin_country_id) for c in crossings} == {
        ("entry", "on_foot", "conflict", "SSD")
    }
    assert not any(c.child_without_related_adult for c in crossings)
    assert Consent.objects.filter(given=True).count() == 4
    page = client.get(response["Location"]).content.decode()
    assert "Registered 4 people at Point A." in page


def test_blank_member_rows_are_left_out(client_for, officer_amina):
    data = desk_data([HEAD, {"relationship": "spouse"}, SON])
    response = client_for(officer_amina).post(DESK, data)
    assert response.status_code == 302
    assert Group.objects.get().members.count() == 2


def test_a_child_alone_is_flagged_in_the_message(client_for, officer_amina):
    client = client_for(officer_amina)
    data = desk_data(
        [{"given_name": "Deng", "family_name": "Akol", "age_estimate": "12"}],
        consent_given_by="Aunt at the border, Mary Akol",
    )
    response = client.post(DESK, data, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<li class="warning">Child without a related adult: Deng Akol.' in html
    crossing = Crossing.objects.get()
    assert crossing.child_without_related_adult
    consent = Consent.objects.get()
    assert (consent.given_by, consent.given_by_name) == ("other", "Aunt at the border, Mary Akol")


def test_a_bad_post_shows_each_problem_by_its_field_and_saves_nothing(client_for, officer_amina):
    client = client_for(officer_amina)
    spouse = {**SPOUSE, "date_of_birth": "2026-02-30"}
    son = {**SON, "nationality": "XYZ"}
    data = desk_data([HEAD, spouse, son], origin_place="Yei county")
    response = client.post(DESK, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert field_errors(html, "id_members-1-date_of_birth") == [NOT_A_DATE.format("2026-02-30")]
    assert field_errors(html, "id_members-2-nationality") == [
        UNKNOWN_COUNTRY.format("XYZ").replace("'", "&#x27;")
    ]
    assert field_errors(html, "id_members-0-given_name") == []
    summary = html.split('id="problems"', 1)[1].split("</div>", 1)[0]
    assert "2 problems — nothing was saved" in summary
    assert 'href="#id_members-1-date_of_birth"' in summary and "Person 2 · Date of birth" in summary
    # everything typed is still there, with the same id
    assert 'value="2026-02-30"' in html and 'value="XYZ"' in html and 'value="Yei county"' in html
    assert 'name="members-2-given_name" value="Yusuf"' in html
    assert f'name="id" value="{data["id"]}"' in html
    assert 'aria-invalid="true"' in html
    assert not Person.objects.exists() and not Registration.objects.exists()
    assert not Crossing.objects.exists() and not Group.objects.exists()


def test_group_level_and_form_problems_are_422_too(client_for, officer_amina):
    client = client_for(officer_amina)
    response = client.post(DESK, desk_data([HEAD], origin_country="Atlantis"))
    assert response.status_code == 422
    html = response.content.decode()
    assert field_errors(html, "id_origin_country") == [
        UNKNOWN_COUNTRY.format("ATLANTIS").replace("'", "&#x27;")
    ]
    response = client.post(DESK, desk_data([{**HEAD, "given_name": "", "family_name": ""}]))
    assert response.status_code == 422
    assert field_errors(response.content.decode(), "id_members-0-given_name")
    response = client.post(DESK, desk_data([HEAD], crossing_point="point-b"))
    assert response.status_code == 422, "a point that is not hers is not a choice"
    assert field_errors(response.content.decode(), "id_crossing_point")
    assert not Person.objects.exists()


def test_a_double_submit_registers_once(client_for, officer_amina):
    client = client_for(officer_amina)
    data = family_data()
    first = client.post(DESK, data)
    second = client.post(DESK, data, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert second.redirect_chain[0][0] == first["Location"]
    assert "already saved" in second.content.decode()
    assert Registration.objects.count() == 1 and Person.objects.count() == 4
    assert Crossing.objects.count() == 4


def test_a_replay_with_changed_content_is_explained_and_gets_a_new_id(client_for, officer_amina):
    client = client_for(officer_amina)
    data = family_data()
    client.post(DESK, data)
    changed = {**data, "members-1-given_name": "Aminata"}
    response = client.post(DESK, changed)
    assert response.status_code == 409
    html = response.content.decode()
    assert services.REPLAY_DIFFERS.format(data["id"]) in html
    assert f'name="id" value="{data["id"]}"' not in html and 'value="Aminata"' in html
    assert Person.objects.count() == 4


def register_earlier(actor):
    member = MemberInput(
        relationship="head",
        given_name="Mohammed",
        family_name="Hassan",
        sex="M",
        date_of_birth="1984-03-12",
        nationality="SSD",
    )
    services.registration_register(
        actor=actor,
        data=RegistrationInput(
            id=uuid.uuid4(),
            crossing_point="point-a",
            direction="entry",
            members=(member,),
            consent_given=True,
        ),
    )
    return Person.objects.get()


def test_the_candidates_fragment_lists_a_variant_spelling(client_for, officer_amina):
    earlier = register_earlier(officer_amina)
    client = client_for(officer_amina)
    data = desk_data(
        [
            {"given_name": "Someone", "family_name": "Else"},
            {"given_name": "Muhammad", "family_name": "Hasan", "date_of_birth": "1984"},
        ]
    )
    data["members-1-nationality"] = "ssd"
    response = client.post(CANDIDATES, {**data, "member": "members-1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html, "a fragment, not a page"
    assert "Mohammed Hassan" in html and "1984-03-12" in html and "point-a" in html
    assert f'data-link-person="{earlier.public_id}"' in html and ">Same person<" in html
    assert re.search(r"<bdi>(&gt; )?([5-9]\d|100)%</bdi>", html), "the probability as a percentage"
    assert "spelling variant" in html and "same year" in html and "Total" in html
    assert WHY_VARIANT in html, "the strongest agreements in one line"
    assert AuditEvent.objects.filter(object_id=str(earlier.public_id), action="view").exists()


def test_the_candidates_fragment_stays_quiet_until_a_name_is_typed(client_for, officer_amina):
    register_earlier(officer_amina)
    client = client_for(officer_amina)
    response = client.post(
        CANDIDATES, {"member": "members-0", "members-0-date_of_birth": "1984-03-12"}
    )
    assert response.status_code == 200 and response.content.decode().strip() == ""
    half_typed = {
        "member": "members-0",
        "members-0-given_name": "Mohammed",
        "members-0-family_name": "Hassan",
        "members-0-date_of_birth": "1984-",
        "members-0-sex": "not a choice",
    }
    assert "Mohammed Hassan" in client.post(CANDIDATES, half_typed).content.decode()
    assert client.post(CANDIDATES, {"member": "nonsense"}).status_code == 400


def test_linking_an_existing_person_creates_no_new_person(client_for, officer_amina):
    earlier = register_earlier(officer_amina)
    client = client_for(officer_amina)
    linked = {
        "existing_person": str(earlier.public_id),
        "existing_label": "Mohammed Hassan",
        "given_name": "Muhammad",
        "family_name": "Hasan",
    }
    data = desk_data([linked, SPOUSE])
    response = client.post(DESK, data)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/registry/people/{earlier.public_id}/?registered=")
    assert Person.objects.count() == 2, "only the spouse is new"
    assert earlier.crossings.count() == 2
    assert not Person.objects.filter(given_name="Muhammad").exists()


def test_a_linked_row_stays_linked_when_another_row_is_wrong(client_for, officer_amina):
    earlier = register_earlier(officer_amina)
    linked = {"existing_person": str(earlier.public_id), "existing_label": "Mohammed Hassan"}
    data = desk_data([linked, {**SPOUSE, "date_of_birth": "1988-13"}])
    response = client_for(officer_amina).post(DESK, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert f'value="{earlier.public_id}"' in html
    assert (
        'class="member is-linked"' in html and "<strong data-linked-name>Mohammed Hassan<" in html
    )
    assert Person.objects.count() == 1


def test_a_linked_row_asks_for_no_candidates(client_for, officer_amina):
    earlier = register_earlier(officer_amina)
    row = {
        "member": "members-0",
        "members-0-existing_person": str(earlier.public_id),
        "members-0-given_name": "Mohammed",
        "members-0-family_name": "Hassan",
    }
    response = client_for(officer_amina).post(CANDIDATES, row)
    assert response.status_code == 200 and response.content.decode().strip() == ""


@pytest.mark.parametrize(
    ("language", "heading", "label"),
    [
        ("fr", "Enregistrer un groupe", "Lien avec le chef de groupe"),
        ("ar", "تسجيل مجموعة", "صلة القرابة برب المجموعة"),
    ],
)
def test_the_desk_speaks_french_and_arabic(client_for, officer_amina, language, heading, label):
    client = client_for(officer_amina)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    html = client.get(DESK).content.decode()
    assert f"<h1>{heading}</h1>" in html and label in html
    assert f'lang="{language}"' in html


def test_rows_shown_again_after_a_refusal_ask_for_their_matches_at_once(client_for, officer_amina):
    earlier = register_earlier(officer_amina)
    linked = {"existing_person": str(earlier.public_id), "existing_label": "Mohammed Hassan"}
    blank = {"relationship": "child"}
    data = desk_data([HEAD, linked, {**SPOUSE, "date_of_birth": "1988-13"}, blank])
    response = client_for(officer_amina).post(DESK, data)
    assert response.status_code == 422
    triggers = re.findall(r'hx-trigger="(input changed[^"]*)"', response.content.decode())
    on_load = "input changed delay:400ms, desk:recheck, load"
    quiet = "input changed delay:400ms, desk:recheck"
    # the head and the spouse (names typed), not the linked row nor the blank one, nor the
    # row template
    assert triggers == [on_load, quiet, on_load, quiet, quiet]
    fresh = client_for(officer_amina).get(DESK).content.decode()
    assert ", load" not in fresh
