"""The one role check: superusers pass, anonymous visitors fail, others by their roles."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from hbm.lib.permissions import NOT_ALLOWED, has_any_role, require_role
from hbm.registry.selectors import NOT_A_READER, visible_persons
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_with_one_of_the_roles_passes():
    officer = UserFactory(roles=["protection_officer"])
    assert has_any_role(officer, "health_officer", "protection_officer")
    require_role(officer, "protection_officer")


def test_a_user_without_the_roles_fails():
    officer = UserFactory(roles=["registration_officer"])
    assert not has_any_role(officer, "security_officer")
    with pytest.raises(PermissionDenied, match=NOT_ALLOWED):
        require_role(officer, "security_officer")


def test_a_superuser_passes_without_the_role():
    root = UserFactory(roles=[], is_superuser=True)
    assert has_any_role(root, "security_officer")


def test_an_anonymous_visitor_fails_even_with_no_role_asked():
    assert not has_any_role(AnonymousUser(), "security_officer")
    assert not has_any_role(AnonymousUser())


def test_the_refusal_names_the_callers_message():
    outsider = UserFactory(roles=[])
    with pytest.raises(PermissionDenied, match=NOT_A_READER):
        visible_persons(user=outsider)
