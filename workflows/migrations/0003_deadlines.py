"""Deadlines as data: review tasks lose their due date for the due time (``0002``) and get
their next reminder; applications get a service-standard clock; the hand-typed holiday list
gives way to the national calendar plus the administrator's changes; units get a supervisor."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def start_clocks(apps, schema_editor):
    """Work under way when deadlines arrive: pending tasks are escalated when overdue (no
    reminders: their time may be past), and applications in review get a clock from now with
    their type's full standard, so none is approved by law for time spent before the rule."""
    from workflows.calendar import OfficeCalendar

    calendar, now = OfficeCalendar(), timezone.now()
    ReviewTask = apps.get_model("workflows", "ReviewTask")
    ReviewTask.objects.filter(state__in=["open", "claimed"]).update(
        next_alert_at=models.F("due_at"))
    Application = apps.get_model("licensing", "Application")
    ApplicationClock = apps.get_model("workflows", "ApplicationClock")
    for application in Application.objects.filter(state="in_review").select_related(
            "permit_type"):
        standard = application.permit_type.service_standard_days
        ApplicationClock.objects.create(application=application, standard_days=standard,
                                        started_at=now,
                                        decision_due_at=calendar.due_at(now, standard))


class Migration(migrations.Migration):

    dependencies = [
        ("licensing", "0002_deadlines"),
        ("workflows", "0002_due_times"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="reviewtask",
            name="due_at",
            field=models.DateTimeField(db_index=True, verbose_name="due"),
        ),
        migrations.RemoveField(model_name="reviewtask", name="due_date"),
        migrations.AlterModelOptions(
            name="reviewtask",
            options={"ordering": ["due_at", "pk"], "verbose_name": "review task",
                     "verbose_name_plural": "review tasks"},
        ),
        migrations.AddField(
            model_name="reviewtask",
            name="next_alert_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="next reminder"),
        ),
        migrations.AddField(
            model_name="reviewtask",
            name="escalated_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="escalated at"),
        ),
        migrations.AddField(
            model_name="reviewtask",
            name="days_left_at_return",
            field=models.SmallIntegerField(blank=True, null=True,
                                           verbose_name="working days left when sent back"),
        ),
        migrations.AddIndex(
            model_name="reviewtask",
            index=models.Index(condition=models.Q(next_alert_at__isnull=False),
                               fields=["next_alert_at"], name="task_alert_due"),
        ),
        migrations.AddField(
            model_name="reviewunit",
            name="supervisor",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                related_name="supervised_units", to=settings.AUTH_USER_MODEL,
                verbose_name="supervisor",
                help_text="Told, with the head of office, when a task of this unit is overdue; "
                          "may reassign it.",
            ),
        ),
        migrations.DeleteModel(name="Holiday"),
        migrations.CreateModel(
            name="CalendarDay",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("date", models.DateField(unique=True, verbose_name="date")),
                ("is_closed", models.BooleanField(
                    default=True, verbose_name="office closed",
                    help_text="Ticked: not a working day. Unticked: a working day although the "
                              "national calendar says otherwise.")),
                ("name", models.CharField(max_length=200, verbose_name="reason")),
            ],
            options={"verbose_name": "calendar change", "verbose_name_plural": "calendar changes",
                     "ordering": ["date"]},
        ),
        migrations.CreateModel(
            name="ApplicationClock",
            fields=[
                ("application", models.OneToOneField(
                    on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                    related_name="clock", serialize=False, to="licensing.application",
                    verbose_name="application")),
                ("standard_days", models.PositiveSmallIntegerField(
                    verbose_name="service standard (working days)")),
                ("started_at", models.DateTimeField(verbose_name="started at")),
                ("decision_due_at", models.DateTimeField(blank=True, null=True,
                                                         verbose_name="decision due")),
                ("days_left", models.SmallIntegerField(
                    blank=True, null=True, verbose_name="working days left while stopped")),
                ("correction_due_at", models.DateTimeField(
                    blank=True, null=True, verbose_name="changes due from the business")),
                ("overdue_at", models.DateTimeField(blank=True, null=True,
                                                    verbose_name="standard ran out at")),
                ("stopped_at", models.DateTimeField(blank=True, null=True,
                                                    verbose_name="ended at")),
            ],
            options={
                "verbose_name": "service-standard clock",
                "verbose_name_plural": "service-standard clocks",
                "indexes": [
                    models.Index(condition=models.Q(decision_due_at__isnull=False,
                                                    overdue_at__isnull=True,
                                                    stopped_at__isnull=True),
                                 fields=["decision_due_at"], name="clock_decision_due"),
                    models.Index(condition=models.Q(correction_due_at__isnull=False),
                                 fields=["correction_due_at"], name="clock_correction_due"),
                ],
            },
        ),
        migrations.RunPython(start_clocks, migrations.RunPython.noop),
    ]
