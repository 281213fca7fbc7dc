"""Every closed day's deposit summary (STS) gets a gap-free number per year. The days closed
before are numbered here in date order, each in its own year's sequence, which new closes then
continue (``treasury.numbering``)."""

from django.db import migrations, models

SEQUENCE_KEY = "sts"  # treasury.numbering.SEQUENCE_KEY, frozen as it was when this ran


def number_closed_days(apps, schema_editor):
    DailyClose = apps.get_model("treasury", "DailyClose")
    Sequence = apps.get_model("licensing", "Sequence")
    for close in DailyClose.objects.filter(sts_number__isnull=True).order_by("day"):
        counter, _created = Sequence.objects.select_for_update().get_or_create(
            key=SEQUENCE_KEY, year=close.day.year)
        counter.last_value += 1
        counter.save(update_fields=["last_value"])
        # A queryset update: the model refuses to change a close, rightly, except here.
        DailyClose.objects.filter(pk=close.pk).update(
            sts_number=f"STS/{close.day.year}/{counter.last_value:06d}")


class Migration(migrations.Migration):

    dependencies = [
        ("licensing", "0001_initial"),
        ("treasury", "0004_statement_matching"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailyclose",
            name="sts_number",
            field=models.CharField(blank=True, help_text="The deposit summary's number, gap-free per year, e.g. STS/2026/000123.", max_length=32, null=True, unique=True, verbose_name="STS number"),
        ),
        migrations.RunPython(number_closed_days, migrations.RunPython.noop),
    ]
