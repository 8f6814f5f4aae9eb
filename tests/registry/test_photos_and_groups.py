import io

import pytest

from hbm.audit.models import AuditEvent
from hbm.registry.services import photos
from tests.registry.helpers import register

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


def upload(client, person, content, name="photo.png"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(f"/api/v1/persons/{person.public_id}/photo", {"photo": file})


def test_a_photo_is_stored_privately_and_read_through_an_audited_view(client_for, officer_amina):
    (person,) = register(officer_amina, {"given_name": "Amina", "family_name": "Deng"})
    client = client_for(officer_amina)
    assert upload(client, person, PNG).status_code == 200
    response = client.get(f"/api/v1/persons/{person.public_id}/photo")
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert AuditEvent.objects.filter(action="view", fields=["photo"]).count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7 not an image", photos.NOT_AN_IMAGE),
        (b"\xff\xd8\xff" + b"0" * (2 * 1024 * 1024), photos.TOO_BIG),
        (b"", photos.EMPTY),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_kept(client_for, officer_amina, content, message):
    (person,) = register(officer_amina, {"given_name": "Amina", "family_name": "Deng"})
    response = upload(client_for(officer_amina), person, content)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "body.photo", "message": message}]
    person.refresh_from_db()
    assert not person.photo


def test_photos_outside_the_scope_are_not_found(client_for, officer_amina, officer_bintu):
    (person,) = register(officer_amina, {"given_name": "Amina", "family_name": "Deng"})
    upload(client_for(officer_amina), person, PNG)
    assert (
        client_for(officer_bintu).get(f"/api/v1/persons/{person.public_id}/photo").status_code
        == 404
    )
    assert upload(client_for(officer_bintu), person, PNG).status_code == 404


def test_a_group_lists_its_members(client_for, officer_amina, officer_bintu):
    head, child = register(
        officer_amina,
        {"given_name": "Amina", "family_name": "Deng"},
        {"given_name": "Akol", "family_name": "Deng", "age_estimate": 3},
    )
    group = head.memberships.get().group
    body = client_for(officer_amina).get(f"/api/v1/groups/{group.public_id}").json()
    assert [m["relationship"] for m in body["members"]] == ["head", "child"]
    assert body["members"][1]["person"] == str(child.public_id)
    assert client_for(officer_bintu).get(f"/api/v1/groups/{group.public_id}").status_code == 404
