from itertools import combinations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from hbm.audit.models import AuditEvent
from hbm.registry.models import DuplicateCandidate, DuplicateScan, Person
from hbm.registry.services import duplicates
from hbm.registry.views import PAGE_SIZE
from tests.paging import walk
from tests.registry.helpers import VARIANT, WHY_VARIANT, register

HASSAN = {
    "given_name": "Mohammed",
    "family_name": "Hassan",
    "father_name": "Ali",
    "sex": "M",
    "date_of_birth": "1984-03-12",
    "nationality": "SSD",
}


# The review link of each row on the queue (it carries the queue's filter and page).
REVIEW_LINK = r'href="/registry/duplicates/(\d+)/\?'


@pytest.fixture
def pair(officer_amina):
    register(officer_amina, HASSAN)
    register(officer_amina, VARIANT)
    return DuplicateCandidate.objects.get()


def test_same_person_merges_the_clusters_and_undo_restores_them(pair, officer_amina):
    a, b = pair.person_a, pair.person_b
    assert a.cluster_id != b.cluster_id
    duplicates.duplicate_decide(actor=officer_amina, candidate=pair, decision="same")
    b.refresh_from_db()
    assert b.cluster_id == a.cluster_id
    assert Person.objects.count() == 2, "a merge deletes nothing"
    duplicates.duplicate_undo(actor=officer_amina, candidate=pair)
    b.refresh_from_db()
    assert b.cluster_id != a.cluster_id
    pair.refresh_from_db()
    assert pair.status == "open"


def test_different_people_is_remembered_by_a_rescan(pair, officer_amina, coordinator_patrick):
    duplicates.duplicate_decide(
        actor=officer_amina, candidate=pair, decision="different", reason="different mothers"
    )
    scan = duplicates.duplicate_scan_request(actor=coordinator_patrick)
    duplicates.duplicate_scan_run(scan_id=scan.pk, threshold=0.5, limit=6)
    pair.refresh_from_db()
    assert pair.status == "different"
    assert DuplicateCandidate.objects.count() == 1


def test_a_decided_pair_cannot_be_decided_again(pair, officer_amina):
    duplicates.duplicate_decide(actor=officer_amina, candidate=pair, decision="different")
    with pytest.raises(ValidationError) as caught:
        duplicates.duplicate_decide(actor=officer_amina, candidate=pair, decision="same")
    assert caught.value.message_dict == {"decision": [duplicates.ALREADY_DECIDED]}


def test_the_review_page_shows_both_and_records_the_decision(
    client_for, pair, officer_amina, officer_bintu
):
    client = client_for(officer_amina)
    html = client.get("/registry/duplicates/").content.decode()
    assert "Mohammed Ali Hassan" in html and "Muhammad Ali Hasan" in html
    assert AuditEvent.objects.filter(action="view", detail="duplicate queue").count() == 2
    assert WHY_VARIANT in html, "why the pair is likely, in the desk's words"
    review = client.get(f"/registry/duplicates/{pair.pk}/").content.decode()
    assert "Why the engine thinks so" in review and WHY_VARIANT in review
    assert "<td>Given name</td><td>spelling variant</td>" in review, "the desk's words"
    response = client.post(f"/registry/duplicates/{pair.pk}/", {"decision": "same"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == "same" and pair.decided_by == officer_amina
    assert client_for(officer_bintu).get(f"/registry/duplicates/{pair.pk}/").status_code == 404


def test_the_queue_pages_through_every_pair_most_likely_first(client_for, officer_amina):
    people = [
        register(officer_amina, {"given_name": f"Person{n}", "family_name": f"Family{n}"})[0]
        for n in range(11)
    ]
    DuplicateCandidate.objects.all().delete()  # only the pairs below, with known likelihoods
    DuplicateCandidate.objects.bulk_create(
        DuplicateCandidate(person_a=a, person_b=b, probability=(n % 7) / 10, weight=1.0)
        for n, (a, b) in enumerate(combinations(people, 2))
    )
    pairs = list(DuplicateCandidate.objects.order_by("-probability", "pk"))
    assert len(pairs) > PAGE_SIZE
    client = client_for(officer_amina)
    pages, visited = walk(client, "/registry/duplicates/", REVIEW_LINK)
    assert visited == ["/registry/duplicates/", "/registry/duplicates/?page=2"]
    assert [len(rows) for rows in pages] == [PAGE_SIZE, len(pairs) - PAGE_SIZE]
    shown = [int(pk) for rows in pages for pk in rows]
    assert shown == [pair.pk for pair in pairs], "most likely first, none lost or repeated"
    reads = AuditEvent.objects.filter(action="view", detail="duplicate queue")
    assert reads.count() == 2 * len(pairs), "both people of every pair shown"


def test_the_rescan_runs_in_the_worker_and_reports_progress(
    transactional_db,
    client_for,
    officer_amina,
    coordinator_patrick,
    django_capture_on_commit_callbacks,
):
    # transactional: the worker closes its database connection when it finishes
    register(officer_amina, HASSAN)
    register(officer_amina, VARIANT)
    DuplicateCandidate.objects.all().delete()  # only the pairs below, with known likelihoods
    client = client_for(coordinator_patrick)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/registry/duplicates/").status_code == 302
    scan = DuplicateScan.objects.get()
    assert scan.status == "queued"
    assert (
        "A rescan is already queued"
        in client.post("/registry/duplicates/", follow=True).content.decode()
    )
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    scan.refresh_from_db()
    assert (scan.status, scan.done, scan.total, scan.found) == ("done", 2, 2, 1)
    fragment = client.get("/registry/duplicates/", HTTP_HX_REQUEST="true").content.decode()
    assert "2 of 2 people checked, 1 new possible duplicates" in fragment


def test_only_coordinators_and_administrators_start_a_rescan(officer_amina):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        duplicates.duplicate_scan_request(actor=officer_amina)


def test_polling_the_rescan_progress_reads_no_person(client_for, coordinator_patrick, pair):
    from hbm.audit.models import AuditEvent

    client = client_for(coordinator_patrick)
    before = AuditEvent.objects.filter(action="view").count()
    response = client.get("/registry/duplicates/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="view").count() == before
    client.get("/registry/duplicates/")
    assert AuditEvent.objects.filter(action="view").count() == before + 2  # the pair shown


def test_the_review_page_links_only_the_person_the_reviewer_may_open(
    client_for, officer_amina, officer_bintu
):
    (here,) = register(officer_amina, HASSAN)
    (there,) = register(officer_bintu, VARIANT, point="point-b")
    pair = DuplicateCandidate.objects.get()
    review = client_for(officer_amina).get(f"/registry/duplicates/{pair.pk}/").content.decode()
    assert f'href="/registry/people/{here.public_id}/"' in review
    assert f'href="/registry/people/{there.public_id}/"' not in review
