"""Every write of backups: ``creation`` (``hbm backup``) and ``restoration`` (``hbm restore``).
The names of ``creation`` are re-exported here."""

from hbm.backups.services.creation import BackupWritten, backup_create

__all__ = ["BackupWritten", "backup_create"]
