"""Writes to accounts: one transaction each."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regie.accounts.models import Department, Role, SessionEndReason, Team, User
from regie.audit.models import Action
from regie.audit.services import access_record


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
    # Collect every problem at once, so the form or command reports them together.
    errors: dict[str, list[str]] = {}
    if role in (Role.PROFESSIONAL, Role.MANAGER) and not teams:
        errors["teams"] = [_("A professional or manager belongs to at least one team.")]
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This user name is taken.")]
    user = User(
        username=username, role=role, first_name=first_name, last_name=last_name, email=email, department=department
    )
    try:
        validate_password(password, user)
    except ValidationError as err:
        errors["password"] = err.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.teams.set(teams)
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    by: User,
    role: str,
    teams: list[Team],
    is_active: bool,
    department: str,
    first_name: str,
    last_name: str,
    email: str,
) -> User:
    """Change an account's role, teams and state; an administrator can't lock himself out."""
    if user.pk == by.pk and (not is_active or role != user.role):
        raise ValidationError(_("You can't change your own role or deactivate yourself; ask another administrator."))
    if role in (Role.PROFESSIONAL, Role.MANAGER) and not teams:
        raise ValidationError({"teams": _("A professional or manager belongs to at least one team.")})
    deactivating = user.is_active and not is_active
    user.role, user.department = role, department
    user.is_active = user.is_active and is_active  # switching off goes through user_deactivate
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.full_clean(exclude=["password"])
    user.save(update_fields=["role", "is_active", "department", "first_name", "last_name", "email"])
    user.teams.set(teams)
    if deactivating:
        user_deactivate(user=user, by=by)
    return user


@transaction.atomic
def user_deactivate(*, user: User, by: User | None) -> User:
    """Close an account: it can't log in, its sessions end at once, and its API tokens and
    calendar-feed link are deleted, so reactivating it later doesn't revive an old secret."""
    from rest_framework.authtoken.models import Token

    from regie.accounts.sessions import sessions_end_for
    from regie.plans.models import CalendarFeed

    if by is not None and user.pk == by.pk:
        raise ValidationError(_("You can't change your own role or deactivate yourself; ask another administrator."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    Token.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    sessions_end_for(user=user, by=by, reason=SessionEndReason.DEACTIVATED)
    access_record(user=by, action=Action.UPDATE, record_type="user", record_ids=[user.pk])
    return user
