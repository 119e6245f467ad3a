"""Amounts as UX.md asks: € 1.234,56 in Dutch, € 1,234.56 in English."""

from decimal import Decimal

import pytest
from django.utils import translation

from regie.core.templatetags.regie import euro


@pytest.mark.parametrize(
    ("value", "nl", "en"),
    [
        (Decimal("1234.56"), "€ 1.234,56", "€ 1,234.56"),
        (Decimal("-12.5"), "-€ 12,50", "-€ 12.50"),
        (Decimal("0"), "€ 0,00", "€ 0.00"),
        (Decimal("1234567"), "€ 1.234.567,00", "€ 1,234,567.00"),
        ("999.995", "€ 1.000,00", "€ 1,000.00"),
        (None, "–", "–"),
    ],
)
def test_euro(value, nl, en):
    with translation.override("nl"):
        assert euro(value) == nl
    with translation.override("en"):
        assert euro(value) == en
