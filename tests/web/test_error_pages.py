"""The error pages and the page furniture every page shares."""

from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.views.defaults import server_error


def test_the_500_page_needs_no_context_and_no_request():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html and "nothing of it was saved" in html
    assert "/static/hbm/app.css" in html


def test_an_unknown_address_gets_the_hbm_404_page(client_for, officer_amina):
    response = client_for(officer_amina).get("/no/such/page/")
    assert response.status_code == 404
    assert "There is nothing here" in response.content.decode()


def test_every_page_has_a_skip_link_a_local_favicon_and_a_folding_menu(client_for, officer_amina):
    html = client_for(officer_amina).get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html
    assert '<link rel="icon" href="/static/hbm/favicon.svg"' in html
    assert finders.find("hbm/favicon.svg")
    assert 'aria-controls="mainnav"' in html and '<nav class="mainnav" id="mainnav"' in html


def test_the_browsers_own_favicon_request_finds_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/hbm/favicon.svg"


def test_french_counts_agree_in_number(client_for, coordinator_patrick):
    client = client_for(coordinator_patrick)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    html = client.get("/").content.decode()
    assert "point de passage ouvert<" in html and "point restreint<" in html
