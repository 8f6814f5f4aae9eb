"""Backups that restore: ``hbm backup`` writes one tar.gz archive (a consistent snapshot of the
database, media, the matching index snapshot, and the keys only when asked) with a manifest of
checksums and row counts; ``hbm restore`` checks it in full before it touches anything.
See docs/operations/backup.md and docs/decisions/0120."""
