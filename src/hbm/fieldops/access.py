"""Who does what with teams. Coordinators and administrators make teams and deploy them;
every user sees the deployments of the teams they are in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from hbm.lib.permissions import has_any_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hbm.accounts.models import User

MANAGERS = ("coordinator", "administrator")
NOT_A_MANAGER = "Only coordinators and administrators manage teams and deployments."


def may_manage(user: User | AnonymousUser) -> bool:
    return has_any_role(user, *MANAGERS)


def require_manager(user: User | AnonymousUser) -> None:
    if not may_manage(user):
        raise PermissionDenied(NOT_A_MANAGER)
