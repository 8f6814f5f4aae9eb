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
