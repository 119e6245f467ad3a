"""`regie totp_demo`: the code an authenticator app would show now for the demo accounts' published
secret, for trying the demo without a phone. Demo mode only; touches no database."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from regie.accounts.mfa_services import DEMO_TOTP_SECRET, demo_code


class Command(BaseCommand):
    help = "Print the current second-factor code of the demo accounts (demo mode only)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Only in demo mode (REGIE_DEMO=1): the demo secret is public.")
        left = 30 - int(time.time()) % 30
        self.stdout.write(f"{demo_code()}  (valid for {left} more seconds; secret {DEMO_TOTP_SECRET})")
