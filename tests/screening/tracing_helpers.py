"""A separated family for the tracing tests: Ahmad, 11, registered alone at point A, looks for
his father Hassan Karimi, registered at point B; a namesake of no relation at point B."""

from hbm.places.models import BorderCrossingPoint
from hbm.screening.services import tracing_requests as tracing
from tests.registry.helpers import register

FATHER = {
    "given_name": "Hassan",
    "family_name": "Karimi",
    "father_name": "Ali",
    "sex": "M",
    "date_of_birth": "1975",
    "place_of_origin": "Yei",
}
CHILD = {
    "given_name": "Ahmad",
    "family_name": "Karimi",
    "father_name": "Hassan",
    "sex": "M",
    "age_estimate": 11,
    "place_of_origin": "Yei",
}
STRANGER = {
    "given_name": "Grace",
    "family_name": "Achieng",
    "sex": "F",
    "date_of_birth": "1990",
}


def family(point_a_officer, point_b_officer):
    """The father (point B), the child (point A) and a stranger (point B)."""
    (father,) = register(point_b_officer, dict(FATHER), point="point-b")
    (stranger,) = register(point_b_officer, dict(STRANGER), point="point-b")
    (child,) = register(point_a_officer, dict(CHILD), kind="individual")
    return father, child, stranger


def open_request(actor, child, point="point-a", **sought):
    """The child's request for his father, described as the child would."""
    described = {"given_name": "Hassan", "family_name": "Karimi", "sex": "M", **sought}
    return tracing.tracing_request_open(
        actor=actor,
        crossing_point=BorderCrossingPoint.objects.get(code=point),
        enquirer=child,
        relationship="parent",
        sought=tracing.Sought(**described),
    )
