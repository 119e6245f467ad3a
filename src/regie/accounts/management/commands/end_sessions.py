"""`regie end-sessions USERNAME`: end every session of an account at once (a lost laptop, a leaver)."""

from django.core.management.base import BaseCommand, CommandError

from regie.accounts.models import SessionEndReason, User
from regie.accounts.sessions import sessions_end_for


class Command(BaseCommand):
    help = "End all sessions of a user; the next request from any of them goes to the login page."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--by", default="", help="the administrator's user name, for the access log")

    def handle(self, *args, **o):
        user = User.objects.filter(username=o["username"]).first()
        if user is None:
            raise CommandError("No such user.")
        by = None
        if o["by"]:
            by = User.objects.filter(username=o["by"]).first()
            if by is None:
                raise CommandError("No such user for --by.")
        ended = sessions_end_for(user=user, by=by, reason=SessionEndReason.BY_ADMIN)
        self.stdout.write(self.style.SUCCESS(f"Ended {ended} session(s) of {user.username}."))
