"""Migration tests: move the test database to a point in the migration history, write rows as
they were then, move forward, and always come back to the latest schema."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to ``targets``; the historical apps of that point, to write rows with."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> None:
    """Back to every app's newest migration (call it in ``finally``)."""
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
