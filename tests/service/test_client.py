"""The Python client against a real running Rolegate, and against servers that misbehave."""

import time

import pytest

from service.client import Client, Decision, RolegateError
from tests.conftest import JWT_SECRET
from tests.misbehaving import Misbehaving
from tests.servers import Gunicorn, free_port


@pytest.fixture
def served(database_uri, world, tmp_path):
    world.org("acme")
    alice = world.member("alice@acme.test", "org viewer", "project web support")
    key = world.service_key()
    server = Gunicorn(database_uri, 2, tmp_path, JWT_SECRET)
    yield {"url": f"http://127.0.0.1:{server.port}", "key": key, "alice": alice,
           "server": server}
    server.stop()


def test_check_and_explain(served):
    client = Client(served["url"], served["key"])
    decision = client.check("alice@acme.test", "acme", "users", "write", project="web",
                            explain=True)
    assert decision.allowed and bool(decision) and decision.error is None
    assert isinstance(decision.revision, int)
    assert decision.explanation["grant"]["role"] == "support"
    assert not client.check("alice@acme.test", "acme", "users", "write", project="mobile")
    assert client.check("alice@acme.test", "acme", "users", "read",
                        consistency="minimize_latency").allowed


def test_check_many_keeps_order_across_chunks(served):
    client = Client(served["url"], served["key"])
    asked = [{"member": "alice@acme.test", "org": "acme", "project": project,
              "resource": "users", "action": "write"} for project in ["web", "mobile"] * 1200]
    decisions = client.check_many(asked)
    assert [d.allowed for d in decisions] == [True, False] * 1200


def test_lookups_and_permissions(served):
    client = Client(served["url"], served["key"])
    assert client.lookup_projects("alice@acme.test", "acme", "users", "write") == ["web"]
    found = client.lookup_members("acme", "users", "write", project="web")
    assert [item["email"] for item in found["items"]] == ["owner@acme.test", "alice@acme.test"]
    permissions = client.permissions("acme", served["alice"], project="web")
    assert {"resource": "users", "action": "write",
            "grant": {"scope": "project", "project": "web", "role": "support"}} in permissions


def test_a_wrong_key_is_a_denial_with_an_error(served):
    decision = Client(served["url"], "rgk_wrong").check("alice@acme.test", "acme", "users",
                                                        "read")
    assert decision == Decision(allowed=False, error="HTTP 401: A valid service key is required.")
    with pytest.raises(RolegateError):
        Client(served["url"], "rgk_wrong").lookup_projects("a@acme.test", "acme", "users", "read")


def test_a_typo_is_loud_not_a_denial(served):
    decision = Client(served["url"], served["key"]).check("alice@acme.test", "acme", "user",
                                                          "read")
    assert not decision.allowed and decision.error.startswith("HTTP 422")


@pytest.mark.parametrize("behaviour", ["status500", "garbage", "not-json", "allow-list"])
def test_misbehaving_servers_never_allow(behaviour):
    server = Misbehaving(behaviour)
    try:
        client = Client(f"http://127.0.0.1:{server.port}", "k", timeout=2)
        decision = client.check("a@acme.test", "acme", "users", "read")
        assert decision.allowed is False and decision.error
        assert [d.allowed for d in client.check_many(
            [{"member": "a", "org": "acme", "resource": "users", "action": "read"}] * 3)] == [
            False] * 3
        with pytest.raises(RolegateError):
            Client(f"http://127.0.0.1:{server.port}", "k", raise_errors=True).check(
                "a@acme.test", "acme", "users", "read")
    finally:
        server.close()


def test_a_hanging_server_times_out_closed_without_a_retry():
    server = Misbehaving("hang")
    try:
        started = time.monotonic()
        decision = Client(f"http://127.0.0.1:{server.port}", "k", timeout=0.5).check(
            "a@acme.test", "acme", "users", "read")
        elapsed = time.monotonic() - started
        assert decision.allowed is False and "unreachable" in decision.error
        assert 0.4 < elapsed < 1.5
        assert server.connections == 1  # a timeout is not retried
    finally:
        server.close()


def test_a_refused_connection_is_retried_once_then_denied():
    port = free_port()  # nothing listens
    decision = Client(f"http://127.0.0.1:{port}", "k", timeout=0.5).check(
        "a@acme.test", "acme", "users", "read")
    assert decision.allowed is False and "unreachable" in decision.error


def test_a_retry_recovers_a_dropped_pooled_connection(served):
    client = Client(served["url"], served["key"])
    assert client.check("alice@acme.test", "acme", "users", "read").allowed
    # gunicorn's sync workers close each connection; the pool's next use must still answer
    assert client.check("alice@acme.test", "acme", "users", "read").allowed
