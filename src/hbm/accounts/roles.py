"""The roles of HBM and what each may see. Roles are data on the user, checked in selectors
and services; nothing in a template or view decides access on its own."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REGISTRATION_OFFICER = "registration_officer", _("Registration officer")
    PROTECTION_OFFICER = "protection_officer", _("Protection officer")
    HEALTH_OFFICER = "health_officer", _("Health officer")
    SECURITY_OFFICER = "security_officer", _("Security officer")
    FLOW_ENUMERATOR = "flow_enumerator", _("Flow monitoring enumerator")
    COORDINATOR = "coordinator", _("National coordinator")
    ASSESSOR = "assessor", _("Assessor")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    ADMINISTRATOR = "administrator", _("Administrator")
    # The account of a field station on the national server: its token pushes the station's
    # changes and pulls reference data (docs/sync.md). Also a registration officer at the
    # station's points, since its registrations are registered again nationally.
    FIELD_STATION = "field_station", _("Field station (replication)")


# Roles whose work spans every crossing point; all others see only their assigned points.
NATIONAL_ROLES = frozenset({Role.COORDINATOR, Role.ASSESSOR, Role.ADMINISTRATOR})

# Roles that must log in with a second factor (TOTP or a recovery code); superusers too.
TWO_FACTOR_ROLES = frozenset({Role.ADMINISTRATOR, Role.SECURITY_OFFICER, Role.COORDINATOR})
