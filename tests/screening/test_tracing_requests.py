"""Tracing requests through their services: opened with field errors, candidates proposed
from the whole registry with plain reasons, decided, closed; scoped to the protection
officers of the request's crossing point."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from hbm.audit.models import AuditEvent
from hbm.lib.filters import InvalidFilters
from hbm.places.models import BorderCrossingPoint
from hbm.screening.models import TracingEvent, TracingMatch, TracingRequest
from hbm.screening.services import tracing_requests as tracing
from hbm.screening.tracing_reasons import reason_texts
from tests.factories import UserFactory
from tests.plans import api_page, full_scans, web_page
from tests.screening.tracing_helpers import family, open_request


@pytest.fixture
def protection_at_b(point_b, protection_bruno):
    return UserFactory(
        username="beatrice",
        agency=protection_bruno.agency,
        roles=["protection_officer"],
        crossing_points=[point_b],
    )


@pytest.fixture
def scene(officer_amina, officer_bintu, protection_bruno):
    return family(officer_amina, officer_bintu)


def test_a_child_finds_his_father_registered_at_another_point(protection_bruno, scene):
    father, child, stranger = scene
    request = open_request(protection_bruno, child, birth_year=1975, last_seen_place="Yei")
    assert request.status == "open" and request.agency == protection_bruno.agency
    assert request.sought_name == "Hassan Karimi"

    proposed = tracing.tracing_request_propose(actor=protection_bruno, request=request)

    assert proposed[0].person == father
    assert stranger.pk not in [m.person_id for m in proposed]
    assert child.pk not in [m.person_id for m in proposed], "never the enquirer"
    best = proposed[0]
    assert best.relation == "parent" and best.score > 0.5
    words = reason_texts(best.reasons)
    assert words[0].startswith("Like the description: Given name and Family name exact")
    assert "Possibly a parent of the enquirer (family tracing)." in words
    assert "The enquirer's father's name is this person's given name." in words
    assert "Same place of origin as the enquirer." in words
    assert AuditEvent.objects.filter(
        actor=protection_bruno,
        object_id=str(father.public_id),
        detail=f"tracing request {request.pk} proposal",
    ).exists()

    again = tracing.tracing_request_propose(actor=protection_bruno, request=request)
    assert again == [], "a person is proposed once"
    assert request.matches.count() == len(proposed)

    tracing.tracing_match_decide(
        actor=protection_bruno, match=best, decision="confirmed", note="He knew his father"
    )
    request.refresh_from_db()
    assert request.status == "matched" and request.matched_person == father
    tracing.tracing_request_close(
        actor=protection_bruno, request=request, reason="reunited", note="Met at Point B."
    )
    request.refresh_from_db()
    assert request.status == "closed" and request.closing_reason == "reunited"
    assert request.closed_at is not None
    assert list(request.events.values_list("kind", flat=True)) == [
        "opened",
        "proposed",
        "proposed",
        "decided",
        "closed",
    ]


def test_an_enquirer_not_registered_is_named_and_the_description_alone_searches(
    protection_bruno, scene
):
    father, _child, _stranger = scene
    request = tracing.tracing_request_open(
        actor=protection_bruno,
        crossing_point=BorderCrossingPoint.objects.get(code="point-a"),
        enquirer_name="Fatuma Karimi",
        relationship="spouse",
        relationship_detail="his wife",
        sought=tracing.Sought(given_name="Hasan", family_name="Karimi", approximate_age=50),
    )
    proposed = tracing.tracing_request_propose(actor=protection_bruno, request=request)
    assert [m.person for m in proposed][:1] == [father]
    assert proposed[0].relation == ""
    assert reason_texts(proposed[0].reasons)[0].startswith("Like the description:")


def test_rejecting_a_candidate_keeps_the_request_open(protection_bruno, scene):
    _father, child, _stranger = scene
    request = open_request(protection_bruno, child)
    match = tracing.tracing_request_propose(actor=protection_bruno, request=request)[0]
    tracing.tracing_match_decide(actor=protection_bruno, match=match, decision="rejected")
    match.refresh_from_db()
    request.refresh_from_db()
    assert match.decision == "rejected" and match.decided_by == protection_bruno
    assert request.status == "open"
    with pytest.raises(ValidationError) as error:
        tracing.tracing_match_decide(actor=protection_bruno, match=match, decision="confirmed")
    assert error.value.message_dict == {
        "decision": ["This candidate was already decided (not the person)."]
    }


def test_bad_input_is_refused_by_field_and_nothing_is_written(protection_bruno, scene):
    _father, _child, _stranger = scene
    point = BorderCrossingPoint.objects.get(code="point-a")
    with pytest.raises(ValidationError) as error:
        tracing.tracing_request_open(
            actor=protection_bruno,
            crossing_point=point,
            relationship="cousin",
            sought=tracing.Sought(
                sex="Q",
                birth_year=1850,
                approximate_age=200,
                father_name="A" * 101,
                description="ok\u202enote",
            ),
        )
    problems = error.value.message_dict
    assert problems == {
        "enquirer_name": [str(tracing.WHO_IS_LOOKING)],
        "relationship": ["Choose one of: parent, child, sibling, spouse, other_relative, other."],
        "given_name": [str(tracing.NAME_NEEDED)],
        "sex": ["Sex is one of: F, M, X."],
        "birth_year": ["A year of birth from 1900 to this year."],
        "approximate_age": [
            "An age from 0 to 120.",
            str(tracing.YEAR_OR_AGE),
        ],
        "father_name": ["At most 100 characters."],
        "description": [
            "Contains a right-to-left or left-to-right control character "
            "(U+202E RIGHT-TO-LEFT OVERRIDE); remove it."
        ],
    }
    assert not TracingRequest.objects.exists()
    assert not TracingEvent.objects.exists()


def test_deciding_and_closing_refuse_what_does_not_apply(protection_bruno, scene):
    _father, child, _stranger = scene
    request = open_request(protection_bruno, child)
    match = tracing.tracing_request_propose(actor=protection_bruno, request=request)[0]
    with pytest.raises(ValidationError) as error:
        tracing.tracing_match_decide(actor=protection_bruno, match=match, decision="maybe")
    assert error.value.message_dict == {"decision": [str(tracing.CHOOSE_DECISION)]}
    with pytest.raises(ValidationError) as error:
        tracing.tracing_request_close(actor=protection_bruno, request=request, reason="bored")
    assert list(error.value.message_dict) == ["reason"]
    tracing.tracing_request_close(actor=protection_bruno, request=request, reason="withdrawn")
    request.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        tracing.tracing_request_close(actor=protection_bruno, request=request, reason="found")
    assert error.value.message_dict == {"status": [str(tracing.ALREADY_CLOSED)]}
    with pytest.raises(ValidationError) as error:
        tracing.tracing_request_propose(actor=protection_bruno, request=request)
    assert error.value.message_dict == {
        "status": ["This tracing request is closed: it takes no more proposals or decisions."]
    }
    with pytest.raises(ValidationError):
        tracing.tracing_match_decide(actor=protection_bruno, match=match, decision="confirmed")
    assert TracingMatch.objects.get(pk=match.pk).decision == "pending"


def test_only_the_protection_officers_of_the_point_see_and_change_a_request(
    protection_bruno, protection_at_b, officer_amina, security_joseph, coordinator_patrick, scene
):
    _father, child, _stranger = scene
    request = open_request(protection_bruno, child)
    assert list(tracing.tracing_request_list(user=protection_bruno)) == [request]
    assert list(tracing.tracing_request_list(user=protection_at_b)) == []
    with pytest.raises(Http404):
        tracing.tracing_request_get_for_user(user=protection_at_b, pk=request.pk)
    for outsider in (officer_amina, security_joseph, coordinator_patrick):
        with pytest.raises(PermissionDenied):
            tracing.tracing_request_list(user=outsider)
        with pytest.raises(PermissionDenied):
            tracing.tracing_request_propose(actor=outsider, request=request)
    with pytest.raises(PermissionDenied):
        tracing.tracing_request_propose(actor=protection_at_b, request=request)
    with pytest.raises(PermissionDenied):
        tracing.tracing_request_close(actor=protection_at_b, request=request, reason="found")
    assert TracingRequest.objects.get().status == "open"
    assert not TracingMatch.objects.exists()


def test_a_request_is_opened_only_at_ones_own_point_for_a_person_one_may_see(
    protection_bruno, scene
):
    father, child, _stranger = scene
    with pytest.raises(PermissionDenied):
        open_request(protection_bruno, child, point="point-b")
    with pytest.raises(Http404):
        open_request(protection_bruno, father)  # registered at point B only
    assert not TracingRequest.objects.exists()


def test_the_list_filters_by_status_and_refuses_an_unknown_one(protection_bruno, scene):
    _father, child, _stranger = scene
    first = open_request(protection_bruno, child)
    second = open_request(protection_bruno, child, given_name="Amina", sex="F")
    tracing.tracing_request_close(actor=protection_bruno, request=first, reason="duplicate")
    listed = tracing.tracing_request_list(user=protection_bruno, status="open")
    assert list(listed) == [second]
    assert list(tracing.tracing_request_list(user=protection_bruno)) == [second, first]
    with pytest.raises(InvalidFilters) as error:
        tracing.tracing_request_list(user=protection_bruno, status="lost")
    assert error.value.message_dict == {"status": ["Choose one of: open, matched, closed."]}


def test_a_name_alone_finds_the_family_and_a_sex_given_leaves_others_out(protection_bruno, scene):
    father, child, stranger = scene
    point = BorderCrossingPoint.objects.get(code="point-a")

    def proposed_for(**sought):
        request = tracing.tracing_request_open(
            actor=protection_bruno,
            crossing_point=point,
            enquirer_name="A neighbour",
            relationship="other",
            sought=tracing.Sought(**sought),
        )
        return tracing.tracing_request_propose(actor=protection_bruno, request=request)

    found = proposed_for(family_name="Karimi")
    assert {m.person_id for m in found} == {father.pk, child.pk}
    assert all(0 < m.score <= 0.5 for m in found), "a name alone weighs at most a half"
    assert reason_texts(found[0].reasons) == ["Like the description: Family name exact"]
    assert proposed_for(family_name="Karimi", sex="F") == []
    assert stranger.pk not in {m.person_id for m in found}


@pytest.mark.parametrize("status", ["", "open"])
def test_the_lists_pages_read_the_requests_through_indexes(protection_bruno, status):
    requests = tracing.tracing_request_list(user=protection_bruno, status=status)
    for page in (api_page(requests, ("-created_at", "-id")), web_page(requests, 50, 3)):
        assert full_scans(page, ["screening_tracingrequest"]) == []
