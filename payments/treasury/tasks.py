"""The treasury's Celery tasks (registered through ``payments.tasks``). Each is idempotent."""
