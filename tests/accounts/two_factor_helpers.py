"""Codes as an authenticator app would show them, for the users of a test."""

import pyotp
from django.utils import timezone

from hbm.accounts.models import TotpDevice
from hbm.accounts.services import two_factor


def code_for(user, *, steps_ahead: int = 0) -> str:
    """The code of the current 30-second step (or one a step or two later: a real app shows
    it a little later; the server accepts one step of drift)."""
    totp = pyotp.TOTP(TotpDevice.objects.get(user=user).secret)
    return totp.generate_otp(totp.timecode(timezone.now()) + steps_ahead)


def enrol(user) -> list[str]:
    """Set up an authenticator for the user the way the page does; the recovery codes."""
    two_factor.two_factor_enrol_start(actor=user)
    return two_factor.two_factor_enrol_confirm(actor=user, code=code_for(user))


def last_code_used(user) -> str:
    """The code the server accepted last (a replay of it must fail, whenever it is tried)."""
    device = TotpDevice.objects.get(user=user)
    return pyotp.TOTP(device.secret).generate_otp(device.last_used_step)


def wrong_code(user) -> str:
    """Six digits that no step near now has as its code."""
    near = {code_for(user, steps_ahead=ahead) for ahead in (-2, -1, 0, 1, 2)}
    return next(code for code in ("000000", "111111", "222222") if code not in near)
