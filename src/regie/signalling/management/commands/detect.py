"""`regie detect`: the multi-problem households on a day, as the inbox would list them.

Reads only: storing runs and flags is the detection service's job. Table for people, CSV and JSON
for other programs; `--explain` shows for one household which rules fired on what.
"""

import csv
import io
import json
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from regie.core.csvsafe import safe_row
from regie.signalling import rules as rule_sets
from regie.signalling.detection import detect, explain

CSV_HEADER = ("tenancy_id", "domains", "score")


def parse_day(value: str | None) -> date:
    """`--as-of`: YYYY-MM-DD, today when not given."""
    if value is None:
        return timezone.localdate()
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise CommandError(f"--as-of takes a date as YYYY-MM-DD (such as 2026-11-27), not {value!r}.") from exc


def rule_set(version: int | None):
    """The rule version asked for, or the one in force; its configuration checked."""
    from regie.signalling.models import RuleSet

    if version is None:
        found = rule_sets.current()
    else:
        found = RuleSet.objects.filter(version=version).first()
        if found is None:
            known = ", ".join(str(v) for v in RuleSet.objects.order_by("version").values_list("version", flat=True))
            raise CommandError(f"There is no rule version {version}. Known versions: {known or 'none'}.")
    try:
        rule_sets.validate(found.config)
    except ValidationError as exc:
        fields = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise CommandError(f"Rule version {found.version} is not valid ({fields}).") from exc
    return found


def write_csv(stdout, header, rows) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    # Tenancy numbers and names come from the corporation's files: never a formula in a spreadsheet.
    writer.writerows(safe_row(row) for row in rows)
    stdout.write(buffer.getvalue(), ending="")


def write_table(stdout, header, rows) -> None:
    rows = [[str(c) for c in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    for row in [list(header), *rows]:
        stdout.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


class Command(BaseCommand):
    help = (
        "List the multi-problem households on a reference date in inbox order (score, latest event, "
        "tenancy number). Stores nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", default=None, help="Reference date YYYY-MM-DD (default today).")
        parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
        parser.add_argument(
            "--all", dest="include_all", action="store_true", help="Include households with one active domain."
        )
        parser.add_argument(
            "--explain", metavar="TENANCY_ID", default=None, help="Explain the rules for one tenancy number."
        )
        parser.add_argument(
            "--rules-version", dest="rules_version", type=int, default=None, help="Rule version (default: in force)."
        )

    def handle(self, *args, as_of, format, include_all, explain, rules_version, **options):
        day = parse_day(as_of)
        rules = rule_set(rules_version)
        if explain is not None:
            return self._explain(explain, day, rules, format)

        findings = detect(as_of=day, config=rules.config)
        shown = findings if include_all else [f for f in findings if f.multi_problem]
        if format == "csv":
            write_csv(self.stdout, CSV_HEADER, [(f.tenancy_id, f.domains_text, f.score) for f in shown])
        elif format == "json":
            self.stdout.write(
                json.dumps(
                    [
                        {
                            "tenancy_id": f.tenancy_id,
                            "domains": list(f.domains),
                            "score": f.score,
                            "severities": f.severities,
                            "latest_event_date": f.latest_event_date.isoformat() if f.latest_event_date else None,
                        }
                        for f in shown
                    ],
                    indent=2,
                )
            )
        else:
            write_table(
                self.stdout,
                ("tenancy_id", "score", "latest event", "months", "domains (severity)"),
                [
                    (
                        f.tenancy_id,
                        f.score,
                        f.latest_event_date or "-",
                        f.months if f.arrears_band else "-",
                        ", ".join(f"{d} {s}" for d, s in f.severities.items()),
                    )
                    for f in shown
                ],
            )
            multi = sum(1 for f in findings if f.multi_problem)
            self.stdout.write(
                f"\n{len(shown)} shown; {multi} multi-problem of {len(findings)} households with a signal "
                f"on {day.isoformat()} (rules v{rules.version})."
            )

    def _explain(self, tenancy_id: str, day: date, rules, format: str) -> None:
        from regie.housing.models import Tenancy

        tenancy = Tenancy.objects.filter(tenancy_id=tenancy_id).first()
        if tenancy is None:
            raise CommandError(f"There is no tenancy with number {tenancy_id!r}.")
        result = explain(tenancy=tenancy, as_of=day, config=rules.config)
        result["rules_version"] = rules.version
        if format == "json":
            self.stdout.write(json.dumps(result, indent=2))
            return
        out = self.stdout.write
        out(f"Tenancy {result['tenancy_id']} on {result['as_of']} (rules v{rules.version})")
        if not result["running"]:
            out(f"No signal: {result['why']}.")
            return
        snap = result["snapshot"]
        out(
            f"Arrears: {snap['balance']} on {snap['date']}, rent {snap['rent']}, {snap['months']} months"
            if snap
            else "Arrears: no snapshot on or before this day (balance 0)"
        )
        if result["domains"]:
            kind = "multi-problem" if result["multi_problem"] else "single domain"
            out(
                "Domains: "
                + ", ".join(f"{d} {s}" for d, s in result["severities"].items())
                + f"; score {result['score']} ({kind}); latest event {result['latest_event_date'] or '-'}"
            )
        else:
            out("Domains: none active")
        out("")
        for code, rule in result["rules"].items():
            if code == "ONT":
                state = f"+{rule['points']}" if rule["fired"] else "-"
            else:
                state = f"severity {rule['severity']}" if rule["fired"] else "not fired"
            out(f"{code:<4}{state:<12}{rule['why']}")
            for e in rule["events"]:
                event = f"{e['source']}/{e['event_id']} {e['date']} {e['type']} severity {e['severity']}"
                out(f"      event {e['pk']} {event}")
