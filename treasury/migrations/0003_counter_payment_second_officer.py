"""Counter payments need a second officer: a state (proposed, confirmed, rejected), who decided
and when, and the bank line held by one live counter payment only (rejected proposals keep
their line). Counter payments recorded before this settled their bill already: they are
confirmed, with nobody named as the second officer."""

import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models


def confirm_existing(apps, schema_editor):
    CounterPayment = apps.get_model("treasury", "CounterPayment")
    CounterPayment.objects.update(state="confirmed")


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0001_initial'),
        ('treasury', '0002_ledger_chain'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='counterpayment',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='confirmed or rejected at'),
        ),
        migrations.AddField(
            model_name='counterpayment',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='confirmed or rejected by'),
        ),
        migrations.AddField(
            model_name='counterpayment',
            name='state',
            field=django_fsm.FSMField(choices=[('proposed', 'Proposed, awaiting a second officer'), ('confirmed', 'Confirmed: the bill is paid'), ('rejected', 'Rejected')], db_index=True, default='proposed', max_length=10, protected=True, verbose_name='state'),
        ),
        migrations.RunPython(confirm_existing, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name='counterpayment',
            name='bank_line',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='counter_payments', to='treasury.bankline', verbose_name='bank statement line'),
        ),
        migrations.AlterField(
            model_name='counterpayment',
            name='recorded_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='proposed at'),
        ),
        migrations.AlterField(
            model_name='counterpayment',
            name='recorded_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='proposed by'),
        ),
        migrations.AlterField(
            model_name='discrepancy',
            name='state',
            field=django_fsm.FSMField(choices=[('open', 'Open'), ('awaiting', "Awaiting a supervisor's approval"), ('resolved', 'Resolved'), ('cleared', 'Cleared by a later match')], db_index=True, default='open', max_length=10, protected=True, verbose_name='state'),
        ),
        migrations.AddConstraint(
            model_name='counterpayment',
            constraint=models.UniqueConstraint(condition=models.Q(('state__in', ['confirmed', 'proposed'])), fields=('bank_line',), name='counter_payment_one_live_per_line'),
        ),
        migrations.AddConstraint(
            model_name='counterpayment',
            constraint=models.CheckConstraint(condition=models.Q(('decided_by__isnull', True), models.Q(('decided_by', models.F('recorded_by')), _negated=True), _connector='OR'), name='counter_payment_four_eyes'),
        ),
    ]
