"""Model choices as API field types that keep their own values in the OpenAPI document."""

from django.db import models
from pydantic import WithJsonSchema


def own_schema(choices: type[models.TextChoices]) -> WithJsonSchema:
    """The schema of ``choices``, written where the field is used:
    ``Status = Annotated[Model.Status, own_schema(Model.Status)]``. Several models name their
    choices ``Status``; under one shared name in the document's components, one would describe
    them all (see hbm.api.UniqueNamesSchema). Spelled out as ``Annotated`` so that the type
    checker sees the choices' own type."""
    return WithJsonSchema({"type": "string", "enum": list(choices.values)})
