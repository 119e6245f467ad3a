"""PostgreSQL: the insert guard as its own trigger with a WHEN clause, so the log rows every page
writes no longer call the guard function (regie.audit.triggers)."""

from django.db import migrations


def install(apps, schema_editor):
    from regie.audit import triggers

    triggers.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_triggers")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
