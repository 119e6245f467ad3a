"""`regie adduser NAME --role ROLE [--team CODE ...]`: create an account from the command line."""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from regie.accounts.models import Department, Role, Team
from regie.accounts.services import user_create


class Command(BaseCommand):
    help = "Create a user with a role and teams. The password is asked for, or read from REGIE_NEW_PASSWORD."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--team", action="append", default=[], help="team code; repeat for more teams")
        parser.add_argument("--department", default=Department.SOCIAL, choices=Department.values)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args, **o):
        teams = list(Team.objects.filter(code__in=o["team"]))
        missing = sorted(set(o["team"]) - {t.code for t in teams})
        if missing:
            known = ", ".join(Team.objects.values_list("code", flat=True)) or "none"
            raise CommandError(f"Unknown team code(s): {', '.join(missing)}. Known teams: {known}.")
        password = os.environ.get("REGIE_NEW_PASSWORD") or getpass.getpass("Password: ")
        try:
            user = user_create(
                username=o["username"],
                role=o["role"],
                password=password,
                teams=teams,
                first_name=o["first_name"],
                last_name=o["last_name"],
                email=o["email"],
                department=o["department"],
            )
        except ValidationError as err:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in err.message_dict.items())) from err
        self.stdout.write(self.style.SUCCESS(f"Created user {user.username} ({user.role})."))
