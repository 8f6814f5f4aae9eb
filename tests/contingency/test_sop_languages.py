"""SOP templates carry their texts in other languages as data (ADR 0141): the shipped template
in French and Arabic, a plan made from it and its activation's tasks shown in the reader's
language while their text is still the template's, the source text where no translation is,
and translations set by administrators through the API and the admin, refused whole when wrong."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from hbm.audit.models import AuditEvent
from hbm.plans.models import ContingencyPlan, SopTemplateTask, SopTemplateTaskTranslation
from hbm.plans.services.activation import plan_activate
from hbm.plans.services.plans import plan_create_from_template
from hbm.plans.services.templates import (
    NO_SUCH_TASK,
    default_document,
    sop_template_default,
    sop_template_load,
)
from tests.factories import AgencyFactory

URL = "/api/v1/plans"
KINDS = ["immigration", "health", "ngo", "police", "customs", "un_io", "civil_protection"]
FIRST_TITLE = "Open the second reception lane and channel arrivals by caseload"
FIRST_TITLE_FR = "Ouvrir la deuxième file d'accueil et orienter les arrivants selon leur profil"
FIRST_TITLE_AR = "فتح مسار الاستقبال الثاني وتوجيه الواصلين حسب فئاتهم"
NAME_FR = "Arrivée massive à un point de passage frontalier"
NAME_AR = "وصول جماعي إلى نقطة عبور حدودية"


@pytest.fixture(autouse=True)
def back_to_english():
    """A request in French activates French for the thread; the next test starts in English."""
    yield
    translation.deactivate()


@pytest.fixture
def template(db):
    return sop_template_default(actor="test")


@pytest.fixture
def agencies(immigration):
    return [immigration] + [AgencyFactory(code=k, name=k, kind=k) for k in KINDS[1:]]


@pytest.fixture
def plan(template, agencies, coordinator_patrick):
    return plan_create_from_template(
        actor=coordinator_patrick,
        template="mass-arrival",
        name="Mass arrival at a border crossing point",
        crossing_points=["point-a"],
    )


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def _put(client, code, translations):
    return client.put(
        f"{URL}/templates/{code}/translations",
        {"translations": translations},
        content_type="application/json",
    )


def _fields(response):
    assert response.status_code == 422, response.content
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def test_the_shipped_template_has_every_text_in_french_and_arabic(template):
    assert set(template.texts()) == {"en", "fr", "ar"}
    assert all(set(t) == {"name", "scenario"} for t in template.texts().values())
    for task in template.tasks.all():
        assert {lang: set(texts) for lang, texts in task.texts().items()} == {
            "en": {"title", "details", "lead"},
            "fr": {"title", "details", "lead"},
            "ar": {"title", "details", "lead"},
        }, task.position


def test_the_templates_api_answers_in_the_callers_language(template, coordinator_patrick):
    client = _as(coordinator_patrick)
    (english,) = client.get(f"{URL}/templates").json()["items"]
    assert english["name"] == "Mass arrival at a border crossing point"
    (french,) = client.get(f"{URL}/templates", HTTP_ACCEPT_LANGUAGE="fr").json()["items"]
    assert french["name"] == NAME_FR
    assert french["tasks"][0]["title"] == FIRST_TITLE_FR
    assert french["tasks"][3]["lead"] == "Partenaire EAH"
    assert french["translations"]["ar"]["name"] == NAME_AR
    assert french["tasks"][0]["translations"]["en"]["title"] == FIRST_TITLE
    # Swahili is an interface language with no text here: the source shows
    (swahili,) = client.get(f"{URL}/templates", HTTP_ACCEPT_LANGUAGE="sw").json()["items"]
    assert swahili["tasks"][0]["title"] == FIRST_TITLE


def test_a_plan_from_the_template_and_its_tasks_read_in_the_readers_language(
    plan, coordinator_patrick, officer_amina
):
    client = _as(coordinator_patrick)
    arabic = client.get(f"{URL}/{plan.public_id}", HTTP_ACCEPT_LANGUAGE="ar").json()
    assert arabic["display_name"] == NAME_AR
    assert arabic["display_scenario"].startswith("تتجاوز أعداد الواصلين")
    # the stored text stays the source: what a client sends back with PUT
    assert arabic["tasks"][0]["title"] == FIRST_TITLE
    assert arabic["tasks"][0]["display_title"] == FIRST_TITLE_AR
    page = client.get(f"/plans/{plan.public_id}/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert FIRST_TITLE_AR in page and NAME_AR in page

    plan_activate(actor=coordinator_patrick, plan=plan, reason="drill")
    officer = _as(officer_amina)  # immigration: the first task is theirs
    french = officer.get(f"{URL}/tasks", HTTP_ACCEPT_LANGUAGE="fr").json()["items"]
    first = next(t for t in french if t["title"] == FIRST_TITLE)
    assert first["display_title"] == FIRST_TITLE_FR
    assert first["plan_name"] == NAME_FR
    english = officer.get(f"{URL}/tasks", HTTP_ACCEPT_LANGUAGE="en").json()["items"]
    assert FIRST_TITLE in [t["display_title"] for t in english]
    officer.cookies["django_language"] = "fr"  # the language the officer chose
    page = officer.get("/plans/tasks/").content.decode()
    assert FIRST_TITLE_FR.replace("'", "&#x27;") in page


def test_a_text_the_coordinator_rewrote_shows_as_written(plan, coordinator_patrick):
    task = plan.tasks.get(position=0)
    task.title = "Ouvrir la voie B (texte du coordonnateur)"
    task.save()
    plan = ContingencyPlan.objects.get(pk=plan.pk)
    with translation.override("ar"):
        shown = [t.display_title for t in plan.tasks.all()]
    assert shown[0] == "Ouvrir la voie B (texte du coordonnateur)"
    assert shown[1] == "تطبيق تعليمات الدخول في حالات الطوارئ وإحاطة كل نوبة عمل"


def test_an_administrator_sets_texts_and_a_blank_one_falls_back(template, admin_samuel):
    client = _as(admin_samuel)
    response = _put(
        client,
        "mass-arrival",
        {"sw": {"name": "Kuwasili kwa wingi", "tasks": [{"title": "Fungua njia ya pili"}]}},
    )
    assert response.status_code == 200, response.content
    got = client.get(f"{URL}/templates", HTTP_ACCEPT_LANGUAGE="sw").json()["items"][0]
    assert got["name"] == "Kuwasili kwa wingi"
    assert got["tasks"][0]["title"] == "Fungua njia ya pili"
    assert got["tasks"][0]["details"].startswith("Barriers")  # no Swahili details: the source
    assert got["tasks"][1]["title"].startswith("Apply the emergency")
    event = AuditEvent.objects.filter(object_type="plans.soptemplate", action="update").last()
    assert event is not None and "sw" in event.detail
    # all texts of a language blank: its translation goes
    assert _put(client, "mass-arrival", {"sw": {"tasks": [{"title": ""}]}}).status_code == 200
    assert not SopTemplateTaskTranslation.objects.filter(language="sw").exists()


@pytest.mark.parametrize(
    ("translations", "field"),
    [
        ({"xx": {"name": "?"}}, "body.translations.xx"),
        ({"fr": {"title": "?"}}, "body.translations.fr.title"),
        ({"fr": {"tasks": [{}] * 11}}, "body.translations.fr.tasks.10"),
        ({"ar": {"tasks": [{"lead": 3}]}}, "body.translations.ar.tasks.0.lead"),
        ({"fr": {"name": "A\u202eB"}}, "body.translations.fr.name"),
        ({"fr": {"tasks": "x"}}, "body.translations.fr.tasks"),
    ],
)
def test_bad_translations_are_a_422_with_the_field_and_nothing_is_saved(
    template, admin_samuel, translations, field
):
    before = SopTemplateTaskTranslation.objects.count()
    good = {"ar": {"name": "اسم جديد"}}
    fields = _fields(_put(_as(admin_samuel), "mass-arrival", {**good, **translations}))
    assert field in fields
    assert SopTemplateTaskTranslation.objects.count() == before
    template.refresh_from_db()
    assert template.text_for("name", "ar") == NAME_AR


def test_unknown_language_message_names_the_languages(template, admin_samuel):
    fields = _fields(_put(_as(admin_samuel), "mass-arrival", {"xx": {"name": "?"}}))
    assert fields["body.translations.xx"] == (
        "Unknown language 'xx'; one of: fr, ar, fa-af, ps, sw."
    )
    fields = _fields(_put(_as(admin_samuel), "mass-arrival", {"fr": {"tasks": [{}] * 11}}))
    assert fields["body.translations.fr.tasks.10"] == NO_SUCH_TASK.format(10)


def test_only_administrators_translate(template, coordinator_patrick, admin_samuel):
    body = {"fr": {"name": "Autre"}}
    assert _put(_as(coordinator_patrick), "mass-arrival", body).status_code == 403
    assert _put(_as(admin_samuel), "no-such-template", body).status_code == 404


def test_a_document_with_a_bad_translation_is_refused_whole(db):
    data = json.loads(default_document())
    data["translations"]["de"] = {"name": "Massenankunft"}
    with pytest.raises(ValidationError) as refused:
        sop_template_load(actor="test", document=json.dumps(data).encode())
    assert "translations.de" in refused.value.message_dict
    assert not SopTemplateTask.objects.exists()


def test_the_admin_edits_a_task_translation_and_refuses_an_unknown_language(template, admin_samuel):
    task = template.tasks.get(position=0)
    admin_samuel.is_superuser = True
    admin_samuel.save()
    client = _as(admin_samuel)
    url = f"/admin/plans/soptemplatetask/{task.pk}/change/"
    assert client.get(url).status_code == 200
    rows = list(task.translations.all())

    def form(language, title):
        data = {
            "translations-TOTAL_FORMS": str(len(rows) + 1),
            "translations-INITIAL_FORMS": str(len(rows)),
            "translations-MIN_NUM_FORMS": "0",
            "translations-MAX_NUM_FORMS": "1000",
        }
        for n, row in enumerate(rows):
            data.update(
                {
                    f"translations-{n}-id": str(row.pk),
                    f"translations-{n}-task": str(task.pk),
                    f"translations-{n}-language": row.language,
                    f"translations-{n}-title": row.title,
                    f"translations-{n}-details": row.details,
                    f"translations-{n}-lead": row.lead,
                }
            )
        n = len(rows)
        data.update(
            {
                f"translations-{n}-task": str(task.pk),
                f"translations-{n}-language": language,
                f"translations-{n}-title": title,
            }
        )
        return data

    refused = client.post(url, form("xx", "Titolo"))
    assert refused.status_code == 200  # the form again, with the error
    assert "xx is not one of the available choices" in refused.content.decode()
    assert task.translations.count() == 2
    saved = client.post(url, form("sw", "Fungua njia ya pili"))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert task.text_for("title", "sw") == "Fungua njia ya pili"
    assert AuditEvent.objects.filter(
        object_type="plans.soptemplatetasktranslation", action="create"
    ).exists()
