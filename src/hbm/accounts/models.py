from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from hbm.accounts.roles import NATIONAL_ROLES, Role
from hbm.lib.encrypted_fields import EncryptedTextField
from hbm.places.models import BorderCrossingPoint


class Agency(models.Model):
    class Kind(models.TextChoices):
        IMMIGRATION = "immigration", _("Immigration")
        POLICE = "police", _("Police")
        CUSTOMS = "customs", _("Customs")
        HEALTH = "health", _("Health / quarantine")
        ARMED_FORCES = "armed_forces", _("Armed forces")
        CIVIL_PROTECTION = "civil_protection", _("Civil protection")
        UN_IO = "un_io", _("UN / international organisation")
        NGO = "ngo", _("NGO")

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    country = models.ForeignKey(
        "places.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    crossing_points = models.ManyToManyField(
        BorderCrossingPoint,
        blank=True,
        related_name="operating_agencies",
        help_text=_("Crossing points where this agency operates."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    roles = models.JSONField(default=list, blank=True)
    crossing_points = models.ManyToManyField(
        BorderCrossingPoint, blank=True, related_name="assigned_users"
    )

    def clean(self) -> None:
        super().clean()
        unknown = sorted(set(self.roles) - set(Role.values))
        if unknown:
            from django.core.exceptions import ValidationError

            raise ValidationError({"roles": _("Unknown role(s): %s") % ", ".join(unknown)})

    @cached_property
    def role_set(self) -> frozenset[str]:
        return frozenset(self.roles or ())

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def has_national_scope(self) -> bool:
        return self.is_superuser or bool(self.role_set & NATIONAL_ROLES)

    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles if role in Role.values]


class DeviceToken(models.Model):
    """An API token for one field device. Only a hash of the secret is stored."""

    class Scope(models.TextChoices):
        READ_WRITE = "read-write", _("Read and write")
        READ_ONLY = "read-only", _("Read only")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="device_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text=_("The token that authenticated the request that created this one."),
    )
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ_WRITE)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class TotpDevice(models.Model):
    """A user's authenticator app (RFC 6238 TOTP). Unconfirmed until the user has entered one
    code from it. ``secret`` is encrypted at rest (docs/decisions/0124): a copy of the database
    without the keys gives no one the codes."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = EncryptedTextField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(
        null=True,
        blank=True,
        help_text=_("The 30-second time step of the last code accepted: no code is taken twice."),
    )

    def __str__(self) -> str:
        return f"TOTP of {self.user}"


class RecoveryCode(models.Model):
    """One of a user's one-time recovery codes; only a hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code of {self.user}"
