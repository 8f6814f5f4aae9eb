"""HTTP Digest (RFC 7616) on the OpenRosa endpoints, as ODK Collect answers it: requests'
HTTPDigestAuth against the live server (an implementation that is not ours), then headers
computed here, by hand, for the cases a client library never sends."""

import hashlib
import time
import xml.etree.ElementTree as ET

import pytest
import requests
from requests.auth import HTTPDigestAuth
from requests.utils import parse_dict_header

from hbm.audit.models import AuditEvent
from hbm.collect import digest
from hbm.collect.models import CollectCredential, Submission
from hbm.collect.services.credentials import (
    CREDENTIAL_UNKNOWN,
    DIGEST_UNAVAILABLE,
    collect_credential_revoke,
)
from hbm.collect.views_openrosa import NONCE_STALE, URI_MISMATCH
from hbm.registry.models import Registration
from tests.collect.conftest import basic, instance_xml

FORM_LIST = "/collect/formList"
SUBMISSION = "/collect/submission"
XFORMS_LIST = "{http://openrosa.org/xforms/xformsList}"
RESPONSE = "{http://openrosa.org/http/response}"
HASHES = {"MD5": "md5", "SHA-256": "sha256"}


def offered(response):
    """The Digest challenge's fields (requests' parser, as HTTPDigestAuth reads it)."""
    header = response["WWW-Authenticate"]
    assert header.startswith("Digest ")
    return parse_dict_header(header.removeprefix("Digest "))


def authorization(username, password, *, challenge, method, uri, algorithm="MD5", **change):
    """An ``Authorization: Digest`` header computed from RFC 7616 §3.4.1, independently of
    hbm.collect.digest; ``change`` alters a field after the response is computed."""

    def h(text):
        return hashlib.new(HASHES.get(algorithm, "md5"), text.encode()).hexdigest()

    nonce, realm, nc, cnonce = challenge["nonce"], challenge["realm"], "00000001", "c0ffee42"
    ha1 = h(f"{username}:{realm}:{password}")
    response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{h(f'{method}:{uri}')}")
    fields = {
        "username": username,
        "realm": realm,
        "nonce": nonce,
        "uri": uri,
        "response": response,
        "qop": "auth",
        "nc": nc,
        "cnonce": cnonce,
        "algorithm": algorithm,
        "opaque": challenge.get("opaque", ""),
        **change,
    }
    quoted = ("qop", "nc", "algorithm")
    text = ", ".join(f"{k}={v}" if k in quoted else f'{k}="{v}"' for k, v in fields.items())
    return {"HTTP_AUTHORIZATION": f"Digest {text}", "HTTP_X_OPENROSA_VERSION": "1.0"}


def message(response):
    return ET.fromstring(response.content).findtext(f"{RESPONSE}message")


def get_with_digest(client, device, path=FORM_LIST, *, method="get", **change):
    credential, password = device
    first = getattr(client, method)(path)
    headers = authorization(
        credential.username,
        password,
        challenge=offered(first),
        method=method.upper(),
        uri=path,
        **change,
    )
    return getattr(client, method)(path, **headers)


@pytest.fixture
def old_device(officer_amina, amina_device):
    """A credential as issued before Digest: no HA1."""
    credential, password = amina_device
    CollectCredential.objects.filter(pk=credential.pk).update(digest_ha1=None)
    return credential, password


def test_the_challenge_offers_digest_first_then_basic(client):
    response = client.get(FORM_LIST)
    assert response.status_code == 401
    header = response["WWW-Authenticate"]
    digest_part, basic_part = header.split(", Basic ")
    assert digest_part.startswith('Digest realm="HBM", qop="auth", nonce="')
    assert "algorithm=MD5" in digest_part and 'opaque="' in digest_part
    assert "stale" not in header
    assert basic_part == 'realm="HBM", charset="UTF-8"'
    # Each challenge has a nonce of its own.
    assert offered(client.get(FORM_LIST))["nonce"] != offered(response)["nonce"]


