"""A person's photo set on a field station (ADR 0139): logged in the transaction that sets it,
with the photo it replaced as its base; a push carries one photo at a time; nationally it
goes through the registry's photo service as the station account, once by its SHA-256, and a
photo set nationally since the station's base waits for review instead of being replaced."""

import base64
import hashlib
import uuid
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import override_settings

from hbm.accounts.services import device_token_create
from hbm.audit.models import AuditEvent
from hbm.registry.inputs import member_person_id
from hbm.registry.models import Person
from hbm.registry.services import photos
from hbm.registry.services.corrections import person_correct
from hbm.registry.services.photos import person_photo_set, photo_sha256
from hbm.sync.models import AppliedChange, Change, SyncConflict
from hbm.sync.services import receive_photos
from hbm.sync.services.outbox import PHOTOS, photo_id
from hbm.sync.services.push import next_batch
from hbm.sync.services.refusals import NOT_YOUR_PERSON, UNKNOWN_PERSON
from tests.registry.helpers import register
from tests.sync.conftest import AMINA

PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x02" * 64
WEBP = b"RIFF\x00\x00\x00\x00WEBP" + b"\x03" * 64
CHANGES = "/api/v1/sync/changes"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    return tmp_path / "media"


def files(media) -> list[bytes]:
    return sorted(p.read_bytes() for p in media.rglob("*") if p.is_file())


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def photo_payload(person, content: bytes, image_type: str = "png") -> dict:
    """A photo change's payload as a station logs it (the first test checks it is)."""
    return {
        "person": str(person.public_id),
        "sha256": sha(content),
        "image_type": image_type,
        "photo": base64.b64encode(content).decode("ascii"),
    }


def photo_change(person, content: bytes, *, replaced: bytes | None = None, seq=1, **kw) -> dict:
    return {
        "seq": seq,
        "id": str(uuid.uuid4()),
        "kind": "person_photo",
        "object_id": str(photo_id(person.public_id, sha(content))),
        "base_version": str(photo_id(person.public_id, sha(replaced))) if replaced else None,
        "payload": photo_payload(person, content, **kw),
    }


@pytest.fixture
def push(client, station):
    _, key = device_token_create(actor=station, name="station laptop")

    def send(*changes: dict):
        return client.post(
            CHANGES,
            {"protocol": 1, "changes": list(changes)},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )

    return send


def test_a_station_logs_each_photo_over_the_one_it_replaced(officer_amina):
    with override_settings(SYNC_URL="http://national.invalid"):
        (person,) = register(officer_amina, AMINA)
        person_photo_set(actor=officer_amina, person=person, content=PNG)
        person_photo_set(actor=officer_amina, person=person, content=PNG)  # no change: no log
        person_photo_set(actor=officer_amina, person=person, content=JPEG)
    log = list(Change.objects.order_by("seq"))
    assert [c.kind for c in log] == ["registration", "person_photo", "person_photo"]
    first, replaced = log[1], log[2]
    assert first.payload == photo_payload(person, PNG)
    assert first.base_version is None and first.object_id == photo_id(person.public_id, sha(PNG))
    assert replaced.payload == photo_payload(person, JPEG, image_type="jpg")
    assert replaced.base_version == photo_id(person.public_id, sha(PNG))
    assert replaced.object_id == photo_id(person.public_id, sha(JPEG))
    assert replaced.object_id == uuid.uuid5(PHOTOS, f"{person.public_id}:{sha(JPEG)}")
    with connection.cursor() as cursor:  # the photo is ciphertext in the log, as any payload
        cursor.execute("SELECT payload FROM sync_change WHERE id = %s", [replaced.pk])
        (stored,) = cursor.fetchone()
    assert stored.startswith("hbm1:") and replaced.payload["photo"] not in stored


def test_a_national_server_logs_no_photo(officer_amina):
    (person,) = register(officer_amina, AMINA)
    person_photo_set(actor=officer_amina, person=person, content=PNG)
    assert not Change.objects.exists()


