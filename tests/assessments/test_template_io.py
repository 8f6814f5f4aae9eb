import base64
import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from hbm.assessments import selectors, template_io
from hbm.assessments.models import Template
from hbm.lib.rejected import Rejected
from tests.assessments.conftest import indicators

HEADER = template_io.COLUMNS


def workbook(rows, about=None):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    if about:
        extra = book.create_sheet("about")
        for key, value in about.items():
            extra.append([key, value])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(dim, code, question="Q?", title="", weight="1", levels=("a", "b", "c", "d", "e")):
    return [dim, title, "", code, question, "", "", "src", "yes", weight, *levels]


def run(actor, content, filename="template.xlsx", dry_run=False):
    return template_io.template_import(
        actor=actor, content=content, filename=filename, dry_run=dry_run
    )


def snapshot(template):
    return [
        (
            d.code,
            d.title,
            d.description,
            [
                (
                    i.code,
                    i.question,
                    i.guidance,
                    i.evidence_expected,
                    i.source_ref,
                    i.verified,
                    i.weight,
                    i.anchors,
                )
                for i in d.indicators.all()
            ],
        )
        for d in selectors.template_dimensions(template)
    ]


def test_export_then_import_round_trips_into_a_new_draft_version(admin_samuel, default_template):
    content = template_io.template_export(default_template)
    about = {r[0].value: r[1].value for r in load_workbook(io.BytesIO(content))["about"].rows}
    assert about["code"] == "hbm-default" and about["version"] == 1
    preview = run(admin_samuel, content, filename="hbm-default-v1.xlsx", dry_run=True)
    assert preview.indicator_count == 32 and not Template.objects.filter(version=2).exists()
    preview = run(admin_samuel, content, filename="hbm-default-v1.xlsx")
    imported = preview.template
    assert (imported.code, imported.version, imported.status, imported.name) == (
        "hbm-default",
        2,
        "draft",
        default_template.name,
    )
    assert snapshot(imported) == snapshot(default_template)


def test_a_dimension_without_indicators_is_an_error_with_its_line(admin_samuel):
    content = workbook(
        [
            row("A", "A-1", title="Alpha"),
            row("B", "", question="", title="Empty one"),
            row("C", "C-1", title="Gamma"),
        ],
        about={"code": "pilot", "name": "Pilot"},
    )
    with pytest.raises(Rejected) as exc:
        run(admin_samuel, content)
    assert exc.value.problems == ["line 3: dimension: dimension 'B' has no indicator"]
    assert not Template.objects.filter(code="pilot").exists()


def test_every_problem_is_listed_with_its_line_and_nothing_is_written(admin_samuel):
    content = workbook(
        [
            row("A", "A-1", title="Alpha"),
            row("A", "A-1", weight="0"),
            row("B", "B-1", levels=("a", "", "c", "d", "e")),
            ["", "", "", "X-1", "Q", "", "", "", "maybe", "1", "a", "b", "c", "d", "e"],
        ]
    )
    with pytest.raises(Rejected) as exc:
        run(admin_samuel, content, filename="pilot.xlsx")
    assert exc.value.problems == [
        "line 3: code: code 'A-1' already appears on line 2",
        "line 3: weight: '0' is not a weight above 0 and at most 10",
        "line 4: dimension_title: dimension 'B' needs a dimension_title on its first line",
        "line 4: level_1: is required",
        "line 5: dimension: is required",
    ]
    assert Template.objects.count() == 1


def test_csv_works_too_and_names_come_from_the_file(admin_samuel):
    lines = [",".join(HEADER), ",".join(row("A", "A-1", title="Alpha", weight="2.5"))]
    preview = run(admin_samuel, "\n".join(lines).encode(), filename="Border pilot.csv")
    template = preview.template
    assert (template.code, template.name, template.version) == ("border-pilot", "Border pilot", 1)
    assert str(indicators(template)[0].weight) == "2.50"


def test_an_unreadable_file_is_rejected(admin_samuel):
    with pytest.raises(Rejected) as exc:
        run(admin_samuel, b"not a zip", filename="t.xlsx")
    assert "not a readable XLSX workbook" in exc.value.problems[0]


def test_only_administrators_import(coordinator_patrick, default_template):
    with pytest.raises(PermissionDenied):
        run(coordinator_patrick, template_io.template_export(default_template))


def test_the_import_page_checks_then_imports(client_for, admin_samuel, default_template):
    client = client_for(admin_samuel)
    bad = workbook([row("A", "A-1", title="Alpha"), row("B", "", question="", title="Empty")])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/assessments/templates/import/", {"file": SimpleUploadedFile("t.xlsx", bad)}
    )
    assert response.status_code == 422
    assert (
        "line 3: dimension: dimension &#x27;B&#x27; has no indicator" in response.content.decode()
    )
    good = template_io.template_export(default_template)
    response = client.post(
        "/assessments/templates/import/", {"file": SimpleUploadedFile("t.xlsx", good)}
    )
    assert response.status_code == 200 and "32 indicators" in response.content.decode()
    response = client.post(
        "/assessments/templates/import/",
        {"confirm": "1", "filename": "t.xlsx", "content": base64.b64encode(good).decode()},
    )
    assert response.status_code == 302
    assert Template.objects.filter(code="hbm-default", version=2, status="draft").exists()
