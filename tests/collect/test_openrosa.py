"""ODK Collect's conversation with HBM (OpenRosa 1.0), driven through the real endpoints with
an instance built from the shipped XLSForm."""

import base64
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hbm.audit.models import AuditEvent
from hbm.collect.mapping import registration_id
from hbm.collect.models import Submission
from hbm.collect.services import submissions
from hbm.collect.services.credentials import (
    CREDENTIAL_EXPIRED,
    CREDENTIAL_UNKNOWN,
    collect_credential_revoke,
)
from hbm.collect.xforms import BAD_XML, NO_INSTANCE_ID
from hbm.registry.models import Registration
from tests.collect.conftest import CHILDREN, GROUP, HEAD, basic, instance_xml

RESPONSE = "{http://openrosa.org/http/response}"
FORM_LIST = "{http://openrosa.org/xforms/xformsList}"
SUBMISSION = "/collect/submission"


def message(response):
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{RESPONSE}OpenRosaResponse"
    return root.findtext(f"{RESPONSE}message")


def submit(client, device, xml, **files):
    parts = {
        "xml_submission_file": SimpleUploadedFile("submission.xml", xml, "text/xml"),
        **{
            name: SimpleUploadedFile(name, content, "image/jpeg") for name, content in files.items()
        },
    }
    return client.post(SUBMISSION, parts, **basic(device))


@pytest.fixture
def some_form(form_a, officer_bintu, coordinator_patrick, point_b, xlsform):
    return form_a


def test_form_list_lists_the_forms_of_the_devices_points(
    client, form_a, amina_device, bintu_device
):
    response = client.get("/collect/formList", **basic(amina_device))
    assert response.status_code == 200
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["Date"]
    forms = ET.fromstring(response.content).findall(f"{FORM_LIST}xform")
    assert [f.findtext(f"{FORM_LIST}formID") for f in forms] == ["hbm_registration"]
    entry = forms[0]
    assert entry.findtext(f"{FORM_LIST}hash") == f"md5:{form_a.md5}"
    assert entry.findtext(f"{FORM_LIST}version") == "2026120601"
    download = entry.findtext(f"{FORM_LIST}downloadUrl")
    assert download.endswith("/collect/forms/hbm_registration/form.xml")
    assert entry.findtext(f"{FORM_LIST}manifestUrl").endswith("/forms/hbm_registration/manifest")
    # A device of point B sees no form of point A.
    other = client.get("/collect/formList", **basic(bintu_device))
    assert ET.fromstring(other.content).findall(f"{FORM_LIST}xform") == []


def test_form_xml_and_manifest_are_served(client, form_a, amina_device, bintu_device):
    response = client.get("/collect/forms/hbm_registration/form.xml", **basic(amina_device))
    assert response.status_code == 200
    assert response.content.decode() == form_a.xform
    manifest = client.get("/collect/forms/hbm_registration/manifest", **basic(amina_device))
    assert manifest.status_code == 200
    assert (
        ET.fromstring(manifest.content).tag == "{http://openrosa.org/xforms/xformsManifest}manifest"
    )
    hidden = client.get("/collect/forms/hbm_registration/form.xml", **basic(bintu_device))
    assert hidden.status_code == 404


def test_head_answers_204_with_the_size_a_post_may_have(client, amina_device, settings):
    response = client.head(SUBMISSION, **basic(amina_device))
    assert response.status_code == 204
    assert response["X-OpenRosa-Accept-Content-Length"] == str(
        settings.COLLECT_MAX_SUBMISSION_BYTES
    )
    assert response["X-OpenRosa-Version"] == "1.0"


def test_a_submission_registers_the_group(client, form_a, amina_device, officer_amina):
    xml = instance_xml(form_a.xform, instance_id="uuid:11111111-1111-4111-8111-111111111111")
    response = submit(client, amina_device, xml)
    assert response.status_code == 201, response.content
    assert message(response) == submissions.RECEIVED
    assert response["X-OpenRosa-Version"] == "1.0"
    registration = Registration.objects.get()
    assert registration.public_id == registration_id("uuid:11111111-1111-4111-8111-111111111111")
    assert registration.registered_by == officer_amina
    assert registration.crossing_point.code == "point-a"
    members = list(registration.group.members.order_by("pk").select_related("person"))
    assert [(m.relationship, m.person.given_name) for m in members] == [
        ("head", "Amani"),
        ("child", "Deng"),
        ("child", "Nyandeng"),
    ]
    head = members[0].person
    assert (head.family_name, head.sex, head.date_of_birth) == ("Lado", "F", "1990-04-02")
    assert head.document_number == "P1234567"
    assert members[1].person.age_estimate == 7
    consent = head.consents.get(purpose="registration")
    assert consent.given
    crossing = registration.group.crossings.first()
    assert registration.group.crossings.count() == 3
    assert (crossing.direction, crossing.transport, crossing.reason) == (
        "entry",
        "on_foot",
        "conflict",
    )
    submission = Submission.objects.get()
    assert submission.registration == registration
    assert submission.status == Submission.Status.REGISTERED
    assert submission.xml == xml.decode()
    assert AuditEvent.objects.filter(object_type="collect.submission", action="create").exists()


