"""The SOP template shipped as data: loaded by the service and the command, refused whole
when any part is wrong."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from hbm.audit.models import AuditEvent
from hbm.plans import rules
from hbm.plans.models import SopTemplate, SopTemplateTask
from hbm.plans.services import templates
from hbm.plans.services.templates import default_document, sop_template_load


def _document(**changes):
    data = json.loads(default_document())
    data.update(changes)
    return json.dumps(data).encode()


def test_the_shipped_mass_arrival_template_loads_with_a_task_for_each_agency(db):
    template, created = sop_template_load(actor="test", document=default_document())
    assert created and template.code == "mass-arrival"
    assert (template.standby_level, template.activation_level) == ("watch", "warning")
    kinds = set(template.tasks.values_list("agency_kind", flat=True))
    assert {"immigration", "health", "ngo", "police", "customs", "un_io"} <= kinds
    leads = set(template.tasks.values_list("lead", flat=True))
    assert {"WASH partner", "Protection agency"} <= leads
    assert AuditEvent.objects.filter(action="import", object_type="plans.soptemplate").exists()


def test_loading_again_replaces_the_template_with_the_same_code(db):
    sop_template_load(actor="test", document=default_document())
    tasks = json.loads(default_document())["tasks"][:2]
    template, created = sop_template_load(
        actor="test", document=_document(tasks=tasks, translations={})
    )
    assert not created and template.tasks.count() == 2
    assert SopTemplate.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"tasks": []}, "tasks", rules.NO_TASKS),
        (
            {"standby_level": "warning", "activation_level": "watch"},
            "standby_level",
            rules.LEVELS_OUT_OF_ORDER,
        ),
        ({"activation_level": "loud"}, "activation_level", rules.UNKNOWN_LEVEL),
    ],
)
def test_a_bad_template_is_refused_and_the_loaded_one_kept(db, changes, field, message):
    sop_template_load(actor="test", document=default_document())
    before = list(SopTemplateTask.objects.values_list("pk", "title"))
    with pytest.raises(ValidationError) as refused:
        sop_template_load(actor="test", document=_document(**changes))
    assert refused.value.message_dict[field] == [message]
    assert list(SopTemplateTask.objects.values_list("pk", "title")) == before


def test_a_task_of_an_unknown_kind_or_negative_deadline_is_named_by_its_place(db):
    tasks = json.loads(default_document())["tasks"]
    tasks[1]["agency_kind"] = "wizards"
    tasks[2]["due_hours"] = -3
    with pytest.raises(ValidationError) as refused:
        sop_template_load(actor="test", document=_document(tasks=tasks, translations={}))
    problems = refused.value.message_dict
    assert problems["tasks.1.agency_kind"][0].startswith("Unknown kind of agency 'wizards'")
    assert problems["tasks.2.due_hours"] == [rules.NEGATIVE_DEADLINE]
    assert not SopTemplate.objects.exists()


def test_not_json_is_refused(db):
    with pytest.raises(ValidationError) as refused:
        sop_template_load(actor="test", document=b"{not json")
    assert refused.value.message_dict["file"][0].startswith("Not a JSON document")


def test_the_command_loads_the_default_and_prints_each_problem_of_a_bad_file(db, tmp_path, capsys):
    call_command("plans", "load-template")
    assert "mass-arrival: loaded, 10 tasks" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"code": "x", "name": "X", "activation_level": "warning"}))
    with pytest.raises(CommandError) as refused:
        call_command("plans", "load-template", "--file", str(bad))
    assert str(refused.value) == f"tasks: {rules.NO_TASKS}"
    assert SopTemplate.objects.get().code == templates.DEFAULT_TEMPLATE
