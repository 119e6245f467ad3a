"""`regie audit-verify`: seal the access log, recompute its whole hash chain and report.

Prints OK with the number of entries checked, or the first break; exits 1 on any problem, which
is also recorded as a security incident and mailed to the privacy officers."""

import sys
import time

from django.core.management.base import BaseCommand

from regie.audit.services_log import log_verify_and_report


class Command(BaseCommand):
    help = "Verify the access log's hash chain; exit 1 (and report a security incident) on a break."

    def handle(self, *args, **options):
        started = time.monotonic()
        verdict = log_verify_and_report()
        took = time.monotonic() - started
        if verdict.ok:
            self.stdout.write(f"OK: {verdict.checked} entries verified in {took:.1f} s.")
            return
        if verdict.first_break:
            self.stderr.write(f"BROKEN: {verdict.first_break} ({verdict.checked} entries verified before it).")
        if verdict.guard_missing:
            self.stderr.write("BROKEN: the database triggers guarding the log are missing.")
        if verdict.stale_unsealed:
            self.stderr.write(f"WARNING: {verdict.stale_unsealed} entries older than an hour were unsealed.")
        self.stderr.write("Recorded as a security incident; the privacy officers have been mailed.")
        sys.exit(1)
