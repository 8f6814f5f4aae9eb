"""Forms served to Collect: XLSForm upload (converted with pyxform), mapping, activation."""

import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.collect.mapping import mapping_default, mapping_problems
from hbm.collect.models import CollectForm
from hbm.collect.selectors import FORM_MANAGERS
from hbm.collect.xforms import XFormError, xform_structure, xlsform_convert
from hbm.lib.permissions import require_role
from hbm.places.models import BorderCrossingPoint

NO_POINTS = "Choose at least one crossing point the form is used at."


def _points_problems(points: Sequence[BorderCrossingPoint]) -> dict[str, list[str]]:
    return {} if points else {"crossing_points": [NO_POINTS]}


@transaction.atomic
def collect_form_upload(
    *,
    actor: User,
    content: bytes,
    filename: str,
    crossing_points: Sequence[BorderCrossingPoint],
    mapping: dict[str, str] | None = None,
) -> CollectForm:
    """Convert an XLSForm and serve it to Collect. A form id seen before is replaced (its
    submissions stay linked); without a mapping the form keeps its own if still valid, or
    gets the default one for the paths it has. Every problem is named before anything is
    written."""
    require_role(actor, *FORM_MANAGERS)
    problems = _points_problems(crossing_points)
    try:
        converted = xlsform_convert(content)
    except XFormError as error:
        raise ValidationError({**problems, "file": [str(error)]}) from error
    structure = converted.structure
    form = CollectForm.objects.select_for_update().filter(form_id=structure.form_id).first()
    if mapping is None:
        kept = form.mapping if form is not None else None
        mapping = (
            kept if kept and not mapping_problems(kept, structure) else mapping_default(structure)
        )
    found = mapping_problems(mapping, structure)
    if found:
        problems["mapping"] = found
    if problems:
        raise ValidationError(problems)
    created = form is None
    form = form or CollectForm(form_id=structure.form_id, uploaded_by=actor)
    form.title = structure.title[:200]
    form.version = structure.version[:100]
    form.root = structure.root[:100]
    form.xlsx = content
    form.xlsx_name = filename[:200]
    form.xform = converted.xform
    form.md5 = hashlib.md5(converted.xform.encode()).hexdigest()
    form.mapping = mapping
    form.uploaded_by = actor
    form.save()
    form.crossing_points.set(crossing_points)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        target=form,
        fields=["xform", "mapping", "crossing_points"],
        detail=f"{filename}: form {form.form_id} version {form.version}",
    )
    return form


@transaction.atomic
def collect_form_update(
    *,
    actor: User,
    form: CollectForm,
    mapping: Any,
    crossing_points: Sequence[BorderCrossingPoint],
    active: bool,
) -> CollectForm:
    """Change a form's mapping, crossing points and whether Collect sees it."""
    require_role(actor, *FORM_MANAGERS)
    problems = _points_problems(crossing_points)
    found = mapping_problems(mapping, xform_structure(form.xform))
    if found:
        problems["mapping"] = found
    if problems:
        raise ValidationError(problems)
    form.mapping = mapping
    form.active = active
    form.save(update_fields=["mapping", "active", "updated_at"])
    form.crossing_points.set(crossing_points)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=form,
        fields=["mapping", "active", "crossing_points"],
        detail=f"form {form.form_id}, {'active' if active else 'inactive'}",
    )
    return form
