"""Assessment templates carry their texts in other languages as data (ADR 0141): the default
template in French and Arabic, an assessment of it shown, scored, reported and exported in the
reader's language, the source text where no translation is, and translations set by
administrators (on a published version too), refused whole when wrong."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from hbm.assessments import report, services
from hbm.assessments.models import (
    Dimension,
    Indicator,
    IndicatorTranslation,
    Template,
    TemplateTranslation,
)
from hbm.audit.models import AuditEvent
from tests.assessments.test_report_pdf import pdf_text

BASE = "/api/v1/assessments"
CTX_1_FR = (
    "Les types de crise pouvant toucher le point de passage (conflit, catastrophe, épidémie) "
    "sont documentés."
)
CTX_1_AR = "أنواع الأزمات التي قد تؤثر في المعبر (نزاع، كارثة، وباء) موثَّقة."
LEVEL_0_FR = "Aucun : rien n'est en place."
LEVEL_4_AR = "مُختبَر: جرى التمرين عليه أو استخدامه في حدث فعلي، وتمت مراجعته منذ ذلك الحين."
INDICATOR_TEXTS = {
    "question",
    "guidance",
    "evidence_expected",
    "level_0",
    "level_1",
    "level_2",
    "level_3",
    "level_4",
}


@pytest.fixture(autouse=True)
def back_to_english():
    """A request in French activates French for the thread; the next test starts in English."""
    yield
    translation.deactivate()


def _put(client, template, translations):
    return client.put(
        f"{BASE}/templates/{template.pk}/translations",
        {"translations": translations},
        content_type="application/json",
    )


def _fields(response):
    assert response.status_code == 422, response.content
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def test_the_default_template_has_every_text_in_french_and_arabic(default_template):
    assert set(default_template.texts()) == {"en", "fr", "ar"}
    for dimension in Dimension.objects.filter(template=default_template):
        assert {k: set(v) for k, v in dimension.texts().items()} == {
            lang: {"title", "description"} for lang in ("en", "fr", "ar")
        }, dimension.code
    for indicator in Indicator.objects.filter(dimension__template=default_template):
        texts = indicator.texts()
        assert set(texts) == {"en", "fr", "ar"}, indicator.code
        assert set(texts["fr"]) == set(texts["ar"]) == INDICATOR_TEXTS, indicator.code


def test_the_template_api_answers_in_the_callers_language(client_for, assessor_claire):
    client = client_for(assessor_claire)
    template = Template.objects.get(code="hbm-default", version=1)
    url = f"{BASE}/templates/{template.pk}"
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").json()
    assert french["name"] == "Évaluation des capacités HBM (par défaut)"
    first = french["dimensions"][0]
    assert first["title"] == "Contexte de crise et risques"
    assert first["indicators"][0]["question"] == CTX_1_FR
    assert first["indicators"][0]["levels"][0] == LEVEL_0_FR
    assert first["indicators"][0]["translations"]["ar"]["question"] == CTX_1_AR
    arabic = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").json()
    assert arabic["dimensions"][0]["indicators"][0]["levels"][4] == LEVEL_4_AR
    listed = client.get(f"{BASE}/templates", HTTP_ACCEPT_LANGUAGE="ar").json()["results"]
    assert listed[0]["name"] == "تقييم قدرات إدارة الحدود الإنسانية (افتراضي)"
    swahili = client.get(url, HTTP_ACCEPT_LANGUAGE="sw").json()  # no Swahili text: the source
    assert swahili["dimensions"][0]["title"] == "Crisis context and risk"


def test_an_assessment_reads_in_the_readers_language(
    client_for, assessor_claire, coordinator_patrick, assessment
):
    client = client_for(assessor_claire)
    client.cookies["django_language"] = "ar"  # the language the assessor chose
    page = client.get(f"/assessments/{assessment.public_id}/").content.decode()
    assert CTX_1_AR in page and LEVEL_4_AR in page and "سياق الأزمة والمخاطر" in page
    results = client.get(f"{BASE}/{assessment.public_id}/results").json()
    assert results["dimensions"][0]["title"] == "سياق الأزمة والمخاطر"

    coordinator = client_for(coordinator_patrick)
    coordinator.cookies["django_language"] = "fr"
    export = coordinator.get(f"/assessments/{assessment.public_id}/scores.xlsx")
    book = load_workbook(io.BytesIO(export.content))
    assert list(book["scores"].values)[1][2] == CTX_1_FR
    assert list(book["results"].values)[1][1] == "Contexte de crise et risques"
    # the PDF is the report page's body, drawn outside the request's time limit here: a loaded
    # test machine takes longer than the 5 s a request may
    assert (
        "Contexte de crise et risques"
        in coordinator.get(f"/assessments/{assessment.public_id}/report/").content.decode()
    )
    with translation.override("fr"):
        context = report.report_context(user=coordinator_patrick, assessment=assessment)
        assert "Contexte de crise et risques" in pdf_text(report.report_pdf(context=context))
    coordinator.cookies["django_language"] = "en"
    page = coordinator.get(f"/assessments/{assessment.public_id}/").content.decode()
    assert "Crisis context and risk" in page and CTX_1_FR not in page


def test_an_administrator_translates_a_published_template_and_a_copy_keeps_it(
    client_for, admin_samuel, default_template
):
    client = client_for(admin_samuel)
    levels = ["Hakuna", "", "", "", "Imejaribiwa"]
    body = {
        "sw": {
            "name": "Tathmini ya uwezo wa HBM",
            "dimensions": {"CTX": {"title": "Muktadha wa mgogoro na hatari"}},
            "indicators": {
                "CTX-1": {"question": "Aina za migogoro zimeandikwa.", "levels": levels}
            },
        }
    }
    response = _put(client, default_template, body)
    assert response.status_code == 200, response.content
    assert default_template.is_published
    got = client.get(f"{BASE}/templates/{default_template.pk}", HTTP_ACCEPT_LANGUAGE="sw").json()
    assert got["name"] == "Tathmini ya uwezo wa HBM"
    ctx_1 = got["dimensions"][0]["indicators"][0]
    assert ctx_1["question"] == "Aina za migogoro zimeandikwa."
    assert ctx_1["levels"][0] == "Hakuna" and ctx_1["levels"][4] == "Imejaribiwa"
    assert ctx_1["levels"][1].startswith("Ad hoc")  # blank: the source text
    assert ctx_1["guidance"].startswith("Ask which crises")
    event = AuditEvent.objects.filter(object_type="assessments.template", action="update").last()
    assert event is not None and "sw" in event.detail

    copy = services.template_copy(actor=admin_samuel, template=default_template)
    indicator = Indicator.objects.get(dimension__template=copy, code="CTX-1")
    assert indicator.text_for("question", "sw") == "Aina za migogoro zimeandikwa."
    assert indicator.text_for("question", "fr") == CTX_1_FR
    assert copy.text_for("name", "ar") == "تقييم قدرات إدارة الحدود الإنسانية (افتراضي)"


@pytest.mark.parametrize(
    ("translations", "field"),
    [
        ({"xx": {"name": "?"}}, "body.translations.xx"),
        ({"fr": {"title": "?"}}, "body.translations.fr.title"),
        (
            {"fr": {"indicators": {"NOPE-1": {"question": "?"}}}},
            "body.translations.fr.indicators.NOPE-1",
        ),
        (
            {"fr": {"dimensions": {"CTX": {"question": "?"}}}},
            "body.translations.fr.dimensions.CTX.question",
        ),
        (
            {"fr": {"indicators": {"CTX-1": {"levels": ["a"]}}}},
            "body.translations.fr.indicators.CTX-1.levels",
        ),
        (
            {"ar": {"indicators": {"CTX-1": {"guidance": 4}}}},
            "body.translations.ar.indicators.CTX-1.guidance",
        ),
        ({"fr": {"description": "A\u202eB"}}, "body.translations.fr.description"),
        ({"fr": {"dimensions": ["CTX"]}}, "body.translations.fr.dimensions"),
    ],
)
def test_bad_translations_are_a_422_with_the_field_and_nothing_is_saved(
    client_for, admin_samuel, default_template, translations, field
):
    before = (IndicatorTranslation.objects.count(), TemplateTranslation.objects.count())
    good = {"ar": {"name": "اسم آخر", "indicators": {"CTX-2": {"question": "سؤال آخر"}}}}
    fields = _fields(_put(client_for(admin_samuel), default_template, {**good, **translations}))
    assert field in fields, fields
    assert (IndicatorTranslation.objects.count(), TemplateTranslation.objects.count()) == before
    assert default_template.text_for("name", "ar") == "تقييم قدرات إدارة الحدود الإنسانية (افتراضي)"


def test_only_administrators_translate_templates(client_for, assessor_claire, default_template):
    response = _put(client_for(assessor_claire), default_template, {"fr": {"name": "Autre"}})
    assert response.status_code == 403
    assert default_template.text_for("name", "fr") == "Évaluation des capacités HBM (par défaut)"


def test_the_admin_edits_an_indicator_translation_and_refuses_an_unknown_language(
    client_for, admin_samuel, default_template
):
    admin_samuel.is_superuser = True
    admin_samuel.save()
    client = client_for(admin_samuel)
    indicator = Indicator.objects.get(dimension__template=default_template, code="CTX-1")
    url = f"/admin/assessments/indicator/{indicator.pk}/change/"
    assert client.get(url).status_code == 200
    rows = list(indicator.translations.all())

    def form(language, question):
        data = {
            "translations-TOTAL_FORMS": str(len(rows) + 1),
            "translations-INITIAL_FORMS": str(len(rows)),
            "translations-MIN_NUM_FORMS": "0",
            "translations-MAX_NUM_FORMS": "1000",
        }
        for n, row in enumerate(rows):
            data[f"translations-{n}-id"] = str(row.pk)
            data[f"translations-{n}-indicator"] = str(indicator.pk)
            for name in ("language", *sorted(INDICATOR_TEXTS)):
                data[f"translations-{n}-{name}"] = getattr(row, name)
        n = len(rows)
        data[f"translations-{n}-indicator"] = str(indicator.pk)
        data[f"translations-{n}-language"] = language
        data[f"translations-{n}-question"] = question
        return data

    refused = client.post(url, form("xx", "Domanda"))
    assert refused.status_code == 200
    assert "xx is not one of the available choices" in refused.content.decode()
    assert indicator.translations.count() == 2
    saved = client.post(url, form("ps", "د کړکېچ ډولونه ثبت شوي دي."))
    assert saved.status_code == 302
    assert indicator.text_for("question", "ps") == "د کړکېچ ډولونه ثبت شوي دي."
    assert indicator.text_for("guidance", "ps").startswith("Ask which crises")
