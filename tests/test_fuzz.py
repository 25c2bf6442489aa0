"""Property-based API fuzzing with schemathesis against our own /openapi.json, on a running
gunicorn with a real owner JWT and a real service key: no 5xx, every response documented,
every error in the envelope. Bounded here (FUZZ_EXAMPLES, default 25 per operation);
`make fuzz` runs it long."""

import os
import tempfile
from pathlib import Path

import psycopg
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.engine import make_url

from service import create_app
from service.extensions import db
from tests.conftest import BACKENDS, JWT_SECRET, PG_URL, World, app_config, bearer
from tests.servers import Gunicorn

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
SERVICE_PATHS = ("/v1/check", "/v1/lookup/", "/permissions")
ENVELOPE = {"code", "status", "message", "errors"}
pytestmark = pytest.mark.slow


def scratch_database(kind: str):
    if kind == "sqlite":
        return f"sqlite:///{Path(tempfile.mkdtemp()) / 'fuzz.sqlite3'}", lambda: None
    url = make_url(PG_URL)
    name = f"{url.database}_fuzz"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session", params=BACKENDS)
def fuzz_target(request, smtp_server):
    uri, drop = scratch_database(request.param)
    app = create_app(app_config(uri, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port))
    with app.app_context():
        db.create_all()
    world = World(app)
    world.org("acme")
    world.member("alice@acme.test", "org viewer", "project web support")
    headers = {"owner": bearer(app, "owner@acme.test", ttl=3600),
               "service": {"Authorization": f"Bearer {world.service_key()}"}}
    server = Gunicorn(uri, 2, Path(tempfile.mkdtemp()), JWT_SECRET,
                      MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port,
                      INVITATIONS_PER_ORG="100000/day", AUTH_FAILURES_PER_ADDRESS="100000/minute",
                      ACCEPT_ATTEMPTS_PER_ADDRESS="100000/hour", LOG_REQUESTS="false")
    with app.app_context():
        db.engine.dispose()
    yield {"url": f"http://127.0.0.1:{server.port}", "headers": headers}
    server.stop()
    drop()


@schemathesis.check
def error_envelope(ctx, response, case):
    """Every 4xx and 5xx is the one envelope."""
    if response.status_code >= 400:
        body = response.json()
        if not isinstance(body, dict) or set(body) != ENVELOPE or body["code"] != \
                response.status_code:
            raise AssertionError(f"not the error envelope: {response.text[:200]}")


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, error_envelope]


def test_the_api_holds_under_fuzzing(fuzz_target):
    """Every operation, valid and invalid inputs (schemathesis' strategies, hypothesis)."""
    schema = schemathesis.openapi.from_url(f"{fuzz_target['url']}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    failures, sent = [], []
    for operation in operations:
        role = ("service" if any(part in operation.path for part in SERVICE_PATHS)
                else "owner")
        headers = fuzz_target["headers"][role]
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            def exercise(case):
                sent.append(case.operation.label)
                case.call_and_validate(base_url=fuzz_target["url"], headers=headers,  # noqa: B023 (runs in this iteration)
                                       checks=CHECKS)

            try:
                exercise()
            except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
                assert mode is GenerationMode.NEGATIVE
            except Exception as error:  # collect every operation's failure, then report
                failures.append(f"{operation.label} ({mode.value}): {error}"[:2000])
    print(f"fuzzed {len(sent)} requests over {len(operations)} operations")
    assert not failures, "\n\n".join(failures)
