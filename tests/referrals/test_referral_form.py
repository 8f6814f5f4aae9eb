"""The referral form starts from the person's recorded needs, lists the providers of the
chosen service, and says what is wrong field by field as it is filled in and when sent."""

import csv
import json
from types import SimpleNamespace

import pytest

from hbm.referrals import needs
from hbm.referrals.models import Provider, Referral, ServiceType
from hbm.screening import services as screening
from hbm.screening.models import NeedCategory, NeedCode
from tests.factories import AgencyFactory
from tests.referrals.test_referrals import api_send
from tests.registry.helpers import register

__all__ = ["child", "child_protection", "other_provider", "provider"]  # fixtures used here
from tests.referrals.test_referrals import (
    child,
    child_protection,
    other_provider,
    provider,
)


@pytest.fixture
def health_clinic(db):
    agency = AgencyFactory(code="msf", name="Clinic NGO", kind="ngo")
    clinic = Provider.objects.create(name="Border clinic", agency=agency)
    clinic.service_types.add(ServiceType.objects.get(code="health"))
    return clinic


def _options(html, name="provider"):
    import re

    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select)


def _selected(html, name):
    import re

    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    found = re.search(r'<option value="([^"]*)"[^>]*selected>', select)
    return found.group(1) if found and found.group(1) else None


def test_the_mapping_names_known_services_and_needs(db):
    services = set(ServiceType.objects.values_list("code", flat=True))
    codes = set(NeedCode.objects.values_list("code", flat=True))
    categories = set(NeedCategory.objects.values_list("code", flat=True))
    with needs.NEED_SERVICES.open(encoding="utf-8") as lines:
        rows = list(csv.DictReader(lines))
    assert rows and all(row["service_type"] in services for row in rows)
    assert all(row["need"] in codes | categories | {needs.DESK_CHILD_ALONE} for row in rows)
    assert needs.service_code_for("SC-UC") == "child-protection"
    assert needs.service_code_for("SM-MI") == "mhpss", "a code's own line wins"
    assert needs.service_code_for("SM-CI") == "health"
    assert needs.service_code_for("ZZ-ZZ") is None


def test_the_form_starts_from_the_latest_screening(
    client_for, protection_bruno, child, provider, other_provider, health_clinic, point_a
):
    screening.screening_record(
        actor=protection_bruno, person=child, answers={"child_without_caregiver": True}
    )
    html = client_for(protection_bruno).get(f"/referrals/persons/{child.public_id}/new/")
    html = html.content.decode()
    assert _selected(html, "service_type") == str(
        ServiceType.objects.get(code="child-protection").pk
    )
    assert _selected(html, "need_code") == "SC-UC"
    assert _selected(html, "urgency") == "urgent"
    # On the pathway of the point: not the far-away provider, nor the clinic (health).
    assert [name for _pk, name in _options(html)[1:]] == ["ICPN Mahagi"]


def test_without_a_screening_nothing_is_proposed(client_for, officer_amina, protection_bruno):
    (adult,) = register(
        officer_amina, {"given_name": "Mary", "family_name": "Deng", "date_of_birth": "1990"}
    )
    html = client_for(protection_bruno).get(f"/referrals/persons/{adult.public_id}/new/")
    html = html.content.decode()
    assert _selected(html, "service_type") is None
    assert _options(html) == [("", "Choose a service first")]


def test_a_child_flagged_at_the_desk_starts_with_child_protection(
    client_for, protection_bruno, child, provider, child_protection
):
    html = client_for(protection_bruno).get(f"/referrals/persons/{child.public_id}/new/")
    html = html.content.decode()
    assert _selected(html, "service_type") == str(child_protection.pk)
    assert _selected(html, "need_code") is None, "unaccompanied or separated: not known yet"
    assert [name for _pk, name in _options(html)[1:]] == ["ICPN Mahagi"]


