"""Two gates every signed-in web request passes: the session's age (idle and absolute
timeouts) and two-factor login for the roles that need it. The API applies the second gate in
its own session authentication (hbm.api), answering 403 instead of a redirect."""

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from hbm.accounts import services, session_state

API_PREFIX = "/api/"
SESSION_IDLE = "Your session ended after {minutes} minutes without activity; log in again."
SESSION_TOO_OLD = "Your session reached its {hours}-hour limit; log in again."
TIMEOUT_DETAIL = {
    session_state.IDLE: "session timeout (idle)",
    session_state.ABSOLUTE: "session timeout (absolute)",
}
UNVERIFIED_DETAIL = "session without a two-factor code"


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A plain redirect, or for htmx a whole-page one (a fragment must not become a page)."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _to(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            reason = session_state.expiry_reason(request.session, now=now)
            if reason is None:
                session_state.touch(request.session, now=now)
            else:
                services.logout_record(user=user, detail=TIMEOUT_DETAIL[reason])
                logout(request)
                if not request.path.startswith(API_PREFIX):  # the API answers 401 on its own
                    messages.info(request, _message(reason))
                    return _redirect(request, _to("accounts:login", request.get_full_path()))
        return self.get_response(request)


def _message(reason: str) -> str:
    if reason == session_state.IDLE:
        return _(SESSION_IDLE).format(minutes=settings.SESSION_IDLE_MINUTES)
    return _(SESSION_TOO_OLD).format(hours=round(settings.SESSION_COOKIE_AGE / 3600))


class TwoFactorGateMiddleware:
    """A user who must log in with two factors and has not set them up may open only the
    set-up page (and log out, change language); one whose session skipped the code (another
    login path) is logged out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(self._always_open()):
            gate = session_state.two_factor_gate(request.session, user)
            if gate == session_state.VERIFY:  # the set-up pages included: no new codes here
                services.logout_record(user=user, detail=UNVERIFIED_DETAIL)
                logout(request)
                return _redirect(request, _to("accounts:login", request.get_full_path()))
            if gate == session_state.ENROL and not request.path.startswith(self._set_up()):
                return _redirect(request, _to("accounts:two-factor", request.get_full_path()))
        return self.get_response(request)

    @staticmethod
    def _always_open() -> tuple[str, ...]:
        static = settings.STATIC_URL or ""
        return (
            API_PREFIX,  # hbm.api applies the gate itself, answering 403
            reverse("accounts:logout"),
            reverse("accounts:login"),
            reverse("set_language"),
            static if static.startswith("/") else f"/{static}",
        )

    @staticmethod
    def _set_up() -> str:
        return reverse("accounts:two-factor")
