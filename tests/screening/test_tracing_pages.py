"""Tracing request pages with Django's client: the form with field errors, the request with
its candidates and decisions, the paged list with its status filter, and scope."""

import re

import pytest

from hbm.audit.models import AuditEvent
from hbm.screening.models import TracingMatch, TracingRequest
from hbm.screening.services.tracing_requests import tracing_request_close
from hbm.screening.tracing_views import PAGE_SIZE
from tests.factories import UserFactory
from tests.paging import walk
from tests.screening.tracing_helpers import family, open_request


@pytest.fixture
def scene(officer_amina, officer_bintu, protection_bruno):
    return family(officer_amina, officer_bintu)


def test_open_a_request_from_the_childs_page_and_confirm_his_father(
    client_for, protection_bruno, scene
):
    father, child, _stranger = scene
    client = client_for(protection_bruno)
    person_page = client.get(f"/registry/people/{child.public_id}/").content.decode()
    new_url = f"/screening/persons/{child.public_id}/tracing/new/"
    assert f'href="{new_url}"' in person_page and "Open tracing request" in person_page

    form = client.get(new_url)
    assert form.status_code == 200 and "Who is looking (name)" not in form.content.decode()
    refused = client.post(
        new_url, {"crossing_point": "", "relationship": "parent", "birth_year": "x"}
    )
    assert refused.status_code == 422
    page = refused.content.decode()
    for field in ("crossing_point", "birth_year", "given_name"):
        assert f'id="errors-{field}"' in page
    assert not TracingRequest.objects.exists()

    point = protection_bruno.crossing_points.get().pk
    opened = client.post(
        new_url,
        {
            "crossing_point": point,
            "relationship": "parent",
            "given_name": "Hassan",
            "family_name": "Karimi",
            "sex": "M",
            "last_seen_place": "Yei",
        },
    )
    request = TracingRequest.objects.get()
    assert opened.status_code == 302 and opened["Location"] == f"/screening/tracing/{request.pk}/"
    assert request.enquirer == child

    client.post(f"/screening/tracing/{request.pk}/propose/")
    detail = client.get(f"/screening/tracing/{request.pk}/").content.decode()
    assert "Hassan Ali Karimi" in detail
    assert "Possibly a parent of the enquirer (family tracing)." in detail
    assert f'href="/registry/people/{father.public_id}/"' not in detail, "not his point"
    match = TracingMatch.objects.get(request=request, person=father)
    decide = f"/screening/tracing/{request.pk}/candidates/{match.pk}/decide/"
    assert f'action="{decide}"' in detail
    client.post(decide, {"decision": "confirmed"})
    detail = client.get(f"/screening/tracing/{request.pk}/").content.decode()
    assert re.search(r'id="tracing-status">Match confirmed<', detail)
    assert 'id="find-candidates"' not in detail

    closed = client.post(f"/screening/tracing/{request.pk}/close/", {"reason": ""})
    assert closed.status_code == 422 and 'id="errors-reason"' in closed.content.decode()
    client.post(f"/screening/tracing/{request.pk}/close/", {"reason": "reunited", "note": "Met"})
    request.refresh_from_db()
    assert request.status == "closed"
    assert AuditEvent.objects.filter(
        object_id=str(father.public_id), detail=f"tracing request {request.pk}"
    ).exists()


def test_a_request_from_the_list_names_an_enquirer_not_registered(client_for, protection_bruno):
    client = client_for(protection_bruno)
    listed = client.get("/screening/tracing/").content.decode()
    assert 'href="/screening/tracing/new/"' in listed
    missing = client.post(
        "/screening/tracing/new/",
        {
            "crossing_point": protection_bruno.crossing_points.get().pk,
            "relationship": "child",
            "family_name": "Deng",
        },
    )
    assert missing.status_code == 422 and 'id="errors-enquirer_name"' in missing.content.decode()
    client.post(
        "/screening/tracing/new/",
        {
            "crossing_point": protection_bruno.crossing_points.get().pk,
            "relationship": "child",
            "enquirer_name": "Mary Deng",
            "family_name": "Deng",
            "approximate_age": "9",
        },
    )
    assert TracingRequest.objects.get().enquirer_name == "Mary Deng"
    assert "Mary Deng" in client.get("/screening/tracing/").content.decode()


def test_the_list_pages_and_filters_by_status(client_for, protection_bruno, scene):
    _father, child, _stranger = scene
    requests = [open_request(protection_bruno, child) for _ in range(PAGE_SIZE + 2)]
    client = client_for(protection_bruno)
    pages, visited = walk(client, "/screening/tracing/", r'href="/screening/tracing/(\d+)/"')
    assert [len(rows) for rows in pages] == [PAGE_SIZE, 2]
    assert visited[1] == "/screening/tracing/?page=2"
    assert [int(pk) for rows in pages for pk in rows] == [r.pk for r in reversed(requests)]
    tracing_request_close(actor=protection_bruno, request=requests[0], reason="duplicate")
    pages, _visited = walk(
        client, "/screening/tracing/?status=closed", r'href="/screening/tracing/(\d+)/"'
    )
    assert pages == [[str(requests[0].pk)]]
    bad = client.get("/screening/tracing/?status=lost")
    assert bad.status_code == 422 and 'id="errors-status"' in bad.content.decode()
    assert AuditEvent.objects.filter(detail="tracing request list", actor=protection_bruno).exists()


def test_other_roles_and_points_see_no_request(
    client_for, protection_bruno, officer_amina, security_joseph, point_b, scene
):
    _father, child, _stranger = scene
    request = open_request(protection_bruno, child)
    elsewhere = UserFactory(
        username="beatrice", roles=["protection_officer"], crossing_points=[point_b]
    )
    client = client_for(elsewhere)
    assert client.get(f"/screening/tracing/{request.pk}/").status_code == 404
    assert client.post(f"/screening/tracing/{request.pk}/propose/").status_code == 404
    listed = client.get("/screening/tracing/").content.decode()
    assert f'href="/screening/tracing/{request.pk}/"' not in listed
    for other in (officer_amina, security_joseph):
        client = client_for(other)
        assert client.get("/screening/tracing/").status_code == 403
        assert client.get(f"/screening/tracing/{request.pk}/").status_code == 403
        assert "Tracing requests" not in client.get("/").content.decode()
        person_page = client.get(f"/registry/people/{child.public_id}/").content.decode()
        assert "Open tracing request" not in person_page
    assert not TracingMatch.objects.exists()
