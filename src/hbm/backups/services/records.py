"""A backup and a restore each put themselves on the audit record: a backup is an export of
every person, a restore brings back persons as they were."""

from pathlib import Path

from django.db import transaction

from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.backups.manifest import Manifest


@transaction.atomic
def backup_on_record(*, actor: str, action: str, archive: Path, manifest: Manifest) -> None:
    persons = manifest.row_counts.get("registry_person", 0)
    media = sum(1 for name in manifest.members if name.startswith("media/"))
    audit_record(
        actor=actor,
        action=action,
        object_type="backup",
        object_id=archive.name[:64],
        detail=(
            f"backup of {manifest.created_at}: {persons:,} persons, {media:,} media files, "
            f"keys {'included' if manifest.includes_keys else 'left out'}"
        ),
    )


EXPORTED, RESTORED = AuditEvent.Action.EXPORT, AuditEvent.Action.IMPORT
