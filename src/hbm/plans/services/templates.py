"""Loading an SOP template from its JSON document (the package ships mass-arrival.json)."""

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hbm.accounts.models import Agency, User
from hbm.audit.models import AuditEvent
from hbm.audit.services import Actor, audit_record
from hbm.lib.permissions import require_role
from hbm.lib.translations import clean_translations, translations_save
from hbm.plans import rules
from hbm.plans.models import SopTemplate, SopTemplateTask

DEFAULT_TEMPLATE = "mass-arrival"
NOT_JSON = "Not a JSON document: {}."
NOT_AN_OBJECT = "The document must be a JSON object."
CODE_NEEDED = "Give the template a code (letters, digits and hyphens)."
UNKNOWN_KIND = "Unknown kind of agency {!r}; one of: {}."
LEAD_NEEDED = "Say who leads (e.g. WASH partner)."
NOT_A_MAPPING = "Give an object of language code → texts."
NOT_A_TASK_LIST = "Give a list of the tasks' texts, in the template's order."
NO_SUCH_TASK = "The template has {} tasks."
TEMPLATE_TEXTS = ("name", "scenario")
TRANSLATORS = ("administrator",)
TASK_TEXTS = ("title", "details", "lead")


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


def _check_translations(
    raw: Any, task_count: int, path: str = "translations"
) -> tuple[list[tuple[int | None, dict[str, dict[str, str]]]], dict[str, list[str]]]:
    """``{language: {name, scenario, tasks: [{title, details, lead}, ...]}}`` checked in
    full: the texts by task position (None for the template's own) and the problems."""
    if not isinstance(raw, dict):
        return [], {path: [NOT_A_MAPPING]}
    own: dict[str, Any] = {}
    by_task: dict[int, dict[str, Any]] = {}
    problems: dict[str, list[str]] = {}
    for language, texts in raw.items():
        if not isinstance(texts, dict):
            own[language] = texts  # clean_translations reports it
            continue
        own[language] = {k: v for k, v in texts.items() if k != "tasks"}
        tasks = texts.get("tasks", [])
        if not isinstance(tasks, list):
            problems[f"{path}.{language}.tasks"] = [NOT_A_TASK_LIST]
            continue
        for position, task in enumerate(tasks):
            if position >= task_count:
                problems[f"{path}.{language}.tasks.{position}"] = [NO_SUCH_TASK.format(task_count)]
            else:
                by_task.setdefault(position, {})[language] = task
    cleaned, found = clean_translations(
        own, fields=TEMPLATE_TEXTS, multiline=("scenario",), path=path
    )
    problems.update(found)
    rows: list[tuple[int | None, dict[str, dict[str, str]]]] = [(None, cleaned)]
    for position, texts in sorted(by_task.items()):
        per_language: dict[str, dict[str, str]] = {}
        for language, task in texts.items():
            where = f"{path}.{language}.tasks.{position}"
            one, found = clean_translations(
                {language: task}, fields=TASK_TEXTS, multiline=("details",), path=""
            )
            problems.update({f"{where}{k[len(language) :]}": v for k, v in found.items()})
            per_language.update(one)
        rows.append((position, per_language))
    return rows, problems


def _write_translations(
    template: SopTemplate, rows: list[tuple[int | None, dict[str, dict[str, str]]]]
) -> int:
    tasks = {task.position: task for task in template.tasks.all()}
    changed = 0
    for position, texts in rows:
        changed += translations_save(template if position is None else tasks[position], texts)
    return changed


@transaction.atomic
def sop_template_translate(*, actor: User, template: SopTemplate, translations: Any) -> int:
    """Set the template's texts in other languages: ``{language: {name, scenario, tasks:
    [{title, details, lead}, ...]}}``, tasks in the template's order. The texts given replace
    those of the same row and language (a blank one falls back to the source text); all or
    nothing. Returns the number of rows written or removed."""
    require_role(actor, *TRANSLATORS)
    rows, problems = _check_translations(translations, template.tasks.count())
    if problems:
        raise ValidationError(problems)
    changed = _write_translations(template, rows)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=template,
        fields=["translations"],
        detail=f"{changed} translated rows: {', '.join(sorted(translations))}",
    )
    return changed


@transaction.atomic
def sop_template_load(*, actor: Actor, document: bytes) -> tuple[SopTemplate, bool]:
    """Create or replace the template with the document's code; all or nothing."""
    data = _parse(document)
    tasks = _tasks(data.get("tasks"))
    problems = _problems(data, tasks)
    rows, found = _check_translations(data.get("translations", {}), len(tasks))
    problems.update(found)
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
    # the document is the whole template: its translations replace the stored ones
    template.translations.all().delete()
    _write_translations(template, rows)
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
