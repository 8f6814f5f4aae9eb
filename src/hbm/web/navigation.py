"""Which sections each role sees in the navigation. Access itself is enforced in selectors."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def nav_items_for(user: Any) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = [
        NavItem(_("Home"), reverse("web:home")),
        NavItem(_("Crossing points"), reverse("places:crossing-point-list")),
        NavItem(_("My devices"), reverse("accounts:device-token-list")),
    ]
    if user.is_superuser or user.has_role("administrator"):
        items += [
            NavItem(_("Import crossing points"), reverse("places:crossing-point-import")),
            NavItem(_("Audit log"), reverse("audit:event-list")),
            NavItem(_("Administration"), reverse("admin:index")),
        ]
    return items
