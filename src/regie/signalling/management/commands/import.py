"""`regie import PATH [PATH...]`: import the corporation's export files (IMPORT.md, docs/import.md).

Exits 0 when everything was imported, 1 when rows were rejected, 2 when a file can't be used.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from regie.signalling.importing.service import import_paths
from regie.signalling.importing.spec import ORDER

COUNTS = ("rows", "new", "changed", "unchanged", "rejected", "warnings")


class Command(BaseCommand):
    help = "Import units, tenancies, persons, arrears and events from CSV or XLSX files or folders."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files, or folders of CSV/XLSX files")
        parser.add_argument("--kind", choices=ORDER, help="the kind of a file not recognised by its name or columns")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--accept-partial", action="store_true", help="import the good rows; bad rows go to a rejects file"
        )
        parser.add_argument("--report-dir", type=Path, help="where the report and rejects files go")

    def handle(self, *args, **options):
        progress = self._progress if options["verbosity"] >= 2 else None
        result = import_paths(
            paths=options["paths"],
            kind=options["kind"],
            dry_run=options["dry_run"],
            accept_partial=options["accept_partial"],
            origin="cli",
            progress=progress,
            report_dir=options["report_dir"],
        )
        self._print(result, options)
        if result.exit_code:
            # SystemExit, not CommandError: CommandError prints "CommandError: ..." and its
            # returncode is lost through call_command; the table above already says what failed.
            sys.exit(result.exit_code)

    def _progress(self, done: int, total: int) -> None:
        self.stderr.write(f"\r{done}/{total}", ending="")

    def _print(self, result, options) -> None:
        out = self.stdout.write
        width = max([len(f.name) for f in result.files] + [4])
        out(f"{_('file'):<{width}}  {_('kind'):<9}" + "".join(f"{_(k):>10}" for k in COUNTS))
        for f in result.files:
            if f.error:
                out(f"{f.name:<{width}}  {(f.kind or '-'):<9}  {_('refused')}")
            else:
                out(f"{f.name:<{width}}  {f.kind:<9}" + "".join(f"{getattr(f, k):>10}" for k in COUNTS))
        for error in result.errors:
            out(self.style.ERROR(error))
        for p in result.problems:
            out(f"{p.file}:{p.line} {p.column} {p.value!r} — {p.reason}. {p.fix}")
        if result.problem_count > len(result.problems):
            out(_("… and %(n)d more problems in the report.") % {"n": result.problem_count - len(result.problems)})
        for w in result.warnings:
            out(self.style.WARNING(f"{w.file}:{w.line} {w.column} {w.value!r} — {_('warning')}: {w.reason}. {w.fix}"))
        if result.warning_count > len(result.warnings):
            out(_("… and %(n)d more warnings in the report.") % {"n": result.warning_count - len(result.warnings)})
        if result.report_path:
            out(_("Report: %(path)s") % {"path": result.report_path})
        for path in result.rejects:
            out(_("Rejected rows: %(path)s") % {"path": path})
        if options["dry_run"]:
            out(_("Dry run: nothing was written."))
        elif result.exit_code and not result.written:
            out(_("Nothing was imported."))
