"""The duplicate review as the desk uses it: Undo after each decision, the open / decided / all
filter kept across pages, a short card for a person registered outside the reviewer's points,
and the explanation in the desk's words."""

from itertools import combinations

import pytest
from django.core.exceptions import ValidationError

from hbm.audit.models import AuditEvent
from hbm.registry.models import DuplicateCandidate
from hbm.registry.services import duplicates
from hbm.registry.views import PAGE_SIZE
from tests.paging import walk
from tests.registry.helpers import VARIANT, WHY_VARIANT, register
from tests.registry.test_duplicates import HASSAN, REVIEW_LINK

QUEUE = "/registry/duplicates/"


@pytest.fixture
def pair(officer_amina):
    register(officer_amina, HASSAN)
    register(officer_amina, VARIANT)
    return DuplicateCandidate.objects.get()


@pytest.fixture
def pair_across_points(officer_amina, officer_bintu):
    """Hassan registered by Bintu at point B, then his variant by Amina at point A."""
    register(officer_bintu, {**HASSAN, "phone": "+256700111222"}, point="point-b")
    register(officer_amina, VARIANT)
    return DuplicateCandidate.objects.get()


@pytest.mark.parametrize("decision", ["same", "different"])
def test_each_decision_shows_an_undo_that_reverses_it(client_for, officer_amina, pair, decision):
    client = client_for(officer_amina)
    a, b = pair.person_a, pair.person_b
    response = client.post(f"{QUEUE}{pair.pk}/?show=open&page=1", {"decision": decision})
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?show=open&page=1&decided={pair.pk}"
    queue = client.get(response["Location"]).content.decode()
    assert 'id="decided-banner"' in queue and "Decision recorded." in queue
    undo = f'action="{QUEUE}{pair.pk}/?show=open&amp;page=1"'
    assert undo in queue, "the Undo posts back to the pair, keeping the queue's place"
    b.refresh_from_db()
    assert (b.cluster_id == a.cluster_id) == (decision == "same")
    undone = client.post(f"{QUEUE}{pair.pk}/?show=open&page=1", {"decision": "undo"})
    assert undone["Location"] == f"{QUEUE}?show=open&page=1"
    after = client.get(undone["Location"]).content.decode()
    assert "Decision undone" in after and 'id="decided-banner"' not in after
    pair.refresh_from_db()
    b.refresh_from_db()
    assert pair.status == "open" and pair.decided_by is None
    assert b.cluster_id != a.cluster_id
    events = AuditEvent.objects.filter(object_type="registry.duplicatecandidate")
    assert list(events.order_by("pk").values_list("detail", flat=True)) == [
        f"decided {decision}",
        f"undid {decision}",
    ]


def test_an_undone_pair_has_nothing_more_to_undo(client_for, officer_amina, pair):
    duplicates.duplicate_decide(actor=officer_amina, candidate=pair, decision="same")
    duplicates.duplicate_undo(actor=officer_amina, candidate=pair)
    with pytest.raises(ValidationError) as caught:
        duplicates.duplicate_undo(actor=officer_amina, candidate=pair)
    assert caught.value.message_dict == {"decision": [duplicates.NOTHING_TO_UNDO]}
    response = client_for(officer_amina).post(f"{QUEUE}{pair.pk}/", {"decision": "undo"})
    assert response.status_code == 422
    assert duplicates.NOTHING_TO_UNDO in response.content.decode()


def test_decided_pairs_have_an_undo_in_the_decided_list(client_for, officer_amina, pair):
    duplicates.duplicate_decide(actor=officer_amina, candidate=pair, decision="different")
    client = client_for(officer_amina)
    assert f"{QUEUE}{pair.pk}/" not in client.get(QUEUE).content.decode()
    decided = client.get(f"{QUEUE}?show=decided").content.decode()
    assert f'href="{QUEUE}{pair.pk}/?show=decided&amp;page=1"' in decided
    assert 'name="decision" value="undo"' in decided
    assert "Different people" in decided
    every = client.get(f"{QUEUE}?show=all").content.decode()
    assert f"{QUEUE}{pair.pk}/" in every
    unknown = client.get(f"{QUEUE}?show=everything")
    assert unknown.status_code == 200, "an unknown filter shows what waits"
    assert f"{QUEUE}{pair.pk}/" not in unknown.content.decode()


