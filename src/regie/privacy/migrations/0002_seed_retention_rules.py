"""The default retention rules; the privacy officer or functional administrator adjusts them."""

from django.db import migrations

DEFAULTS = [
    ("case_file", "VER", 24, "Beleid: 2 jaar na afsluiten van de casus (AVG art. 5 lid 1 onder e)."),
    ("consent_document", "VER", 24, "Met het casusdossier: 2 jaar na afsluiten."),
    ("event", "VER", 24, "Signalen en meldingen: 2 jaar, als het huishouden geen casusdossier meer heeft."),
    ("arrears", "VER", 36, "Huurachterstandhistorie: 3 jaar; het grootboek zelf blijft in het bronsysteem."),
    ("household", "VER", 24, "Oud-huurders: 2 jaar na einde huurovereenkomst en laatste casus."),
]


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for kind, nomination, months, note in DEFAULTS:
        RetentionRule.objects.get_or_create(
            kind=kind, defaults={"nomination": nomination, "months": months, "note": note}
        )


def unseed(apps, schema_editor):
    apps.get_model("privacy", "RetentionRule").objects.filter(kind__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_retention_and_requests")]
    operations = [migrations.RunPython(seed, unseed)]
