"""The offline registration desk (ADR 0127): a page that registers groups into the browser's
IndexedDB and sends them to POST /api/v1/registrations when there is a network, its service
worker and its web app manifest. Every rule stays the API's; the page only checks what it can
before the server does."""

import base64
import hashlib
import json
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.lib.permissions import require_role
from hbm.places.selectors import country_list, crossing_point_list
from hbm.registry import birth, recent, services, validation
from hbm.registry.forms_desk import DeskForm, MemberForm
from hbm.registry.models import Consent, Crossing, Relationship, Sex

#: The static files the page needs, kept by the service worker with the page (the app shell).
SHELL_STATIC = (
    "hbm/app.css",
    "hbm/app.js",
    "hbm/offline-desk.js",
    "hbm/icon.svg",
    "hbm/favicon.svg",
    "hbm/offline-icon.svg",
    "hbm/offline-icon-192.png",
    "hbm/offline-icon-512.png",
    "django_htmx/htmx-2.min.js",
)


def _messages() -> dict[str, str]:
    """The page's words, translated here: the checks it makes are the server's, in the
    server's words (hbm.registry.validation, birth)."""
    return {
        "no_members": _(validation.NO_MEMBERS),
        "no_head": _(validation.NO_HEAD),
        "two_heads": _(validation.TWO_HEADS),
        "too_many": _(validation.TOO_MANY),
        "no_name": _(validation.NO_NAME),
        "unknown_country": _(validation.UNKNOWN_COUNTRY),
        "not_a_choice": _(validation.NOT_A_CHOICE),
        "too_long": _(validation.TOO_LONG),
        "consent_required": _(validation.CONSENT_REQUIRED),
        "giver_name_required": _(validation.GIVER_NAME_REQUIRED),
        "name_for_self": _(validation.NAME_FOR_SELF),
        "bad_format": _(birth.BAD_FORMAT),
        "not_a_date": _(birth.NOT_A_DATE),
        "birth_in_future": _(birth.IN_THE_FUTURE),
        "too_old": _(birth.TOO_OLD),
        "age_range": _(birth.AGE_RANGE),
        "need_one": _(birth.NEED_ONE),
        "required": _("This field is required."),
        "state_waiting": _("waiting"),
        "state_sending": _("sending"),
        "state_sent": _("sent"),
        "state_conflict": _("conflict"),
        "state_refused": _("refused"),
        "saved": _("Saved on this device: it is sent when there is a network."),
        "corrected": _("Corrected: it is sent again."),
        "problems": _("Nothing was saved: correct the fields marked below."),
        "offline": _("No network: registrations stay on this device until it comes back."),
        "online": _("Online."),
        "sending": _("Sending…"),
        "all_sent": _("Every registration on this device has been sent."),
        "login_again": _(
            "Your session has ended: log in again to send them. They stay on this device."
        ),
        "server_error": _("The server did not take them now (answer {}); they are sent later."),
        "conflict": _(
            "The server already holds a different registration with this id. Check it: send "
            "it as a new registration, or remove it from this device if it was registered "
            "another way."
        ),
        "send_as_new": _("Send as a new registration"),
        "delete": _("Remove from this device"),
        "confirm_delete": _("Remove this registration from the device? It was not registered."),
        "correct": _("Correct"),
        "cancel": _("Cancel"),
        "namesakes": _("Registered here recently, possibly the same person:"),
        "in_queue": _("in this device's list"),
        "hints_from": _("Namesake hints: {} people registered here, as of {}."),
        "hints_none": _("No namesake hints on this device yet: they come with the network."),
        "locked_record": _("Locked on this device"),
        "locked": _(
            "{} registrations are locked on this device until the network is back: they are "
            "shown and sent then."
        ),
        "foreign": _(
            "{} registrations on this device are locked with a key your account does not hold "
            "(another user's, or a key since replaced). They are kept, neither shown nor sent: "
            "the user who saved them sends them by logging in here."
        ),
        "no_key": _(
            "Nothing was saved: this device has no key to lock registrations with yet. Open "
            "the offline desk once with a network (over HTTPS)."
        ),
        "hints_locked": _("Namesake hints are locked on this device until the network is back."),
        "other_users": _(
            "{} registrations of another user wait on this device; they are sent when that "
            "user logs in here."
        ),
    }


#: The desk's fields that the offline desk has too, in its words (forms_desk): the crossing's,
#: the consent's and a member's. The countries are typed with the help of a list.
GROUP_FIELDS = ("group_kind", "transport", "reason", "origin_place", "destination")
CONSENT_FIELDS = ("consent_giver", "consent_given_by", "consent_method")
MEMBER_FIELDS = (
    "relationship",
    "given_name",
    "family_name",
    "sex",
    "date_of_birth",
    "age_estimate",
    "nationality",
)


