"""The registration desk: a group of people registered in one screen, with the engine's
duplicate candidates shown as each member is typed. Every rule is in services.py."""

import re
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from hbm.accounts.models import User
from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.lib.permissions import require_role
from hbm.places.selectors import country_list, crossing_point_list
from hbm.registry import explain, presenters, services
from hbm.registry.forms_desk import (
    MEMBERS_PREFIX,
    DeskForm,
    DeskInput,
    MemberForm,
    attach_problems,
    error_summary,
    member_formset,
    registration_input,
)

MEMBER_PREFIX = re.compile(rf"{MEMBERS_PREFIX}-\d{{1,3}}")


def _countries() -> dict[str, str]:
    return dict(country_list().values_list("code", "name"))


def _render(
    request: AuthenticatedHttpRequest,
    form: DeskForm,
    members: Any,
    countries: Mapping[str, str],
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "members": members,
        "countries": countries,
        "problems": error_summary(form, members) if form.is_bound else [],
    }
    return render(request, "registry/desk.html", context, status=status)


def _home_point(user: User) -> str:
    """The one point the officer is assigned to, if one: preselected at the desk when a team
    deployment (ADR 0142) gives the officer other points for a while."""
    assigned = list(user.crossing_points.values_list("code", flat=True)[:2])
    return assigned[0] if len(assigned) == 1 else ""


@login_required
def desk(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, *services.REGISTERING_ROLES)
    countries = _countries()
    data = request.POST if request.method == "POST" else None
    points = crossing_point_list(user=request.user)
    form = DeskForm(data, points=points, countries=countries, home_point=_home_point(request.user))
    members = member_formset(data, countries=countries)
    if data is None:
        return _render(request, form, members, countries)
    group_ok, members_ok = form.is_valid(), members.is_valid()  # both, to show every error
    if not (group_ok and members_ok):
        return _render(request, form, members, countries, status=422)
    typed = registration_input(form, members)
    try:
        result = services.registration_register(actor=request.user, data=typed.data)
    except ValidationError as error:
        problems = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        attach_problems(form, members, problems, typed.form_index)
        return _render(request, form, members, countries, status=422)
    except services.RegistrationConflict as conflict:
        form.add_error(None, str(conflict))
        form.add_error(None, _("This screen now has a new id: check it and register again."))
        form.renew_id()
        return _render(request, form, members, countries, status=409)
    return _registered(request, result, typed, members)


def _member_name(member: MemberForm) -> str:
    data = member.cleaned_data
    typed = " ".join(data[n] for n in ("given_name", "father_name", "family_name") if data[n])
    if data["existing_person"]:
        return data["existing_label"] or _("a person registered before")
    return typed


def _registered(
    request: AuthenticatedHttpRequest,
    result: services.RegistrationResult,
    typed: DeskInput,
    members: Any,
) -> HttpResponse:
    summary = presenters.registration_summary(user=request.user, result=result)
    persons = summary["persons"]
    names = [_member_name(members.forms[index]) for index in typed.form_index]
    if result.replayed:
        messages.info(request, _("This registration was already saved; nothing was added twice."))
    else:
        messages.success(
            request,
            ngettext(
                "Registered %(n)d person at %(point)s.",
                "Registered %(n)d people at %(point)s.",
                len(persons),
            )
            % {"n": len(persons), "point": result.registration.crossing_point.name},
        )
    flagged = [names[i] for i, p in enumerate(persons) if p["child_without_related_adult"]]
    if flagged:
        messages.warning(
            request,
            _(
                "Child without a related adult: %(names)s. "
                "Refer to a protection officer before the group moves on."
            )
            % {"names": ", ".join(flagged)},
        )
    to_security = [
        names[i] for i, p in enumerate(persons) if "refer_to_security_officer" in p["flags"]
    ]
    if to_security:
        messages.warning(
            request,
            _("Refer to the security officer: %(names)s.") % {"names": ", ".join(to_security)},
        )
    possible = sum(bool(p["duplicate_candidates"]) for p in persons)
    if possible:
        messages.info(
            request,
            ngettext(
                "%(n)d person may already be registered: the pair waits for review.",
                "%(n)d people may already be registered: the pairs wait for review.",
                possible,
            )
            % {"n": possible},
        )
    head = next(p for p in persons if p["relationship"] == "head")
    # The head's page shows the desk's result: everyone just registered, with their actions.
    where = reverse("registry:person-detail", kwargs={"public_id": head["person"]})
    return redirect(f"{where}?registered={result.registration.public_id}")


def _explained(candidate: dict[str, Any]) -> dict[str, Any]:
    """A candidate with its explanation as waterfall rows (fields the query lacked left out)
    and as one line, in the words of the hit list and the duplicate queue."""
    return {**candidate, **explain.explained(candidate["explanation"])}


@login_required
@require_POST
def desk_candidates(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The duplicate panel of one member row (htmx): the row's prefix is in ``member``."""
    require_role(request.user, *services.REGISTERING_ROLES)
    prefix = request.POST.get("member", "")
    if not MEMBER_PREFIX.fullmatch(prefix):
        return HttpResponseBadRequest(_("Which member row?"))
    member = MemberForm(request.POST, prefix=prefix, countries=_countries())
    query = member.match_query()
    try:
        found = presenters.match_candidates(user=request.user, query=query) if query else []
    except ValidationError:  # a half-typed row the engine cannot read yet: no panel
        found = []
    context = {"candidates": [_explained(c) for c in found], "asked": bool(query)}
    return render(request, "registry/desk_candidates.html", context)
