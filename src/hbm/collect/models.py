"""Forms served to ODK Collect / KoboCollect, the credentials devices use, and every
submission received, with its raw XML and attachments kept."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hbm.lib.encrypted_fields import EncryptedJSONField
from hbm.places.models import BorderCrossingPoint


class CollectForm(models.Model):
    """An XLSForm as uploaded and the XForm pyxform made of it; one row per form id (a new
    upload of the same form id replaces its content, the version moves on)."""

    form_id = models.CharField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    version = models.CharField(max_length=100, blank=True)
    root = models.CharField(max_length=100, help_text=_("The instance's root element name."))
    xlsx = models.BinaryField()
    xlsx_name = models.CharField(max_length=200)
    xform = models.TextField()
    md5 = models.CharField(max_length=32, help_text=_("Of the XForm, for the form list."))
    mapping = models.JSONField(default=dict, blank=True)
    crossing_points = models.ManyToManyField(
        BorderCrossingPoint, related_name="collect_forms", blank=True
    )
    active = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "form_id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.form_id})"


class CollectCredential(models.Model):
    """A username and password for one device running Collect, acting as ``user``. A hash of
    the password is stored (Django's password hasher) for HTTP Basic, and, for HTTP Digest,
    H(username:realm:password) per algorithm (``hbm.collect.digest.ha1s``), encrypted at rest:
    it is password-equivalent for the realm (docs/decisions/0135). Credentials issued before
    Digest, and revoked ones, have none."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collect_credentials"
    )
    name = models.CharField(max_length=100)
    username = models.CharField(max_length=150, unique=True)
    password_hash = models.CharField(max_length=200)
    digest_ha1 = EncryptedJSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.username})"


class Submission(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        REJECTED = "rejected", _("Rejected")
        EDIT_REVIEW = "edit_review", _("Edit waiting for review")
        EDIT_SAME = "edit_same", _("Edit, registration unchanged")

    instance_id = models.CharField(max_length=249, unique=True)
    form = models.ForeignKey(CollectForm, on_delete=models.PROTECT, related_name="submissions")
    form_version = models.CharField(max_length=100, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    credential = models.ForeignKey(
        CollectCredential, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    xml = models.TextField()
    xml_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=Status.choices)
    errors = models.JSONField(default=dict, blank=True)
    # The registration's content as the mapping read it (field path → value), to show what an
    # edit changes.
    mapped = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(default=list, blank=True)
    registration = models.ForeignKey(
        "registry.Registration",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collect_submissions",
    )
    deprecates = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="edited_by"
    )

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.instance_id


class SubmissionAttachment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to="collect/%Y/%m/")
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "name"], name="collect_attachment_once")
        ]

    def __str__(self) -> str:
        return self.name
