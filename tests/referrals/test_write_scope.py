"""A referral is sent only about a person in the sender's area of work, with a screening of
that person; the service checks it itself, whatever entry point handed it the objects."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from hbm.referrals import services
from hbm.referrals.models import Pathway, Provider, Referral, ServiceType
from hbm.screening.services import screening_record
from tests.factories import AgencyFactory
from tests.registry.helpers import register


@pytest.fixture
def pathway(point_a):
    service = ServiceType.objects.get(code="child-protection")
    agency = AgencyFactory(code="icpn", name="ICPN", kind="ngo")
    provider = Provider.objects.create(name="ICPN Mahagi", agency=agency)
    provider.service_types.add(service)
    Pathway.objects.create(crossing_point=point_a, service_type=service, provider=provider)
    return service, provider


def send(actor, person, pathway, point, **extra):
    service, provider = pathway
    return services.referral_send(
        actor=actor,
        person=person,
        crossing_point=point,
        service_type=service,
        provider=provider,
        urgency="normal",
        consent_given=True,
        **extra,
    )


def test_a_referral_about_a_person_out_of_scope_is_refused(
    protection_bruno, officer_bintu, pathway, point_a
):
    (at_b,) = register(officer_bintu, {"given_name": "Akol"}, point="point-b")
    with pytest.raises(Http404):
        send(protection_bruno, at_b, pathway, point_a)
    assert not Referral.objects.exists()


def test_a_referral_names_a_screening_of_its_own_person(
    protection_bruno, officer_amina, pathway, point_a
):
    first, second = register(officer_amina, {"given_name": "Akol"}, {"given_name": "Deng"})
    screening = screening_record(actor=protection_bruno, person=first, answers={})
    with pytest.raises(ValidationError) as refused:
        send(protection_bruno, second, pathway, point_a, screening=screening)
    assert refused.value.message_dict == {"screening": [services.OTHER_PERSONS_SCREENING]}
    assert send(protection_bruno, first, pathway, point_a, screening=screening).screening == (
        screening
    )
