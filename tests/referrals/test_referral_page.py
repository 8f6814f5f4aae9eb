"""A referral's page in plain words: whose it is (linked for those who may open the person),
what was shared under field labels, the history in status labels, and only the fields and
buttons that apply now."""

import re

from hbm.referrals import services
from tests.referrals.test_referrals import send

__all__ = ["child", "child_protection", "provider", "provider_ruth"]  # fixtures used here
from tests.referrals.test_referrals import (
    child,
    child_protection,
    provider,
    provider_ruth,
)


def _text(html):
    """The page's text, tags and attribute values left out."""
    return re.sub(r"<[^>]+>", " ", html)


def _completed(sender, provider_user, child, provider, point):
    referral = send(sender, child, provider, point, need_code=None)
    for status in ("accepted", "in_service"):
        services.referral_transition(actor=provider_user, referral=referral, to_status=status)
    services.referral_transition(
        actor=provider_user, referral=referral, to_status="completed", outcome="Reunited"
    )
    return referral


def test_the_sender_sees_the_name_linked_and_plain_labels(
    client_for, protection_bruno, child, provider, point_a
):
    referral = send(protection_bruno, child, provider, point_a, notes="Alone since Yei")
    html = client_for(protection_bruno).get(f"/referrals/{referral.pk}/").content.decode()
    person = re.search(r'<dd id="referral-person">(.*?)</dd>', html).group(1)
    assert person == f'<a href="/registry/people/{child.public_id}/">Akol Majok</a>'
    text = _text(html)
    for label in ("Given name", "Family name", "Urgency", "Notes for the provider"):
        assert label in text
    for key in ("given_name", "family_name", "age_estimate", "pending"):
        assert key not in text
    assert "Pending" in text and "Urgent" in text


def test_the_provider_sees_the_shared_name_without_a_link(
    client_for, protection_bruno, provider_ruth, child, provider, point_a
):
    referral = send(protection_bruno, child, provider, point_a)
    html = client_for(provider_ruth).get(f"/referrals/{referral.pk}/").content.decode()
    assert re.search(r'<dd id="referral-person">Akol Majok</dd>', html)
    assert "/registry/people/" not in html


def test_a_metadata_reader_sees_no_name(
    client_for, protection_bruno, coordinator_patrick, child, provider, point_a
):
    referral = send(protection_bruno, child, provider, point_a)
    html = client_for(coordinator_patrick).get(f"/referrals/{referral.pk}/").content.decode()
    assert 'id="referral-person"' not in html and "Akol" not in html
    assert 'id="referral-actions"' not in html, "a coordinator cannot move a referral"


def test_a_completed_referral_shows_no_reason_box_and_no_raw_status(
    client_for, protection_bruno, provider_ruth, child, provider, point_a
):
    referral = _completed(protection_bruno, provider_ruth, child, provider, point_a)
    for user in (protection_bruno, provider_ruth):
        html = client_for(user).get(f"/referrals/{referral.pk}/").content.decode()
        assert 'id="referral-actions"' not in html and 'name="reason"' not in html
        text = _text(html)
        assert "in_service" not in text and "In service" in text
        assert "Reunited" in text


def test_a_pending_referral_asks_the_provider_for_a_reason_but_no_outcome(
    client_for, protection_bruno, provider_ruth, child, provider, point_a
):
    referral = send(protection_bruno, child, provider, point_a)
    html = client_for(provider_ruth).get(f"/referrals/{referral.pk}/").content.decode()
    assert 'name="reason"' in html and 'name="outcome"' not in html
    assert 'value="accepted"' in html and 'value="revoked"' not in html
    sender = client_for(protection_bruno).get(f"/referrals/{referral.pk}/").content.decode()
    assert 'value="revoked"' in sender and 'value="accepted"' not in sender


def _person_cells(html):
    return re.findall(r'<td class="person">(.*?)</td>', html)


def test_the_list_names_each_person_as_far_as_the_viewer_may_know(
    client_for, protection_bruno, provider_ruth, coordinator_patrick, child, provider, point_a
):
    send(protection_bruno, child, provider, point_a)
    sender = client_for(protection_bruno).get("/referrals/").content.decode()
    assert _person_cells(sender) == [
        f'<a href="/registry/people/{child.public_id}/">Akol Majok</a>'
    ]
    assert _person_cells(client_for(provider_ruth).get("/referrals/").content.decode()) == [
        "<bdi>Akol Majok</bdi>"
    ]
    national = client_for(coordinator_patrick).get("/referrals/").content.decode()
    assert "Akol" not in national
    assert _person_cells(national) == ['<span class="muted">Not shared with your role</span>']
