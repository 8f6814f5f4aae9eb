from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hbm.accounts.models import User

NOT_ALLOWED = "Your role does not allow this."


def require_role(
    user: User | AnonymousUser | None, *roles: str, message: str = NOT_ALLOWED
) -> None:
    """Raise PermissionDenied unless the user holds one of the roles (superusers always pass)."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(message)
    if not (user.is_superuser or user.has_role(*roles)):
        raise PermissionDenied(message)
