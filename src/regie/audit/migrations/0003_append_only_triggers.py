"""The database refuses to change or delete access log entries (see regie.audit.triggers).

On SQLite a later migration that rebuilds this table drops its triggers with the old table: such
a migration must call `triggers.install` again (`regie audit-verify` reports a missing guard)."""

from django.db import migrations


def install(apps, schema_editor):
    from regie.audit import triggers

    triggers.install(schema_editor.connection)


def remove(apps, schema_editor):
    from regie.audit import triggers

    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_incidents_emergency")]

    operations = [migrations.RunPython(install, remove)]
