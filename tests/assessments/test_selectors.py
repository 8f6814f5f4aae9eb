"""Who reads what: national roles read every assessment; officers read the approved
assessments of their own crossing points; an outsider reads nothing."""

import pytest
from django.http import Http404

from hbm.assessments import selectors, services
from tests.assessments.conftest import TODAY, approved


@pytest.fixture
def two_assessments(assessor_claire, coordinator_patrick, default_template, point_a, point_b):
    at_a = services.assessment_create(
        actor=assessor_claire, crossing_point=point_a, template=default_template, assessed_on=TODAY
    )
    approved(assessor_claire, coordinator_patrick, at_a)
    draft_at_a = services.assessment_create(
        actor=assessor_claire, crossing_point=point_a, template=default_template, assessed_on=TODAY
    )
    at_b = services.assessment_create(
        actor=assessor_claire, crossing_point=point_b, template=default_template, assessed_on=TODAY
    )
    approved(assessor_claire, coordinator_patrick, at_b)
    return at_a, draft_at_a, at_b


def test_national_roles_read_every_assessment(
    two_assessments, assessor_claire, coordinator_patrick, admin_samuel
):
    for user in (assessor_claire, coordinator_patrick, admin_samuel):
        assert selectors.assessment_list(user=user).count() == 3


def test_an_officer_reads_only_approved_assessments_of_their_points(two_assessments, officer_amina):
    at_a, draft_at_a, at_b = two_assessments
    assert list(selectors.assessment_list(user=officer_amina)) == [at_a]
    for hidden in (draft_at_a, at_b):
        with pytest.raises(Http404):
            selectors.assessment_get_for_user(user=officer_amina, public_id=hidden.public_id)


def test_an_outsider_reads_nothing(two_assessments, outsider_chen, default_template):
    assert not selectors.assessment_list(user=outsider_chen).exists()
    assert not selectors.template_list(user=outsider_chen).exists()
    assert selectors.comparison(user=outsider_chen) == ([], [])
    with pytest.raises(Http404):
        selectors.assessment_get_for_user(
            user=outsider_chen, public_id=two_assessments[0].public_id
        )


def test_draft_templates_are_for_administrators(
    admin_samuel, coordinator_patrick, default_template
):
    copy = services.template_copy(actor=admin_samuel, template=default_template)
    assert copy in selectors.template_list(user=admin_samuel)
    assert list(selectors.template_list(user=coordinator_patrick)) == [default_template]
    with pytest.raises(Http404):
        selectors.template_get_for_user(user=coordinator_patrick, template_id=copy.pk)


def test_comparison_takes_the_latest_approved_assessment_per_point(
    two_assessments, coordinator_patrick, officer_amina
):
    columns, rows = selectors.comparison(user=coordinator_patrick)
    assert [code for code, _ in columns][:3] == ["CTX", "LEG", "PREP"]
    assert sorted(r.assessment.crossing_point.code for r in rows) == ["point-a", "point-b"]
    _, rows = selectors.comparison(user=officer_amina)
    assert [r.assessment.crossing_point.code for r in rows] == ["point-a"]
