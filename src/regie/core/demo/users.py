"""The demo corporation's areas, teams, published demo accounts and district-to-area map."""

from regie.accounts.mfa_services import demo_device_ensure
from regie.accounts.models import Area, Team, User
from regie.core.demo.names import AREAS, DEMO_PASSWORD, DISTRICTS, USERS
from regie.housing.models import AreaDistrict


def build_organisation() -> tuple[dict[str, Area], dict[str, Team], dict[str, User]]:
    """Two areas with a team each, and the demo accounts (is_demo: they log in only in demo mode)."""
    areas, teams = {}, {}
    for area_code, area_name, team_code, team_name in AREAS:
        areas[area_code] = Area.objects.create(code=area_code, name=area_name)
        teams[team_code] = Team.objects.create(code=team_code, name=team_name, area=areas[area_code])
    users, password = {}, ""
    for username, (first, last, role, department, team_codes) in USERS.items():
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.nl",
            role=role,
            department=department,
            is_demo=True,
        )
        if password:
            # Argon2 takes half a second a hash by design; the published password needs only one.
            user.password = password
        else:
            user.set_password(DEMO_PASSWORD)
            password = user.password
        user.save()
        user.teams.set([teams[code] for code in team_codes])
        # Their second factor is a TOTP app with the secret published in the README.
        demo_device_ensure(user=user)
        users[username] = user
    return areas, teams, users


def build_district_map(areas: dict[str, Area]) -> list[AreaDistrict]:
    """Which district of the units file belongs to which area: the import sets each unit's area from it."""
    return AreaDistrict.objects.bulk_create(
        [
            AreaDistrict(district=district, area=areas[code])
            for code, districts in DISTRICTS.items()
            for district, _digits, _streets in districts
        ]
    )
