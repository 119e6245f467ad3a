"""Form helpers shared by the apps' views."""

from django.core.exceptions import ValidationError


def apply_validation_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its fields where they match, else on the form."""
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)
