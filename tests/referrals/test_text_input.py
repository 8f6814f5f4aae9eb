"""Referral notes, reasons and outcomes refuse control and bidi-override characters."""

import pytest
from django.core.exceptions import ValidationError

from hbm.lib import text
from hbm.referrals import services
from hbm.referrals.models import Referral
from tests.referrals.test_referrals import child, child_protection, provider, provider_ruth, send

__all__ = ["child", "child_protection", "provider", "provider_ruth"]  # fixtures used here

RLO = text.BIDI_CONTROL.format("U+202E RIGHT-TO-LEFT OVERRIDE")


def test_notes_with_an_override_are_refused_and_nothing_is_sent(
    protection_bruno, child, provider, point_a
):
    with pytest.raises(ValidationError) as caught:
        send(protection_bruno, child, provider, point_a, notes="call\u202e aunt")
    assert caught.value.message_dict == {"notes": [RLO]}
    assert not Referral.objects.exists()


def test_a_rejection_reason_with_a_nul_is_refused(
    protection_bruno, provider_ruth, child, provider, point_a
):
    referral = send(protection_bruno, child, provider, point_a)
    with pytest.raises(ValidationError) as caught:
        services.referral_transition(
            actor=provider_ruth, referral=referral, to_status="rejected", reason="full\x00"
        )
    assert caught.value.message_dict == {"reason": [text.CONTROL.format("U+0000")]}
    referral.refresh_from_db()
    assert referral.status == "pending"