def _field(form: type[forms.Form], name: str) -> dict[str, Any]:
    """A desk field as plain data for the template (registry/offline_field.html)."""
    if name in ("origin_country", "nationality"):
        label = _("Coming from (country)") if name == "origin_country" else _("Nationality")
        return {"name": name, "label": label, "country": True, "type": "text", "attrs": {}}
    field = form.base_fields[name]
    choices = getattr(field, "choices", ())
    return {
        "name": name,
        "label": field.label,
        "choices": [{"value": str(value), "label": label} for value, label in choices],
        "initial": str(field.initial or ""),
        "type": getattr(field.widget, "input_type", "text"),
        "attrs": field.widget.attrs,
    }


def _user_key(user: Any) -> str:
    """The name of the user's storage on the device, not their id in the clear."""
    return salted_hmac("hbm.offline-desk", str(user.pk)).hexdigest()[:20]


#: The version of every user's device key (ADR 0136). Part of what the secret is derived
#: from: raising it gives every user a new secret, and what devices hold under the old one
#: can no longer be opened (the page says so and keeps it).
DEVICE_KEY_VERSION = 1


def device_secret(user: Any, version: int = DEVICE_KEY_VERSION) -> bytes:
    """The secret that locks the user's registrations on a device (ADR 0136): derived from
    the server's SECRET_KEY, the user's id and the key version, so it is never stored; the
    page gets it from an open session only and keeps it in memory."""
    value = f"{user.pk}:{version}"
    return salted_hmac("hbm.offline-desk.device-key", value, algorithm="sha256").digest()


@never_cache
@login_required
def offline_desk(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, *services.REGISTERING_ROLES)
    points = [{"code": p.code, "name": p.name} for p in crossing_point_list(user=request.user)]
    countries = dict(country_list().values_list("code", "name"))
    config = {
        "user": _user_key(request.user),
        "key": reverse("registry:offline-key"),
        "registrations": "/api/v1/registrations",
        "recent": "/api/v1/registrations/recent",
        "me": "/api/v1/accounts/me",
        "login": f"{reverse('accounts:login')}?next={reverse('registry:offline-desk')}",
        "worker": reverse("registry:offline-worker"),
        "scope": reverse("registry:offline-desk"),
        "recent_days": recent.RECENT_DAYS,
        "legal_basis": bool(settings.REGISTRATION_LEGAL_BASIS),
        "max_members": validation.MAX_MEMBERS,
        "max_age": birth.MAX_AGE,
        "countries": sorted(countries),
        "choices": {
            "sex": Sex.values,
            "relationship": Relationship.values,
            "consent_giver": Consent.GivenBy.values,
            "consent_method": Consent.Method.values,
        },
        "messages": _messages(),
    }
    context = {
        "config": config,
        "points": points,
        "countries": countries,
        "directions": Crossing.Direction.choices,
        "group_fields": [_field(DeskForm, name) for name in GROUP_FIELDS],
        "origin_country": _field(DeskForm, "origin_country"),
        "consent_fields": [_field(DeskForm, name) for name in CONSENT_FIELDS],
        "member_fields": [_field(MemberForm, name) for name in MEMBER_FIELDS],
    }
    # never_cache: the browser's HTTP cache keeps no copy; the service worker keeps the one.
    return render(request, "registry/offline_desk.html", context)


@never_cache
@login_required
def offline_key(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The user's device secret, for the desk page's memory only (ADR 0136). Never in the
    page itself, which the service worker keeps on the device; never cached."""
    require_role(request.user, *services.REGISTERING_ROLES)
    secret = base64.b64encode(device_secret(request.user)).decode()
    return JsonResponse({"version": DEVICE_KEY_VERSION, "secret": secret})


@cache
def _shell_version() -> str:
    """A digest of the shell's files: a new release names a new cache, the old one goes."""
    digest = hashlib.sha256()
    for name in SHELL_STATIC:
        found = finders.find(name)
        with open(str(found), "rb") as file:
            digest.update(file.read())
    digest.update(_worker_source().encode())
    return digest.hexdigest()[:12]


@cache
def _worker_source() -> str:
    with open(str(finders.find("hbm/offline-sw.js")), encoding="utf-8") as file:
        return file.read()


def offline_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the desk's own path so that its scope covers the page.
    It holds no one's data: the page and the files it keeps are listed here."""
    shell = {
        "version": _shell_version(),
        "page": reverse("registry:offline-desk"),
        "files": [static(name) for name in SHELL_STATIC] + [reverse("registry:offline-manifest")],
    }
    source = f"const SHELL = {json.dumps(shell)};\n{_worker_source()}"
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("registry:offline-desk")
    return response


def offline_manifest(request: HttpRequest) -> JsonResponse:
    desk = reverse("registry:offline-desk")
    manifest = {
        "name": _("HBM offline registration desk"),
        "short_name": _("HBM desk"),
        "description": _("Register arriving groups with no network; they are sent later."),
        "start_url": desk,
        "scope": desk,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f4e79",
        "icons": [
            {"src": static("hbm/offline-icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("hbm/offline-icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("hbm/offline-icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    response = JsonResponse(manifest, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response
