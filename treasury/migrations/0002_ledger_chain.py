"""The ledger becomes tamper-evident like the audit trail (``workflows.audit_chain``): entries
booked so far are chained in id order, then on PostgreSQL the triggers of ``workflows.0005``
seal each new entry at commit and refuse UPDATE and DELETE. Nothing in Izin updates or deletes
a ledger entry: corrections are new entries (a refund, a reclassification)."""

from django.db import migrations, models

LEDGERENTRY_FIELDS = ("id", "book_day", "occurred_on", "kind", "method", "amount",
                      "account_code", "permit_type_id", "invoice_id", "payment_id",
                      "counter_payment_id", "refund_id", "note", "created_at")


def chain_existing(apps, schema_editor):
    from workflows.audit_chain import seal_pending

    seal_pending(apps.get_model("treasury", "LedgerEntry"),
                 using=schema_editor.connection.alias,
                 head_model=apps.get_model("workflows", "ChainHead"),
                 fields=LEDGERENTRY_FIELDS)


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: audit_chain.seal_pending chains after each insert; no triggers
    arguments = ", ".join(f"'{field}'" for field in LEDGERENTRY_FIELDS)
    schema_editor.execute(f"""
    CREATE CONSTRAINT TRIGGER izin_chain_seal AFTER INSERT ON treasury_ledgerentry
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION izin_chain_seal({arguments});
    CREATE TRIGGER izin_append_only BEFORE UPDATE OR DELETE ON treasury_ledgerentry
        FOR EACH ROW EXECUTE FUNCTION izin_append_only();
    """)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("""
    DROP TRIGGER IF EXISTS izin_append_only ON treasury_ledgerentry;
    DROP TRIGGER IF EXISTS izin_chain_seal ON treasury_ledgerentry;
    """)


class Migration(migrations.Migration):

    dependencies = [
        ("treasury", "0001_initial"),
        ("workflows", "0005_audit_chain_seal"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="chain_seq",
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False, verbose_name="position in the day's chain"),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="hash",
            field=models.CharField(db_default="", default="", editable=False, max_length=64, verbose_name="hash"),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="prev_hash",
            field=models.CharField(db_default="", default="", editable=False, max_length=64, verbose_name="hash of the entry before"),
        ),
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(fields=["created_at"], name="ledger_recorded_at"),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(install, uninstall),
    ]
