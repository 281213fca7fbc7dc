"""E-mail confirmation at sign-up. Accounts that exist already were made before the rule (by
the office, or confirmed by their invitation): they count as confirmed since they joined."""

from django.db import migrations, models


def existing_accounts_confirmed(apps, schema_editor):
    User = apps.get_model("licensing", "User")
    User.objects.filter(email_verified_at__isnull=True).update(
        email_verified_at=models.F("date_joined"))


class Migration(migrations.Migration):

    dependencies = [
        ("licensing", "0003_permit_expiry_notice"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_verified_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="e-mail confirmed at"),
        ),
        migrations.RunPython(existing_accounts_confirmed, migrations.RunPython.noop),
    ]
