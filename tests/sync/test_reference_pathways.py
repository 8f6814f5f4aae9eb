"""The directory's pathways come down with the reference data (ADR 0137): upserted on the
station by their natural key; one gone from the directory is deleted, or switched off when
referrals were sent along it, and no new referral takes it."""

import pytest
from django.core.exceptions import ValidationError

from hbm.referrals import selectors, services
from hbm.referrals.models import Pathway, Provider, ServiceType
from hbm.sync.services.reference import pathways_apply, reference_snapshot
from tests.factories import AgencyFactory, UserFactory
from tests.registry.helpers import register

AMINA = {"given_name": "Amina", "family_name": "Yusuf", "sex": "F", "date_of_birth": "1990"}


@pytest.fixture
def health(db):
    return ServiceType.objects.get(code="health")


@pytest.fixture
def clinics(health):
    agency = AgencyFactory(code="msf", name="MSF", kind="ngo")
    made = {}
    for name in ("Clinic North", "Clinic South", "Clinic East"):
        made[name] = Provider.objects.create(name=name, agency=agency)
        made[name].service_types.add(health)
    return made


def row(point, provider, urgency="") -> dict[str, str]:
    return {
        "crossing_point": point.code,
        "service_type": "health",
        "urgency": urgency,
        "provider": str(provider.public_id),
    }


def test_the_reference_data_carries_the_pathways_in_use(immigration, point_a, health, clinics):
    station = UserFactory(roles=["field_station"], agency=immigration)
    Pathway.objects.create(
        crossing_point=point_a, service_type=health, provider=clinics["Clinic North"]
    )
    Pathway.objects.create(
        crossing_point=point_a, service_type=health, provider=clinics["Clinic South"], active=False
    )
    snapshot = reference_snapshot(actor=station, since="")
    assert snapshot["pathways"] == [row(point_a, clinics["Clinic North"])]


def test_a_pull_upserts_pathways_and_keeps_those_referrals_used(
    officer_amina, protection_bruno, point_a, health, clinics
):
    north, south, east = (clinics[n] for n in ("Clinic North", "Clinic South", "Clinic East"))
    for provider in (north, south, east):
        Pathway.objects.create(crossing_point=point_a, service_type=health, provider=provider)
    (person,) = register(officer_amina, AMINA)
    services.referral_send(
        actor=protection_bruno,
        person=person,
        crossing_point=point_a,
        service_type=health,
        provider=south,
        urgency="normal",
        consent_given=True,
    )
    # The national directory now: North for urgent cases only, South and East gone.
    rows = [row(point_a, north, "urgent")]
    for _ in range(2):  # the same snapshot twice: the same rows
        assert pathways_apply(rows) == 1
        ways = {
            (w.provider.name, w.urgency, w.active)
            for w in Pathway.objects.select_related("provider")
        }
        assert ways == {
            ("Clinic North", "urgent", True),  # new: created
            ("Clinic South", "", False),  # a referral went along it: kept, switched off
        }  # North for any urgency and East, unused, are deleted
    assert not Pathway.objects.filter(provider=east).exists()  # unused: deleted
    offered = selectors.pathway_providers(
        crossing_point=point_a, service_type=health, urgency="normal"
    )
    assert list(offered) == []  # North takes urgent cases only now; South is off
    with pytest.raises(ValidationError) as refused:
        services.referral_send(
            actor=protection_bruno,
            person=person,
            crossing_point=point_a,
            service_type=health,
            provider=south,
            urgency="normal",
            consent_given=True,
        )
    assert "provider" in refused.value.message_dict
