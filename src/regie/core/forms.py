"""Form helpers shared by the apps' views."""

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
