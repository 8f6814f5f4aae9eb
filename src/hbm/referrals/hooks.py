"""What other capabilities add to referrals without referrals knowing them: a field
station's change log follows each referral sent and each transition (ADR 0137)."""

from collections.abc import Callable
from typing import Any

ReferralChanged = Callable[[Any], None]

_referrals_sent: list[ReferralChanged] = []
_referrals_moved: list[ReferralChanged] = []


def on_referral_sent(callback: ReferralChanged) -> None:
    """Called with a new Referral (its first event written), inside its transaction."""
    if callback not in _referrals_sent:
        _referrals_sent.append(callback)


def on_referral_moved(callback: ReferralChanged) -> None:
    """Called with a new ReferralEvent of a transition, inside its transaction."""
    if callback not in _referrals_moved:
        _referrals_moved.append(callback)


def referral_sent(referral: Any) -> None:
    for callback in _referrals_sent:
        callback(referral)


def referral_moved(event: Any) -> None:
    for callback in _referrals_moved:
        callback(event)
