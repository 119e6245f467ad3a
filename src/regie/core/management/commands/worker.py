"""`regie worker`: the background worker, with the nightly detection kept scheduled.

It is django-tasks-db's `db_worker` (same options) that first makes sure the nightly detection
run is waiting in the queue; the run re-enqueues itself for the next night.
"""

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand


class Command(DBWorkerCommand):
    help = "Run the background worker (imports, detection) and keep the nightly detection scheduled."

    def handle(self, *args, **options):
        from regie.network.tasks import schedule_daily
        from regie.signalling.tasks import schedule_nightly

        if schedule_nightly():
            self.stdout.write("Nightly detection scheduled.")
        if schedule_daily():
            self.stdout.write("Daily referral reminders scheduled.")
        from regie.plans.tasks import schedule_digest

        if schedule_digest():
            self.stdout.write("Daily e-mail digest scheduled.")
        from regie.privacy.tasks import schedule_retention

        if schedule_retention():
            self.stdout.write("Nightly retention run scheduled.")
        from regie.audit.tasks import schedule as schedule_audit

        for name in schedule_audit():
            self.stdout.write(f"Access log {name} scheduled.")
        return super().handle(*args, **options)
