"""Walking the encrypted columns of a table in batches, around the ORM: the migration that
encrypts the values written before encryption, its reverse, and ``hbm field_keys rotate``.

Each batch is read by primary key and written in its own transaction; a value is replaced
only if it is still the one read (a compare-and-set), so the walk can run beside the server
and be run again: values already as wanted are counted and left.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as global_apps
from django.db import DatabaseError, connections, migrations, transaction
from django.db.models import Model

from hbm.lib.encrypted_fields import EncryptedTextField
from hbm.lib.fieldcrypt import PREFIX, UnreadableValue, decrypt, reencrypted
from hbm.lib.inserts import column_of

BATCH_SIZE = 500

#: What a walk does to one stored value: the value to write instead, or None to leave it.
Change = Callable[[str, str], str | None]


@dataclass
class Tally:
    """What a walk did to one column."""

    column: str
    changed: int = 0
    unchanged: int = 0
    empty: int = 0
    problems: list[str] = field(default_factory=list)


def encrypted_columns(model: type[Model]) -> list[str]:
    return [column_of(f) for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def encrypted_models(apps: Any = global_apps) -> list[type[Model]]:
    """Every model with an encrypted field, in a stable order."""
    found = [m for m in apps.get_models() if encrypted_columns(m)]
    return sorted(found, key=lambda m: m._meta.db_table)


def to_current_key(stored: str, where: str) -> str | None:
    """Rotation: plain values encrypted, values of an older key re-encrypted."""
    return reencrypted(stored, where=where)


def to_plain(stored: str, where: str) -> str | None:
    """The migration's reverse: every value decrypted."""
    plain = decrypt(stored, where=where)
    return None if plain == stored else plain


def walk(
    model: type[Model],
    change: Change,
    *,
    columns: Iterable[str] | None = None,
    using: str = "default",
    batch_size: int = BATCH_SIZE,
) -> list[Tally]:
    """Apply ``change`` to every non-empty value of the model's encrypted columns."""
    names = list(columns) if columns is not None else encrypted_columns(model)
    tallies = [Tally(column=f"{model._meta.db_table}.{name}") for name in names]
    last: Any = None
    while True:
        with transaction.atomic(using=using):
            rows = _batch(model, names, using, last, batch_size)
            if not rows:
                return tallies
            for index, name in enumerate(names):
                updates = _changes(rows, index, change, tallies[index])
                _write(model, name, using, updates)
        last = rows[-1][0]


def _batch(
    model: type[Model], names: list[str], using: str, last: Any, size: int
) -> list[tuple[Any, ...]]:
    quote = connections[using].ops.quote_name
    pk = quote(column_of(model._meta.pk))
    columns = ", ".join(quote(name) for name in names)
    after = "" if last is None else f" WHERE {pk} > %s"
    sql = f"SELECT {pk}, {columns} FROM {quote(model._meta.db_table)}{after} ORDER BY {pk} LIMIT %s"
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [size] if last is None else [last, size])
        return list(cursor.fetchall())


def _changes(
    rows: list[tuple[Any, ...]], index: int, change: Change, tally: Tally
) -> list[tuple[str, Any, str]]:
    updates = []
    for row in rows:
        pk, stored = row[0], row[1 + index]
        if not stored:
            tally.empty += 1
            continue
        try:
            new = change(stored, f"{tally.column} id {pk}")
        except UnreadableValue as unreadable:
            tally.problems.append(str(unreadable))
            continue
        if new is None:
            tally.unchanged += 1
        else:
            updates.append((new, pk, stored))
            tally.changed += 1
    return updates


def _write(model: type[Model], name: str, using: str, updates: list[tuple[str, Any, str]]) -> None:
    if not updates:
        return
    quote = connections[using].ops.quote_name
    pk = quote(column_of(model._meta.pk))
    column = quote(name)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {column} = %s WHERE {pk} = %s AND {column} = %s"
    )
    with connections[using].cursor() as cursor:
        cursor.executemany(sql, updates)


def encrypt_existing(app_label: str, model_names: list[str]) -> migrations.RunPython:
    """A migration operation that encrypts the values the models' encrypted fields held
    before they were (run it after the fields are altered); its reverse decrypts them all."""

    def run(change: Change) -> Callable[[Any, Any], None]:
        def apply(apps: Any, schema_editor: Any) -> None:
            for name in model_names:
                model = apps.get_model(app_label, name)
                tallies = walk(model, change, using=schema_editor.connection.alias)
                problems = [p for t in tallies for p in t.problems]
                if problems:
                    raise UnreadableValue("\n".join(problems))

        return apply

    return migrations.RunPython(run(to_current_key), run(to_plain))


def unopened_columns(using: str = "default") -> list[str]:
    """The encrypted columns whose newest encrypted value the configured keys do not open: a
    quick check after a restore, not a proof (``hbm field_keys rotate`` reads every value).
    A column of a database from before encryption (``jsonb`` on PostgreSQL, before ``hbm
    migrate``) fails its query and is passed over."""
    connection = connections[using]
    quote = connection.ops.quote_name
    found = []
    for model in encrypted_models():
        pk = quote(column_of(model._meta.pk))
        for name in encrypted_columns(model):
            sql = (
                f"SELECT {quote(name)} FROM {quote(model._meta.db_table)}"
                f" WHERE {quote(name)} LIKE %s ORDER BY {pk} DESC LIMIT 1"
            )
            try:
                with transaction.atomic(using=using), connection.cursor() as cursor:
                    cursor.execute(sql, [PREFIX + "%"])
                    row = cursor.fetchone()
            except DatabaseError:
                continue  # a database from before encryption (hbm migrate is to come)
            where = f"{model._meta.db_table}.{name}"
            try:
                if row:
                    decrypt(row[0], where=where)
            except UnreadableValue:
                found.append(where)
    return found