def test_an_exact_replay_is_accepted_without_a_second_record(client, form_a, amina_device):
    xml = instance_xml(form_a.xform)
    assert submit(client, amina_device, xml).status_code == 201
    again = submit(client, amina_device, xml)
    assert again.status_code == 202
    assert message(again) == submissions.REPLAYED
    assert Registration.objects.count() == 1
    assert Submission.objects.count() == 1


def test_the_same_instance_id_with_other_content_is_a_conflict(client, form_a, amina_device):
    first = instance_xml(form_a.xform, instance_id="uuid:abc")
    assert submit(client, amina_device, first).status_code == 201
    changed = instance_xml(
        form_a.xform, instance_id="uuid:abc", head={**HEAD, "given_name": "Amina"}
    )
    response = submit(client, amina_device, changed)
    assert response.status_code == 409
    assert message(response) == submissions.CONFLICT.format("uuid:abc")
    assert Registration.objects.count() == 1
    assert Submission.objects.get().xml == first.decode()


def test_missing_credentials_are_challenged(client, form_a):
    for response in (
        client.get("/collect/formList"),
        client.head(SUBMISSION),
        client.post(SUBMISSION, {}),
    ):
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Digest realm=")
        assert ', Basic realm="HBM"' in response["WWW-Authenticate"]
        assert response["X-OpenRosa-Version"] == "1.0"


def test_wrong_password_and_garbled_header_are_challenged(client, amina_device):
    credential, _ = amina_device
    wrong = client.get("/collect/formList", **basic((credential, "not-the-password")))
    assert wrong.status_code == 401
    assert message(wrong) == CREDENTIAL_UNKNOWN
    garbled = client.get("/collect/formList", HTTP_AUTHORIZATION="Basic !!!")
    assert garbled.status_code == 401
    session = client.get("/collect/formList", HTTP_AUTHORIZATION="Bearer hbm_x_y")
    assert session.status_code == 401
    (failed,) = AuditEvent.objects.filter(action="login_failed")
    assert failed.object_type == "collect.collectcredential"
    assert failed.actor_label == credential.username and failed.actor is None
    assert failed.detail == f"collect: {CREDENTIAL_UNKNOWN}"
    assert "not-the-password" not in str(AuditEvent.objects.values_list())


def test_a_session_does_not_authenticate_collect(client, officer_amina, form_a):
    client.force_login(officer_amina)
    assert client.get("/collect/formList").status_code == 401


def test_a_revoked_credential_is_refused(client, form_a, amina_device, officer_amina):
    collect_credential_revoke(actor=officer_amina, credential=amina_device[0])
    response = submit(client, amina_device, instance_xml(form_a.xform))
    assert response.status_code == 401
    assert "revoked" in message(response)
    assert Submission.objects.count() == 0


def test_an_expired_credential_is_refused(client, form_a, amina_device):
    credential = amina_device[0]
    credential.expires_at = timezone.now()
    credential.save()
    response = client.get("/collect/formList", **basic(amina_device))
    assert response.status_code == 401
    assert message(response) == CREDENTIAL_EXPIRED.format(credential.expires_at.date())


def test_a_device_of_another_point_is_forbidden(client, form_a, bintu_device):
    response = submit(client, bintu_device, instance_xml(form_a.xform))
    assert response.status_code == 403
    assert message(response) == submissions.NOT_YOUR_FORM.format("hbm_registration")
    assert Submission.objects.count() == 0
    assert Registration.objects.count() == 0


