"""The equipment types HBM starts with (migration 0003 loads them; an administrator may add
more through the admin). The names are marked for translation so that the pages show the
shipped catalogue in the reader's language; a type added later is shown as named."""

from django.utils.translation import gettext, gettext_noop

CATALOGUE: list[tuple[str, str]] = [
    ("registration-kit", gettext_noop("Registration kit")),
    ("laptop", gettext_noop("Laptop")),
    ("tablet", gettext_noop("Tablet")),
    ("id-scanner", gettext_noop("Biometric / ID document scanner")),
    ("satellite-phone", gettext_noop("Satellite phone")),
    ("vhf-radio", gettext_noop("VHF radio")),
    ("generator", gettext_noop("Generator")),
    ("solar-charger", gettext_noop("Solar charger")),
    ("thermometer", gettext_noop("Thermometer")),
    ("first-aid-kit", gettext_noop("First-aid kit")),
    ("tent", gettext_noop("Tent")),
]
_SHIPPED = {name for _, name in CATALOGUE}


def display_name(name: str) -> str:
    """A type's name in the reader's language when it is one of the catalogue's own."""
    return gettext(name) if name in _SHIPPED else name
