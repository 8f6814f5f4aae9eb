from hbm.assessments import selectors
from hbm.assessments.demo import demo_load_assessments
from hbm.assessments.models import Assessment, Recommendation
from tests.factories import AgencyFactory, CrossingPointFactory, UserFactory


def test_demo_assessments_load_once_and_mahagi_improves(db, default_template):
    for code in ("mahagi-goli", "aba"):
        CrossingPointFactory(code=code)
    for code in ("dgm", "iom", "pnhf", "unhcr"):
        AgencyFactory(code=code, name=code.upper())
    UserFactory(username="assessor", roles=["assessor"])
    coordinator = UserFactory(username="coordinator", roles=["coordinator"])

    assert demo_load_assessments() == {"assessments": 3, "recommendations": 9}
    assert demo_load_assessments() == {"assessments": 0, "recommendations": 0}
    assert set(Assessment.objects.values_list("status", flat=True)) == {"approved"}
    assert Recommendation.objects.filter(status="done").count() == 2

    later, earlier = Assessment.objects.filter(crossing_point__code="mahagi-goli")
    assert (later.assessed_on - earlier.assessed_on).days > 360
    before = selectors.assessment_results(earlier).by_code()
    after = selectors.assessment_results(later).by_code()
    better = [code for code in after if after[code].percentage > before[code].percentage]
    assert {"PREP", "COORD", "OPS"} <= set(better)
    _, rows = selectors.comparison(user=coordinator)
    assert sorted(r.assessment.crossing_point.code for r in rows) == ["aba", "mahagi-goli"]


def test_without_the_demo_accounts_nothing_is_loaded(db, default_template):
    assert demo_load_assessments() == {"assessments": 0, "recommendations": 0}
