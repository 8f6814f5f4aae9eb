"""Assessments (create, score as you go, attach evidence, submit, return, approve) and
recommendations tracked as actions. Each write runs in one transaction with its audit
event."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Agency, User
from hbm.assessments.models import (
    MAX_LEVEL,
    Assessment,
    Attachment,
    Indicator,
    Recommendation,
    Score,
    Template,
)
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.lib.types import StrOrPromise
from hbm.places.models import BorderCrossingPoint

WRITERS = ("assessor", "coordinator", "administrator")
APPROVERS = ("coordinator", "administrator")

TEMPLATE_NOT_PUBLISHED = _("Assessments use published templates only; publish this version first.")
ASSESSMENT_APPROVED = _("This assessment is approved and can no longer be changed.")
ASSESSMENT_SUBMITTED = _(
    "This assessment is submitted for review and cannot be changed until a reviewer returns it."
)
NOT_SUBMITTED = _("Only a submitted assessment can be approved or returned.")
NOT_DRAFT = _("Only a draft assessment can be submitted.")
UNSCORED = _("{n} indicator(s) are not scored yet: {codes}")
FUTURE_DATE = _("The assessment date cannot be in the future.")
LEVEL_RANGE = _("Choose a level from 0 to 4.")
NA_REASON_REQUIRED = _("Say why this indicator does not apply.")
NA_WITH_LEVEL = _("An indicator marked not applicable has no level.")
NOT_IN_TEMPLATE = _("This indicator is not part of the assessment's template.")
TEXT_REQUIRED = _("This field is required.")
ATTACHMENT_TYPE = _("Attach a PDF, JPEG, PNG, WebP, XLSX or DOCX file.")
ATTACHMENT_TOO_BIG = _("An attachment can be at most 10 MB.")
ATTACHMENT_EMPTY = _("The file is empty.")
NOT_A_STATUS = _("'{}' is not one of: {}")
DUE_IN_PAST = _("The due date cannot be before the assessment date.")

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_TEXT = 4000


def attachment_type(content: bytes, name: str) -> tuple[str, str] | None:
    """(extension, content type) recognised from the file's bytes, or None."""
    lowered = name.lower()
    if content.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpg", "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", "image/png"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "webp", "image/webp"
    if content.startswith(b"PK\x03\x04"):
        if lowered.endswith(".xlsx"):
            return "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if lowered.endswith(".docx"):
            return (
                "docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
    return None


# --- assessments ----------------------------------------------------------------------------


def _require_editable(assessment: Assessment) -> None:
    if assessment.status == Assessment.Status.APPROVED:
        raise ValidationError({"status": ASSESSMENT_APPROVED})
    if assessment.status == Assessment.Status.SUBMITTED:
        raise ValidationError({"status": ASSESSMENT_SUBMITTED})


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


def _check_date(assessed_on: datetime.date) -> None:
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": FUTURE_DATE})


@transaction.atomic
def assessment_create(
    *,
    actor: User,
    crossing_point: BorderCrossingPoint,
    template: Template,
    assessed_on: datetime.date,
    team: Iterable[Any] = (),
    team_notes: str = "",
) -> Assessment:
    require_role(actor, *WRITERS)
    if not template.is_published:
        raise ValidationError({"template": TEMPLATE_NOT_PUBLISHED})
    _check_date(assessed_on)
    assessment = Assessment.objects.create(
        crossing_point=crossing_point,
        template=template,
        assessed_on=assessed_on,
        team_notes=team_notes.strip()[:MAX_TEXT],
        created_by=actor,
    )
    assessment.team.set([actor, *team])
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=assessment)
    return assessment


@transaction.atomic
def assessment_update(
    *,
    actor: User,
    assessment: Assessment,
    assessed_on: datetime.date,
    team: Iterable[Any],
    team_notes: str,
    summary: str,
) -> Assessment:
    require_role(actor, *WRITERS)
    assessment = _locked(assessment)
    _require_editable(assessment)
    _check_date(assessed_on)
    assessment.assessed_on = assessed_on
    assessment.team_notes, assessment.summary = team_notes.strip(), summary.strip()
    assessment.save(update_fields=["assessed_on", "team_notes", "summary"])
    assessment.team.set(list(team))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=assessment,
        fields=["assessed_on", "team", "team_notes", "summary"],
    )
    return assessment


def _parse_level(level: Any) -> int | None:
    if level is None or level == "":
        return None
    try:
        number = int(str(level))
    except ValueError:
        raise ValidationError({"level": LEVEL_RANGE}) from None
    if not 0 <= number <= MAX_LEVEL:
        raise ValidationError({"level": LEVEL_RANGE})
    return number


@transaction.atomic
def score_set(
    *,
    actor: User,
    assessment: Assessment,
    indicator: Indicator,
    level: Any = None,
    not_applicable: bool = False,
    na_reason: str = "",
    evidence: str = "",
) -> Score:
    """Save one indicator's score (created on first save). A blank level with no N/A keeps
    the evidence notes and leaves the indicator unscored, so notes are never lost."""
    require_role(actor, *WRITERS)
    assessment = _locked(assessment)
    _require_editable(assessment)
    if indicator.dimension.template_id != assessment.template_id:
        raise ValidationError({"indicator": NOT_IN_TEMPLATE})
    errors: dict[str, StrOrPromise] = {}
    try:
        parsed = _parse_level(level)
    except ValidationError as exc:
        errors["level"], parsed = exc.message_dict["level"][0], None
    na_reason, evidence = na_reason.strip(), evidence.strip()
    if not_applicable:
        if parsed is not None:
            errors["level"] = NA_WITH_LEVEL
        if not na_reason:
            errors["na_reason"] = NA_REASON_REQUIRED
    for name, text in (("na_reason", na_reason), ("evidence", evidence)):
        if len(text) > MAX_TEXT:
            errors[name] = f"At most {MAX_TEXT} characters ({len(text)} given)."
    if errors:
        raise ValidationError(errors)
    score, created = Score.objects.update_or_create(
        assessment=assessment,
        indicator=indicator,
        defaults={
            "level": parsed,
            "not_applicable": not_applicable,
            "na_reason": na_reason if not_applicable else "",
            "evidence": evidence,
            "updated_by": actor,
        },
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        target=score,
        detail=f"{assessment.public_id} {indicator.code}",
    )
    return score


