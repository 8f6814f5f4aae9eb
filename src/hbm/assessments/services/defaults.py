"""The default HBM template, shipped as data in ``data/hbm-default-template-v1.json`` and
loaded (published) by a data migration. Each indicator carries its source; those whose
source was not confirmed are marked ``verified: false``."""

import json
from pathlib import Path
from typing import Any

from django.utils import timezone

DEFAULT_TEMPLATE_FILE = (
    Path(__file__).resolve().parent.parent / "data" / "hbm-default-template-v1.json"
)
DEFAULT_TEMPLATE_CODE = "hbm-default"


def default_template_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEFAULT_TEMPLATE_FILE.read_text(encoding="utf-8"))
    return data


def load_default_template(apps: Any, schema_editor: Any = None) -> None:
    """Create the published default template unless it is there. Works with the migration's
    historical models (``apps``) and with the real ones (``django.apps.apps``)."""
    template_model = apps.get_model("assessments", "Template")
    dimension_model = apps.get_model("assessments", "Dimension")
    indicator_model = apps.get_model("assessments", "Indicator")
    data = default_template_data()
    template, created = template_model.objects.get_or_create(
        code=data["code"],
        version=data["version"],
        defaults={
            "name": data["name"],
            "description": data["description"],
            "status": "published",
            "published_at": timezone.now(),
        },
    )
    if not created:
        return
    for dim in data["dimensions"]:
        dimension = dimension_model.objects.create(
            template=template,
            order=dim["order"],
            code=dim["code"],
            title=dim["title"],
            description=dim["description"],
        )
        indicator_model.objects.bulk_create(
            [
                indicator_model(
                    dimension=dimension,
                    order=ind["order"],
                    code=ind["code"],
                    question=ind["question"],
                    guidance=ind["guidance"],
                    evidence_expected=ind["evidence_expected"],
                    source_ref=ind["source_ref"],
                    verified=ind["verified"],
                    weight=ind["weight"],
                    **{f"level_{n}": text for n, text in enumerate(ind["levels"])},
                )
                for ind in dim["indicators"]
            ]
        )


def load_default_translations(apps: Any, schema_editor: Any = None) -> None:
    """Add the default template's texts in other languages (the file's ``translations``:
    ``{language: {name, description, levels, dimensions: {code: {...}}, indicators: {code:
    {question, guidance, evidence_expected}}}}``; a language's ``levels`` serve every indicator
    that gives none of its own). A translation already there is never overwritten."""
    template_model = apps.get_model("assessments", "Template")
    data = default_template_data()
    template = template_model.objects.filter(code=data["code"], version=data["version"]).first()
    if template is None:
        return
    for language, texts in data.get("translations", {}).items():
        _add_translations(apps, template, language, texts)


def _add_translations(apps: Any, template: Any, language: str, texts: dict[str, Any]) -> None:
    template_texts = apps.get_model("assessments", "TemplateTranslation")
    dimension_texts = apps.get_model("assessments", "DimensionTranslation")
    indicator_texts = apps.get_model("assessments", "IndicatorTranslation")
    template_texts.objects.get_or_create(
        template=template,
        language=language,
        defaults={"name": texts.get("name", ""), "description": texts.get("description", "")},
    )
    dimensions = {d.code: d for d in template.dimensions.all()}
    for code, dim in texts.get("dimensions", {}).items():
        dimension_texts.objects.get_or_create(
            dimension=dimensions[code], language=language, defaults=dim
        )
    shared_levels = texts.get("levels", [])
    indicators = apps.get_model("assessments", "Indicator").objects.filter(
        dimension__template=template
    )
    by_code = {i.code: i for i in indicators}
    for code, ind in texts.get("indicators", {}).items():
        levels = ind.get("levels", shared_levels)
        indicator_texts.objects.get_or_create(
            indicator=by_code[code],
            language=language,
            defaults={
                **{k: v for k, v in ind.items() if k != "levels"},
                **{f"level_{n}": text for n, text in enumerate(levels)},
            },
        )
