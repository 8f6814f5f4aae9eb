"""Dari, Pashto and Swahili: translated for the registration desk, screening and referral
screens only (make lint checks that part; the rest shows in English)."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from hbm.registry.models import Person
from tests.registry.helpers import register
from tests.registry.test_desk_views import DESK, desk_data

CHILD = {"given_name": "Akol", "family_name": "Majok", "sex": "M", "age_estimate": 12}

# What a browser sends, the <html> it gets, and a message of the desk and of a screening page.
LANGUAGES = {
    "fa-AF": ("fa-af", "rtl", "ثبت‌نام یک گروه", "آیا طفل بدون هر دو والد"),
    "ps": ("ps", "rtl", "د یوې ډلې ثبت نام", "ایا ماشوم د دواړو والدینو پرته"),
    "sw": ("sw", "ltr", "Sajili kikundi", "Je, mtoto anasafiri bila wazazi wote wawili"),
}


@pytest.fixture(autouse=True)
def back_to_english():
    """A request activates its language for the thread; the next test starts in English."""
    yield
    translation.deactivate()


def html_tag(html):
    return re.search(r"<html [^>]*>", html)[0]


@pytest.mark.parametrize("sent", sorted(LANGUAGES))
def test_the_desk_renders_in_the_language_and_direction(client_for, officer_amina, sent):
    code, direction, register_a_group, _question = LANGUAGES[sent]
    html = client_for(officer_amina).get(DESK, HTTP_ACCEPT_LANGUAGE=sent).content.decode()
    assert html_tag(html) == f'<html lang="{code}" dir="{direction}">'
    assert f"<h1>{register_a_group}</h1>" in html
    assert "Register a group" not in html


@pytest.mark.parametrize("sent", sorted(LANGUAGES))
def test_a_screening_page_renders_in_the_language_and_direction(
    client_for, officer_amina, protection_bruno, sent
):
    code, direction, _register_a_group, question = LANGUAGES[sent]
    (child,) = register(officer_amina, CHILD, kind="individual")
    response = client_for(protection_bruno).get(
        f"/screening/persons/{child.public_id}/screen/", HTTP_ACCEPT_LANGUAGE=sent
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html_tag(html) == f'<html lang="{code}" dir="{direction}">'
    assert question in html and "without both parents" not in html


def test_windows_dari_and_plain_persian_get_dari(client_for, officer_amina):
    client = client_for(officer_amina)
    for sent in ("prs-AF", "fa"):
        html = client.get(DESK, HTTP_ACCEPT_LANGUAGE=sent).content.decode()
        assert html_tag(html) == '<html lang="fa-af" dir="rtl">', sent


def test_the_switcher_offers_each_language_in_its_own_script(client_for, officer_amina):
    client = client_for(officer_amina)
    assert client.post("/i18n/setlang/", {"language": "ps", "next": "/"}).status_code == 302
    html = client.get(DESK).content.decode()
    assert html_tag(html) == '<html lang="ps" dir="rtl">'
    assert '<option value="ps" selected lang="ps">پښتو</option>' in html
    assert '<option value="fa-af" lang="fa-af">دری</option>' in html
    assert '<option value="sw" lang="sw">Kiswahili</option>' in html


def test_a_registration_in_dari_keeps_names_in_arabic_script_as_written(client_for, officer_amina):
    client = client_for(officer_amina)
    head = {
        "given_name": "محمد",
        "family_name": "احمدی",
        "father_name": "عبدالله",
        "name_original_script": "محمد احمدی",
        "sex": "M",
        "date_of_birth": "1984-03-12",
        "nationality": "AFG",
    }
    response = client.post(DESK, desk_data([head]), HTTP_ACCEPT_LANGUAGE="fa-AF")
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get()
    assert (person.given_name, person.family_name, person.father_name) == (
        "محمد",
        "احمدی",
        "عبدالله",
    )
    assert person.name_original_script == "محمد احمدی"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="fa-AF")
    html = page.content.decode()
    assert page.status_code == 200 and html_tag(html) == '<html lang="fa-af" dir="rtl">'
    assert "محمد" in html and "احمدی" in html and "· محمد احمدی</span>" in html
    assert "1984-03-12" in html
    assert "1 شخص در Point A ثبت‌نام شد." in html, "the desk's message, singular form"


@pytest.mark.parametrize(
    ("code", "date", "when"),
    [
        # Dari: Django's Persian formats and month names (fa_AF falls back to fa).
        ("fa-af", "7 دسامبر 2026", "7 دسامبر 2026، ساعت 9:05"),
        # Pashto: Persian formats with the month as a number (hbm/formats/ps).
        ("ps", "2026/12/7", "2026/12/7، 9:05"),
        # Swahili: Django's default formats, its Swahili month names.
        ("sw", "Dis. 7, 2026", "Dis. 7, 2026, 9:05 a.m"),
    ],
)
def test_dates_follow_the_language(code, date, when):
    template = Template("{{ day|date }}|{{ moment|date:'DATETIME_FORMAT' }}")
    context = Context(
        {
            "day": datetime.date(2026, 12, 7),
            "moment": datetime.datetime(2026, 12, 7, 9, 5, tzinfo=datetime.UTC),
        }
    )
    with translation.override(code):
        assert template.render(context) == f"{date}|{when}"


def test_the_error_pages_are_translated_too(client_for, officer_amina):
    client = client_for(officer_amina)
    pashto = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ps")
    assert pashto.status_code == 404
    html = pashto.content.decode()
    assert html_tag(html) == '<html lang="ps" dir="rtl">' and "ونه موندل شو" in html
    swahili = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="sw").content.decode()
    assert html_tag(swahili) == '<html lang="sw" dir="ltr">' and "Haikupatikana" in swahili
