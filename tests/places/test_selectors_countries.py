import pytest

from hbm.places.selectors import known_country_codes

pytestmark = pytest.mark.django_db


def test_known_country_codes_keeps_the_countries_only():
    assert known_country_codes({"UGA", "SSD", "XXX"}) == {"UGA", "SSD"}
    assert known_country_codes({"ZZZ"}) == set()
    assert known_country_codes(set()) == set()
