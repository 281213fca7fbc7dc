"""Review tasks are due at a time, the closing time of their last working day: the time is
filled in from the date here, in its own transaction (PostgreSQL will not alter a table with
updates pending in the same one); ``0003_deadlines`` then drops the date."""

from datetime import datetime, time

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def due_dates_to_times(apps, schema_editor):
    ReviewTask = apps.get_model("workflows", "ReviewTask")
    closes = time(*map(int, settings.OFFICE_CLOSES_AT.split(":")))
    for task in ReviewTask.objects.all().only("pk", "due_date"):
        due_at = timezone.make_aware(datetime.combine(task.due_date, closes))
        ReviewTask.objects.filter(pk=task.pk).update(due_at=due_at)


def due_times_to_dates(apps, schema_editor):
    ReviewTask = apps.get_model("workflows", "ReviewTask")
    for task in ReviewTask.objects.all().only("pk", "due_at"):
        ReviewTask.objects.filter(pk=task.pk).update(due_date=timezone.localdate(task.due_at))


class Migration(migrations.Migration):

    dependencies = [
        ("workflows", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewtask",
            name="due_at",
            field=models.DateTimeField(db_index=True, null=True, verbose_name="due"),
        ),
        migrations.RunPython(due_dates_to_times, due_times_to_dates),
    ]
