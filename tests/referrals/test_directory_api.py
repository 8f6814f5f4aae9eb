"""The service directory over the API: service types, providers and pathways, read by those who
refer, written by administrators under the rules the workbook import keeps too."""

from html import escape

import pytest

from hbm.audit.models import AuditEvent
from hbm.lib import text
from hbm.lib.rejected import Rejected
from hbm.referrals.models import Pathway, Provider, ServiceType
from hbm.referrals.services import NOT_OFFERED, providers
from tests.factories import AgencyFactory

API = "/api/v1"


@pytest.fixture
def ngo(db):
    return AgencyFactory(code="icpn", name="Ituri Child Protection Network", kind="ngo")


@pytest.fixture
def icpn(ngo, point_a):
    provider = Provider.objects.create(name="ICPN Mahagi", agency=ngo)
    child = ServiceType.objects.get(code="child-protection")
    provider.service_types.add(child)
    Pathway.objects.create(crossing_point=point_a, service_type=child, provider=provider)
    return provider


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def errors(response):
    assert response.status_code == 422, response.content
    return {(e["field"], e["message"]) for e in response.json()["errors"]}


NEW = {
    "name": "Mahagi Health Post",
    "agency": "icpn",
    "service_types": ["child-protection"],
    "contact_email": "intake@mahagi.invalid",
    "capacity_per_week": 20,
    "languages": ["fr", "sw"],
}


def test_an_administrator_adds_a_provider_and_a_pathway_audited(
    client_for, admin_samuel, ngo, point_a
):
    client = client_for(admin_samuel)
    created = post(client, f"{API}/providers", NEW)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["service_types"] == ["child-protection"] and body["agency"] == "icpn"
    assert body["capacity_per_week"] == 20 and body["active"] is True
    pathway = post(
        client,
        f"{API}/pathways",
        {
            "crossing_point": "point-a",
            "service_type": "child-protection",
            "urgency": "emergency",
            "provider": body["id"],
        },
    )
    assert pathway.status_code == 201, pathway.content
    assert pathway.json()["provider_name"] == "Mahagi Health Post"
    changed = patch(client, f"{API}/providers/{body['id']}", {"active": False})
    assert changed.status_code == 200 and changed.json()["active"] is False
    assert changed.json()["contact_email"] == "intake@mahagi.invalid"  # the rest kept
    deleted = client.delete(f"{API}/pathways/{pathway.json()['id']}")
    assert deleted.status_code == 204
    assert not Pathway.objects.exists()
    events = AuditEvent.objects.filter(actor=admin_samuel).order_by("pk")
    assert [(e.action, e.object_type) for e in events] == [
        ("create", "referrals.provider"),
        ("create", "referrals.pathway"),
        ("update", "referrals.provider"),
        ("delete", "referrals.pathway"),
    ]
    assert events[2].fields == ["active"]


def test_bad_providers_answer_422_by_field_and_write_nothing(
    client_for, admin_samuel, icpn, point_a
):
    client = client_for(admin_samuel)
    bad = {
        **NEW,
        "name": "icpn mahagi",  # another case of an existing name
        "agency": "nobody",
        "service_types": ["child-protection", "astrology"],
        "admin_area": "XX999",
        "contact_email": "not-an-email",
        "address": "Route\u202e 1",
    }
    found = errors(post(client, f"{API}/providers", bad))
    assert found == {
        ("body.name", providers.NAME_TAKEN.format(value="icpn mahagi")),
        ("body.agency", providers.UNKNOWN["agency"].format(value="nobody")),
        ("body.service_types", providers.UNKNOWN["service type"].format(value="astrology")),
        ("body.admin_area", providers.UNKNOWN["admin area"].format(value="XX999")),
        ("body.contact_email", providers.NOT_AN_EMAIL.format(value="not-an-email")),
        ("body.address", text.BIDI_CONTROL.format("U+202E RIGHT-TO-LEFT OVERRIDE")),
    }
    negative = post(client, f"{API}/providers", {**NEW, "capacity_per_week": -1})
    assert {f for f, _m in errors(negative)} == {"body.payload.capacity_per_week"}
    assert list(Provider.objects.values_list("name", flat=True)) == ["ICPN Mahagi"]
    assert not AuditEvent.objects.filter(actor=admin_samuel, action="create").exists()


def test_a_provider_keeps_its_name_and_cannot_drop_a_service_still_on_pathways(
    client_for, admin_samuel, icpn
):
    client = client_for(admin_samuel)
    same = patch(client, f"{API}/providers/{icpn.pk}", {"name": "ICPN Mahagi", "address": "Rd"})
    assert same.status_code == 200
    dropped = patch(client, f"{API}/providers/{icpn.pk}", {"service_types": [], "address": "X"})
    assert errors(dropped) == {
        (
            "body.service_types",
            providers.STILL_ON_PATHWAYS.format(provider="ICPN Mahagi", service="Child protection"),
        )
    }
    icpn.refresh_from_db()
    assert icpn.address == "Rd" and icpn.service_types.count() == 1
    assert patch(client, f"{API}/providers/999999", {"active": False}).status_code == 404


