"""The API against its own OpenAPI schema, with schemathesis: generated requests from a user of
the fixed cast, in-process, with a fixed seed and a bounded number of examples per operation.

No request may end in a server error, and every response must be one the schema documents.
"""

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from fithub.conftest import Cast

EXAMPLES = 3  # per operation: about two minutes for the whole API on SQLite, single process

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()


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
