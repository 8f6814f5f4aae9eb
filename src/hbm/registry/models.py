import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import DeviceToken
from hbm.lib.runs import Run
from hbm.places.models import BorderCrossingPoint, Country


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other / not stated")


class IdentityCluster(models.Model):
    """Registrations believed to be one person. Merging moves persons between clusters and
    never deletes a person, so every merge can be undone."""

    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.public_id)


def full_name(given: str, father: str, family: str) -> str:
    return " ".join(name for name in (given, father, family) if name)


def year_of_birth(date_of_birth: str, age_estimate: int | None, registered_on: date) -> str:
    """The year of birth ("1984"), or "~1990" from an age estimated when registered."""
    if date_of_birth:
        return date_of_birth[:4]
    if age_estimate is not None:
        return f"~{registered_on.year - age_estimate}"
    return ""


class Person(models.Model):
    class DocumentType(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        NATIONAL_ID = "national_id", _("National identity card")
        BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
        REFUGEE_ID = "refugee_id", _("Refugee / asylum document")
        TRAVEL_DOCUMENT = "travel_document", _("Other travel document")
        OTHER = "other", _("Other")

    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    father_name = models.CharField(_("father's name"), max_length=100, blank=True)
    other_names = models.CharField(
        _("other names / aliases"),
        max_length=300,
        blank=True,
        help_text=_("Aliases and spellings, separated by ';'."),
    )
    name_original_script = models.CharField(
        _("name in original script"), max_length=300, blank=True
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    date_of_birth = models.CharField(
        _("date of birth"),
        max_length=10,
        blank=True,
        help_text=_("YYYY-MM-DD, YYYY-MM or YYYY; leave empty and give an age if unknown."),
    )
    birth_earliest = models.DateField(null=True, blank=True)
    birth_latest = models.DateField(null=True, blank=True)
    age_estimate = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    nationality = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("nationality"),
    )
    document_type = models.CharField(
        _("document type"), max_length=20, choices=DocumentType.choices, blank=True
    )
    document_number = models.CharField(_("document number"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    place_of_origin = models.CharField(_("place of origin"), max_length=150, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    photo = models.FileField(upload_to="photos/%Y/%m/", blank=True)
    cluster = models.ForeignKey(IdentityCluster, on_delete=models.PROTECT, related_name="persons")
    first_crossing_point = models.ForeignKey(
        BorderCrossingPoint,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # person_point_idx starts with it
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Set by a retention purge (hbm.retention): the identifying fields are blank or coarse
    # since then; the row stays so that every count it is part of stays as it was.
    anonymised_at = models.DateTimeField(null=True, blank=True)
    anonymised_under = models.CharField(
        max_length=40, blank=True, help_text=_("The retention policy that anonymised it.")
    )

    class Meta:
        indexes = [
            models.Index(fields=["nationality"], name="person_nationality_idx"),
            models.Index(fields=["document_number"], name="person_document_idx"),
            models.Index(fields=["phone"], name="person_phone_idx"),
            models.Index(fields=["family_name", "given_name"], name="person_name_idx"),
            models.Index(fields=["birth_earliest", "birth_latest"], name="person_birth_idx"),
            models.Index(fields=["first_crossing_point", "created_at"], name="person_point_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_earliest__isnull=True)
                | models.Q(birth_earliest__lte=models.F("birth_latest")),
                name="person_birth_interval_ordered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def full_name(self) -> str:
        return full_name(self.given_name, self.father_name, self.family_name)

    @property
    def year_of_birth(self) -> str:
        return year_of_birth(
            self.date_of_birth, self.age_estimate, timezone.localdate(self.created_at)
        )


class Group(models.Model):
    class Kind(models.TextChoices):
        HOUSEHOLD = "household", _("Household")
        TRAVEL_GROUP = "travel_group", _("Travel group")
        INDIVIDUAL = "individual", _("Travelling alone")

    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.HOUSEHOLD)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The group list by kind, newest first (GET /api/v1/groups?kind=).
        indexes = [models.Index(fields=["kind", "-id"], name="group_kind_idx")]

    def __str__(self) -> str:
        return str(self.public_id)


class Relationship(models.TextChoices):
    HEAD = "head", _("Head of group")
    SPOUSE = "spouse", _("Spouse / partner")
    CHILD = "child", _("Son / daughter")
    PARENT = "parent", _("Mother / father")
    SIBLING = "sibling", _("Brother / sister")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    UNRELATED = "unrelated", _("Not related")


class GroupMember(models.Model):
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        related_name="members",
        db_index=False,  # group_member_once starts with it
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="group_member_once"),
            models.UniqueConstraint(
                fields=["group"], condition=models.Q(relationship="head"), name="group_one_head"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.relationship}) in {self.group}"


class Registration(models.Model):
    """One registration transaction from a desk or device; its client-generated UUID makes
    uploads idempotent (a replay returns the same result)."""

    public_id = models.UUIDField(unique=True, editable=False)
    content_hash = models.CharField(max_length=64)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="registration")
    crossing_point = models.ForeignKey(
        BorderCrossingPoint, on_delete=models.PROTECT, related_name="registrations"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    device = models.ForeignKey(
        DeviceToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return str(self.public_id)


class Crossing(models.Model):
    class Direction(models.TextChoices):
        ENTRY = "entry", _("Entry")
        EXIT = "exit", _("Exit")

    class Transport(models.TextChoices):
        ON_FOOT = "on_foot", _("On foot")
        CAR = "car", _("Car")
        BUS = "bus", _("Bus")
        TRUCK = "truck", _("Truck")
        MOTORBIKE = "motorbike", _("Motorbike")
        BICYCLE = "bicycle", _("Bicycle")
        BOAT = "boat", _("Boat / canoe")
        ANIMAL = "animal", _("Animal")
        OTHER = "other", _("Other")

    class Reason(models.TextChoices):
        CONFLICT = "conflict", _("Conflict / violence")
        DISASTER = "disaster", _("Natural disaster")
        EPIDEMIC = "epidemic", _("Epidemic")
        ECONOMIC = "economic", _("Economic / work")
        FAMILY = "family", _("Family reunification")
        TRADE = "trade", _("Trade")
        RETURN = "return", _("Return home")
        STUDY = "study", _("Study")
        HEALTH = "health", _("Health care")
        OTHER = "other", _("Other")

    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    # Foreign keys that an index or constraint below starts with get no index of their own.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="crossings", db_index=False
    )
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="crossings")
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="crossings", db_index=False
    )
    crossing_point = models.ForeignKey(
        BorderCrossingPoint, on_delete=models.PROTECT, related_name="crossings", db_index=False
    )
    direction = models.CharField(max_length=5, choices=Direction.choices)
    crossed_at = models.DateTimeField()
    transport = models.CharField(max_length=12, choices=Transport.choices, blank=True)
    reason = models.CharField(max_length=12, choices=Reason.choices, blank=True)
    origin_country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    origin_place = models.CharField(max_length=150, blank=True)
    destination = models.CharField(max_length=150, blank=True)
    child_without_related_adult = models.BooleanField(default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["crossing_point", "crossed_at"], name="crossing_point_time_idx"),
            models.Index(fields=["person", "crossed_at"], name="crossing_person_time_idx"),
            models.Index(fields=["crossed_at"], name="crossing_time_idx"),
            models.Index(
                fields=["origin_country"],
                condition=models.Q(origin_country__isnull=False),
                name="crossing_origin_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "person"], name="crossing_once_per_registration"
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class Consent(models.Model):
    """A person's consent to one purpose, or the legal basis a deployment registers under
    instead (``given`` false, ``legal_basis`` set). Valid while given, not expired and not
    withdrawn; a withdrawal is kept, never deleted, so the page can show it."""

    class Purpose(models.TextChoices):
        REGISTRATION = "registration", _("Registration and assistance")
        REFERRAL = "referral", _("Referral to services")
        DATA_SHARING = "data_sharing", _("Sharing with partner agencies")

    class GivenBy(models.TextChoices):
        SELF = "self", _("The person")
        PARENT = "parent", _("Parent")
        GUARDIAN = "guardian", _("Guardian")
        OTHER = "other", _("Someone else")

    class Method(models.TextChoices):
        VERBAL = "verbal", _("Verbal")
        SIGNED = "signed", _("Signed")
        THUMBPRINT = "thumbprint", _("Thumbprint")
        OTHER = "other", _("Other")

    # The same on every server (ADR 0137): a registration's consents derive it from the
    # registration's id, others are random; a field station's push names the record by it.
    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="consents",
        db_index=False,  # the (person, purpose, recorded_at) index starts with it
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    scope = models.CharField(
        max_length=40,
        blank=True,
        help_text=_(
            "Referral: the service type code it covers; sharing: the agency code. "
            "Empty: every service or agency of the purpose."
        ),
    )
    given = models.BooleanField()
    given_by = models.CharField(max_length=10, choices=GivenBy.choices, default=GivenBy.SELF)
    given_by_name = models.CharField(
        max_length=150,
        blank=True,
        help_text=_("Who gave consent when not the person (e.g. parent for a child)."),
    )
    method = models.CharField(
        max_length=12, choices=Method.choices, blank=True, help_text=_("Empty: not recorded.")
    )
    legal_basis = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Registration without consent: the law it was recorded under."),
    )
    expires_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "purpose", "-recorded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | ~models.Q(withdrawal_reason=""),
                name="consent_withdrawal_has_reason",
            )
        ]

    def __str__(self) -> str:
        answer = "given" if self.given else "legal basis" if self.legal_basis else "refused"
        return f"{self.purpose}: {answer}"

    def is_valid_on(self, day: date) -> bool:
        return (
            self.given
            and self.withdrawn_at is None
            and (self.expires_on is None or self.expires_on >= day)
        )


