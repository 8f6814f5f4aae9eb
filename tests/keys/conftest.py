import pytest

from hbm.screening import services as screening_services
from tests.keys.helpers import ANSWERS, NOTES, OLD_KEY, decided_hit, registered_person


@pytest.fixture
def old_key(settings):
    settings.FIELD_KEYS = [OLD_KEY]
    return OLD_KEY


@pytest.fixture
def person(officer_amina):
    return registered_person(officer_amina)


@pytest.fixture
def hit(old_key, person, security_joseph):
    return decided_hit(person, security_joseph)


@pytest.fixture
def screening(old_key, person, protection_bruno):
    return screening_services.screening_record(
        actor=protection_bruno, person=person, answers=ANSWERS, notes=NOTES
    )
