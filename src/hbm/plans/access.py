"""Who does what with plans. Coordinators and administrators make, edit, activate and close
plans; every other role but the field station's account reads the plans at its points and
works on its agency's tasks."""

from django.core.exceptions import PermissionDenied

from hbm.accounts.models import User
from hbm.lib.permissions import has_any_role

MANAGERS = ("coordinator", "administrator")
READERS = (
    *MANAGERS,
    "assessor",
    "registration_officer",
    "protection_officer",
    "health_officer",
    "security_officer",
    "flow_enumerator",
    "service_provider",
)
NOT_A_MANAGER = "Only coordinators and administrators make, activate and close plans."
NOT_A_READER = "Your role does not read contingency plans."
NO_AGENCY = "Your account belongs to no agency: no task is yours."


def may_manage(user: User) -> bool:
    return has_any_role(user, *MANAGERS)


def require_manager(user: User) -> None:
    if not may_manage(user):
        raise PermissionDenied(NOT_A_MANAGER)


def require_reader(user: User) -> None:
    if not has_any_role(user, *READERS):
        raise PermissionDenied(NOT_A_READER)
