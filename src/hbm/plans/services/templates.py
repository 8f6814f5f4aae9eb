"""Loading an SOP template from its JSON document (the package ships mass-arrival.json)."""

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hbm.accounts.models import Agency
from hbm.audit.models import AuditEvent
from hbm.audit.services import Actor, audit_record
from hbm.plans import rules
from hbm.plans.models import SopTemplate, SopTemplateTask

DEFAULT_TEMPLATE = "mass-arrival"
NOT_JSON = "Not a JSON document: {}."
NOT_AN_OBJECT = "The document must be a JSON object."
CODE_NEEDED = "Give the template a code (letters, digits and hyphens)."
UNKNOWN_KIND = "Unknown kind of agency {!r}; one of: {}."
LEAD_NEEDED = "Say who leads (e.g. WASH partner)."


@dataclass(frozen=True)
class TemplateTask:
    title: str
    agency_kind: str
    lead: str
    due_hours: Any
    details: str = ""


def default_document() -> bytes:
    return resources.files("hbm.plans").joinpath(f"data/{DEFAULT_TEMPLATE}.json").read_bytes()


def _parse(document: bytes) -> dict[str, Any]:
    try:
        data = json.loads(document)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationError({"file": [NOT_JSON.format(error)]}) from error
    if not isinstance(data, dict):
        raise ValidationError({"file": [NOT_AN_OBJECT]})
    return data


def _tasks(raw: Any) -> list[TemplateTask]:
    rows = raw if isinstance(raw, list) else []
    return [
        TemplateTask(
            title=str(row.get("title", "")),
            agency_kind=str(row.get("agency_kind", "")),
            lead=str(row.get("lead", "")),
            due_hours=row.get("due_hours"),
            details=str(row.get("details", "")),
        )
        for row in rows
        if isinstance(row, dict)
    ]


def _problems(data: dict[str, Any], tasks: list[TemplateTask]) -> dict[str, list[str]]:
    problems = rules.trigger_problems(
        standby_level=str(data.get("standby_level", "")),
        activation_level=str(data.get("activation_level", "")),
    )
    code = str(data.get("code", ""))
    if not code or not code.replace("-", "").isalnum() or len(code) > 60:
        problems["code"] = [CODE_NEEDED]
    if not str(data.get("name", "")).strip():
        problems["name"] = [rules.NAME_NEEDED]
    problems.update(rules.task_problems(tasks))
    for index, task in enumerate(tasks):
        if task.agency_kind not in Agency.Kind.values:
            kinds = ", ".join(Agency.Kind.values)
            problems[f"tasks.{index}.agency_kind"] = [UNKNOWN_KIND.format(task.agency_kind, kinds)]
        if not task.lead.strip():
            problems[f"tasks.{index}.lead"] = [LEAD_NEEDED]
    return problems


@transaction.atomic
def sop_template_load(*, actor: Actor, document: bytes) -> tuple[SopTemplate, bool]:
    """Create or replace the template with the document's code; all or nothing."""
    data = _parse(document)
    tasks = _tasks(data.get("tasks"))
    problems = _problems(data, tasks)
    if problems:
        raise ValidationError(problems)
    template, created = SopTemplate.objects.update_or_create(
        code=data["code"],
        defaults={
            "name": str(data["name"]).strip(),
            "scenario": str(data.get("scenario", "")),
            "source": str(data.get("source", "")),
            "standby_level": str(data.get("standby_level", "")),
            "activation_level": str(data["activation_level"]),
        },
    )
    template.tasks.all().delete()
    SopTemplateTask.objects.bulk_create(
        SopTemplateTask(
            template=template,
            position=position,
            title=task.title.strip(),
            details=task.details,
            agency_kind=task.agency_kind,
            lead=task.lead.strip(),
            due_hours=task.due_hours,
        )
        for position, task in enumerate(tasks)
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        target=template,
        detail=f"{len(tasks)} tasks",
    )
    return template, created


def sop_template_default(*, actor: Actor) -> SopTemplate:
    """The shipped mass-arrival template, loaded if it is not there yet."""
    found = SopTemplate.objects.filter(code=DEFAULT_TEMPLATE).first()
    if found is None:
        found, _created = sop_template_load(actor=actor, document=default_document())
    return found
