"""``hbm check --deploy``: field keys kept in var/ beside the database they protect."""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

KEYS_BESIDE_DATA = Warning(
    "The field keys are read from a file under var/, beside the database they protect.",
    hint=(
        "Set HBM_FIELD_KEYS (or HBM_FIELD_KEYS_FILE) from your secrets store; "
        "see docs/operations/field-keys.md."
    ),
    id="hbm.keys.W001",
)


@register(Tags.security, deploy=True)
def keys_from_environment(app_configs: Any, **kwargs: Any) -> list[Warning]:
    return [] if settings.FIELD_KEYS_SOURCE == "HBM_FIELD_KEYS" else [KEYS_BESIDE_DATA]
