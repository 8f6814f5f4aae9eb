from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hbm.accounts import selectors, services
from hbm.accounts.forms import DeviceTokenForm
from hbm.accounts.requests import AuthenticatedHttpRequest

LOCKED_OUT = (
    "Too many wrong passwords for this account from this device. Login is blocked for "
    "{minutes} minutes; ask an administrator if you need access sooner."
)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


def login_view(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            login(request, user)
            services.login_record(user=user, succeeded=True)
            return redirect(_safe_next(request) or "web:home")
        services.login_record(user=None, succeeded=False, username=request.POST.get("username", ""))
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request)})


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
                actor=request.user, name=form.cleaned_data["name"]
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
