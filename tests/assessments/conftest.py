"""Assessment personas: an assessor (national scope) besides the suite's coordinator,
administrator, officers and outsider; the default template shipped by the data migration."""

import datetime

import pytest

from hbm.assessments import selectors, services
from hbm.assessments.models import Indicator
from tests.factories import AgencyFactory, UserFactory

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def assessor_claire(db):
    agency = AgencyFactory(code="iom", name="IOM", kind="un_io")
    return UserFactory(username="claire", first_name="Claire", agency=agency, roles=["assessor"])


@pytest.fixture
def default_template(db):
    template = selectors.default_template()
    assert template is not None, "the data migration ships the default template"
    return template


@pytest.fixture
def assessment(assessor_claire, default_template, point_a):
    return services.assessment_create(
        actor=assessor_claire,
        crossing_point=point_a,
        template=default_template,
        assessed_on=TODAY,
    )


def indicators(template):
    return list(
        Indicator.objects.filter(dimension__template=template).order_by("dimension__order", "order")
    )


def score_all(actor, assessment, level=2, **overrides):
    """Score every indicator at ``level``; ``overrides`` maps a code to a level or "na"."""
    for indicator in indicators(assessment.template):
        value = overrides.get(indicator.code.replace("-", "_"), level)
        if value == "na":
            services.score_set(
                actor=actor,
                assessment=assessment,
                indicator=indicator,
                not_applicable=True,
                na_reason="Does not apply here.",
            )
        else:
            services.score_set(actor=actor, assessment=assessment, indicator=indicator, level=value)


def approved(actor, approver, assessment, level=2, **overrides):
    score_all(actor, assessment, level, **overrides)
    services.assessment_submit(actor=actor, assessment=assessment)
    return services.assessment_approve(actor=approver, assessment=assessment)