def test_bad_xml_is_refused_with_a_message(client, form_a, amina_device):
    response = submit(client, amina_device, b"<data id='hbm_registration'><meta>")
    assert response.status_code == 400
    assert message(response).startswith(BAD_XML.split("{")[0])
    no_id = submit(client, amina_device, b"<data id='hbm_registration'><meta/></data>")
    assert no_id.status_code == 400
    assert message(no_id) == NO_INSTANCE_ID
    missing = client.post(SUBMISSION, {}, **basic(amina_device))
    assert missing.status_code == 400
    assert message(missing) == submissions.NO_XML
    assert Submission.objects.count() == 0


def test_an_unknown_form_is_named(client, form_a, amina_device):
    xml = instance_xml(form_a.xform).replace(b'id="hbm_registration"', b'id="other_form"')
    response = submit(client, amina_device, xml)
    assert response.status_code == 404
    assert message(response) == submissions.UNKNOWN_FORM.format("other_form")


def test_a_submission_the_registry_refuses_is_kept_with_its_problems(client, form_a, amina_device):
    xml = instance_xml(form_a.xform, head={**HEAD, "sex": "Q", "nationality": "XXX"})
    response = submit(client, amina_device, xml)
    assert response.status_code == 422
    text = message(response)
    assert "members.0.sex" in text and "members.0.nationality" in text
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.REJECTED
    assert set(submission.errors) == {"members.0.sex", "members.0.nationality"}
    assert Registration.objects.count() == 0


def test_a_mapping_failure_names_the_field(client, form_a, amina_device):
    xml = instance_xml(form_a.xform, members=[{**CHILDREN[0], "age_estimate": "seven"}])
    response = submit(client, amina_device, xml)
    assert response.status_code == 422
    assert "members.1.age_estimate" in message(response)
    no_consent = instance_xml(form_a.xform, group={"direction": "entry", "consent": "maybe"})
    response = submit(client, amina_device, no_consent)
    assert response.status_code == 422
    assert "consent_given" in message(response)


def test_attachments_are_kept_and_a_replay_adds_the_missing_ones(client, form_a, amina_device):
    xml = instance_xml(form_a.xform)
    assert submit(client, amina_device, xml, **{"photo.jpg": b"\xff\xd8first"}).status_code == 201
    more = submit(client, amina_device, xml, **{"photo.jpg": b"\xff\xd8first", "id.jpg": b"2"})
    assert more.status_code == 201
    assert message(more) == submissions.ATTACHMENTS_ADDED.format(1)
    files = {f.name: f for f in Submission.objects.get().files.all()}
    assert sorted(files) == ["id.jpg", "photo.jpg"]
    with files["photo.jpg"].file.open("rb") as stored:
        assert stored.read() == b"\xff\xd8first"
    assert Registration.objects.count() == 1


def test_an_attachment_name_with_a_folder_is_refused(client, form_a, amina_device):
    xml = instance_xml(form_a.xform)
    parts = {
        "xml_submission_file": SimpleUploadedFile("submission.xml", xml, "text/xml"),
        "photo": SimpleUploadedFile(".hidden", b"x"),
    }
    response = client.post(SUBMISSION, parts, **basic(amina_device))
    assert response.status_code == 400
    assert Submission.objects.count() == 0


def test_an_edit_that_changes_the_registration_waits_for_review(client, form_a, amina_device):
    first = instance_xml(form_a.xform, instance_id="uuid:v1")
    assert submit(client, amina_device, first).status_code == 201
    edit = instance_xml(
        form_a.xform,
        instance_id="uuid:v2",
        deprecated_id="uuid:v1",
        head={**HEAD, "document_number": "P7654321"},
    )
    response = submit(client, amina_device, edit)
    assert response.status_code == 201
    assert "members.0.document_number" in message(response)
    edited = Submission.objects.get(instance_id="uuid:v2")
    assert edited.status == Submission.Status.EDIT_REVIEW
    assert edited.changes == ["members.0.document_number"]
    assert edited.deprecates.instance_id == "uuid:v1"
    assert edited.registration == Submission.objects.get(instance_id="uuid:v1").registration
    # The registry is not changed by the edit itself.
    assert Registration.objects.count() == 1
    head = Registration.objects.get().group.members.get(relationship="head").person
    assert head.document_number == "P1234567"
    # A second edit of the same version is refused: edit the newest one.
    again = instance_xml(form_a.xform, instance_id="uuid:v3", deprecated_id="uuid:v1")
    conflict = submit(client, amina_device, again)
    assert conflict.status_code == 409
    assert message(conflict) == submissions.EDITED_ALREADY.format("uuid:v1")


