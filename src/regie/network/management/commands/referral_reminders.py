"""`regie referral_reminders`: remind case directors of referrals a partner has not answered within
its expected response time (each referral once). The worker does this every morning; this runs it
now, e.g. from cron when no worker runs."""

from django.core.management.base import BaseCommand

from regie.network.services import referral_reminders


class Command(BaseCommand):
    help = "E-mail case directors about referrals a partner has not answered in time."

    def handle(self, *args, **options):
        sent = referral_reminders()
        self.stdout.write(f"{sent} reminder(s) sent")
