"""Field operations: mobile teams and their deployments. A deployment sends a team to one
crossing point or to an administrative area (every point in it, or in the areas below it)
from one time to another; while it lasts, the team's members work at those points as if
assigned to them (hbm.places.selectors.scope_points), and when it ends the access ends with
it: scope is read against the current time, nothing has to run (ADR 0142)."""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Agency
from hbm.places.models import AdminArea, BorderCrossingPoint


class Team(models.Model):
    """A rapid mobile team: a mix of agencies, its members (users), what it can do."""

    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=150, unique=True)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="+")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="teams")
    skills = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    equipment = models.TextField(blank=True, help_text=_("What the team carries."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Deployment(models.Model):
    """A team at a crossing point, or in an area, from ``starts_at`` until ``ends_at``."""

    class Status(models.TextChoices):
        CURRENT = "current", _("Deployed now")
        UPCOMING = "upcoming", _("Upcoming")
        ENDED = "ended", _("Ended")

    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="deployments")
    crossing_point = models.ForeignKey(
        BorderCrossingPoint,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deployments",
    )
    admin_area = models.ForeignKey(
        AdminArea, null=True, blank=True, on_delete=models.PROTECT, related_name="deployments"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    purpose = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="deployment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(crossing_point__isnull=False, admin_area__isnull=True)
                | Q(crossing_point__isnull=True, admin_area__isnull=False),
                name="deployment_point_or_area",
            ),
        ]
        indexes = [models.Index(fields=["team", "ends_at"], name="deployment_team_ends")]

    def __str__(self) -> str:
        return f"{self.team} → {self.crossing_point or self.admin_area}"

    @property
    def place(self) -> BorderCrossingPoint | AdminArea | None:
        return self.crossing_point or self.admin_area

    def status_at(self, now: datetime) -> str:
        if self.starts_at > now:
            return self.Status.UPCOMING
        return self.Status.CURRENT if self.ends_at > now else self.Status.ENDED


class Movement(models.Model):
    """One vehicle taking registered people from one place to another (an evacuation, a
    transfer to a transit centre). A convoy is the movements that share a ``convoy`` name.
    Arriving is recorded on the manifest, never as a registry Crossing: the flow series count
    crossings of a border, and a transit centre is not one (ADR 0144)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DEPARTED = "departed", _("Under way")
        ARRIVED = "arrived", _("Arrived")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    convoy = models.CharField(max_length=100, blank=True)
    from_place = models.CharField(max_length=150)
    to_place = models.CharField(max_length=150)
    vehicle = models.CharField(max_length=150)
    capacity = models.PositiveSmallIntegerField()
    planned_departure = models.DateTimeField()
    planned_arrival = models.DateTimeField()
    departed_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-planned_departure", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_arrival__gt=F("planned_departure")),
                name="movement_arrives_after_departure",
            ),
            models.CheckConstraint(
                condition=Q(arrived_at__isnull=True) | Q(arrived_at__gte=F("departed_at")),
                name="movement_arrived_after_departed",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="movement_capacity"),
        ]
        indexes = [
            models.Index(fields=["status", "-planned_departure"], name="movement_status_when"),
            models.Index(fields=["-planned_departure", "-id"], name="movement_when"),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle}: {self.from_place} → {self.to_place}"


class ManifestEntry(models.Model):
    """A registered person on a movement's manifest, and their check-in: boarded at
    departure, arrived at the destination. ``group`` is the family or travel group they were
    added with; ``split_reason`` says why they travel apart from some of its members."""

    movement = models.ForeignKey(
        Movement,
        on_delete=models.CASCADE,
        related_name="entries",
        db_index=False,  # manifest_person_once starts with it
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="manifest_entries"
    )
    group = models.ForeignKey(
        "registry.Group", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    split_reason = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    boarded_at = models.DateTimeField(null=True, blank=True)
    boarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    arrived_at = models.DateTimeField(null=True, blank=True)
    arrived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "person"], name="manifest_person_once"),
            models.CheckConstraint(
                condition=Q(arrived_at__isnull=True) | Q(boarded_at__isnull=False),
                name="manifest_arrived_only_if_boarded",
            ),
        ]
        # The person page's movements and the "already on a movement" check read by person.
        indexes = [models.Index(fields=["person", "movement"], name="manifest_person")]

    def __str__(self) -> str:
        return f"{self.person} on {self.movement}"


class RescueIncident(models.Model):
    """A search and rescue incident: where and when people were found in danger (a river, the
    desert, a minefield), by which team, and how the search ended. The people found are
    registry persons, registered on the spot or linked to their record (ADR 0146)."""

    class Hazard(models.TextChoices):
        WATER = "water", _("River or lake: drowning")
        HEAT = "heat", _("Desert: heat and thirst")
        COLD = "cold", _("Mountain: cold and exposure")
        MINES = "mines", _("Minefield or unexploded ordnance")
        VEHICLE = "vehicle", _("Vehicle accident")
        VIOLENCE = "violence", _("Violence")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        ONGOING = "ongoing", _("Search ongoing")
        ALL_FOUND = "all_found", _("Everyone found")
        SUSPENDED = "suspended", _("Search suspended")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    occurred_at = models.DateTimeField()
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)
    crossing_point = models.ForeignKey(
        BorderCrossingPoint,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rescue_incidents",
        help_text=_("The nearest crossing point."),
    )
    hazard = models.CharField(max_length=10, choices=Hazard.choices)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="rescue_incidents"
    )
    description = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.ONGOING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90), name="rescue_latitude"
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180), name="rescue_longitude"
            ),
        ]
        # The list reads the latest first, by hazard or outcome or neither, within dates.
        indexes = [
            models.Index(fields=["-occurred_at", "-id"], name="rescue_when"),
            models.Index(fields=["hazard", "-occurred_at"], name="rescue_hazard_when"),
            models.Index(fields=["outcome", "-occurred_at"], name="rescue_outcome_when"),
        ]

    def __str__(self) -> str:
        return f"{self.get_hazard_display()} {self.occurred_at:%Y-%m-%d %H:%M}"


class RescuedPerson(models.Model):
    """A person found in a rescue incident, their injury and condition, and whether they were
    registered on the spot or linked to the record they had."""

    class Injury(models.TextChoices):
        NONE = "none", _("Not injured")
        MINOR = "minor", _("Minor")
        SERIOUS = "serious", _("Serious")
        CRITICAL = "critical", _("Critical")

    class Source(models.TextChoices):
        REGISTERED = "registered", _("Registered on the spot")
        LINKED = "linked", _("Linked to an existing record")

    incident = models.ForeignKey(
        RescueIncident,
        on_delete=models.CASCADE,
        related_name="found",
        db_index=False,  # rescued_person_once starts with it
    )
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="rescues")
    injury = models.CharField(max_length=10, choices=Injury.choices, default=Injury.NONE)
    condition = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "person"], name="rescued_person_once"),
        ]
        # The person page's rescue section reads by person.
        indexes = [models.Index(fields=["person", "incident"], name="rescued_person")]

    def __str__(self) -> str:
        return f"{self.person} found in {self.incident}"


class EquipmentType(models.Model):
    """A kind of equipment a crossing point or a team keeps (a registration kit, a satellite
    phone): the catalogue, as data. Its name is shown translated when the catalogue's own
    names are (hbm.fieldops.equipment_catalogue); a type added later is shown as named."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        from hbm.fieldops.equipment_catalogue import display_name

        return display_name(self.name)


