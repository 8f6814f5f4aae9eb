import time
from typing import Any
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hbm.accounts import selectors, services, session_state
from hbm.accounts.forms import CodeForm, DeviceTokenForm
from hbm.accounts.models import User
from hbm.accounts.qr import qr_drawing
from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.accounts.services import two_factor

LOCKED_OUT = (
    "Too many wrong passwords for this account from this device. Login is blocked for "
    "{minutes} minutes; ask an administrator if you need access sooner."
)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


CODE_STEP_EXPIRED = "The time to enter your code ran out; log in again."
ENROL_FIRST = (
    "Your role needs two-factor login. Set up an authenticator app now; nothing else opens "
    "until it is done."
)
RECOVERY_CODE_USED = (
    "You logged in with a recovery code; {left} are left. Make new ones from the two-factor "
    "page if you are running out."
)


def login_view(request: HttpRequest) -> HttpResponse:
    """The password step. A user with an authenticator is not logged in yet: the code step
    follows. A user whose role needs one and has none is logged in to set it up (only)."""
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            next_url = _safe_next(request)
            if selectors.two_factor_enrolled(user=user):
                session_state.pending_set(
                    request.session,
                    user=user,
                    backend=user.backend,
                    next_url=next_url,
                    now=time.time(),
                )
                return redirect("accounts:login-code")
            return _logged_in(request, user, next_url)
        services.login_record(user=None, succeeded=False, username=request.POST.get("username", ""))
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request)})


def _logged_in(
    request: HttpRequest, user: User, next_url: str, *, backend: str | None = None, how: str = ""
) -> HttpResponse:
    session_state.pending_clear(request.session)
    login(request, user, backend=backend)
    request.session[session_state.LOGIN_AT] = time.time()
    services.login_record(user=user, succeeded=True, detail=f"with {how}" if how else "")
    if how:
        session_state.mark_verified(request.session)
    elif session_state.two_factor_required(user):
        messages.info(request, _(ENROL_FIRST))
        return redirect(f"{reverse('accounts:two-factor')}?{urlencode({'next': next_url})}")
    return redirect(next_url or "web:home")


def login_code_view(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app or a recovery code. A wrong one is
    audited and counts toward the same lockout as a wrong password."""
    pending = session_state.pending_get(request.session, now=time.time())
    user = selectors.user_by_id(pk=pending["user"]) if pending else None
    if pending is None or user is None:
        session_state.pending_clear(request.session)
        messages.info(request, _(CODE_STEP_EXPIRED))
        return redirect("accounts:login")
    credentials = {"username": user.username}
    if AxesProxyHandler.is_locked(request, credentials):
        return login_locked_out(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            how = two_factor.two_factor_verify(user=user, code=form.cleaned_data["code"])
        except two_factor.CodeRejected as exc:
            services.login_record(
                user=user, succeeded=False, username=user.username, detail=services.WRONG_CODE
            )
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            form.add_error("code", _(str(exc)))
        else:
            if how == "recovery code":
                left = selectors.recovery_codes_left(user=user)
                messages.warning(request, _(RECOVERY_CODE_USED).format(left=left))
            return _logged_in(request, user, pending["next"], backend=pending["backend"], how=how)
    return render(request, "accounts/login_code.html", {"form": form})


def _qr_context(user: User, next_url: str) -> dict[str, Any]:
    device = two_factor.two_factor_enrol_start(actor=user)
    uri = two_factor.provisioning_uri(device=device, issuer=settings.TWO_FACTOR_ISSUER)
    secret = " ".join(device.secret[i : i + 4] for i in range(0, len(device.secret), 4))
    return {"qr": qr_drawing(uri), "secret": secret, "next": next_url}


@login_required
def two_factor_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set up an authenticator (QR code, secret, confirm with a code), or, once set up, its
    state and new recovery codes."""
    user, next_url = request.user, _safe_next(request)
    confirmed_at = selectors.totp_device_confirmed_at(user=user)
    if confirmed_at is not None:
        context = {
            "confirmed_at": confirmed_at,
            "codes_left": selectors.recovery_codes_left(user=user),
        }
        return render(request, "accounts/two_factor.html", context)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.two_factor_enrol_confirm(actor=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            session_state.mark_verified(request.session)
            return _recovery_codes(request, codes, next_url)
    context = {"form": form, "required": session_state.two_factor_required(user)}
    status = 422 if form.errors else 200
    return render(
        request,
        "accounts/two_factor_enrol.html",
        context | _qr_context(user, next_url),
        status=status,
    )


def _recovery_codes(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": next_url or reverse("web:home")},
    )


@login_required
@require_POST
def recovery_codes_regenerate(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        codes = two_factor.recovery_codes_regenerate(actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:two-factor")
    return _recovery_codes(request, codes, reverse("accounts:two-factor"))


def login_locked_out(
    request: HttpRequest, response: Any = None, credentials: Any = None
) -> HttpResponse:
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = AuthenticationForm(request)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_out": LOCKED_OUT.format(minutes=minutes)},
        status=429,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.logout_record(user=request.user)
    logout(request)
    return redirect("accounts:login")


@login_required
def device_token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DeviceTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_key = services.device_token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Token issued for %(name)s.") % {"name": token.name})
            form = DeviceTokenForm()
    return render(
        request,
        "accounts/device_token_list.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": selectors.device_token_list(user=request.user),
        },
    )


@login_required
@require_POST
def device_token_revoke(request: AuthenticatedHttpRequest, prefix: str) -> HttpResponse:
    token = selectors.device_token_get_for_user(user=request.user, prefix=prefix)
    services.device_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("accounts:device-token-list")
