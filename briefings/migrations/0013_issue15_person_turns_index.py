"""A person's turns read from one index (issue 15: the person page at 10x the archive).

`turn_person_briefings` holds everything a person's page asks of their turns, so the
database reads them from the index and not from the rows with their text. The person
column's own index is dropped: it is the new index's first column, and while it exists
SQLite picks it and reads every row of the person (269,340 for the most active official
at 10x) to find the few of one page. Dropped with DROP INDEX, since on SQLite Django's
AlterField would copy the whole turn table to change db_index.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def _person_index_names(schema_editor: BaseDatabaseSchemaEditor, table: str) -> list[str]:
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, details in constraints.items()
        if details["index"]
        and not details["unique"]
        and not details["primary_key"]
        and details["columns"] == ["person_id"]
    ]


def drop_person_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    table = apps.get_model("briefings", "Turn")._meta.db_table
    for name in _person_index_names(schema_editor, table):
        schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def restore_person_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Turn = apps.get_model("briefings", "Turn")
    if not _person_index_names(schema_editor, Turn._meta.db_table):
        schema_editor.execute(
            schema_editor._create_index_sql(Turn, fields=[Turn._meta.get_field("person")])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0012_issue15_link_schemes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="turn",
            index=models.Index(
                fields=["person", "role", "exchange", "outlet", "speaker_title"],
                name="turn_person_briefings",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="turn",
                    name="person",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="turns",
                        to="briefings.person",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_person_index, restore_person_index),
            ],
        ),
    ]
