"""The OpenRosa endpoints ODK Collect and KoboCollect talk to. They authenticate with a Collect
credential (HTTP Digest or Basic, over TLS in production), never with a browser session, and
answer in OpenRosa's XML whatever happens."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from hbm.collect import digest, openrosa, selectors
from hbm.collect.models import CollectCredential
from hbm.collect.services.credentials import (
    CredentialRejected,
    DigestUnavailable,
    NonceStale,
    collect_credential_authenticate,
    collect_credential_authenticate_digest,
)
from hbm.collect.services.submissions import NO_XML, SubmissionRefused, submission_receive

AUTH_REQUIRED = "Log in with the username and password of a Collect credential."
TOO_LARGE = "The submission is larger than {} bytes; send fewer attachments per request."
NONCE_STALE = "The Digest nonce has expired; send the request again with the new one."
URI_MISMATCH = "The Digest authorization was computed for another address than this request's."

View = Callable[..., HttpResponse]


def _digest_credential(
    request: HttpRequest, attempt: digest.DigestAttempt
) -> CollectCredential | HttpResponse:
    query = request.META.get("QUERY_STRING", "")
    if not digest.uri_matches(attempt.uri, path=request.path, query=query):
        return openrosa.message_response(URI_MISMATCH, 400, nature="error")
    try:
        return collect_credential_authenticate_digest(attempt=attempt, method=request.method or "")
    except NonceStale:
        return openrosa.challenge(NONCE_STALE, stale=True)
    except DigestUnavailable as error:
        return openrosa.challenge(str(error), offer_digest=False)
    except CredentialRejected as error:
        return openrosa.challenge(str(error))


def _credential(request: HttpRequest) -> CollectCredential | HttpResponse:
    header = request.headers.get("Authorization", "")
    try:
        attempt = digest.parse_authorization(header)
    except digest.DigestMalformed as error:
        return openrosa.challenge(str(error))
    if attempt is not None:
        return _digest_credential(request, attempt)
    found = openrosa.basic_credentials(header)
    if found is None:
        return openrosa.challenge(AUTH_REQUIRED)
    try:
        return collect_credential_authenticate(username=found[0], password=found[1])
    except CredentialRejected as error:
        return openrosa.challenge(str(error))


def device_auth(view: View) -> View:
    """Runs the view with the device's credential (HTTP Digest or Basic) as its second
    argument, or answers 401; a missing object is answered 404 in OpenRosa's envelope."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        credential = _credential(request)
        if isinstance(credential, HttpResponse):
            return credential
        try:
            return view(request, credential, *args, **kwargs)
        except Http404 as error:
            return openrosa.message_response(str(error), 404, nature="error")

    return wrapper


@require_GET
@device_auth
def form_list(request: HttpRequest, credential: CollectCredential) -> HttpResponse:
    entries = [
        openrosa.FormEntry(
            form_id=form.form_id,
            name=form.title,
            version=form.version,
            md5=form.md5,
            download_url=request.build_absolute_uri(
                reverse("collect:openrosa-form-xml", args=[form.form_id])
            ),
            manifest_url=request.build_absolute_uri(
                reverse("collect:openrosa-manifest", args=[form.form_id])
            ),
        )
        for form in selectors.forms_for_device(user=credential.user).defer("xlsx")
    ]
    return openrosa.form_list_response(entries)


@require_GET
@device_auth
def form_xml(request: HttpRequest, credential: CollectCredential, form_id: str) -> HttpResponse:
    form = selectors.form_get_for_device(user=credential.user, form_id=form_id)
    return openrosa.xform_response(form.xform)


@require_GET
@device_auth
def manifest(request: HttpRequest, credential: CollectCredential, form_id: str) -> HttpResponse:
    selectors.form_get_for_device(user=credential.user, form_id=form_id)
    return openrosa.manifest_response()


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@csrf_exempt
@require_http_methods(["HEAD", "GET", "POST"])
@device_auth
def submission(request: HttpRequest, credential: CollectCredential) -> HttpResponse:
    """HEAD (and GET) answer 204 with the size a POST may have; POST receives one instance."""
    if request.method != "POST":
        return openrosa.openrosa_headers(HttpResponse(status=204))
    limit = settings.COLLECT_MAX_SUBMISSION_BYTES
    if _declared_length(request) > limit:
        return openrosa.message_response(TOO_LARGE.format(limit), 413, nature="error")
    xml_part = request.FILES.get("xml_submission_file")
    if xml_part is None:
        return openrosa.message_response(NO_XML, 400, nature="error")
    files = [
        upload
        for name, uploads in request.FILES.lists()
        if name != "xml_submission_file"
        for upload in uploads
    ]
    try:
        receipt = submission_receive(credential=credential, xml=xml_part.read(), files=files)
    except SubmissionRefused as error:
        return openrosa.message_response(error.message, error.status, nature="error")
    nature = "submit_success" if receipt.status < 300 else "error"
    return openrosa.message_response(receipt.message, receipt.status, nature=nature)