@transaction.atomic
def attachment_add(
    *, actor: User, assessment: Assessment, indicator: Indicator, name: str, content: bytes
) -> Attachment:
    require_role(actor, *WRITERS)
    assessment = _locked(assessment)
    _require_editable(assessment)
    if indicator.dimension.template_id != assessment.template_id:
        raise ValidationError({"indicator": NOT_IN_TEMPLATE})
    if not content:
        raise ValidationError({"file": ATTACHMENT_EMPTY})
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": ATTACHMENT_TOO_BIG})
    kind = attachment_type(content, name)
    if kind is None:
        raise ValidationError({"file": ATTACHMENT_TYPE})
    extension, content_type = kind
    score, _created = Score.objects.get_or_create(
        assessment=assessment, indicator=indicator, defaults={"updated_by": actor}
    )
    attachment = Attachment(
        score=score,
        name=(name or f"evidence.{extension}")[:200],
        content_type=content_type,
        size=len(content),
        uploaded_by=actor,
    )
    attachment.file.save(f"{attachment.public_id}.{extension}", ContentFile(content), save=False)
    attachment.save()
    stored = attachment.file.name
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=attachment,
        detail=f"{assessment.public_id} {indicator.code} {stored}",
    )
    return attachment


@transaction.atomic
def assessment_submit(*, actor: User, assessment: Assessment) -> Assessment:
    require_role(actor, *WRITERS)
    assessment = _locked(assessment)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError({"status": NOT_DRAFT})
    done = set(
        Score.objects.filter(assessment=assessment)
        .exclude(level__isnull=True, not_applicable=False)
        .values_list("indicator_id", flat=True)
    )
    missing = [
        code
        for pk, code in Indicator.objects.filter(
            dimension__template=assessment.template_id
        ).values_list("pk", "code")
        if pk not in done
    ]
    if missing:
        codes = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        raise ValidationError({"scores": UNSCORED.format(n=len(missing), codes=codes)})
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at, assessment.submitted_by = timezone.now(), actor
    assessment.save(update_fields=["status", "submitted_at", "submitted_by"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=assessment, fields=["status"])
    return assessment


@transaction.atomic
def assessment_return(*, actor: User, assessment: Assessment, note: str) -> Assessment:
    """A reviewer sends a submitted assessment back to its team as a draft, with a note."""
    require_role(actor, *APPROVERS)
    assessment = _locked(assessment)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError({"status": NOT_SUBMITTED})
    if not note.strip():
        raise ValidationError({"note": TEXT_REQUIRED})
    assessment.status, assessment.review_note = Assessment.Status.DRAFT, note.strip()
    assessment.save(update_fields=["status", "review_note"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=assessment,
        fields=["status", "review_note"],
    )
    return assessment


@transaction.atomic
def assessment_approve(*, actor: User, assessment: Assessment, note: str = "") -> Assessment:
    require_role(actor, *APPROVERS)
    assessment = _locked(assessment)
    if assessment.status == Assessment.Status.APPROVED:
        raise ValidationError({"status": ASSESSMENT_APPROVED})
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError({"status": NOT_SUBMITTED})
    assessment.status = Assessment.Status.APPROVED
    assessment.approved_at, assessment.approved_by = timezone.now(), actor
    assessment.review_note = note.strip()
    assessment.save(update_fields=["status", "approved_at", "approved_by", "review_note"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=assessment, fields=["status"])
    return assessment


# --- recommendations (actions) --------------------------------------------------------------


@transaction.atomic
def recommendation_create(
    *,
    actor: User,
    assessment: Assessment,
    text: str,
    agency: Agency | None = None,
    due_on: datetime.date | None = None,
    indicator: Indicator | None = None,
) -> Recommendation:
    """Recommendations may be added at any stage, approved included: they are the follow-up
    actions, not part of the scored findings."""
    require_role(actor, *WRITERS)
    errors = {}
    if not text.strip():
        errors["text"] = TEXT_REQUIRED
    if indicator is not None and indicator.dimension.template_id != assessment.template_id:
        errors["indicator"] = NOT_IN_TEMPLATE
    if due_on is not None and due_on < assessment.assessed_on:
        errors["due_on"] = DUE_IN_PAST
    if errors:
        raise ValidationError(errors)
    recommendation = Recommendation.objects.create(
        assessment=assessment,
        indicator=indicator,
        text=text.strip()[:MAX_TEXT],
        agency=agency,
        due_on=due_on,
        created_by=actor,
    )
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=recommendation)
    return recommendation


@transaction.atomic
def recommendation_set_status(
    *, actor: User, recommendation: Recommendation, status: str
) -> Recommendation:
    require_role(actor, *WRITERS)
    if status not in Recommendation.Status.values:
        choices = ", ".join(Recommendation.Status.values)
        raise ValidationError({"status": NOT_A_STATUS.format(status, choices)})
    recommendation.status = status
    recommendation.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, target=recommendation, fields=["status"]
    )
    return recommendation


def assessment_export_record(*, actor: User, assessment: Assessment, file_format: str) -> None:
    """Audit an export (XLSX scores, PDF report) before the first byte leaves."""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        target=assessment,
        detail=f"{file_format} export",
    )
