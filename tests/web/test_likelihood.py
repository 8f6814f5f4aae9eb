import pytest

from hbm.web.templatetags.likelihood import likelihood


@pytest.mark.parametrize(
    ("probability", "shown"),
    [
        (0.0, "0%"),
        (0.0004, "< 1%"),
        (0.004, "< 1%"),
        (0.42, "42%"),
        (0.996, "> 99%"),
        (1.0, "100%"),
    ],
)
def test_a_probability_is_shown_as_a_person_reads_it(probability: float, shown: str) -> None:
    assert likelihood(probability) == shown
