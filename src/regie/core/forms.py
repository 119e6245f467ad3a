"""Form helpers shared by the apps' views."""

from django import forms
from django.core.exceptions import ValidationError


def apply_validation_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its fields where they match, else on the form."""
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


class OwnIds:
    """Give a form's fields ids of their own ("id_action_due"), for pages that show several forms
    with a field of the same name: ids must be unique (WCAG 4.1.1), labels must find their field.
    Field names, and so what is posted, stay the same."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        if self.id_prefix and "prefix" not in kwargs:
            kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


# The largest id a database column holds (a signed 64-bit integer).
_MAX_ID = 2**63 - 1


class IdsField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField that refuses an id too large for the database as a form error.

    Django sends such a value on to the query, and SQLite then raises OverflowError (a 500):
    found by the fuzzing harness (tests/test_fuzz_inputs.py)."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        if key == "pk":
            for pk in value or ():
                text = str(pk).strip()
                if text.lstrip("-").isdigit() and abs(int(text)) > _MAX_ID:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)