def test_an_edit_that_changes_nothing_mapped_is_recorded(client, form_a, amina_device):
    assert (
        submit(client, amina_device, instance_xml(form_a.xform, instance_id="uuid:e1")).status_code
        == 201
    )
    # Only "end" differs, which nothing maps.
    same = instance_xml(
        form_a.xform,
        instance_id="uuid:e2",
        deprecated_id="uuid:e1",
        group={**GROUP, "end": "2026-12-06T09:00:00.000+02:00"},
    )
    response = submit(client, amina_device, same)
    assert response.status_code == 201
    assert message(response) == submissions.EDIT_SAME
    assert Submission.objects.get(instance_id="uuid:e2").status == Submission.Status.EDIT_SAME


def test_an_edit_of_a_rejected_submission_registers_it(client, form_a, amina_device):
    bad = instance_xml(form_a.xform, instance_id="uuid:r1", head={**HEAD, "sex": "Q"})
    assert submit(client, amina_device, bad).status_code == 422
    fixed = instance_xml(form_a.xform, instance_id="uuid:r2", deprecated_id="uuid:r1")
    response = submit(client, amina_device, fixed)
    assert response.status_code == 201
    registration = Registration.objects.get()
    assert registration.public_id == registration_id("uuid:r1")
    assert Submission.objects.get(instance_id="uuid:r2").registration == registration


def test_an_edit_of_an_unknown_submission_is_refused(client, form_a, amina_device):
    edit = instance_xml(form_a.xform, instance_id="uuid:n2", deprecated_id="uuid:nowhere")
    response = submit(client, amina_device, edit)
    assert response.status_code == 404
    assert message(response) == submissions.DEPRECATED_UNKNOWN.format("uuid:nowhere")


def test_a_too_large_submission_is_refused_before_it_is_read(client, amina_device, settings):
    settings.COLLECT_MAX_SUBMISSION_BYTES = 10
    response = submit(client, amina_device, b"<data/>" * 10)
    assert response.status_code == 413


def test_a_rejected_submission_sent_again_after_the_mapping_is_fixed_registers(
    client, form_a, amina_device, coordinator_patrick, point_a
):
    from hbm.collect.services.forms import collect_form_update

    mapping = {k: v for k, v in form_a.mapping.items() if v != "consent_given"}
    collect_form_update(
        actor=coordinator_patrick,
        form=form_a,
        mapping=mapping,
        crossing_points=[point_a],
        active=True,
    )
    xml = instance_xml(form_a.xform)
    assert submit(client, amina_device, xml).status_code == 422
    form_a.refresh_from_db()
    collect_form_update(
        actor=coordinator_patrick,
        form=form_a,
        mapping={**mapping, "/data/consent": "consent_given"},
        crossing_points=[point_a],
        active=True,
    )
    assert submit(client, amina_device, xml).status_code == 201
    assert Submission.objects.get().status == Submission.Status.REGISTERED


def test_basic_header_helper_roundtrip():
    from hbm.collect.openrosa import basic_credentials

    token = base64.b64encode(b"amina-1a2b3c:pa:ss").decode()
    assert basic_credentials(f"Basic {token}") == ("amina-1a2b3c", "pa:ss")
    assert basic_credentials("Digest x") is None
    assert basic_credentials("Basic " + base64.b64encode(b"nocolon").decode()) is None


def test_a_withdrawn_form_is_neither_listed_nor_received(
    client, form_a, amina_device, coordinator_patrick, point_a
):
    from hbm.collect.services.forms import collect_form_update

    collect_form_update(
        actor=coordinator_patrick,
        form=form_a,
        mapping=form_a.mapping,
        crossing_points=[point_a],
        active=False,
    )
    listed = client.get("/collect/formList", **basic(amina_device))
    assert ET.fromstring(listed.content).findall(f"{FORM_LIST}xform") == []
    response = submit(client, amina_device, instance_xml(form_a.xform))
    assert response.status_code == 422
    assert message(response) == submissions.FORM_INACTIVE.format("hbm_registration")
    assert Submission.objects.count() == 0


def test_a_device_whose_user_may_not_register_is_forbidden(
    client, form_a, officer_amina, amina_device
):
    officer_amina.roles = ["protection_officer"]
    officer_amina.save()
    response = submit(client, amina_device, instance_xml(form_a.xform))
    assert response.status_code == 403
    assert Submission.objects.count() == 0
    assert Registration.objects.count() == 0
