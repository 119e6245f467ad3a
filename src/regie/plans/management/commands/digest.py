"""`regie digest [--dry-run]`: send today's e-mail digests of due actions (the worker does it daily)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Send the daily e-mail digest of overdue, coming and new actions."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show who would get a mail, send nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        from regie.plans.digest import send_digests

        digests = send_digests(dry_run=dry_run)
        for d in digests:
            # Who and how many: the mail's content (addresses) stays out of the output and logs.
            self.stdout.write(f"{d.user.username}: {len(d.action_ids)} actions")
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(self.style.SUCCESS(f"{len(digests)} digests {verb}."))