def test_a_photo_travels_alone_in_its_batch_after_the_registration(officer_amina):
    with override_settings(SYNC_URL="http://national.invalid"):
        (amina,) = register(officer_amina, AMINA)
        (bruno,) = register(officer_amina, {**AMINA, "given_name": "Bruno"})
        person_photo_set(actor=officer_amina, person=amina, content=PNG)
        person_photo_set(actor=officer_amina, person=bruno, content=JPEG)
        person_correct(
            actor=officer_amina, person=amina, changes={"given_name": "Aminah"}, reason="typo"
        )
    batches, after = [], 0
    while batch := next_batch(after, 200):
        batches.append([c.kind for c in batch])
        after = batch[-1].seq
    assert batches == [
        ["registration", "registration"],  # each person's registration before its photo
        ["person_photo"],
        ["person_photo"],
        ["person_correction"],
    ]
    assert [c.seq for c in next_batch(0, 1)] == [1]


def test_a_photo_applies_once_through_the_registry(push, station, amina, private_media):
    change = photo_change(amina, PNG)
    answer = push(change)
    assert answer.status_code == 200, answer.json()
    assert answer.json() == {"acknowledged": 1, "outcomes": {"applied": 1}}
    amina.refresh_from_db()
    assert amina.photo.name.endswith(".png") and photo_sha256(amina) == sha(PNG)
    assert files(private_media) == [PNG]  # in the national media storage
    assert (
        AuditEvent.objects.filter(
            actor=station, action="update", object_id=str(amina.public_id), fields=["photo"]
        ).count()
        == 1
    )
    assert push(change).json()["outcomes"] == {"replayed": 1}  # the same change again
    again = photo_change(amina, PNG)  # the same photo under another change id
    assert push(again).json()["outcomes"] == {"replayed": 1}
    assert files(private_media) == [PNG]  # no new file
    assert AuditEvent.objects.filter(actor=station, fields=["photo"]).count() == 1
    assert list(AppliedChange.objects.values_list("outcome", flat=True).order_by("id")) == [
        "applied",
        "replayed",
    ]


