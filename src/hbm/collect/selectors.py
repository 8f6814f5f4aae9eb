"""Reads of hbm.collect, scoped to the viewer."""

from django.db.models import Q, QuerySet
from django.http import Http404

from hbm.accounts.models import User
from hbm.collect.models import CollectCredential, CollectForm, Submission
from hbm.lib.permissions import require_role
from hbm.places.models import BorderCrossingPoint
from hbm.places.selectors import crossing_point_list

# Who uploads forms, edits their mapping and follows the submissions.
FORM_MANAGERS = ("coordinator", "administrator")
# Who may hold a Collect credential: those who register (the submissions register people).
CREDENTIAL_HOLDERS = ("registration_officer", "administrator")
RECENT_SUBMISSIONS = 50
UNKNOWN_POINTS = "No crossing point with the code(s): {}."


def user_points(user: User) -> QuerySet[BorderCrossingPoint]:
    return crossing_point_list(user=user)


def forms_for_device(*, user: User) -> QuerySet[CollectForm]:
    """The active forms for the user's crossing points (every active form for national roles)."""
    forms = CollectForm.objects.filter(active=True)
    if not user.has_national_scope:
        forms = forms.filter(crossing_points__in=user_points(user)).distinct()
    return forms.order_by("title", "form_id")


def form_get_for_device(*, user: User, form_id: str) -> CollectForm:
    form = forms_for_device(user=user).filter(form_id=form_id).first()
    if form is None:
        raise Http404("No such form for your crossing points.")
    return form


def form_in_scope(*, user: User, form: CollectForm) -> bool:
    return forms_for_device(user=user).filter(pk=form.pk).exists()


def form_list(*, user: User) -> QuerySet[CollectForm]:
    require_role(user, *FORM_MANAGERS)
    return CollectForm.objects.prefetch_related("crossing_points").defer("xlsx", "xform")


def points_by_code(*, user: User, codes: list[str]) -> tuple[list[BorderCrossingPoint], str]:
    """The points a form manager names by code, and the codes that name none (joined)."""
    require_role(user, *FORM_MANAGERS)
    found = {point.code: point for point in user_points(user).filter(code__in=codes)}
    unknown = ", ".join(code for code in codes if code not in found)
    return [found[code] for code in dict.fromkeys(codes) if code in found], unknown


def form_get_for_user(*, user: User, pk: int) -> CollectForm:
    require_role(user, *FORM_MANAGERS)
    form = CollectForm.objects.filter(pk=pk).first()
    if form is None:
        raise Http404("No such form.")
    return form


def submission_list(*, user: User, limit: int = RECENT_SUBMISSIONS) -> list[Submission]:
    """The newest submissions, with their status and errors (no personal data is shown)."""
    require_role(user, *FORM_MANAGERS)
    return list(
        Submission.objects.select_related("form", "submitted_by", "registration")
        .defer("xml")
        .order_by("-received_at", "-pk")[:limit]
    )


def credential_list(*, user: User) -> QuerySet[CollectCredential]:
    require_role(user, *CREDENTIAL_HOLDERS)
    return CollectCredential.objects.filter(user=user).defer("digest_ha1")


def credential_get_for_user(*, user: User, pk: int) -> CollectCredential:
    """The user's own credential (an administrator may name anyone's)."""
    require_role(user, *CREDENTIAL_HOLDERS)
    anyone = user.is_superuser or user.has_role("administrator")
    found = CollectCredential.objects.filter(Q() if anyone else Q(user=user), pk=pk)
    credential = found.defer("digest_ha1").first()
    if credential is None:
        raise Http404("No such credential.")
    return credential
