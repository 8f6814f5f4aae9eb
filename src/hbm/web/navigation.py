"""Which sections each role sees in the navigation. Access itself is enforced in selectors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hbm.collect.selectors import CREDENTIAL_HOLDERS as COLLECT_CREDENTIAL_HOLDERS
from hbm.collect.selectors import FORM_MANAGERS as COLLECT_FORM_MANAGERS
from hbm.fieldops.selectors_equipment import READERS as EQUIPMENT_READERS
from hbm.flows.selectors import READERS as FLOW_READERS
from hbm.lib.permissions import has_any_role
from hbm.lib.types import StrOrPromise
from hbm.plans.access import READERS as PLAN_READERS
from hbm.registry.selectors import PERSON_READERS
from hbm.sync.models import ChangeKind
from hbm.sync.selectors import COMPARTMENTS as SYNC_CONFLICT_COMPARTMENTS
from hbm.sync.selectors import CONFLICT_READERS as SYNC_CONFLICT_READERS
from hbm.sync.services.outbox import is_station

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hbm.accounts.models import User

REFERRAL_READERS = (
    "protection_officer",
    "health_officer",
    "service_provider",
    "coordinator",
    "administrator",
)


@dataclass(frozen=True)
class NavItem:
    label: StrOrPromise
    url: str


def nav_items_for(user: User | AnonymousUser | None) -> list[NavItem]:
    if user is None or not user.is_authenticated:
        return []
    items = [
        NavItem(_("Home"), reverse("web:home")),
        NavItem(_("Crossing points"), reverse("places:crossing-point-list")),
    ]
    if has_any_role(user, *PERSON_READERS):
        items += [
            NavItem(_("People"), reverse("registry:person-search")),
            NavItem(_("Duplicates"), reverse("registry:duplicate-queue")),
        ]
    if has_any_role(user, "protection_officer"):
        items.append(NavItem(_("Children alone"), reverse("screening:children-alone")))
        items.append(NavItem(_("Tracing requests"), reverse("screening:tracing-list")))
    if has_any_role(user, "protection_officer", "coordinator"):
        items.append(NavItem(_("Protection dashboard"), reverse("referrals:dashboard")))
    if has_any_role(user, "health_officer", "coordinator"):
        items.append(NavItem(_("Health counts"), reverse("screening:daily-health")))
    if has_any_role(user, "security_officer"):
        items.append(NavItem(_("Watchlist hits"), reverse("security:hit-list")))
        items.append(NavItem(_("Watchlists"), reverse("security:watchlist-list")))
    if has_any_role(user, *REFERRAL_READERS):
        items.append(NavItem(_("Referrals"), reverse("referrals:referral-list")))
    if has_any_role(user, *FLOW_READERS):
        items.append(NavItem(_("Flows"), reverse("flows:dashboard")))
        items.append(NavItem(_("Alerts"), reverse("alerts:list")))
    if has_any_role(user, *PLAN_READERS):
        items.append(NavItem(_("Plans"), reverse("plans:list")))
        items.append(NavItem(_("Tasks"), reverse("plans:tasks")))
    # Everyone: coordinators manage the teams there, members see their deployments.
    items.append(NavItem(_("Field teams"), reverse("fieldops:board")))
    if has_any_role(user, *EQUIPMENT_READERS):
        items.append(NavItem(_("Equipment"), reverse("fieldops:equipment-list")))
    if has_any_role(user, *COLLECT_FORM_MANAGERS):
        items.append(NavItem(_("Collect forms"), reverse("collect:index")))
    if has_any_role(user, "assessor", "coordinator", "administrator"):
        items.append(NavItem(_("Assessments"), reverse("assessments:list")))
    conflict_readers = (*SYNC_CONFLICT_READERS, *SYNC_CONFLICT_COMPARTMENTS)
    if is_station():  # a station's conflicts are national referral events (ADR 0140)
        conflict_readers = tuple(
            role
            for role, kinds in SYNC_CONFLICT_COMPARTMENTS.items()
            if ChangeKind.REFERRAL_TRANSITION in kinds
        )
    if has_any_role(user, *conflict_readers):
        items.append(NavItem(_("Sync conflicts"), reverse("sync:conflict-list")))
    items += [
        NavItem(_("My devices"), reverse("accounts:device-token-list")),
    ]
    if has_any_role(user, *COLLECT_CREDENTIAL_HOLDERS):
        items.append(NavItem(_("Collect credentials"), reverse("collect:credential-list")))
    if has_any_role(user, "registration_officer", "administrator"):
        items.insert(1, NavItem(_("Register"), reverse("registry:desk")))
        items.insert(2, NavItem(_("Offline desk"), reverse("registry:offline-desk")))
        items.insert(3, NavItem(_("Import"), reverse("registry:registration-import")))
    if has_any_role(user, "administrator"):
        items += [
            NavItem(_("Import crossing points"), reverse("places:crossing-point-import")),
            NavItem(_("Service directory"), reverse("referrals:directory")),
            NavItem(_("Audit log"), reverse("audit:event-list")),
            NavItem(_("Data retention"), reverse("retention:run-list")),
            NavItem(_("Administration"), reverse("admin:index")),
        ]
    return items
