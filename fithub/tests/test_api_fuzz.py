"""The API against its own OpenAPI schema, with schemathesis: generated requests from a user of
the fixed cast, in-process, with a fixed seed and a bounded number of examples per operation.

No request may end in a server error, and every response must be one the schema documents.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from fithub.conftest import Cast

EXAMPLES = 3  # per operation: about two minutes for the whole API on SQLite, single process

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_tests_connection() -> Iterator[None]:
    # Requests go through the WSGI app, not Django's test client, so Django's request signals
    # still call close_old_connections: once the test's connection is older than CONN_MAX_AGE
    # (60 s, reached late in a PostgreSQL run) it was closed inside the test's transaction and
    # every later request failed. The test client disconnects the same handler.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(cast: Cast) -> str:
    # Provider A's administrator: a user who may read and write much of the API.
    return Token.objects.get_or_create(user=cast.admin_a)[0].key


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run, so a failure can be reproduced
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case: Any, token: str) -> None:
    case.call_and_validate(
        # identity: the test client hands back the body as sent, and gzip would reach the
        # checks still compressed.
        headers={"Authorization": f"Token {token}", "Accept-Encoding": "identity"},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
