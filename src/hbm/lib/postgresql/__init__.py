"""Django's PostgreSQL backend, with small bulk inserts written as VALUES lists
(docs/decisions/0008-small-bulk-inserts-as-values.md)."""
