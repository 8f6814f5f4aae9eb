from django.contrib.auth.models import AnonymousUser

from hbm.places.selectors import crossing_point_list, crossing_point_with_scope


def test_the_scope_of_a_point_follows_the_crossing_point_list_rule(
    officer_amina, officer_bintu, coordinator_patrick, outsider_chen
):
    for user in (officer_amina, officer_bintu, coordinator_patrick, outsider_chen):
        listed = set(crossing_point_list(user=user).values_list("code", flat=True))
        for code in ("point-a", "point-b"):
            point, in_scope = crossing_point_with_scope(user=user, code=code)
            assert point is not None and point.code == code
            assert in_scope == (code in listed), (user.username, code)
    assert crossing_point_with_scope(user=officer_amina, code="point-a")[1]
    assert not crossing_point_with_scope(user=officer_amina, code="point-b")[1]
    assert crossing_point_with_scope(user=coordinator_patrick, code="point-b")[1]


def test_an_unknown_code_has_no_point_and_anonymous_users_no_scope(officer_amina):
    assert crossing_point_with_scope(user=officer_amina, code="nowhere") == (None, False)
    point, in_scope = crossing_point_with_scope(user=AnonymousUser(), code="point-a")
    assert point is not None and not in_scope
