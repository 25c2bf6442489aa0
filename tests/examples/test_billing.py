"""The billing example against a running Rolegate, both as real processes."""

import os
import subprocess
import sys

import pytest

from tests.conftest import JWT_SECRET, bearer
from tests.servers import ROOT, Gunicorn, free_port, request, wait_answering


@pytest.fixture
def rolegate(database_uri, world, tmp_path):
    world.org("acme")
    world.member("sam@acme.test", "project web support")
    server = Gunicorn(database_uri, 2, tmp_path, JWT_SECRET)
    yield server
    server.stop()


def start_billing(env: dict) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "examples.billing.app:create_app()"],
        cwd=ROOT, env={**os.environ, "BILLING_SECRET_KEY": "billing-" + "s" * 32, **env},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_answering(process, port, "/healthz", timeout=30)
    return process, port


class Browser:
    """One user's cookie jar against the billing app."""

    def __init__(self, port: int, email: str):
        self.port = port
        _, _, headers = request(port, "POST", "/login", {"email": email})
        self.cookie = headers["Set-Cookie"].split(";")[0]

    def get(self, path):
        return request(self.port, "GET", path, headers={"Cookie": self.cookie})[0]


def revoke_sam(app, rolegate_port, world):
    owner = bearer(app, "owner@acme.test")
    status, members, _ = request(rolegate_port, "GET", "/v1/orgs/acme/members", headers=owner)
    sam = next(item["id"] for item in members["items"] if item["email"] == "sam@acme.test")
    assert request(rolegate_port, "POST", f"/v1/orgs/acme/members/{sam}/revoke",
                   headers=owner)[0] == 200


def test_over_http_allow_deny_revoke_and_service_down(app, world, rolegate):
    billing, port = start_billing({
        "BILLING_ROLEGATE_URL": f"http://127.0.0.1:{rolegate.port}",
        "BILLING_ROLEGATE_SERVICE_KEY": world.service_key(), "BILLING_ROLEGATE_TIMEOUT": "1"})
    try:
        sam = Browser(port, "sam@acme.test")
        assert sam.get("/projects/web/subscriptions") == 200
        assert sam.get("/projects/web/webhooks") == 403
        assert sam.get("/projects/mobile/subscriptions") == 403
        assert request(port, "GET", "/projects/web/subscriptions")[0] == 401
        revoke_sam(app, rolegate.port, world)
        assert sam.get("/projects/web/subscriptions") == 403  # the very next request
        rolegate.stop()
        assert Browser(port, "owner@acme.test").get("/projects/web/subscriptions") == 503
    finally:
        billing.terminate()
        billing.wait(10)


def test_in_process_mode_on_the_shared_database(app, world, rolegate, database_uri):
    billing, port = start_billing({"BILLING_ROLEGATE_DATABASE_URI": database_uri})
    try:
        sam = Browser(port, "sam@acme.test")
        assert sam.get("/projects/web/subscriptions") == 200
        assert sam.get("/projects/web/webhooks") == 403
        revoke_sam(app, rolegate.port, world)  # committed by Rolegate, seen from the change log
        assert sam.get("/projects/web/subscriptions") == 403
    finally:
        billing.terminate()
        billing.wait(10)
