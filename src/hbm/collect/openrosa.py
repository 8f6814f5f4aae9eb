"""The OpenRosa 1.0 wire format: response headers, the OpenRosaResponse envelope, the form
list and manifest documents, HTTP Basic credentials and the 401 challenge (Digest's mechanics
are in ``hbm.collect.digest``). Documents are built with ElementTree, so every value is
escaped."""

import base64
import binascii
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import http_date

from hbm.collect import digest

RESPONSE_NS = "http://openrosa.org/http/response"
FORM_LIST_NS = "http://openrosa.org/xforms/xformsList"
MANIFEST_NS = "http://openrosa.org/xforms/xformsManifest"
XML = "text/xml; charset=utf-8"


def openrosa_headers(response: HttpResponse) -> HttpResponse:
    """The headers every OpenRosa answer carries."""
    response["X-OpenRosa-Version"] = "1.0"
    response["X-OpenRosa-Accept-Content-Length"] = str(settings.COLLECT_MAX_SUBMISSION_BYTES)
    response["Date"] = http_date()
    return response


def _document(root: ET.Element, status: int = 200) -> HttpResponse:
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return openrosa_headers(HttpResponse(body, status=status, content_type=XML))


def message_response(message: str, status: int, *, nature: str = "") -> HttpResponse:
    """An OpenRosaResponse envelope with one message."""
    root = ET.Element("OpenRosaResponse", xmlns=RESPONSE_NS, items="0")
    element = ET.SubElement(root, "message")
    if nature:
        element.set("nature", nature)
    element.text = message
    return _document(root, status)


def challenge(message: str, *, offer_digest: bool = True, stale: bool = False) -> HttpResponse:
    """401 offering HTTP Digest, then Basic, in one header: Collect answers the first scheme it
    knows (Basic only over HTTPS). Without ``offer_digest``, Basic alone, for a credential
    that has no Digest secret: Collect then falls back to Basic rather than giving up."""
    realm = settings.COLLECT_REALM
    offers = [digest.challenge(realm=realm, stale=stale)] if offer_digest else []
    offers.append(f'Basic realm="{realm}", charset="UTF-8"')
    response = message_response(message, 401, nature="error")
    response["WWW-Authenticate"] = ", ".join(offers)
    return response


@dataclass(frozen=True)
class FormEntry:
    form_id: str
    name: str
    version: str
    md5: str
    download_url: str
    manifest_url: str


def form_list_response(entries: Iterable[FormEntry]) -> HttpResponse:
    root = ET.Element("xforms", xmlns=FORM_LIST_NS)
    for entry in entries:
        xform = ET.SubElement(root, "xform")
        for tag, value in (
            ("formID", entry.form_id),
            ("name", entry.name),
            ("version", entry.version),
            ("hash", f"md5:{entry.md5}"),
            ("downloadUrl", entry.download_url),
            ("manifestUrl", entry.manifest_url),
        ):
            ET.SubElement(xform, tag).text = value
    return _document(root)


def manifest_response() -> HttpResponse:
    """An empty manifest: HBM's forms carry no media files (yet)."""
    return _document(ET.Element("manifest", xmlns=MANIFEST_NS))


def xform_response(xform: str) -> HttpResponse:
    return openrosa_headers(HttpResponse(xform.encode(), content_type=XML))


def basic_credentials(header: str) -> tuple[str, str] | None:
    """(username, password) of an ``Authorization: Basic`` header, or None."""
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, colon, password = decoded.partition(":")
    return (username, password) if colon and username else None
