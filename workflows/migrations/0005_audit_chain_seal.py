"""The audit trail becomes tamper-evident: rows written so far are chained in id order
(``workflows.audit_chain``), then, on PostgreSQL, the database takes over: a deferred trigger
seals each new row of a chained table at commit, and another refuses UPDATE and DELETE (TRUNCATE,
which tests use to empty tables, stays possible). The SQL is frozen here: the Python
serialisation in ``audit_chain.canonical`` must stay identical to it."""

from django.db import migrations

TRANSITIONLOG_FIELDS = ("id", "content_type_id", "object_id", "application_id", "transition",
                        "source", "target", "actor_id", "note", "created_at")

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION izin_chain_genesis(chain text, day date) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(chain || ':' || to_char(day, 'YYYY-MM-DD'), 'UTF8')), 'hex')
$$;

-- AFTER INSERT, deferred to commit; the arguments name the columns the hash covers, in order.
CREATE OR REPLACE FUNCTION izin_chain_seal() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    entry json := to_json(NEW);
    chain_day date := (NEW.created_at AT TIME ZONE 'Asia/Jakarta')::date;
    head_seq integer;
    head_hash text;
    items text[];
    field text;
    digest text;
BEGIN
    -- One lock for every chain and day, taken at commit only: entries link in commit order, two
    -- never share a predecessor, and the holder waits on nothing else (no deadlock).
    PERFORM pg_advisory_xact_lock(hashtext('izin_chain_seal'));
    SELECT seq, hash INTO head_seq, head_hash FROM workflows_chainhead
     WHERE chain = TG_TABLE_NAME AND day = chain_day FOR UPDATE;
    IF NOT FOUND THEN
        head_seq := 0;
        head_hash := izin_chain_genesis(TG_TABLE_NAME, chain_day);
        INSERT INTO workflows_chainhead (chain, day, seq, hash)
        VALUES (TG_TABLE_NAME, chain_day, 0, head_hash);
    END IF;
    -- As Python's json.dumps(ensure_ascii=False): [prev_hash, seq, fields...], ", " between.
    items := ARRAY[to_json(head_hash)::text, (head_seq + 1)::text];
    FOREACH field IN ARRAY TG_ARGV LOOP
        IF field = 'created_at' THEN
            items := items || to_json(to_char(NEW.created_at AT TIME ZONE 'UTC',
                                              'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text;
        ELSIF (entry -> field) IS NULL THEN
            RAISE EXCEPTION 'izin_chain_seal: % has no column %', TG_TABLE_NAME, field;
        ELSE
            items := items || (entry -> field)::text;
        END IF;
    END LOOP;
    digest := encode(sha256(convert_to('[' || array_to_string(items, ', ') || ']', 'UTF8')),
                     'hex');
    EXECUTE format('UPDATE %I SET chain_seq = $1, prev_hash = $2, hash = $3 WHERE id = $4',
                   TG_TABLE_NAME)
      USING head_seq + 1, head_hash, digest, NEW.id;
    UPDATE workflows_chainhead SET seq = head_seq + 1, hash = digest
     WHERE chain = TG_TABLE_NAME AND day = chain_day;
    RETURN NULL;
END
$$;

-- BEFORE UPDATE OR DELETE on every row of a chained table.
CREATE OR REPLACE FUNCTION izin_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- The one update allowed: the seal above (a trigger, hence depth 2) filling a new row once.
    IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 AND OLD.hash = '' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'izin: % on % refused: its entries are append-only', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
END
$$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS izin_append_only();
DROP FUNCTION IF EXISTS izin_chain_seal();
DROP FUNCTION IF EXISTS izin_chain_genesis(text, date);
"""


def triggers_sql(table: str, fields: tuple[str, ...]) -> str:
    arguments = ", ".join(f"'{field}'" for field in fields)
    return f"""
    CREATE CONSTRAINT TRIGGER izin_chain_seal AFTER INSERT ON {table}
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION izin_chain_seal({arguments});
    CREATE TRIGGER izin_append_only BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION izin_append_only();
    """


def drop_triggers_sql(table: str) -> str:
    return f"""
    DROP TRIGGER IF EXISTS izin_append_only ON {table};
    DROP TRIGGER IF EXISTS izin_chain_seal ON {table};
    """


def chain_existing(apps, schema_editor):
    from workflows.audit_chain import seal_pending

    seal_pending(apps.get_model("workflows", "TransitionLog"),
                 using=schema_editor.connection.alias,
                 head_model=apps.get_model("workflows", "ChainHead"),
                 fields=TRANSITIONLOG_FIELDS)


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: audit_chain.seal_pending chains after each insert; no triggers
    schema_editor.execute(FUNCTIONS, params=None)  # no %-placeholders: SQL as written
    schema_editor.execute(triggers_sql("workflows_transitionlog", TRANSITIONLOG_FIELDS))


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(drop_triggers_sql("workflows_transitionlog"))
    schema_editor.execute(DROP_FUNCTIONS)


class Migration(migrations.Migration):

    dependencies = [
        ("workflows", "0004_audit_chain"),
    ]

    operations = [
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(install, uninstall),
    ]
