"""The "needed for this case" step from a candidate (the desk's panel, the duplicate review's
short card): answered with the whole record in place of the step (and of the short card), or
the step again with the reason it was refused."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.registry import selectors
from hbm.registry.services import reveals


@login_required
@require_POST
def person_reveal(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    person = selectors.person_get_for_reveal(user=request.user, public_id=public_id)
    reason = request.POST.get("reveal_reason", "")
    try:
        reveals.person_reveal(actor=request.user, person=person, reason=reason)
    except ValidationError as error:
        context = {"person": person, "person_id": person.public_id}
        context |= {"reason": reason, "errors": error.messages}
        in_card = request.POST.get("reveal_in") == "card"  # the duplicate review's short card
        template = "registry/person_minimum.html" if in_card else "registry/reveal.html"
        return render(request, template, context, status=422)
    return render(request, "registry/reveal_done.html", {"person": person})