class EquipmentLine(models.Model):
    """One kind of equipment held by one crossing point or one team: how many it has
    (working, broken, missing), how many it should have (``required``, the standard), and
    the last readiness check. ``shortfall`` is required − working when positive, kept by the
    service for the readiness list's filter (ADR 0147)."""

    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    item_type = models.ForeignKey(EquipmentType, on_delete=models.PROTECT, related_name="lines")
    crossing_point = models.ForeignKey(
        BorderCrossingPoint,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="equipment_lines",
        db_index=False,  # equipment_point_type_once starts with it
    )
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="equipment_lines",
        db_index=False,  # equipment_team_type_once starts with it
    )
    quantity = models.PositiveIntegerField(default=0)
    working = models.PositiveIntegerField(default=0)
    broken = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)
    required = models.PositiveIntegerField(default=0)
    shortfall = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item_type__position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(crossing_point__isnull=False, team__isnull=True)
                | Q(crossing_point__isnull=True, team__isnull=False),
                name="equipment_point_or_team",
            ),
            models.CheckConstraint(
                condition=Q(quantity=F("working") + F("broken") + F("missing")),
                name="equipment_counts_add_up",
            ),
            models.CheckConstraint(
                condition=Q(required__gt=F("working"), shortfall=F("required") - F("working"))
                | Q(required__lte=F("working"), shortfall=0),
                name="equipment_shortfall",
            ),
            models.UniqueConstraint(
                fields=["crossing_point", "item_type"],
                condition=Q(crossing_point__isnull=False),
                name="equipment_point_type_once",
            ),
            models.UniqueConstraint(
                fields=["team", "item_type"],
                condition=Q(team__isnull=False),
                name="equipment_team_type_once",
            ),
        ]
        indexes = [
            # the readiness list: only shortfalls, and stale lines (not checked since ...)
            models.Index(fields=["item_type", "shortfall"], name="equipment_type_short"),
            models.Index(fields=["shortfall"], name="equipment_short"),
            models.Index(fields=["last_checked_at"], name="equipment_checked"),
        ]

    def __str__(self) -> str:
        return f"{self.item_type} at {self.holder}"

    @property
    def holder(self) -> BorderCrossingPoint | Team | None:
        return self.crossing_point or self.team
