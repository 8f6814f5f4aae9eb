"""Submissions from Collect (OpenRosa 1.0 Form Submission API). Each instance is kept with its
raw XML and attachments, then goes through the registry's own ``registration_register`` (so
duplicate and watchlist screening and the flow hooks run) under a registration id derived from
the instanceID: a replay is idempotent here and in the registry.

- The same instanceID with the same XML is a replay: new attachments are kept, nothing else is
  written, and it is answered as a success. With other XML it is a conflict (409).
- An instance with a deprecatedID is an edit of that submission. An edit never changes a
  registration by itself: it is kept, and if its content differs from the registration's it is
  marked for review with the fields it changes (docs/decisions/0123). An edit of a submission
  that was rejected registers, under the first version's id.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.collect.mapping import (
    MappingFailed,
    changed_fields,
    flattened,
    registration_input,
)
from hbm.collect.models import CollectCredential, CollectForm, Submission, SubmissionAttachment
from hbm.collect.selectors import forms_for_device, user_points
from hbm.collect.xforms import Instance, XFormError, instance_parse
from hbm.registry.inputs import RegistrationInput
from hbm.registry.models import Registration
from hbm.registry.services import RegistrationConflict, registration_register
from hbm.registry.validation import registration_problems

RECEIVED = "Registration received."
REPLAYED = "This submission was received before; nothing more to send."
ATTACHMENTS_ADDED = "This submission was received before; {} more file(s) kept."
EDIT_SAME = "Edit received; the registration is unchanged."
EDIT_REVIEW = "Edit received; it changes the registration ({}) and waits for review."
CONFLICT = (
    "A submission with instanceID {} was already received with different content; a changed "
    "form must be sent as an edit (a new instanceID with deprecatedID)."
)
UNKNOWN_FORM = "form_id: no form '{}' on this server (download the form list again)."
FORM_INACTIVE = "form_id: form '{}' is no longer in use; download the form list again."
NOT_YOUR_FORM = "form_id: form '{}' is not used at your crossing points."
WRONG_ROOT = "The submission's root element <{}> is not form '{}''s <{}>."
DEPRECATED_UNKNOWN = "deprecatedID: no submission {} was received; send the original first."
EDITED_ALREADY = "deprecatedID: submission {} was edited already; edit its newest version."
OTHER_FORM = "deprecatedID: submission {} belongs to another form."
NOT_YOUR_SUBMISSION = "deprecatedID: submission {} was registered at a point you do not work at."
BAD_FILE_NAME = "Attachment '{}': a file name without folders, at most 255 characters."
# A file part of the multipart body, as Django hands it over.
Upload: TypeAlias = "UploadedFile[Any]"

BUSY = "This submission is being received by another request; send it again in a moment."
NO_XML = "xml_submission_file: the submission's XML part is missing."


class SubmissionRefused(Exception):
    """The submission is not accepted: ``status`` is the HTTP status to answer, ``message``
    names the field at fault. Nothing was written."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Receipt:
    status: int  # 201 created, 202 a replay, 422 kept but rejected
    message: str
    submission: Submission


def submission_receive(
    *, credential: CollectCredential, xml: bytes, files: Sequence[Upload]
) -> Receipt:
    """Keep one submission and register it; see the module's docstring for replays and
    edits. Raises SubmissionRefused (nothing written) for what can't be kept."""
    try:
        instance = instance_parse(xml)
    except XFormError as error:
        raise SubmissionRefused(400, str(error)) from error
    for upload in files:
        _check_name(upload.name or "")
    try:
        try:
            return _receive(credential=credential, instance=instance, xml=xml, files=files)
        except IntegrityError:
            # The same instance arrived twice at once and the other request committed first:
            # this one is now a replay.
            try:
                return _receive(credential=credential, instance=instance, xml=xml, files=files)
            except IntegrityError as error:
                raise SubmissionRefused(423, BUSY) from error
    except RegistrationConflict as error:
        raise SubmissionRefused(409, str(error)) from error
    except PermissionDenied as error:
        raise SubmissionRefused(403, str(error)) from error


def _check_name(name: str) -> None:
    if not name or len(name) > 255 or "/" in name or "\\" in name or name.startswith("."):
        raise SubmissionRefused(400, BAD_FILE_NAME.format(name[:100]))


@transaction.atomic
def _receive(
    *,
    credential: CollectCredential,
    instance: Instance,
    xml: bytes,
    files: Sequence[Upload],
) -> Receipt:
    user = credential.user
    digest = hashlib.sha256(xml).hexdigest()
    existing = (
        Submission.objects.select_for_update().filter(instance_id=instance.instance_id).first()
    )
    if existing is not None:
        if existing.xml_hash != digest:
            audit_record(
                actor=user, action=AuditEvent.Action.DENIED, target=existing, detail="conflict"
            )
            raise SubmissionRefused(409, CONFLICT.format(instance.instance_id))
        added = _attach(existing, files)
        if existing.status != Submission.Status.REJECTED:
            audit_record(
                actor=user,
                action=AuditEvent.Action.UPDATE if added else AuditEvent.Action.VIEW,
                target=existing,
                detail=f"replay, {added} new file(s)",
            )
            message = ATTACHMENTS_ADDED.format(added) if added else REPLAYED
            return Receipt(201 if added else 202, message, existing)
        # Rejected before: the form's mapping (or the registry) may accept it now.
        return _process(existing, instance=instance, user=user)
    form = _form(user, instance)
    submission = Submission(
        instance_id=instance.instance_id,
        form=form,
        form_version=instance.version[:100],
        submitted_by=user,
        credential=credential,
        xml=xml.decode("utf-8", errors="replace"),
        xml_hash=digest,
        status=Submission.Status.REJECTED,
        deprecates=_deprecated(user, form, instance),
    )
    submission.save()
    _attach(submission, files)
    return _process(submission, instance=instance, user=user)


