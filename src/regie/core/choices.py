"""Labels of TextChoices in the active language, looked up from a small cache.

`get_FOO_display()` rebuilds a dict of the field's choices and casts their lazy labels on every
call; on a caseload of 25 rows that was ~1 ms (bench/). Translations don't change while the
process runs, so one dict per choices class and language is enough."""

from django.db import models
from django.utils.translation import get_language

_labels: dict[tuple[type, str | None], dict[str, str]] = {}


def label(choices: type[models.TextChoices], value: str) -> str:
    key = (choices, get_language())
    labels = _labels.get(key)
    if labels is None:
        labels = _labels[key] = {c.value: str(c.label) for c in choices}
    return labels.get(value, value)