class DuplicateCandidate(models.Model):
    """A pair the engine scored above the review threshold, waiting for a person's decision."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        SAME = "same", _("Same person")
        DIFFERENT = "different", _("Different people")
        UNSURE = "unsure", _("Not sure")

    # The pair is stored with the lower primary key first, so a pair exists once.
    # Indexed by duplicate_pair_once and duplicate_person_b_idx, not by their own.
    person_a = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", db_index=False)
    person_b = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", db_index=False)
    probability = models.FloatField()
    weight = models.FloatField()
    explanation = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    found_at = models.DateTimeField(auto_now_add=True)
    # Empty until decided: indexed where set only (a pair is written thirteen times more
    # often than it is decided). Same for the merge's clusters.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=300, blank=True)
    merged_from_cluster = models.ForeignKey(
        IdentityCluster,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        help_text=_("The cluster the moved persons left when merged."),
    )
    merged_into_cluster = models.ForeignKey(
        IdentityCluster,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    moved_person_ids = models.JSONField(
        default=list, blank=True, help_text=_("Persons the merge moved; undoing moves them back.")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_pair_once"),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")), name="duplicate_pair_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-probability"], name="duplicate_queue_idx"),
            models.Index(fields=["person_b"], name="duplicate_person_b_idx"),
            *(
                models.Index(
                    fields=[field], condition=models.Q(**{f"{field}__isnull": False}), name=name
                )
                for field, name in (
                    ("decided_by", "duplicate_decided_by_idx"),
                    ("merged_from_cluster", "duplicate_merged_from_idx"),
                    ("merged_into_cluster", "duplicate_merged_into_idx"),
                )
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id}~{self.person_b_id} ({self.status})"


class DuplicateScan(Run):
    """A background rescan of the whole registry for duplicate candidates."""

    found = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    ADVICE = "Rescan again: pairs already found are kept."

    def __str__(self) -> str:
        return f"scan {self.pk} ({self.status})"


class PersonCorrection(models.Model):
    """One correction of a person's identity: the fields changed, each with its value before
    and after, who corrected them, when and why. The person keeps only the values after."""

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="corrections",
        db_index=False,  # person_correction_idx starts with it
    )
    # The same on every server it replicates to: the person's version after it (ADR 0128).
    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    # [{"field": "given_name", "before": "Mohamed", "after": "Mohammed"}, ...], as stored.
    changes = models.JSONField()
    reason = models.CharField(_("reason"), max_length=300)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["person", "-corrected_at", "-id"], name="person_correction_idx")
        ]

    def __str__(self) -> str:
        return f"correction {self.pk} of {self.person_id}"


class PersonReveal(models.Model):
    """A user's audited step to see the whole identity of a person registered outside their
    points, for one case: until it expires, that person's candidate cards show in full to them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("why this case needs it"), max_length=300)
    revealed_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "person", "-expires_at"], name="person_reveal_idx")]

    def __str__(self) -> str:
        return f"reveal of {self.person_id} to {self.user_id}"


class ExportFile(Run):
    """A registrations export too large to send at once: written in chunks by the worker to a
    file under the var dir, downloadable by the one who asked until it expires."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file_format = models.CharField(max_length=4, choices=Format.choices)
    filters = models.JSONField(default=dict)  # crossing_list's keywords, dates as ISO text
    file_name = models.CharField(max_length=200, blank=True)  # under EXPORT_DIR once written
    size = models.PositiveBigIntegerField(default=0)
    purged_at = models.DateTimeField(null=True, blank=True)

    ADVICE = "Ask for the export again."
    UNIT = "rows"

    class Meta(Run.Meta):
        indexes = [models.Index(fields=["requested_by", "-queued_at"], name="exportfile_user_idx")]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"
