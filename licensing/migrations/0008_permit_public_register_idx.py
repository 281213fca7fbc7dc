"""The public register's search by the start of a business's legal name (``evaluation.public``):
``UPPER(legal_name) LIKE 'PREFIX%'`` — what ``legal_name__istartswith`` asks on PostgreSQL —
answered by an index instead of a scan of every business.

A pattern-ops expression index is PostgreSQL's; SQLite (the embedded default) scans, which is
fine at its size. The permit number's prefix search needs nothing new: PostgreSQL's ``_like``
index Django made for the unique ``number`` answers ``number LIKE 'PREFIX%'``."""

from django.db import migrations

INDEX = "licensing_business_legal_name_upper_like"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON licensing_business "
        "(UPPER(legal_name::text) text_pattern_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("licensing", "0007_business_from_oss"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
