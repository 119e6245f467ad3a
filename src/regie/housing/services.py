"""Writes to the stock that are configuration rather than import: which area a district is in."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regie.accounts.models import Area, User
from regie.audit.models import Action
from regie.audit.services import access_record
from regie.housing.models import AreaDistrict, Unit


@transaction.atomic
def district_map(*, district: str, area: Area | None, by: User) -> int:
    """Put a district in an area (or in none), and move its units with it; returns how many moved.

    The units' area decides which team sees the households, so this changes need-to-know: it is
    recorded in the access log as a configuration change, one entry per district.
    """
    district = (district or "").strip()
    if not district:
        raise ValidationError({"district": _("Choose a district.")})
    if (
        not Unit.objects.filter(district=district).exists()
        and not AreaDistrict.objects.filter(district=district).exists()
    ):
        raise ValidationError({"district": _("No unit lies in this district.")})
    if area is None:
        AreaDistrict.objects.filter(district=district).delete()
    else:
        AreaDistrict.objects.update_or_create(district=district, defaults={"area": area})
    moved = Unit.objects.filter(district=district).exclude(area=area).update(area=area)
    access_record(user=by, action=Action.UPDATE, record_type="district", record_ids=[district[:40]])
    return moved
