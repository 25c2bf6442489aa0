"""Abuse limits: 429 in the envelope with Retry-After; Redis shares counts across workers."""

import pytest
import redis

OWNER = "owner@acme.test"


def assert_429(response):
    assert response.status_code == 429
    assert set(response.json) == {"code", "status", "message", "errors"}
    assert int(response.headers["Retry-After"]) >= 1


def test_invitations_per_org_per_day(app_factory, world, as_member, mailbox):
    app = app_factory(INVITATIONS_PER_ORG="3/day")
    world.org("acme")
    world.org("globex", owner="owner@globex.test")
    client = app.test_client()
    for index in range(3):
        assert client.post("/v1/orgs/acme/invitations", headers=as_member(OWNER),
                           json={"email": f"p{index}@acme.test", "role": "viewer"}
                           ).status_code == 201
    # a refused invitation (409) does not count against the org
    assert client.post("/v1/orgs/globex/invitations", headers=as_member("owner@globex.test"),
                       json={"email": "owner@globex.test", "role": "viewer"}).status_code == 409
    assert_429(client.post("/v1/orgs/acme/invitations", headers=as_member(OWNER),
                           json={"email": "p9@acme.test", "role": "viewer"}))
    assert client.post("/v1/orgs/globex/invitations", headers=as_member("owner@globex.test"),
                       json={"email": "x@globex.test", "role": "viewer"}).status_code == 201


def test_acceptance_attempts_per_address(app_factory, world, as_member):
    app = app_factory(ACCEPT_ATTEMPTS_PER_ADDRESS="3/hour")
    world.org("acme")
    client = app.test_client()
    for _ in range(3):
        assert client.post("/v1/invitations/accept", headers=as_member("x@acme.test"),
                           json={"token": "guess", "name": "x"}).status_code == 404
    assert_429(client.post("/v1/invitations/accept", headers=as_member("x@acme.test"),
                           json={"token": "guess", "name": "x"}))


def test_failed_authentications_per_address(app_factory, world):
    app = app_factory(AUTH_FAILURES_PER_ADDRESS="3/minute")
    world.org("acme")
    key = {"Authorization": f"Bearer {world.service_key()}"}
    client = app.test_client()
    body = {"member": OWNER, "org": "acme", "resource": "members", "action": "read"}
    for index in range(3):
        bad = {"Authorization": f"Bearer rgk_guess{index}"}
        assert client.post("/v1/check", json=body, headers=bad).status_code == 401
    assert_429(client.post("/v1/check", json=body, headers={"Authorization": "Bearer rgk_4"}))
    other = client.post("/v1/check", json=body, headers={"Authorization": "Bearer rgk_5"},
                        environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert other.status_code == 401  # another address has its own count
    assert client.post("/v1/check", json=body, headers=key).status_code == 200  # keys still work


@pytest.fixture
def shared_redis():
    client = redis.Redis(host="127.0.0.1", port=6379, db=15)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    client.flushdb()
    yield "redis://127.0.0.1:6379/15"
    client.flushdb()
    client.close()


def test_redis_storage_counts_across_workers(app_factory, world, shared_redis):
    settings = {"RATELIMIT_STORAGE_URI": shared_redis, "AUTH_FAILURES_PER_ADDRESS": "4/minute"}
    first, second = app_factory(**settings), app_factory(**settings)
    world.org("acme")
    body = {"member": OWNER, "org": "acme", "resource": "members", "action": "read"}
    bad = {"Authorization": "Bearer rgk_guess"}
    for app in (first, second, first, second):
        assert app.test_client().post("/v1/check", json=body, headers=bad).status_code == 401
    assert_429(second.test_client().post("/v1/check", json=body, headers=bad))