@pytest.mark.django_db(transaction=True)
def test_requests_digest_client_runs_collects_whole_conversation(
    live_server, form_a, amina_device, officer_amina
):
    """requests' HTTPDigestAuth, over real HTTP: form list, download, manifest, HEAD and a
    multipart POST with an attachment, each first challenged, then authenticated."""
    credential, password = amina_device
    session = requests.Session()
    session.auth = HTTPDigestAuth(credential.username, password)
    session.headers["X-OpenRosa-Version"] = "1.0"
    url = live_server.url

    listed = session.get(f"{url}{FORM_LIST}", timeout=30)
    assert listed.status_code == 200, listed.text
    assert listed.history and listed.history[0].status_code == 401
    assert listed.request.headers["Authorization"].startswith("Digest ")
    download = ET.fromstring(listed.content).find(f"{XFORMS_LIST}xform")
    form_xml = session.get(download.findtext(f"{XFORMS_LIST}downloadUrl"), timeout=30)
    assert form_xml.status_code == 200 and form_xml.text == form_a.xform
    manifest = session.get(download.findtext(f"{XFORMS_LIST}manifestUrl"), timeout=30)
    assert manifest.status_code == 200
    head = session.head(f"{url}{SUBMISSION}", timeout=30)
    assert head.status_code == 204
    assert head.headers["X-OpenRosa-Accept-Content-Length"]

    xml = instance_xml(form_a.xform, instance_id="uuid:22222222-2222-4222-8222-222222222222")
    files = {
        "xml_submission_file": ("submission.xml", xml, "text/xml"),
        "photo.jpg": ("photo.jpg", b"\xff\xd8photo", "image/jpeg"),
    }
    posted = session.post(f"{url}{SUBMISSION}", files=files, timeout=60)
    assert posted.status_code == 201, posted.text
    submission = Submission.objects.get()
    assert submission.credential_id == credential.pk
    assert [f.name for f in submission.files.all()] == ["photo.jpg"]
    assert Registration.objects.get().registered_by == officer_amina
    assert not AuditEvent.objects.filter(action="login_failed").exists()
    credential.refresh_from_db()
    assert credential.last_used_at is not None


def test_the_digest_secret_is_encrypted_and_the_password_is_nowhere(amina_device):
    from django.db import connection

    from hbm.lib.fieldcrypt import PREFIX

    credential, password = amina_device
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT digest_ha1 FROM collect_collectcredential WHERE id = %s", [credential.pk]
        )
        (stored,) = cursor.fetchone()
    assert stored.startswith(PREFIX) and password not in stored
    expected = hashlib.md5(f"{credential.username}:HBM:{password}".encode()).hexdigest()
    assert expected not in stored
    assert CollectCredential.objects.get(pk=credential.pk).digest_ha1["MD5"] == expected


def test_sha256_is_accepted(client, form_a, amina_device):
    response = get_with_digest(client, amina_device, algorithm="SHA-256")
    assert response.status_code == 200, response.content


def test_head_is_answered_with_digest(client, amina_device):
    assert get_with_digest(client, amina_device, SUBMISSION, method="head").status_code == 204


def test_a_wrong_password_is_a_failed_login_audited(client, amina_device):
    credential, _ = amina_device
    response = get_with_digest(client, (credential, "not-the-password"))
    assert response.status_code == 401
    assert message(response) == CREDENTIAL_UNKNOWN
    assert offered(response)["nonce"]  # Digest offered again, so Collect asks its user
    (failed,) = AuditEvent.objects.filter(action="login_failed")
    assert failed.actor_label == credential.username
    assert failed.detail == f"collect (digest): {CREDENTIAL_UNKNOWN}"
    assert "not-the-password" not in str(AuditEvent.objects.values_list())


def test_an_unknown_username_is_answered_as_a_wrong_password(client, amina_device):
    response = get_with_digest(client, (CollectCredential(username="nobody-123456"), "x" * 20))
    assert response.status_code == 401
    assert message(response) == CREDENTIAL_UNKNOWN
    assert response["WWW-Authenticate"].startswith("Digest ")
    assert AuditEvent.objects.get(action="login_failed").actor_label == "nobody-123456"


def test_an_expired_nonce_is_stale_and_the_retry_succeeds(client, form_a, amina_device):
    credential, password = amina_device
    realm = "HBM"
    old = digest.nonce_issue(
        realm=realm, issued_at=time.time() - digest.NONCE_LIFETIME.total_seconds() - 1
    )
    challenge = {"realm": realm, "nonce": old}
    headers = authorization(
        credential.username, password, challenge=challenge, method="GET", uri=FORM_LIST
    )
    stale = client.get(FORM_LIST, **headers)
    assert stale.status_code == 401
    assert message(stale) == NONCE_STALE
    fresh = offered(stale)
    assert fresh["stale"] == "true" and fresh["nonce"] != old
    assert not AuditEvent.objects.filter(action="login_failed").exists()
    retry = authorization(
        credential.username, password, challenge=fresh, method="GET", uri=FORM_LIST
    )
    assert client.get(FORM_LIST, **retry).status_code == 200


def test_a_nonce_reused_within_its_lifetime_still_serves(client, form_a, amina_device):
    """As Collect does: it sends the next requests with the same nonce and a higher nc."""
    credential, password = amina_device
    challenge = offered(client.get(FORM_LIST))
    for _ in range(2):
        headers = authorization(
            credential.username, password, challenge=challenge, method="GET", uri=FORM_LIST
        )
        assert client.get(FORM_LIST, **headers).status_code == 200