def test_a_replaced_photo_applies_over_the_one_the_station_replaced(
    push, amina, private_media, django_capture_on_commit_callbacks
):
    assert push(photo_change(amina, PNG)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        answer = push(photo_change(amina, WEBP, replaced=PNG, image_type="webp", seq=2))
    assert answer.json() == {"acknowledged": 2, "outcomes": {"applied": 1}}
    amina.refresh_from_db()
    assert amina.photo.name.endswith(".webp") and photo_sha256(amina) == sha(WEBP)
    assert files(private_media) == [WEBP]  # the replaced file deleted, as for any photo set


def test_a_photo_set_nationally_since_the_station_base_waits_for_review(
    push, amina, officer_amina, private_media, client_for, coordinator_patrick
):
    assert push(photo_change(amina, PNG)).status_code == 200
    person_photo_set(actor=officer_amina, person=amina, content=JPEG)  # nationally, since
    answer = push(photo_change(amina, WEBP, replaced=PNG, image_type="webp", seq=2))
    assert answer.json() == {"acknowledged": 2, "outcomes": {"conflict": 1}}
    amina.refresh_from_db()
    assert photo_sha256(amina) == sha(JPEG)  # never silently replaced
    conflict = SyncConflict.objects.get()
    assert conflict.person == amina and conflict.status == "open"
    assert conflict.base_version == photo_id(amina.public_id, sha(PNG))
    assert conflict.national_version == photo_id(amina.public_id, sha(JPEG))
    assert conflict.payload["photo"] == base64.b64encode(WEBP).decode()  # kept whole
    # Shown by its hash and type, not its bytes, in the list and on the page.
    listed = client_for(coordinator_patrick).get("/api/v1/sync/conflicts").json()["results"]
    assert listed[0]["kind"] == "person_photo" and "photo" not in listed[0]["payload"]
    assert listed[0]["payload"]["sha256"] == sha(WEBP)
    page = client_for(coordinator_patrick).get(f"/sync/conflicts/{conflict.pk}/")
    assert page.status_code == 200 and sha(WEBP) in page.content.decode()
    assert conflict.payload["photo"] not in page.content.decode()
    # A station's first photo of someone photographed nationally meanwhile: the same.
    (bruno,) = register(officer_amina, {**AMINA, "given_name": "Bruno"})
    person_photo_set(actor=officer_amina, person=bruno, content=PNG)
    assert push(photo_change(bruno, JPEG, image_type="jpg", seq=3)).json()["outcomes"] == {
        "conflict": 1
    }
    bruno.refresh_from_db()
    assert photo_sha256(bruno) == sha(PNG)


BIG = b"\xff\xd8\xff" + b"0" * (2 * 1024 * 1024)  # a JPEG 3 bytes over the limit
PDF = b"%PDF-1.7 not an image"


@pytest.mark.parametrize(
    ("payload", "path", "message"),
    [
        (
            {"photo": base64.b64encode(PDF).decode(), "sha256": sha(PDF)},
            "photo",
            photos.NOT_AN_IMAGE,
        ),
        ({"photo": base64.b64encode(BIG).decode(), "sha256": sha(BIG)}, "photo", photos.TOO_BIG),
        ({"photo": "", "sha256": sha(b"")}, "photo", photos.EMPTY),
        ({"photo": "not base64!"}, "photo", receive_photos.NOT_BASE64),
        ({"sha256": sha(JPEG)}, "sha256", receive_photos.OTHER_HASH),
        ({"image_type": "jpg"}, "image_type", receive_photos.OTHER_TYPE),
        ({"person": str(uuid.uuid4())}, "person", UNKNOWN_PERSON),
    ],
)
def test_a_bad_photo_is_refused_by_its_field_and_nothing_is_written(
    push, amina, private_media, payload, path, message
):
    change = photo_change(amina, PNG)
    change["payload"] |= payload
    answer = push(change)
    assert answer.status_code == 422
    assert answer.json()["refused"] == 1 and answer.json()["acknowledged"] == 0
    assert answer.json()["errors"] == [
        {"field": f"body.changes.0.payload.{path}", "message": message}
    ]
    amina.refresh_from_db()
    assert not amina.photo and files(private_media) == []
    assert not AppliedChange.objects.exists() and not SyncConflict.objects.exists()


def test_a_photo_of_a_person_of_another_point_is_forbidden(push, officer_bintu, private_media):
    (elsewhere,) = register(officer_bintu, AMINA, point="point-b")
    answer = push(photo_change(elsewhere, PNG))
    assert answer.status_code == 403 and answer.json()["refused"] == 1
    assert answer.json()["errors"] == [
        {"field": "body.changes.0.payload.person", "message": NOT_YOUR_PERSON}
    ]
    assert files(private_media) == []


def registration(registration_id: uuid.UUID, seq: int) -> dict:
    payload = {
        "id": str(registration_id),
        "crossing_point": "point-a",
        "direction": "entry",
        "consent_given": True,
        "members": [{"relationship": "head", "given_name": "Amani", "family_name": "Deng"}],
    }
    return {
        "seq": seq,
        "id": str(uuid.uuid4()),
        "kind": "registration",
        "object_id": str(registration_id),
        "payload": payload,
    }


def test_a_photo_is_applied_after_its_registration_and_never_lost_before(push, private_media):
    """A photo can only be set on a person already there, so the station logs it after the
    registration, and the national server applies a batch in seq order. A photo arriving
    without its registration (refused and set aside on the station) is refused for an
    unknown person — set aside too, never dropped — and applies when retried after it."""
    registration_id = uuid.uuid4()
    person = SimpleNamespace(public_id=member_person_id(registration_id, 0))
    photo = photo_change(person, PNG, seq=2)
    alone = push(photo)
    assert alone.status_code == 422 and alone.json()["errors"] == [
        {"field": "body.changes.0.payload.person", "message": UNKNOWN_PERSON}
    ]
    assert files(private_media) == []
    answer = push(photo, registration(registration_id, seq=1))  # in the batch out of order
    assert answer.json() == {"acknowledged": 2, "outcomes": {"applied": 2}}
    (amani,) = Person.objects.filter(public_id=person.public_id)
    assert photo_sha256(amani) == sha(PNG) and files(private_media) == [PNG]
