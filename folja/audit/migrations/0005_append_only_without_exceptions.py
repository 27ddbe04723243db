"""The append-only trigger without the test-database exception, and the log tables' rewrites
taken from every role but their owner.

0004 let TRUNCATE through in any database named `test_*`: a name is no proof of anything, and
the trigger is the last line against a rewritten history. The test suite now empties its
databases as the superuser it connects as, with triggers off for that one connection
(conftest.py `_audit_tables_flushable`); no role without superuser rights can do the same.

The application role (scripts/pg_roles.py) gets its table privileges from ALTER DEFAULT
PRIVILEGES, so in a database migrated after the roles were set up it would start out with
UPDATE and DELETE on the logs. Revoking UPDATE, DELETE and TRUNCATE here from everyone but the
owner refuses those by privilege, before the trigger is even reached, however the roles are
named. The log tables are found by their trigger, as scripts/pg_roles.py finds them."""

import importlib

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION folja_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'folja: % is append-only (% rejected)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

# Each (table, grantee) holding UPDATE, DELETE or TRUNCATE on a log table, the owner aside;
# grantee 0 is PUBLIC.
GRANTEES = """
SELECT DISTINCT c.relname, a.grantee
FROM pg_trigger t
JOIN pg_proc p ON p.oid = t.tgfoid
JOIN pg_class c ON c.oid = t.tgrelid
CROSS JOIN LATERAL aclexplode(c.relacl) a
WHERE p.proname = 'folja_append_only'
  AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
  AND a.grantee <> c.relowner
ORDER BY 1, 2
"""


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    with connection.cursor() as cursor:
        cursor.execute(GRANTEES)
        grants = cursor.fetchall()
        for table, grantee_oid in grants:
            if grantee_oid == 0:
                grantee = "PUBLIC"
            else:
                cursor.execute("SELECT pg_get_userbyid(%s)", [grantee_oid])
                grantee = connection.ops.quote_name(cursor.fetchone()[0])
            cursor.execute(
                f"REVOKE UPDATE, DELETE, TRUNCATE ON {connection.ops.quote_name(table)} "
                f"FROM {grantee}"
            )


def backwards(apps, schema_editor):
    # Only the function goes back; the revoked privileges were never the schema's to give.
    if schema_editor.connection.vendor == "postgresql":
        previous = importlib.import_module("folja.audit.migrations.0004_truncate_in_test_databases")
        schema_editor.execute(previous.FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_truncate_in_test_databases")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
