"""Model choices as API field types that keep their own values in the OpenAPI document."""

from typing import Annotated, Any

from django.db import models
from pydantic import WithJsonSchema


def choices_field(choices: type[models.TextChoices]) -> Any:
    """``choices`` as a field type whose schema is written where it is used. Several models
    name their choices ``Status``; under one shared name in the document's components, one
    would describe them all (see hbm.api.UniqueNamesSchema)."""
    return Annotated[choices, WithJsonSchema({"type": "string", "enum": list(choices.values)})]