def _form(user: User, instance: Instance) -> CollectForm:
    form = CollectForm.objects.filter(form_id=instance.form_id).first()
    if form is None:
        raise SubmissionRefused(404, UNKNOWN_FORM.format(instance.form_id))
    if not form.active:
        raise SubmissionRefused(422, FORM_INACTIVE.format(instance.form_id))
    if not forms_for_device(user=user).filter(pk=form.pk).exists():
        raise SubmissionRefused(403, NOT_YOUR_FORM.format(instance.form_id))
    if instance.root != form.root:
        raise SubmissionRefused(400, WRONG_ROOT.format(instance.root, form.form_id, form.root))
    return form


def _deprecated(user: User, form: CollectForm, instance: Instance) -> Submission | None:
    if not instance.deprecated_id:
        return None
    old = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("registration")
        .filter(instance_id=instance.deprecated_id)
        .first()
    )
    if old is None:
        raise SubmissionRefused(404, DEPRECATED_UNKNOWN.format(instance.deprecated_id))
    if old.form_id != form.pk:
        raise SubmissionRefused(422, OTHER_FORM.format(instance.deprecated_id))
    if Submission.objects.filter(deprecates=old).exists():
        raise SubmissionRefused(409, EDITED_ALREADY.format(instance.deprecated_id))
    registration = _registration_of(old)
    if registration is not None and not (
        user.has_national_scope
        or user_points(user).filter(pk=registration.crossing_point_id).exists()
    ):
        raise SubmissionRefused(403, NOT_YOUR_SUBMISSION.format(instance.deprecated_id))
    return old


def _first_version(submission: Submission) -> Submission:
    while submission.deprecates_id is not None:
        submission = Submission.objects.get(pk=submission.deprecates_id)
    return submission


def _registration_of(submission: Submission) -> Registration | None:
    """The registration the submission's chain of versions made, if one did."""
    while submission is not None:
        if submission.registration_id is not None:
            return submission.registration
        if submission.deprecates_id is None:
            return None
        submission = Submission.objects.select_related("registration").get(
            pk=submission.deprecates_id
        )
    return None


def _default_point(user: User, form: CollectForm) -> str:
    """The crossing point of a submission that names none: the form's only point, or the only
    one of the form's points the user works at."""
    points = list(form.crossing_points.all())
    if len(points) > 1:
        points = [point for point in points if user_points(user).filter(pk=point.pk).exists()]
    return points[0].code if len(points) == 1 else ""


def _process(submission: Submission, *, instance: Instance, user: User) -> Receipt:
    form = submission.form
    first = _first_version(submission)
    try:
        data = registration_input(
            instance,
            mapping=form.mapping,
            root_instance_id=first.instance_id,
            default_point=_default_point(user, form),
        )
    except MappingFailed as error:
        return _rejected(submission, user, error.problems)
    submission.mapped = flattened(data)
    registration = _registration_of(submission.deprecates) if submission.deprecates else None
    if registration is not None:
        return _edit(submission, data=data, registration=registration, user=user)
    try:
        with transaction.atomic():
            result = registration_register(actor=user, data=data)
    except ValidationError as error:
        return _rejected(submission, user, error.message_dict)
    submission.registration = result.registration
    submission.status = Submission.Status.REGISTERED
    submission.errors = {}
    _record(submission, user, f"registration {result.registration.public_id}")
    return Receipt(201, RECEIVED, submission)


def _edit(
    submission: Submission, *, data: RegistrationInput, registration: Registration, user: User
) -> Receipt:
    assert submission.deprecates is not None
    submission.registration = registration
    if data.content_hash() == registration.content_hash:
        submission.status = Submission.Status.EDIT_SAME
        submission.changes = []
        message = EDIT_SAME
    else:
        submission.status = Submission.Status.EDIT_REVIEW
        submission.changes = changed_fields(submission.deprecates.mapped, submission.mapped)
        submission.errors = registration_problems(data, now=timezone.now()).by_field
        message = EDIT_REVIEW.format(", ".join(submission.changes) or "content")
    _record(submission, user, f"edit of {submission.deprecates.instance_id}")
    return Receipt(201, message, submission)


def _rejected(submission: Submission, user: User, problems: dict[str, list[str]]) -> Receipt:
    submission.status = Submission.Status.REJECTED
    submission.errors = problems
    _record(submission, user, f"problems: {', '.join(sorted(problems))}")
    message = "; ".join(f"{path}: {' '.join(texts)}" for path, texts in sorted(problems.items()))
    return Receipt(422, message, submission)


def _record(submission: Submission, user: User, detail: str) -> None:
    """Save what processing found, and audit it."""
    submission.save(update_fields=["registration", "status", "errors", "mapped", "changes"])
    audit_record(
        actor=user,
        action=AuditEvent.Action.CREATE,
        target=submission,
        detail=f"{submission.status} ({submission.form.form_id}): {detail}",
    )


def _attach(submission: Submission, files: Sequence[Upload]) -> int:
    """Keep the files not kept yet (by name); how many were new."""
    kept = set(submission.files.values_list("name", flat=True))
    added = 0
    for upload in files:
        name = upload.name or ""
        if name in kept:
            continue
        attachment = SubmissionAttachment(
            submission=submission,
            name=name,
            size=upload.size or 0,
            content_type=(upload.content_type or "")[:100],
        )
        attachment.file.save(get_valid_filename(name), upload, save=False)
        attachment.save()
        kept.add(name)
        added += 1
    return added
