"""Cached choice labels equal Django's get_FOO_display in every language."""

import pytest
from django.utils import translation

from regie.cases.models import Case, Status
from regie.core.choices import label


@pytest.mark.parametrize("language", ["nl", "en"])
def test_labels_follow_the_active_language(language):
    with translation.override(language):
        for status in Status:
            assert label(Status, status.value) == Case(status=status.value).get_status_display()
    assert label(Status, "unknown") == "unknown"


def test_the_cache_does_not_leak_between_languages():
    with translation.override("nl"):
        dutch = label(Status, "closed")
    with translation.override("en"):
        english = label(Status, "closed")
    assert (dutch, english) == ("Afgesloten", "Closed")
