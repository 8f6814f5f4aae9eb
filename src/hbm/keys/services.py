"""Rotation of the field keys: every encrypted value re-encrypted with the first key."""

from dataclasses import dataclass

from django.apps import apps

from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.reencrypt import BATCH_SIZE, Tally, encrypted_models, to_current_key, walk

ACTOR = "hbm field_keys rotate"


@dataclass(frozen=True)
class Rotation:
    tallies: list[Tally]

    @property
    def changed(self) -> int:
        return sum(t.changed for t in self.tallies)

    @property
    def problems(self) -> list[str]:
        return [p for t in self.tallies for p in t.problems]


def field_keys_rotate(*, batch_size: int = BATCH_SIZE) -> Rotation:
    """Encrypt every value of every encrypted column with the first key: values of an older
    key are re-encrypted, plain ones encrypted, current ones left. Each batch commits on its
    own, so a run cut short is resumed by running it again. Values no key opens are left as
    they are and listed in ``problems``. The run is on the audit record."""
    tallies = [
        tally
        for model in encrypted_models(apps)
        for tally in walk(model, to_current_key, batch_size=batch_size)
    ]
    rotation = Rotation(tallies=tallies)
    audit_record(
        actor=ACTOR,
        action=AuditEvent.Action.UPDATE,
        object_type="encrypted fields",
        fields=[t.column for t in tallies],
        detail=(
            f"{rotation.changed} values encrypted with the first key, "
            f"{len(rotation.problems)} unreadable"
        ),
    )
    return rotation