def test_choosing_a_service_lists_its_providers_with_no_premature_error(
    client_for, protection_bruno, child, provider, health_clinic, point_a
):
    check = f"/referrals/persons/{child.public_id}/check/"
    client = client_for(protection_bruno)
    health = ServiceType.objects.get(code="health")
    response = client.post(check, {"service_type": health.pk})
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith('<div id="referral-fields"')
    assert [name for _pk, name in _options(html)[1:]] == ["Border clinic"]
    assert "errorlist" not in html, "fields not given yet are not complained about"
    # Back to child protection: the clinic chosen before is dropped, not refused.
    response = client.post(
        check,
        {
            "crossing_point": point_a.pk,
            "service_type": ServiceType.objects.get(code="child-protection").pk,
            "provider": health_clinic.pk,
            "urgency": "urgent",
        },
    )
    html = response.content.decode()
    assert [name for _pk, name in _options(html)[1:]] == ["ICPN Mahagi"]
    assert _selected(html, "provider") is None and "errors-provider" not in html


def test_the_check_says_what_the_rules_refuse_before_sending(
    client_for, protection_bruno, child, provider, child_protection, point_a
):
    data = {
        "crossing_point": point_a.pk,
        "service_type": child_protection.pk,
        "provider": provider.pk,
        "urgency": "urgent",
        "notes": "bad\u202enote",
    }
    response = client_for(protection_bruno).post(
        f"/referrals/persons/{child.public_id}/check/", data
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="errors-consent_override_reason"' in html
    assert 'id="errors-notes"' in html
    assert not Referral.objects.exists()


def test_a_garbled_post_is_a_422_by_field_never_a_500(
    client_for, protection_bruno, child, provider
):
    client = client_for(protection_bruno)
    url = f"/referrals/persons/{child.public_id}/new/"
    response = client.post(
        url, {"crossing_point": "abc", "service_type": "999999", "provider": "x", "urgency": "?"}
    )
    html = response.content.decode()
    assert response.status_code == 422
    for name in ("crossing_point", "service_type", "provider", "urgency"):
        assert f'id="errors-{name}"' in html
    check = client.post(f"/referrals/persons/{child.public_id}/check/", {"provider": "x"})
    assert check.status_code == 200 and 'id="errors-provider"' in check.content.decode()
    assert not Referral.objects.exists()


def test_a_provider_not_listed_is_refused_with_the_reason(
    client_for, protection_bruno, child, other_provider, child_protection, point_a
):
    response = client_for(protection_bruno).post(
        f"/referrals/persons/{child.public_id}/new/",
        {
            "crossing_point": point_a.pk,
            "service_type": child_protection.pk,
            "provider": other_provider.pk,
            "urgency": "urgent",
            "consent_given": "on",
        },
    )
    assert response.status_code == 422
    assert "Far away is not on the referral pathway" in response.content.decode()


def test_the_check_is_for_referrers_only(client_for, officer_amina, child):
    check = client_for(officer_amina).post(f"/referrals/persons/{child.public_id}/check/", {})
    assert check.status_code == 403
    assert client_for(officer_amina).get(
        f"/referrals/persons/{child.public_id}/check/"
    ).status_code in (403, 405)


def test_the_api_answers_bad_input_with_field_paths(client_for, protection_bruno, child, provider):
    client = client_for(protection_bruno)
    typed = api_send(client, child, SimpleNamespace(pk="x"), language="en", consent_given=True)
    assert typed.status_code == 422
    assert [e["field"] for e in typed.json()["errors"]] == ["body.payload.provider"]
    ruled = api_send(client, child, provider, language="en", urgency="soon", consent_given=True)
    assert ruled.status_code == 422
    assert [e["field"] for e in ruled.json()["errors"]] == ["body.urgency"]
    missing = client.post(
        "/api/v1/referrals",
        json.dumps({"person": str(child.public_id)}),
        content_type="application/json",
    )
    assert missing.status_code == 422
    assert "body.payload.crossing_point" in {e["field"] for e in missing.json()["errors"]}
    assert not Referral.objects.exists()
