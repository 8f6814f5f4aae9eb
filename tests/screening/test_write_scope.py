"""Screenings are written only about persons in the writer's area of work: the services check
it themselves (404, as the person page answers), whatever entry point handed them the person."""

import pytest
from django.http import Http404

from hbm.screening.models import HealthScreening, ProtectionScreening
from hbm.screening.services import screening_record
from hbm.screening.services.health import health_screening_record
from tests.factories import UserFactory
from tests.registry.helpers import register


@pytest.fixture
def at_b(officer_bintu):
    (person,) = register(officer_bintu, {"given_name": "Akol", "age_estimate": 30}, point="point-b")
    return person


def test_a_protection_screening_out_of_scope_is_refused(protection_bruno, at_b):
    with pytest.raises(Http404):
        screening_record(actor=protection_bruno, person=at_b, answers={})
    assert not ProtectionScreening.objects.exists()


def test_a_health_screening_out_of_scope_is_refused(point_a, at_b):
    nurse = UserFactory(username="nurse", roles=["health_officer"], crossing_points=[point_a])
    with pytest.raises(Http404):
        health_screening_record(actor=nurse, person=at_b, crossing_point=point_a, symptoms={})
    assert not HealthScreening.objects.exists()


def test_in_scope_screenings_are_recorded(point_b, at_b):
    both = UserFactory(
        username="both", roles=["protection_officer", "health_officer"], crossing_points=[point_b]
    )
    screening_record(actor=both, person=at_b, answers={})
    health_screening_record(actor=both, person=at_b, crossing_point=point_b, symptoms={})
    assert ProtectionScreening.objects.count() == HealthScreening.objects.count() == 1
