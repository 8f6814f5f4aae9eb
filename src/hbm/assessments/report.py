"""The assessment report: one context for the printable HTML page and the PDF (WeasyPrint,
see docs/decisions/0020-pdf-reports.md). ``charts`` lays the charts out; the templates in
``assessments/charts/`` draw them as inline SVG."""

from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from hbm.accounts.models import User

from . import charts, scoring, selectors
from .models import Assessment


def chart_pair(
    results: scoring.Results, previous: scoring.Results | None = None, *, label: str, old: str = ""
) -> dict[str, Any]:
    codes = [d.code for d in results.dimensions]
    series = [charts.Series(label, [d.percentage for d in results.dimensions])]
    if previous is not None:
        before = previous.by_code()
        series.append(
            charts.Series(old, [before[c].percentage if c in before else None for c in codes])
        )
    return {
        "radar": charts.radar(codes, series, title=_("Score per dimension (radar)")),
        "bars": charts.bars(codes, series, title=_("Score per dimension (bars)")),
    }


def report_context(*, user: User, assessment: Assessment) -> dict[str, Any]:
    results = selectors.assessment_results(assessment)
    previous = selectors.assessment_previous(user=user, assessment=assessment)
    previous_results = selectors.assessment_results(previous) if previous else None
    return {
        "assessment": assessment,
        "sheet": selectors.assessment_sheet(assessment),
        "results": results,
        "gaps": results.gaps,
        "recommendations": selectors.recommendation_list(user=user, assessment=assessment),
        "previous": previous,
        "deltas": scoring.deltas(previous_results, results) if previous_results else [],
        "charts": chart_pair(
            results,
            previous_results,
            label=str(assessment.assessed_on),
            old=str(previous.assessed_on) if previous else "",
        ),
        "team": list(assessment.team.all()),
    }


def report_pdf(*, context: dict[str, Any], request: Any = None) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, slow to start

    html = render_to_string("assessments/report_pdf.html", context, request=request)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
