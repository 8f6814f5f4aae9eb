"""Forms for Collect: XLSForm upload (page, API, service), the mapping checked against the
form, and the pages of coordinators and officers."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hbm.audit.models import AuditEvent
from hbm.collect import mapping as mapping_rules
from hbm.collect.models import CollectCredential, CollectForm
from hbm.collect.services import forms
from hbm.collect.services.credentials import NOT_YOUR_CREDENTIAL, collect_credential_revoke
from hbm.collect.template import template_xlsx
from hbm.collect.xforms import xlsform_convert
from tests.collect.conftest import TEMPLATE


def test_the_shipped_xlsform_is_the_template_module_s():
    """data/registration.xlsx is regenerated from hbm.collect.template (see its docstring):
    both convert to the same XForm."""
    assert xlsform_convert(TEMPLATE.read_bytes()).xform == xlsform_convert(template_xlsx()).xform


def test_upload_converts_and_maps_by_default(form_a, point_a):
    assert form_a.form_id == "hbm_registration"
    assert form_a.title == "HBM border registration"
    assert form_a.version == "2026120601"
    assert form_a.root == "data"
    assert "<h:html" in form_a.xform
    assert len(form_a.md5) == 32
    assert form_a.mapping == mapping_rules.DEFAULT_MAPPING
    assert list(form_a.crossing_points.all()) == [point_a]
    assert AuditEvent.objects.filter(object_type="collect.collectform", action="create").exists()


def test_uploading_the_same_form_id_again_replaces_it(
    form_a, coordinator_patrick, point_b, xlsform
):
    again = forms.collect_form_upload(
        actor=coordinator_patrick, content=xlsform, filename="v2.xlsx", crossing_points=[point_b]
    )
    assert again.pk == form_a.pk
    assert CollectForm.objects.count() == 1
    assert list(again.crossing_points.all()) == [point_b]


def mapping_refused(actor, point, xlsform, mapping):
    """The problems of the mapping when the form is uploaded with it (nothing is written)."""
    with pytest.raises(ValidationError) as caught:
        forms.collect_form_upload(
            actor=actor,
            content=xlsform,
            filename="f.xlsx",
            crossing_points=[point],
            mapping=mapping,
        )
    assert CollectForm.objects.count() == 0
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        ({"/data/nowhere": "direction"}, mapping_rules.NOT_IN_FORM.format("/data/nowhere")),
        ({"/data": "direction"}, mapping_rules.NOT_IN_FORM.format("/data")),
        ({"/data/head": "members"}, mapping_rules.NOT_A_REPEAT.format("/data/head")),
        (
            {"/data/direction": "direction", "/data/reason": "direction"},
            mapping_rules.TARGET_TWICE.format("/data/reason", "direction", "/data/direction"),
        ),
        (
            {"/data/members/sex": "members[].sex"},
            mapping_rules.NO_REPEAT.format("/data/members/sex", "sex"),
        ),
        (
            {"/data/members": "members", "/data/head/sex": "members[].sex"},
            mapping_rules.OUTSIDE_REPEAT.format("/data/head/sex", "sex", "/data/members"),
        ),
        (["not", "an", "object"], mapping_rules.NOT_AN_OBJECT),
    ],
)
def test_a_mapping_is_checked_against_the_form(
    coordinator_patrick, point_a, xlsform, mapping, expected
):
    problems = mapping_refused(coordinator_patrick, point_a, xlsform, mapping)
    assert problems == {"mapping": [expected]}


def test_an_unknown_registration_field_is_named(coordinator_patrick, point_a, xlsform):
    mapping = {"/data/direction": "members[0].shoe_size"}
    (message,) = mapping_refused(coordinator_patrick, point_a, xlsform, mapping)["mapping"]
    assert message.startswith("/data/direction: 'members[0].shoe_size' is not a registration field")


def test_a_file_that_is_not_an_xlsform_and_no_point_are_both_named(coordinator_patrick):
    with pytest.raises(ValidationError) as caught:
        forms.collect_form_upload(
            actor=coordinator_patrick,
            content=b"PK\x03\x04junk",
            filename="f.xlsx",
            crossing_points=[],
        )
    assert set(caught.value.message_dict) == {"file", "crossing_points"}
    assert caught.value.message_dict["crossing_points"] == [forms.NO_POINTS]


def test_officers_do_not_upload_forms(officer_amina, point_a, xlsform):
    with pytest.raises(PermissionDenied):
        forms.collect_form_upload(
            actor=officer_amina, content=xlsform, filename="f.xlsx", crossing_points=[point_a]
        )


def test_the_upload_page_names_the_mapping_problem(
    client_for, coordinator_patrick, point_a, xlsform
):
    client = client_for(coordinator_patrick)
    response = client.post(
        "/collect/",
        {
            "file": SimpleUploadedFile("registration.xlsx", xlsform),
            "crossing_points": [point_a.pk],
            "mapping": json.dumps({"/data/nowhere": "direction"}),
        },
    )
    assert response.status_code == 422
    assert mapping_rules.NOT_IN_FORM.format("/data/nowhere") in response.content.decode()
    ok = client.post(
        "/collect/",
        {"file": SimpleUploadedFile("registration.xlsx", xlsform), "crossing_points": [point_a.pk]},
    )
    assert ok.status_code == 302
    form = CollectForm.objects.get()
    page = client.get(ok["Location"])
    assert "/data/members/given_name" in page.content.decode()
    listing = client.get("/collect/")
    assert "hbm_registration" in listing.content.decode()
    # Deactivate: Collect no longer sees it.
    saved = client.post(
        f"/collect/forms/{form.pk}/",
        {"mapping": json.dumps(form.mapping), "crossing_points": [point_a.pk]},
    )
    assert saved.status_code == 302
    form.refresh_from_db()
    assert form.active is False
    bad = client.post(f"/collect/forms/{form.pk}/", {"mapping": "{not json", "active": "on"})
    assert bad.status_code == 422
    assert "Not valid JSON" in bad.content.decode()


def test_the_api_uploads_a_form(client_for, admin_samuel, point_a, xlsform):
    client = client_for(admin_samuel)
    response = client.post(
        "/api/v1/collect/forms",
        {"file": SimpleUploadedFile("registration.xlsx", xlsform), "crossing_points": "point-a"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["form_id"] == "hbm_registration"
    assert body["crossing_points"] == ["point-a"]
    assert body["hash"].startswith("md5:")


def test_the_api_names_each_problem(client_for, admin_samuel, point_a, xlsform):
    client = client_for(admin_samuel)
    response = client.post(
        "/api/v1/collect/forms",
        {
            "file": SimpleUploadedFile("registration.xlsx", xlsform),
            "crossing_points": "point-a,nowhere",
            "mapping": "{",
        },
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"body.crossing_points"}
    response = client.post(
        "/api/v1/collect/forms",
        {
            "file": SimpleUploadedFile("registration.xlsx", xlsform),
            "crossing_points": "point-a",
            "mapping": json.dumps({"/data/direction": "flavour"}),
        },
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "body.mapping"
    assert "'flavour' is not a registration field" in error["message"]


def test_an_officer_issues_and_revokes_a_credential(client_for, officer_amina):
    client = client_for(officer_amina)
    response = client.post("/collect/credentials/", {"name": "Tablet 3"})
    assert response.status_code == 200
    credential = CollectCredential.objects.get()
    page = response.content.decode()
    assert credential.username in page
    assert credential.password_hash not in page
    assert credential.password_hash.startswith("md5$")  # the tests' fast hasher
    revoked = client.post(f"/collect/credentials/{credential.pk}/revoke/")
    assert revoked.status_code == 302
    credential.refresh_from_db()
    assert credential.revoked_at is not None


def test_an_officer_cannot_revoke_another_s_credential(officer_amina, officer_bintu, bintu_device):
    with pytest.raises(PermissionDenied, match=NOT_YOUR_CREDENTIAL):
        collect_credential_revoke(actor=officer_amina, credential=bintu_device[0])


def test_a_credential_needs_a_name(client_for, officer_amina):
    response = client_for(officer_amina).post("/collect/credentials/", {"name": " "})
    assert response.status_code == 422
    assert CollectCredential.objects.count() == 0
