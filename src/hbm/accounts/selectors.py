from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404

from hbm.accounts.models import Agency, DeviceToken, RecoveryCode, TotpDevice, User
from hbm.lib.permissions import has_any_role


def device_token_list(*, user: User) -> QuerySet[DeviceToken]:
    return DeviceToken.objects.filter(user=user).order_by("-created_at")


def device_token_get_for_user(*, user: User, prefix: str) -> DeviceToken:
    tokens = DeviceToken.objects.all()
    if not has_any_role(user, "administrator"):
        tokens = tokens.filter(user=user)
    try:
        return tokens.get(prefix=prefix)
    except DeviceToken.DoesNotExist:
        raise Http404("No such token.") from None


def agency_by_code(*, code: str) -> Agency | None:
    """The agency with this code, whichever it is: agencies are public reference data, and the
    service handed it decides whether the user may name it (a list's owner, say)."""
    return Agency.objects.filter(code=code).first()


def active_users_named(*, usernames: list[str]) -> list[User]:
    """The active users with these usernames (an assessment team may span agencies)."""
    return list(User.objects.filter(username__in=usernames, is_active=True))


def agency_list(*, user: User) -> QuerySet[Agency]:
    """Every agency for national roles; one's own agency otherwise."""
    if not user.is_authenticated:
        return Agency.objects.none()
    if user.has_national_scope:
        return Agency.objects.all()
    return Agency.objects.filter(pk=user.agency_id) if user.agency_id else Agency.objects.none()


def user_count(*, user: User) -> int:
    if has_any_role(user, "administrator"):
        return User.objects.filter(is_active=True).count()
    return (
        User.objects.filter(is_active=True, agency_id=user.agency_id).count()
        if user.agency_id
        else 0
    )


def two_factor_enrolled(*, user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def totp_device_confirmed_at(*, user: User) -> datetime | None:
    return TotpDevice.objects.filter(user=user).values_list("confirmed_at", flat=True).first()


def recovery_codes_left(*, user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def user_by_id(*, pk: int) -> User | None:
    return User.objects.filter(pk=pk, is_active=True).first()
