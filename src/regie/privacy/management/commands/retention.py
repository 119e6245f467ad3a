"""`regie retention [--as-of DATE] [--dry-run]`: archive closed cases and destroy what is due
(the worker does it nightly). Prints counts and record numbers, never names."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = "Archive closed cases and destroy or anonymise what is past its retention period."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="The day to judge by (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true", help="Show what would be destroyed; change nothing.")

    def handle(self, *args, as_of=None, dry_run: bool = False, **options):
        from regie.privacy.retention import retention_run

        run = retention_run(as_of=as_of or timezone.localdate(), dry_run=dry_run)
        verb = "would be destroyed" if dry_run else "destroyed"
        for kind, ids in run.planned.items():
            if kind == "held":
                continue
            shown = ", ".join(str(i) for i in ids[:50]) + (" …" if len(ids) > 50 else "")
            self.stdout.write(f"{kind}: {len(ids)} {verb}" + (f" ({shown})" if ids else ""))
        held = run.planned.get("held", [])
        self.stdout.write(
            f"held (hold or duty to keep): {len(held)}" + (f" ({', '.join(map(str, held[:50]))})" if held else "")
        )
        for error in run.errors:
            self.stderr.write(f"failed: {error['kind']} {error['id']} ({error['error']})")
        self.stdout.write(
            self.style.SUCCESS(f"Retention run {run.pk} as of {run.as_of}{' (dry run)' if dry_run else ''}.")
        )
        if run.errors:
            raise SystemExit(1)
