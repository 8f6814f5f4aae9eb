"""L3: a body larger than Django accepts (DATA_UPLOAD_MAX_MEMORY_SIZE, 3 MB) is a 413 with
a clear message, in the API's error format or as a plain page; never a 500."""

import json
import uuid

from django.conf import settings

from hbm.lib.body_size import BODY_TOO_LARGE


def _big_registration() -> str:
    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    return json.dumps(
        {
            "id": str(uuid.uuid4()),
            "crossing_point": "point-a",
            "direction": "entry",
            "destination": padding,
            "consent_given": True,
            "members": [{"relationship": "head", "given_name": "Amani"}],
        }
    )


def test_an_oversized_json_body_is_a_413_in_the_api_format(client_for, officer_amina):
    response = client_for(officer_amina).post(
        "/api/v1/registrations", _big_registration(), content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json() == {"message": BODY_TOO_LARGE}


def test_an_oversized_form_is_a_413_plain_page(client_for, officer_amina):
    body = "given_name=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client_for(officer_amina).post(
        "/registry/desk/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert BODY_TOO_LARGE in response.content.decode()


def test_a_body_within_the_limit_still_reaches_the_api(client_for, officer_amina):
    response = client_for(officer_amina).post(
        "/api/v1/registrations", "{}", content_type="application/json"
    )
    assert response.status_code == 422
