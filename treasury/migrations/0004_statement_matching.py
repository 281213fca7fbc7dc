"""Matching runs right after a statement is uploaded and the statement keeps what it left (when,
lines matched, lines left for review; empty until it has run: the hourly run fills in those of
statements uploaded before). The lines still free for a payout are indexed by amount and date."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('treasury', '0003_counter_payment_second_officer'),
    ]

    operations = [
        migrations.AddField(
            model_name='bankstatement',
            name='lines_matched',
            field=models.PositiveIntegerField(blank=True, help_text='Lines linked to a payout or to a confirmed counter payment.', null=True, verbose_name='lines matched'),
        ),
        migrations.AddField(
            model_name='bankstatement',
            name='lines_to_review',
            field=models.PositiveIntegerField(blank=True, help_text='Lines with an exception waiting for an officer.', null=True, verbose_name='lines left for review'),
        ),
        migrations.AddField(
            model_name='bankstatement',
            name='matched_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='matched at'),
        ),
        migrations.AddIndex(
            model_name='bankline',
            index=models.Index(condition=models.Q(('payout__isnull', True)), fields=['amount', 'booked_on'], name='bankline_free_amount_day'),
        ),
    ]