@pytest.mark.parametrize("part", ["stamp", "mac"])
def test_a_tampered_nonce_never_authenticates(client, amina_device, part):
    credential, password = amina_device
    challenge = offered(client.get(FORM_LIST))
    stamp, salt, mac = challenge["nonce"].split(".")
    if part == "stamp":  # a later time, to make an old nonce last
        forged = f"{int(stamp, 16) + 3600:x}.{salt}.{mac}"
    else:
        forged = f"{stamp}.{salt}.{'0' * len(mac)}"
    # The response computed over the forged nonce (the password known): stale, retry.
    forged_challenge = {**challenge, "nonce": forged}
    headers = authorization(
        credential.username, password, challenge=forged_challenge, method="GET", uri=FORM_LIST
    )
    response = client.get(FORM_LIST, **headers)
    assert response.status_code == 401
    assert offered(response)["stale"] == "true"
    # A captured response moved onto a forged nonce: a failed login.
    captured = authorization(
        credential.username, password, challenge=challenge, method="GET", uri=FORM_LIST
    )
    altered = captured["HTTP_AUTHORIZATION"].replace(challenge["nonce"], forged)
    moved = client.get(FORM_LIST, HTTP_AUTHORIZATION=altered)
    assert moved.status_code == 401
    assert "stale" not in moved["WWW-Authenticate"]
    assert AuditEvent.objects.filter(action="login_failed").count() == 1


def test_a_response_for_another_uri_is_refused(client, form_a, amina_device):
    credential, password = amina_device
    challenge = offered(client.get(FORM_LIST))
    headers = authorization(
        credential.username,
        password,
        challenge=challenge,
        method="GET",
        uri="/collect/forms/hbm_registration/form.xml",
    )
    response = client.get(FORM_LIST, **headers)
    assert response.status_code == 400
    assert message(response) == URI_MISMATCH
    # Nor may the method change: a GET's response does not open a POST.
    posted = client.post(
        SUBMISSION,
        {},
        **authorization(
            credential.username, password, challenge=challenge, method="GET", uri=SUBMISSION
        ),
    )
    assert posted.status_code == 401


def test_a_revoked_credential_is_refused_and_its_secret_erased(
    client, form_a, amina_device, officer_amina
):
    credential, password = amina_device
    challenge = offered(client.get(FORM_LIST))
    collect_credential_revoke(actor=officer_amina, credential=credential)
    assert CollectCredential.objects.get(pk=credential.pk).digest_ha1 is None
    headers = authorization(
        credential.username, password, challenge=challenge, method="GET", uri=FORM_LIST
    )
    response = client.get(FORM_LIST, **headers)
    assert response.status_code == 401
    assert client.get(FORM_LIST, **basic(amina_device)).status_code == 401


def test_an_expired_credential_is_refused(client, amina_device):
    from django.utils import timezone

    CollectCredential.objects.filter(pk=amina_device[0].pk).update(expires_at=timezone.now())
    response = get_with_digest(client, amina_device)
    assert response.status_code == 401
    assert "expired" in message(response)


def test_a_credential_from_before_digest_is_sent_to_basic(client, form_a, old_device):
    """Digest is refused with Basic alone offered, so Collect (over HTTPS) falls back to it."""
    response = get_with_digest(client, old_device)
    assert response.status_code == 401
    assert message(response) == DIGEST_UNAVAILABLE
    assert response["WWW-Authenticate"] == 'Basic realm="HBM", charset="UTF-8"'
    assert client.get(FORM_LIST, **basic(old_device)).status_code == 200


def test_another_realm_leaves_digest_to_new_credentials(client, form_a, amina_device, settings):
    settings.COLLECT_REALM = "HBM Moyale"
    response = get_with_digest(client, amina_device)
    assert response.status_code == 401
    assert message(response) == DIGEST_UNAVAILABLE
    assert client.get(FORM_LIST, **basic(amina_device)).status_code == 200


def test_basic_still_works_beside_digest(client, form_a, amina_device):
    assert client.get(FORM_LIST, **basic(amina_device)).status_code == 200


@pytest.mark.parametrize(
    "change",
    [{"qop": "auth-int"}, {"algorithm": "SHA-512-256"}, {"cnonce": ""}, {"userhash": "true"}],
)
def test_what_digest_here_cannot_check_is_challenged(client, amina_device, change):
    response = get_with_digest(client, amina_device, **change)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Digest ")
    assert not AuditEvent.objects.filter(action="login_failed").exists()