def test_a_reader_who_does_not_review_gets_no_undo(
    client_for, officer_amina, security_joseph, pair
):
    duplicates.duplicate_decide(actor=officer_amina, candidate=pair, decision="same")
    client = client_for(security_joseph)
    assert 'value="undo"' not in client.get(f"{QUEUE}?show=decided").content.decode()
    assert 'value="undo"' not in client.get(f"{QUEUE}{pair.pk}/").content.decode()
    assert client.post(f"{QUEUE}{pair.pk}/", {"decision": "undo"}).status_code == 403


def test_the_decided_filter_is_kept_across_pages(client_for, officer_amina):
    people = [
        register(officer_amina, {"given_name": f"Person{n}", "family_name": f"Family{n}"})[0]
        for n in range(13)
    ]
    DuplicateCandidate.objects.all().delete()  # only the pairs below
    DuplicateCandidate.objects.bulk_create(
        DuplicateCandidate(
            person_a=a,
            person_b=b,
            probability=(n % 7) / 10,
            weight=1.0,
            status="different" if n % 3 else "open",
        )
        for n, (a, b) in enumerate(combinations(people, 2))
    )
    decided = list(
        DuplicateCandidate.objects.filter(status="different").order_by("-probability", "pk")
    )
    assert len(decided) > PAGE_SIZE
    client = client_for(officer_amina)
    pages, visited = walk(client, f"{QUEUE}?show=decided", REVIEW_LINK)
    assert visited == [f"{QUEUE}?show=decided", f"{QUEUE}?show=decided&page=2"]
    assert [int(pk) for rows in pages for pk in rows] == [pair.pk for pair in decided]


def test_a_person_outside_the_reviewers_points_is_a_short_card(
    client_for, officer_amina, pair_across_points
):
    pair = pair_across_points
    elsewhere = pair.person_a  # registered first, by Bintu at point B
    assert elsewhere.first_crossing_point.code == "point-b"
    response = client_for(officer_amina).get(f"{QUEUE}{pair.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    card = html.split(f'id="card-{elsewhere.public_id}"')[1].split("</section>")[0]
    assert "Mohammed Ali Hassan" in card and "1984" in card and "Male" in card
    assert "Point B" in card and elsewhere.created_at.strftime("%Y-%m-%d") in card
    assert "+256700111222" not in html, "never the whole record"
    assert "1984-03-12" not in card and "SSD" not in card, "a year of birth, no nationality"
    assert f'href="/registry/people/{elsewhere.public_id}/"' not in html, "no link to a 404"
    mine = pair.person_b
    assert f"/registry/people/{mine.public_id}/" in html
    reads = AuditEvent.objects.filter(
        action="view", detail__startswith=f"duplicate review {pair.pk}"
    )
    assert sorted(reads.values_list("object_id", "detail")) == sorted(
        [
            (str(elsewhere.public_id), f"duplicate review {pair.pk}, short card"),
            (str(mine.public_id), f"duplicate review {pair.pk}"),
        ]
    )


def test_the_coordinator_sees_both_whole_records(
    client_for, coordinator_patrick, pair_across_points
):
    html = client_for(coordinator_patrick).get(f"{QUEUE}{pair_across_points.pk}/").content.decode()
    assert "+256700111222" in html and "short-card" not in html


def test_the_review_explains_in_the_desks_words(client_for, officer_amina, pair):
    html = client_for(officer_amina).get(f"{QUEUE}{pair.pk}/").content.decode()
    assert WHY_VARIANT in html
    assert "Evidence (bits)" not in html and ">prior<" not in html
    assert "Starting point (any two records)" in html, "the figures, behind details"
    assert "<details" in html
