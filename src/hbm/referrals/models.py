import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Agency
from hbm.lib.encrypted_fields import EncryptedJSONField, EncryptedTextField
from hbm.places.models import AdminArea, BorderCrossingPoint
from hbm.registry.models import Consent, Person
from hbm.screening.models import NeedCode, ProtectionScreening, Urgency

# What a service type may receive with a referral (its shared_fields pick among these);
# nothing else ever leaves: services.shared_view builds a referral's payload from it.
SHAREABLE_FIELDS = (
    "given_name",
    "family_name",
    "father_name",
    "sex",
    "date_of_birth",
    "age_estimate",
    "nationality",
    "phone",
    "languages",
    "place_of_origin",
    "need_code",
    "urgency",
    "notes",
)


class ServiceType(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=120)
    shared_fields = models.JSONField(
        default=list, help_text=_("Which of the person's fields a provider of this service sees.")
    )

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        # a label that the catalogues translate (the shipped "Health care") reads in the
        # reader's language; any other reads as entered
        return gettext(self.label)


class Provider(models.Model):
    # The same provider on the national server and on field stations (ADR 0130).
    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="providers")
    service_types = models.ManyToManyField(ServiceType, related_name="providers")
    admin_area = models.ForeignKey(
        AdminArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(max_length=300, blank=True)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_email = models.EmailField(blank=True)
    capacity_per_week = models.PositiveIntegerField(null=True, blank=True)
    languages = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Pathway(models.Model):
    """Which provider takes which need at which crossing point and urgency."""

    crossing_point = models.ForeignKey(
        BorderCrossingPoint, on_delete=models.CASCADE, related_name="pathways"
    )
    service_type = models.ForeignKey(ServiceType, on_delete=models.CASCADE, related_name="+")
    urgency = models.CharField(
        max_length=10,
        choices=Urgency.choices,
        blank=True,
        help_text=_("Empty: any urgency."),
    )
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="pathways")
    # Off: no longer in the national directory, kept on a field station because referrals
    # were sent along it (ADR 0137); no new referral takes it.
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["crossing_point", "service_type", "urgency", "provider"],
                name="pathway_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.crossing_point} · {self.service_type} → {self.provider}"


class Referral(models.Model):
    # Annotated by selectors.referral_list: whether the viewer may see the personal data, and
    # whether the person withdrew the consent the referral was sent under.
    personal_data: bool
    consent_withdrawn: bool

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        IN_SERVICE = "in_service", _("In service")
        COMPLETED = "completed", _("Completed")
        CLOSED = "closed", _("Closed")
        REVOKED = "revoked", _("Revoked by the sender")

    # The same referral on a field station and on the national server (ADR 0137).
    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    screening = models.ForeignKey(
        ProtectionScreening, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    need_code = models.ForeignKey(
        NeedCode, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="referrals")
    crossing_point = models.ForeignKey(
        BorderCrossingPoint,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the (crossing_point, status, -sent_at) index below serves it
    )
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    consent_given = models.BooleanField()
    # The consent record the referral was sent under (none: sent on an override, or before
    # consents were records); its withdrawal stops the sharing.
    consent = models.ForeignKey(
        Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    consent_override_reason = EncryptedTextField(max_length=300, blank=True)
    notes = EncryptedTextField(blank=True)
    shared = EncryptedJSONField(default=dict, help_text=_("Exactly what the provider sees."))
    outcome = EncryptedTextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["provider", "status", "-sent_at"]),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["person", "-sent_at"]),
            # The lists' pages, newest first: a sender's points, by status or not; every
            # referral (national roles), by status or not.
            models.Index(
                fields=["crossing_point", "status", "-sent_at"], name="referral_point_idx"
            ),
            models.Index(fields=["status", "-sent_at"], name="referral_status_newest_idx"),
            models.Index(fields=["-sent_at"], name="referral_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk} ({self.status})"


class ReferralEvent(models.Model):
    # The same transition on a field station and on the national server (ADR 0137).
    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    reason = EncryptedTextField(max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # When the actor is another server's account (a field station's on the national server,
    # the national server's on a station): who did it there, and their agency (ADR 0140).
    actor_name = models.CharField(max_length=150, blank=True)
    actor_agency = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        # The national server's pages of events for field stations, by (at, id) (ADR 0140).
        indexes = [models.Index(fields=["at", "id"], name="referral_event_at_idx")]

    def __str__(self) -> str:
        return f"{self.from_status or '·'} → {self.to_status}"
