"""`regie subject-export PERSON_ID --out DIR --as USERNAME`: everything Regie holds about one
person (AVG art. 15) as JSON and PDF. The files are named by the person's internal number; the
export is written to the access log in the name of the privacy officer given with --as."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction


class Command(BaseCommand):
    help = "Export everything about one person (AVG art. 15) as JSON and PDF."

    def add_arguments(self, parser):
        parser.add_argument("person_id", type=int, help="The person's internal number (as in the register).")
        parser.add_argument("--out", required=True, help="Folder to write the files to.")
        parser.add_argument("--as", dest="username", required=True, help="The privacy officer's user name.")
        parser.add_argument("--format", choices=["json", "pdf", "both"], default="both")

    def handle(self, *args, person_id: int, out: str, username: str, format: str = "both", **options):
        from django.http import Http404

        from regie.accounts.models import User
        from regie.audit.services import access_record
        from regie.privacy.export import export_pdf_bytes, person_for_privacy, subject_export

        try:
            user = User.objects.get(username=username, is_active=True)
            person = person_for_privacy(user, person_id)
        except (User.DoesNotExist, Http404) as err:
            # Same answer for "no such person" and "not a privacy officer".
            raise CommandError("No such person, or the user is not an active privacy officer.") from err
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        with transaction.atomic():
            data = subject_export(user, person)
            access_record(user=user, action="export", record_type="person", record_ids=[person.pk])
            access_record(user=user, action="export", record_type="household", record_ids=[person.tenancy_id])
            access_record(user=user, action="export", record_type="case", record_ids=[c["id"] for c in data["cases"]])
            if format in ("json", "both"):
                (folder / f"persoon-{person.pk}.json").write_text(
                    json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), encoding="utf-8"
                )
            if format in ("pdf", "both"):
                (folder / f"persoon-{person.pk}.pdf").write_bytes(export_pdf_bytes(data))
        self.stdout.write(
            self.style.SUCCESS(
                f"Person {person.pk}: {len(data['cases'])} cases, {len(data['access_log'])} access entries."
            )
        )
