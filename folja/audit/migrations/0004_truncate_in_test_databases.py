"""Let Django's test runner empty a *test* database between transactional tests.

`TransactionTestCase` (and pytest-django's `transaction=True`, so every browser test) resets the
database with TRUNCATE, which the append-only trigger of 0002 rejects. TRUNCATE is now allowed
only in databases whose name starts with Django's test prefix `test_`; UPDATE and DELETE stay
rejected everywhere, test databases included, so the append-only tests keep their meaning."""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION folja_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_database() LIKE 'test\_%' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'folja: % is append-only (% rejected)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

ORIGINAL = """
CREATE OR REPLACE FUNCTION folja_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'folja: % is append-only (% rejected)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ORIGINAL, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_culling_record")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
