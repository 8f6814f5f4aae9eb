"""The PDF report says what the database holds: each dimension's percentage in the PDF's
text (extracted with pypdf) equals the one computed from the stored scores."""

import io
import re
from decimal import Decimal

from pypdf import PdfReader

from hbm.assessments import selectors
from hbm.assessments.models import Score
from tests.assessments.conftest import approved


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_shows_the_stored_percentages(
    client_for, assessor_claire, coordinator_patrick, assessment
):
    approved(
        assessor_claire,
        coordinator_patrick,
        assessment,
        level=2,
        CTX_1=4,
        CTX_2=1,
        PREP_1=3,
        PREP_2=0,
        PREP_3="na",
        HLT_1=4,
        HLT_13=0,
        INF_1=1,
    )
    response = client_for(coordinator_patrick).get(
        f"/api/v1/assessments/{assessment.public_id}/report.pdf"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "HBM CAPACITY ASSESSMENT REPORT" in text and "Point A" in text

    # recompute from the stored rows, independently of the scoring module
    expected = {}
    for dimension in selectors.template_dimensions(assessment.template):
        points = top = Decimal(0)
        for indicator in dimension.indicators.all():
            score = Score.objects.get(assessment=assessment, indicator=indicator)
            if not score.not_applicable:
                points += indicator.weight * score.level
                top += indicator.weight * 4
        expected[dimension.code] = (100 * points / top).quantize(Decimal("0.1"))
    assert expected["CTX"] == Decimal("62.5") and expected["PREP"] == Decimal("37.5")

    found = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Z]+) .*?(\d+\.\d)%\s*\d+\s+\d+\s*$", line.strip())
        if match and match.group(1) in expected:
            found.setdefault(match.group(1), Decimal(match.group(2)))
    assert found == expected
    overall = selectors.assessment_results(assessment).overall
    assert f"{overall}%" in text


def test_the_web_pdf_is_audited_as_an_export(client_for, coordinator_patrick, assessment):
    from hbm.audit.models import AuditEvent

    response = client_for(coordinator_patrick).get(
        f"/assessments/{assessment.public_id}/report.pdf"
    )
    assert response.status_code == 200 and pdf_text(response.content)
    assert AuditEvent.objects.filter(action="export", detail="pdf export").count() == 1
