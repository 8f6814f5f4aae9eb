from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hbm.accounts.models import User

NOT_ALLOWED = "Your role does not allow this."


def has_any_role(user: User | AnonymousUser | None, *roles: str) -> bool:
    """Whether the user holds one of the roles: superusers always do, anonymous users never."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or user.has_role(*roles)


def require_role(
    user: User | AnonymousUser | None, *roles: str, message: str = NOT_ALLOWED
) -> None:
    """Raise PermissionDenied unless the user holds one of the roles (superusers always pass)."""
    if not has_any_role(user, *roles):
        raise PermissionDenied(message)