def test_bad_pathways_answer_422_and_duplicates_are_refused(
    client_for, admin_samuel, icpn, point_a
):
    client = client_for(admin_samuel)
    unknown = post(
        client,
        f"{API}/pathways",
        {"crossing_point": "nowhere", "service_type": "x", "urgency": "soon", "provider": 0},
    )
    assert {f for f, _m in errors(unknown)} == {
        "body.crossing_point",
        "body.service_type",
        "body.urgency",
        "body.provider",
    }
    health = ServiceType.objects.exclude(code="child-protection").first()
    not_offered = post(
        client,
        f"{API}/pathways",
        {"crossing_point": "point-a", "service_type": health.code, "provider": icpn.pk},
    )
    assert errors(not_offered) == {
        ("body.service_type", NOT_OFFERED.format(provider="ICPN Mahagi", service=health.label))
    }
    twice = post(
        client,
        f"{API}/pathways",
        {"crossing_point": "point-a", "service_type": "child-protection", "provider": icpn.pk},
    )
    assert errors(twice) == {("body", str(providers.PATHWAY_EXISTS))}
    assert Pathway.objects.count() == 1


def test_readers_filter_and_page_and_only_administrators_write(
    client_for, protection_bruno, officer_amina, coordinator_patrick, ngo, point_a, point_b
):
    child = ServiceType.objects.get(code="child-protection")
    made = []
    for n in range(5):
        provider = Provider.objects.create(name=f"Provider {n}", agency=ngo, active=n != 4)
        provider.service_types.add(child)
        made.append(provider)
        Pathway.objects.create(
            crossing_point=point_a if n % 2 == 0 else point_b, service_type=child, provider=provider
        )
    client = client_for(protection_bruno)
    page = client.get(f"{API}/providers?page_size=2&service_type=child-protection").json()
    names = [p["name"] for p in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        names += [p["name"] for p in page["results"]]
    assert names == [f"Provider {n}" for n in range(5)]
    active = client.get(f"{API}/providers?active=false").json()["results"]
    assert [p["name"] for p in active] == ["Provider 4"]
    at_a = client.get(f"{API}/providers?crossing_point=point-a").json()["results"]
    assert [p["name"] for p in at_a] == ["Provider 0", "Provider 2", "Provider 4"]
    # A protection officer of point A sees its pathways only; point B is not theirs.
    pathways = client.get(f"{API}/pathways?page_size=1").json()
    seen = [w["crossing_point"] for w in pathways["results"]]
    while pathways["next"]:
        pathways = client.get(pathways["next"]).json()
        seen += [w["crossing_point"] for w in pathways["results"]]
    assert seen == ["point-a"] * 3
    assert client.get(f"{API}/pathways?crossing_point=point-b").status_code == 404
    active_a = client.get(f"{API}/pathways?active=true").json()["results"]
    assert [w["provider_name"] for w in active_a] == ["Provider 0", "Provider 2"]
    national = client_for(coordinator_patrick).get(f"{API}/pathways").json()["results"]
    assert len(national) == 5
    unknown = client.get(f"{API}/providers?service_type=astrology")
    assert {f for f, _m in errors(unknown)} == {"query.service_type"}
    assert {f for f, _m in errors(client.get(f"{API}/pathways?provider=0"))} == {"query.provider"}
    types = client.get(f"{API}/service-types?page_size=2").json()
    assert len(types["results"]) == 2 and types["next"]
    write = post(client, f"{API}/providers", {**NEW, "agency": "icpn"})
    assert write.status_code == 403
    assert client.delete(f"{API}/pathways/{made[0].pathways.get().pk}").status_code == 403
    assert client_for(officer_amina).get(f"{API}/providers").status_code == 403
    assert Provider.objects.count() == 5 and Pathway.objects.count() == 5


def test_the_workbook_import_keeps_the_same_rules(admin_samuel, icpn):
    import io

    from openpyxl import Workbook

    from hbm.referrals.services import directory

    book = Workbook()
    sheet = book.active
    sheet.title = "providers"
    sheet.append(directory.PROVIDER_COLUMNS)
    sheet.append(["ICPN Mahagi", "icpn", "", "", "", "", "", "", "", "", "yes"])
    sheet.append(["New One", "icpn", "child-protection", "", "", "", "", "", "", "", "yes"])
    sheet.append(["new one", "icpn", "", "", "", "", "", "", "", "", "yes"])
    pathways = book.create_sheet("pathways")
    pathways.append(directory.PATHWAY_COLUMNS)
    pathways.append(["point-a", "child-protection", "", "New One"])
    pathways.append(["point-a", "child-protection", "", "new one"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(Rejected) as caught:
        directory.directory_import(actor=admin_samuel, content=buffer.getvalue(), dry_run=False)
    assert caught.value.problems == [
        "providers line 2: "
        + providers.STILL_ON_PATHWAYS.format(provider="ICPN Mahagi", service="Child protection"),
        "providers line 4: " + providers.NAME_TWICE.format(value="new one"),
        "pathways line 3: " + NOT_OFFERED.format(provider="new one", service="Child protection"),
    ]
    assert not Provider.objects.filter(name__iexact="new one").exists()


def test_the_django_admin_forms_keep_the_same_rules(client_for, admin_samuel, icpn, ngo, point_a):
    admin_samuel.is_superuser = True
    admin_samuel.save()
    client = client_for(admin_samuel)
    health = ServiceType.objects.exclude(code="child-protection").first()
    page = client.post(
        "/admin/referrals/provider/add/",
        {"name": "ICPN MAHAGI", "agency": ngo.pk, "service_types": [health.pk], "languages": "[]"},
    )
    assert page.status_code == 200
    assert escape(providers.NAME_TAKEN.format(value="ICPN MAHAGI")) in page.content.decode()
    pathway = client.post(
        "/admin/referrals/pathway/add/",
        {"crossing_point": point_a.pk, "service_type": health.pk, "provider": icpn.pk},
    )
    assert pathway.status_code == 200
    assert escape(NOT_OFFERED.format(provider="ICPN Mahagi", service=health.label)) in (
        pathway.content.decode()
    )
    assert Provider.objects.count() == 1 and Pathway.objects.count() == 1
