from hbm.places.models import BorderCrossingPoint


def figure(html, name):
    return int(html.split(f'data-figure="{name}">', 1)[1].split("<", 1)[0])


def test_the_home_page_shows_real_counts_in_the_officers_scope(client_for, officer_amina, point_b):
    html = client_for(officer_amina).get("/").content.decode()
    assert figure(html, "open") == 1
    assert figure(html, "restricted") == 0, "point B is restricted but not Amina's"
    assert figure(html, "agencies") == 1
    assert "Point A" in html and "Point B" not in html


def test_a_coordinator_counts_every_point(client_for, coordinator_patrick):
    BorderCrossingPoint.objects.create(code="shut", name="Shut", country_id="COD", status="closed")
    html = client_for(coordinator_patrick).get("/").content.decode()
    assert (figure(html, "open"), figure(html, "restricted"), figure(html, "closed")) == (1, 1, 1)


def test_an_outsider_sees_zeroes_and_no_points(client_for, outsider_chen):
    html = client_for(outsider_chen).get("/").content.decode()
    assert figure(html, "open") == 0 and figure(html, "restricted") == 0
    assert "Point A" not in html
    assert "not assigned to any crossing point" in html


def test_navigation_follows_the_role(client_for, officer_amina, admin_samuel):
    assert "Audit log" not in client_for(officer_amina).get("/").content.decode()
    assert "Audit log" in client_for(admin_samuel).get("/").content.decode()


def test_arabic_pages_render_right_to_left(client_for, officer_amina):
    client = client_for(officer_amina)
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert '<html lang="fr" dir="ltr">' in client.get("/").content.decode()


def test_the_health_check_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.json()["status"] == "ok"


def test_the_open_count_matches_the_list_with_a_plural_label(client_for, coordinator_patrick):
    for n in range(3):
        BorderCrossingPoint.objects.create(code=f"open-{n}", name=f"Open {n}", country_id="COD")
    html = client_for(coordinator_patrick).get("/").content.decode()
    assert figure(html, "open") == 4, "point A and three more, though each has its own name"
    assert ">crossing points open<" in html
    BorderCrossingPoint.objects.exclude(code="point-a").update(status="closed")
    html = client_for(coordinator_patrick).get("/").content.decode()
    assert figure(html, "open") == 1 and ">crossing point open<" in html
