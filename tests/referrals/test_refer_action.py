"""The "Refer" action: on the person page and on the desk's result, for the roles that may
send referrals, leading to the referral form for that person."""

from hbm.registry import selectors
from hbm.registry.models import Registration
from tests.factories import UserFactory
from tests.registry.helpers import register
from tests.registry.test_desk_views import DESK, HEAD, desk_data

UNRELATED_CHILD = {
    "relationship": "unrelated",
    "given_name": "Deng",
    "family_name": "Akol",
    "age_estimate": "12",
}


def _person(officer):
    (person,) = register(officer, {"given_name": "Ajok", "family_name": "Deng", "age_estimate": 11})
    return person


def test_a_protection_officer_sees_refer_on_the_person_page(
    client_for, officer_amina, protection_bruno
):
    person = _person(officer_amina)
    page = client_for(protection_bruno).get(f"/registry/people/{person.public_id}/")
    form = f"/referrals/persons/{person.public_id}/new/"
    assert f'id="action-refer" href="{form}"' in page.content.decode()
    assert client_for(protection_bruno).get(form).status_code == 200


def test_a_role_without_referral_rights_sees_no_refer_and_gets_403(client_for, officer_amina):
    person = _person(officer_amina)
    client = client_for(officer_amina)
    page = client.get(f"/registry/people/{person.public_id}/").content.decode()
    assert 'id="action-refer"' not in page and "/referrals/persons/" not in page
    assert client.get(f"/referrals/persons/{person.public_id}/new/").status_code == 403
    assert client.post(f"/referrals/persons/{person.public_id}/new/", {}).status_code == 403


def test_the_desk_result_lists_everyone_registered_with_refer(db, client, point_a):
    both = UserFactory(
        username="grace",
        roles=["registration_officer", "protection_officer"],
        crossing_points=[point_a],
    )
    client.force_login(both)
    data = desk_data([HEAD, UNRELATED_CHILD])
    response = client.post(DESK, data, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    registration = Registration.objects.get(public_id=data["id"])
    child = registration.group.members.get(relationship="unrelated").person
    assert 'id="desk-result"' in html
    assert "child without a related adult" in html
    assert f'data-action="refer" href="/referrals/persons/{child.public_id}/new/"' in html


def test_the_desk_result_of_a_registration_officer_has_no_refer(client_for, officer_amina):
    response = client_for(officer_amina).post(DESK, desk_data([HEAD, UNRELATED_CHILD]), follow=True)
    html = response.content.decode()
    assert 'id="desk-result"' in html and "Deng Akol" in html
    assert 'data-action="refer"' not in html


def test_the_desk_result_shows_only_registrations_in_scope(
    officer_amina, officer_bintu, protection_bruno
):
    register(officer_bintu, {"given_name": "Akol", "family_name": "Deng"}, point="point-b")
    elsewhere = Registration.objects.get()
    assert (
        selectors.registration_crossings(user=protection_bruno, public_id=elsewhere.public_id) == []
    )
    assert selectors.registration_crossings(user=protection_bruno, public_id="not-an-id") == []
    crossings = selectors.registration_crossings(user=officer_bintu, public_id=elsewhere.public_id)
    assert [c.person.given_name for c in crossings] == ["Akol"]
