"""schemathesis against the OpenAPI schema: every operation, fed generated input by a professional
of team A with a DRF token, answers without a server error and with a body that matches the schema.

The schema comes from drf-spectacular's generator (the same one /api/schema/ serves), so loading it
needs no database at collection time; the requests go through the WSGI application. Bounded to a
few examples per operation so the file runs in about a minute."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.serializers.json import DjangoJSONEncoder
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from regie.wsgi import application

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 10


def _schema():
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(generated, cls=DjangoJSONEncoder)))
    loaded.app = application
    return loaded


schema = _schema()


@pytest.fixture(scope="module")
def api_token(sec_world, django_db_blocker):
    with django_db_blocker.unblock():
        return Token.objects.create(user=sec_world.users["professional"]).key


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go straight to the WSGI handler, which would close the test's database connection
    (and with it the test transaction) at every request; Django's test client does the same."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same inputs every run: CI is reproducible
    database=None,
)
def test_api_operation(case, api_token):
    response = case.call(headers={"Authorization": f"Token {api_token}"})
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
