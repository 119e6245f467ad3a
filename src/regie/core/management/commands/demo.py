"""`regie demo`: fill the database with the synthetic demo corporation."""

import time
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from regie.core.demo import MIN_UNITS, DemoImportError, generate
from regie.core.demo.reset import data_exists, demo_users_exist, wipe
from regie.signalling.models import DetectionRun
from regie.signalling.services import detection_run


def _day(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--as-of takes a date as YYYY-MM-DD, not {value!r}.") from exc


class Command(BaseCommand):
    help = (
        "Create a synthetic demo corporation (areas, teams, demo accounts, units, households, "
        "arrears, events and cases). The same seed and as-of date give the same data. The "
        "corporation's data is written as export files (in DATA_DIR/demo-import/) and loaded "
        "through the import, as a corporation's own exports are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument("--as-of", dest="as_of", default=None, help="Reference date YYYY-MM-DD (default today).")
        parser.add_argument("--units", type=int, default=2000, help="Number of units (default 2000).")
        parser.add_argument(
            "--files",
            default=None,
            help="Folder for the generated export files (default DATA_DIR/demo-import; its CSV files are replaced).",
        )
        parser.add_argument(
            "--if-empty", dest="if_empty", action="store_true", help="Do nothing when the database already holds data."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete all households, cases and demo accounts first (demo mode only).",
        )

    def handle(self, *args, seed, as_of, units, if_empty, reset, files=None, **options):
        if if_empty and reset:
            raise CommandError("Choose --if-empty or --reset, not both.")
        if units < MIN_UNITS:
            raise CommandError(f"--units must be at least {MIN_UNITS}, for the demo's cases to find households.")
        as_of = _day(as_of) if as_of else timezone.localdate()
        folder = Path(files) if files else Path(settings.DATA_DIR) / "demo-import"
        started = time.monotonic()
        with transaction.atomic():
            if data_exists():
                if if_empty:
                    what = "The demo data" if demo_users_exist() else "Data"
                    self.stdout.write(f"{what} already present; nothing done (--if-empty).")
                    return
                if not reset:
                    raise CommandError(
                        "The database already holds data. Run with --reset to replace it with the demo "
                        "(this deletes all households and cases), or with --if-empty to leave it alone."
                    )
                if not settings.DEMO_MODE:
                    # A slip of the keyboard on a production instance must not wipe its households.
                    raise CommandError(
                        "--reset deletes all households and cases; it runs only in demo mode (REGIE_DEMO=1)."
                    )
                wipe()
            try:
                counts = generate(seed=seed, as_of=as_of, units=units, folder=folder)
            except DemoImportError as exc:
                raise CommandError(str(exc)) from exc
            # As after any import: detection fills the signal inbox.
            run = detection_run(as_of=as_of, trigger=DetectionRun.Trigger.IMPORT)
            counts["households with a signal"] = run.households
            counts["multi-problem"] = run.multi_problem
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo corporation created (seed {seed}, as of {as_of}) in {time.monotonic() - started:.1f} s:"
            )
        )
        for label, count in counts.items():
            self.stdout.write(f"  {label:<20} {count:>7}")
        self.stdout.write(f"Loaded through the import from the export files in {folder}.")
