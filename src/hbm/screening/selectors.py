"""The protection compartment: screenings are read by protection officers only."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import User
from hbm.lib.permissions import has_any_role
from hbm.registry.models import Person
from hbm.screening.models import NeedCode, ProtectionScreening
from hbm.screening.services import SCREENERS

COMPARTMENT = _("Protection details are visible to protection officers only.")


def can_read_protection(user: User) -> bool:
    return has_any_role(user, *SCREENERS)


def screening_list(*, user: User, person: Person) -> QuerySet[ProtectionScreening]:
    """The person's screenings; the caller has already fetched ``person`` within scope."""
    if not can_read_protection(user):
        raise PermissionDenied(COMPARTMENT)
    return (
        ProtectionScreening.objects.filter(person=person)
        .select_related("screened_by", "taxonomy")
        .prefetch_related("codes__category", "codes__translations")
    )


def need_code_published(*, code: str) -> NeedCode | None:
    """The code of the published taxonomy, or None for any other."""
    return NeedCode.objects.filter(code=code, category__taxonomy__published=True).first()


def need_codes() -> QuerySet[NeedCode]:
    """The codes of the published taxonomy, with every label (show ``display_label``)."""
    return (
        NeedCode.objects.filter(category__taxonomy__published=True)
        .select_related("category")
        .prefetch_related("translations", "category__translations")
    )


def need_labels(codes: set[str]) -> dict[str, str]:
    """Each code's label in the request's language, from the newest taxonomy that has it."""
    found = (
        NeedCode.objects.filter(code__in=codes)
        .prefetch_related("translations")
        .order_by("category__taxonomy__created_at", "category__taxonomy_id")
    )
    return {code.code: code.display_label for code in found}
