"""Writes to accounts: one transaction each."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regie.accounts.models import Department, Role, Team, User


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    password: str,
    teams: list[Team] = (),
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    department: str = Department.SOCIAL,
) -> User:
    if role not in Role.values:
        raise ValidationError(
            {"role": _("Unknown role; choose one of: %(roles)s.") % {"roles": ", ".join(Role.values)}}
        )
    if role in (Role.PROFESSIONAL, Role.MANAGER) and not teams:
        raise ValidationError({"teams": _("A professional or manager belongs to at least one team.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is taken.")})
    user = User(
        username=username, role=role, first_name=first_name, last_name=last_name, email=email, department=department
    )
    try:
        validate_password(password, user)
    except ValidationError as err:
        raise ValidationError({"password": err.messages}) from err
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.teams.set(teams)
    return user
