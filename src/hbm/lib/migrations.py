"""Migration helpers shared by the apps."""

from typing import Any

from django.db import migrations


def drop_field_indexes(app_label: str, fields: list[tuple[str, str]]) -> migrations.RunPython:
    """Drop the index Django made on each (model, field) column alone (on PostgreSQL, with
    its LIKE twin), leaving the table as it is: altering the field instead would make SQLite
    copy the whole table, minutes at a million rows. The reverse creates the index again.
    Pair it with state operations that set ``db_index=False``."""

    def drop(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        for model_name, field_name in fields:
            model = apps.get_model(app_label, model_name)
            table = model._meta.db_table
            column = model._meta.get_field(field_name).column
            named = {index.name for index in model._meta.indexes}
            with connection.cursor() as cursor:
                constraints = connection.introspection.get_constraints(cursor, table)
            for name, info in constraints.items():
                alone = info["index"] and info["columns"] == [column]
                if alone and not info["unique"] and not info["primary_key"] and name not in named:
                    schema_editor.execute(
                        schema_editor.sql_delete_index
                        % {
                            "table": schema_editor.quote_name(table),
                            "name": schema_editor.quote_name(name),
                        }
                    )

    def restore(apps: Any, schema_editor: Any) -> None:
        for model_name, field_name in fields:
            model = apps.get_model(app_label, model_name)
            field = model._meta.get_field(field_name)
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))

    return migrations.RunPython(drop, restore)
