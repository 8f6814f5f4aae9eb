"""Specific-needs labels follow the language the user chose (French, Arabic), fall back to
English, and administrators change them in the admin without a release."""

import pytest
from django.test import Client
from django.utils import translation

from hbm.audit.models import AuditEvent
from hbm.screening import services
from hbm.screening.models import NeedCategory, NeedCode, NeedCodeTranslation
from tests.registry.helpers import register

CHILD = {"given_name": "Akol", "family_name": "Majok", "sex": "M", "age_estimate": 12}
NEEDS = "/api/v1/needs-codes"


@pytest.fixture(autouse=True)
def back_to_english():
    """A request in French activates French for the thread; the next test starts in English."""
    yield
    translation.deactivate()


@pytest.fixture
def child_alone(officer_amina):
    (child,) = register(officer_amina, CHILD, kind="individual")
    return child


def needs(client, **headers):
    return {c["code"]: c for c in client.get(NEEDS, **headers).json()}


def sc_uc():
    return NeedCode.objects.get(code="SC-UC", category__taxonomy__version="2009.1")


def test_every_code_and_category_ships_in_french_and_arabic(db):
    for row in [*NeedCode.objects.all(), *NeedCategory.objects.all()]:
        assert set(row.labels()) == {"en", "fr", "ar"}, row.code


def test_the_needs_api_answers_in_the_language_asked(client_for, protection_bruno):
    client = client_for(protection_bruno)
    english = needs(client)["SC-UC"]
    assert (english["label"], english["category_label"]) == (
        "Unaccompanied child",
        "Unaccompanied or separated child",
    )
    french = needs(client, HTTP_ACCEPT_LANGUAGE="fr")["SC-UC"]
    assert french["label"] == "Enfant non accompagné"
    assert french["category_label"] == "Enfant non accompagné ou séparé"
    arabic = needs(client, HTTP_ACCEPT_LANGUAGE="ar")["SC-UC"]
    assert arabic["label"] == "طفل غير مصحوب"
    assert arabic["category_label"] == "طفل غير مصحوب أو منفصل عن ذويه"
    assert arabic["labels"] == {
        "en": "Unaccompanied child",
        "fr": "Enfant non accompagné",
        "ar": "طفل غير مصحوب",
    }


def test_the_screening_pages_show_the_labels_of_the_chosen_language(
    client_for, child_alone, protection_bruno
):
    client = client_for(protection_bruno)
    client.post("/i18n/setlang/", {"language": "fr"})
    form = client.get(f"/screening/persons/{child_alone.public_id}/screen/").content.decode()
    assert "Enfant non accompagné" in form and "Unaccompanied child" not in form
    assert "Déficience visuelle" in form
    proposal = client.post(
        f"/screening/persons/{child_alone.public_id}/proposal/",
        {"q_child_without_caregiver": "yes"},
    ).content.decode()
    assert 'value="SC-UC" checked' in proposal and "Enfant non accompagné" in proposal
    services.screening_record(
        actor=protection_bruno, person=child_alone, answers={"child_without_caregiver": True}
    )
    client.post("/i18n/setlang/", {"language": "ar"})
    section = client.get(f"/screening/persons/{child_alone.public_id}/").content.decode()
    assert "<code>SC-UC</code> طفل غير مصحوب" in section
    client.post("/i18n/setlang/", {"language": "en"})
    section = client.get(f"/screening/persons/{child_alone.public_id}/").content.decode()
    assert "<code>SC-UC</code> Unaccompanied child" in section


def test_a_label_without_translation_falls_back_to_english(client_for, protection_bruno):
    code = sc_uc()
    code.translations.filter(language="ar").delete()
    client = client_for(protection_bruno)
    assert needs(client, HTTP_ACCEPT_LANGUAGE="ar")["SC-UC"]["label"] == "Unaccompanied child"
    assert needs(client, HTTP_ACCEPT_LANGUAGE="fr")["SC-UC"]["label"] == "Enfant non accompagné"
    assert code.label_for("fr-ca") == "Enfant non accompagné"
    assert code.label_for("de") == code.label_for("") == "Unaccompanied child"


def test_an_administrator_edits_the_translations_in_the_admin(
    client_for, admin_samuel, protection_bruno
):
    reader = Client()
    reader.force_login(protection_bruno)
    admin_samuel.is_superuser = True
    admin_samuel.save()
    admin = client_for(admin_samuel)
    code = sc_uc()
    page = admin.get(f"/admin/screening/needcode/{code.pk}/change/").content.decode()
    assert "translations-TOTAL_FORMS" in page and "Enfant non accompagné" in page
    category = admin.get(f"/admin/screening/needcategory/{code.category_id}/change/")
    assert "translations-TOTAL_FORMS" in category.content.decode()
    arabic, french = code.translations.order_by("language")
    data = {
        "category": code.category_id,
        "code": code.code,
        "label": code.label,
        "verified": "on",
        "source": code.source,
        "translations-TOTAL_FORMS": "2",
        "translations-INITIAL_FORMS": "2",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
        "translations-0-id": arabic.pk,
        "translations-0-code": code.pk,
        "translations-0-language": "ar",
        "translations-0-label": arabic.label,
        "translations-0-DELETE": "on",
        "translations-1-id": french.pk,
        "translations-1-code": code.pk,
        "translations-1-language": "fr",
        "translations-1-label": "Enfant non accompagné (UNHCR)",
    }
    response = admin.post(f"/admin/screening/needcode/{code.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/admin/screening/needcode/"
    assert list(code.translations.values_list("language", "label")) == [
        ("fr", "Enfant non accompagné (UNHCR)")
    ]
    assert needs(reader, HTTP_ACCEPT_LANGUAGE="fr")["SC-UC"]["label"] == (
        "Enfant non accompagné (UNHCR)"
    )
    assert needs(reader, HTTP_ACCEPT_LANGUAGE="ar")["SC-UC"]["label"] == "Unaccompanied child"
    audited = AuditEvent.objects.filter(object_type="screening.needcodetranslation")
    assert set(audited.values_list("action", "object_id")) == {
        ("update", str(french.pk)),
        ("delete", str(arabic.pk)),
    }
    data.update(
        {
            "translations-TOTAL_FORMS": "2",
            "translations-INITIAL_FORMS": "1",
            "translations-0-id": french.pk,
            "translations-0-language": "fr",
            "translations-0-label": "Enfant non accompagné (UNHCR)",
            "translations-0-DELETE": "",
            "translations-1-id": "",
            "translations-1-language": "ar",
            "translations-1-label": "طفل بلا مرافق",
        }
    )
    response = admin.post(f"/admin/screening/needcode/{code.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/admin/screening/needcode/"
    assert needs(reader, HTTP_ACCEPT_LANGUAGE="ar")["SC-UC"]["label"] == "طفل بلا مرافق"
    added = NeedCodeTranslation.objects.get(code=code, language="ar")
    assert audited.filter(action="create", object_id=str(added.pk)).exists()
