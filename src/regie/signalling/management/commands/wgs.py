"""`regie wgs`: the tenancies ready for the municipality signal (vroegsignalering) on a day.

Reads only; sending and recording the signal is the municipality-signal service's job.
"""

import json

from django.core.management.base import BaseCommand

from regie.signalling.management.commands.detect import parse_day, rule_set, write_csv, write_table
from regie.signalling.wgs import ready

CSV_HEADER = ("tenancy_id", "arrears_amount", "arrears_since")


class Command(BaseCommand):
    help = "List the tenancies ready to be signalled to the municipality (Wgs), by tenancy number."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", default=None, help="Reference date YYYY-MM-DD (default today).")
        parser.add_argument("--format", choices=("csv", "json", "table"), default="table")
        parser.add_argument(
            "--rules-version", dest="rules_version", type=int, default=None, help="Rule version (default: in force)."
        )

    def handle(self, *args, as_of, format, rules_version, **options):
        day = parse_day(as_of)
        rules = rule_set(rules_version)
        rows = [
            (r.tenancy_id, f"{r.arrears_amount:.2f}", r.arrears_since.isoformat())
            for r in ready(as_of=day, config=rules.config)
        ]
        if format == "csv":
            write_csv(self.stdout, CSV_HEADER, rows)
        elif format == "json":
            self.stdout.write(json.dumps([dict(zip(CSV_HEADER, row, strict=True)) for row in rows], indent=2))
        else:
            write_table(self.stdout, CSV_HEADER, rows)
            self.stdout.write(f"\n{len(rows)} ready on {day.isoformat()} (rules v{rules.version}).")
