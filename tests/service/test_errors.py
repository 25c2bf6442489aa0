"""One envelope for every error, and fail-closed answers when the policy or database breaks."""

import shutil

import pytest

from adapters.policy_files import POLICY_DIR
from service import create_app
from service.errors import DomainError
from tests.conftest import app_config

CHECK = {"member": "owner@acme.test", "org": "acme", "project": "web",
         "resource": "webhooks", "action": "write"}


def assert_envelope(response, status):
    assert response.status_code == status
    assert response.is_json
    assert set(response.json) == {"code", "status", "message", "errors"}
    assert response.json["code"] == status
    assert isinstance(response.json["status"], str) and response.json["message"]


def every_domain_error():
    pending, found = [DomainError], []
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


@pytest.fixture
def raising_app(app_factory):
    app = app_factory()

    @app.get("/test/raise/<name>")
    def raise_it(name):
        if name == "internal":
            raise RuntimeError("connection string postgresql://secret@db")
        raise next(cls for cls in every_domain_error() if cls.__name__ == name)()

    return app


@pytest.mark.parametrize("error", every_domain_error(), ids=lambda cls: cls.__name__)
def test_every_domain_error_uses_the_envelope(raising_app, error):
    response = raising_app.test_client().get(f"/test/raise/{error.__name__}")
    assert_envelope(response, error.status)
    assert response.json["message"] == error.message


def test_a_500_hides_internals(raising_app):
    response = raising_app.test_client().get("/test/raise/internal")
    assert_envelope(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert response.json["message"] == "Internal server error."


def test_http_errors_use_the_envelope(client, service_headers):
    assert_envelope(client.get("/no/such/path"), 404)
    assert_envelope(client.get("/v1/check"), 405)
    assert_envelope(client.post("/v1/check", data="{", headers={
        **service_headers, "Content-Type": "application/json"}), 400)
    assert_envelope(client.post("/v1/check", data="member=x", headers={
        **service_headers, "Content-Type": "application/x-www-form-urlencoded"}), 415)
    big = "x" * (1024 * 1024 + 1)
    assert_envelope(client.post("/v1/check", data=big, headers={
        **service_headers, "Content-Type": "application/json"}), 413)


def test_validation_errors_list_fields(client, service_headers):
    response = client.post("/v1/check", json={"org": "acme"}, headers=service_headers)
    assert_envelope(response, 422)
    assert {"member", "resource", "action"} <= set(response.json["errors"])
    assert_envelope(client.post("/v1/check", json=[1], headers=service_headers), 422)


def test_a_401_uses_the_envelope(client):
    response = client.post("/v1/check", json=CHECK)
    assert_envelope(response, 401)
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("uri", [
    "sqlite:////nonexistent/dir/rolegate.sqlite3",
    "postgresql+psycopg://postgres@127.0.0.1:1/rolegate?connect_timeout=2",
])
def test_no_database_means_503_never_allowed(uri):
    app = create_app(app_config(uri))
    client = app.test_client()
    response = client.post("/v1/check", json=CHECK, headers={"Authorization": "Bearer rgk_x"})
    assert_envelope(response, 503)
    assert_envelope(client.get("/readyz"), 503)
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("damage", ["empty", "broken rule"])
def test_a_broken_policy_means_503_never_allowed(app_factory, world, tmp_path, damage):
    policy = tmp_path / "policy"
    shutil.copytree(POLICY_DIR, policy)
    if damage == "empty":
        for path in policy.glob("*.csv"):
            path.unlink()
    else:
        with (policy / "owner.csv").open("a") as file:
            file.write("\n# Broken.\np, role:owner, everything, write, project\n")
    world.org("acme")
    key = world.service_key()
    app = app_factory(POLICY_DIR=policy)
    client = app.test_client()
    response = client.post("/v1/check", json=CHECK, headers={"Authorization": f"Bearer {key}"})
    assert_envelope(response, 503)
    assert "allowed" not in response.json
    assert_envelope(client.get("/readyz"), 503)
