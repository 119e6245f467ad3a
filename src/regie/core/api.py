"""Shared API pieces: errors as field-level messages in the user's language."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    # Service functions raise Django's ValidationError; answer it as a 400 with field messages.
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    return drf_exception_handler(exc, context)


class IdField(serializers.IntegerField):
    """A record's id in an API input: a positive integer that fits the database's id column.

    DRF's IntegerField passes a 40-digit number on to the query, where SQLite raises
    OverflowError (a 500); schemathesis found it (tests/security/test_api_schema.py)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)
