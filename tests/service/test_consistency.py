"""Fresh by default, minimize_latency within a bound, at_least a revision; fail closed."""

import time

import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from service.engine import current_engine
from service.extensions import db
from service.rules import members, orgs
from tests.conftest import PG_URL
from tests.proxy import Proxy

CHECK = {"member": "viewer@acme.test", "org": "acme", "project": "web",
         "resource": "plans", "action": "read"}


@pytest.fixture
def acme(world):
    world.org("acme")
    return world.member("viewer@acme.test", "org viewer")


@pytest.fixture
def key(world):
    return {"Authorization": f"Bearer {world.service_key()}"}


def revoke(app, member_id) -> int:
    with app.app_context():
        org = orgs.get(db.session, "acme")
        revision = members.revoke(db.session, org, members.get(db.session, org, member_id), None)
        db.session.commit()
        return revision


def ask(client, key, **extra):
    response = client.post("/v1/check", json={**CHECK, **extra}, headers=key)
    assert response.status_code == 200, response.json
    return response.json


def test_minimize_latency_answers_from_memory_within_the_bound(app_factory, acme, key):
    reader = app_factory(CHECK_MAX_STALENESS_SECONDS=0.5)
    client = reader.test_client()
    before = ask(client, key)
    revision = revoke(app_factory(), acme)
    stale = ask(client, key, consistency="minimize_latency")
    assert stale == {"allowed": True, "revision": before["revision"]}  # memory, no DB read
    time.sleep(0.6)
    assert ask(client, key, consistency="minimize_latency") == {
        "allowed": False, "revision": revision}


def test_fresh_is_the_default_and_sees_the_change_at_once(app_factory, acme, key):
    reader = app_factory(CHECK_MAX_STALENESS_SECONDS=60)
    client = reader.test_client()
    ask(client, key, consistency="minimize_latency")
    revision = revoke(app_factory(), acme)
    assert ask(client, key) == {"allowed": False, "revision": revision}
    assert ask(client, key, consistency="fresh")["revision"] == revision


def test_at_least_catches_up_only_when_behind(app_factory, acme, key):
    reader = app_factory(CHECK_MAX_STALENESS_SECONDS=60)
    client = reader.test_client()
    old = ask(client, key)["revision"]
    assert ask(client, key, consistency={"at_least": old})["revision"] == old
    revision = revoke(app_factory(), acme)
    assert ask(client, key, consistency={"at_least": revision}) == {
        "allowed": False, "revision": revision}
    future = client.post("/v1/check", headers=key,
                         json={**CHECK, "consistency": {"at_least": revision + 5}})
    assert future.status_code == 422
    assert "does not exist yet" in future.json["errors"]["consistency"][0]


def test_batch_takes_a_consistency_too(app_factory, acme, key):
    reader = app_factory(CHECK_MAX_STALENESS_SECONDS=60)
    client = reader.test_client()
    ask(client, key)
    revoke(app_factory(), acme)
    body = {"checks": [CHECK], "consistency": "minimize_latency"}
    assert client.post("/v1/check/batch", json=body, headers=key).json["results"] == [
        {"allowed": True}]
    body["consistency"] = "fresh"
    assert client.post("/v1/check/batch", json=body, headers=key).json["results"] == [
        {"allowed": False}]


@pytest.mark.parametrize("value", ["eventual", {"at_least": -1}, {"at_least": "3"},
                                   {"at_least": True}, {"at_least": 1, "x": 2}, 5, None])
def test_bad_consistency_is_422(client, acme, key, value):
    response = client.post("/v1/check", json={**CHECK, "consistency": value}, headers=key)
    assert response.status_code == 422
    assert "consistency" in response.json["errors"]


def test_a_change_committed_during_the_load_is_not_lost(app_factory, acme, world):
    """The load reads the revision first; a commit after the grants were read is replayed."""
    reader, writer = app_factory(), app_factory()
    bob = world.member("bob@acme.test", "project web viewer")
    committed = []

    with reader.app_context():
        @event.listens_for(db.engine, "before_cursor_execute")
        def commit_after_grants_were_read(conn, cursor, statement, *args):
            if "FROM service_keys" in statement and not committed:
                committed.append(revoke(writer, bob))

        engine = current_engine()
        loaded = engine.fresh(db.session)
        assert committed and loaded.revision < committed[0]
        assert loaded.decisions.access(bob) is not None  # read before the revoke committed
        caught_up = engine.fresh(db.session)
        assert caught_up.revision == committed[0]
        assert caught_up.decisions.access(bob) is None


requires_pg = pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)")


@pytest.fixture
def pg_proxy():
    proxy = Proxy(make_url(PG_URL).port or 5432)
    yield proxy
    proxy.close()


def through(proxy) -> str:
    return make_url(PG_URL).set(host="127.0.0.1", port=proxy.port).render_as_string(
        hide_password=False)


@requires_pg
@pytest.mark.parametrize("database_uri", ["postgresql"], indirect=True)
def test_without_the_database_fresh_fails_closed_and_recovers(app_factory, acme, key, pg_proxy):
    reader = app_factory(SQLALCHEMY_DATABASE_URI=through(pg_proxy),
                         CHECK_MAX_STALENESS_SECONDS=2.0)
    client = reader.test_client()
    assert ask(client, key)["allowed"] is True
    pg_proxy.cut()
    response = client.post("/v1/check", json=CHECK, headers=key)
    assert response.status_code == 503 and "allowed" not in response.json
    lagging = client.post("/v1/check", json={**CHECK, "consistency": "minimize_latency"},
                          headers=key)
    assert lagging.status_code == 200  # within the bound, memory may answer
    time.sleep(2.1)
    expired = client.post("/v1/check", json={**CHECK, "consistency": "minimize_latency"},
                          headers=key)
    assert expired.status_code == 503 and "allowed" not in expired.json
    pg_proxy.restore()
    assert ask(client, key)["allowed"] is True  # back without a restart


@requires_pg
@pytest.mark.parametrize("database_uri", ["postgresql"], indirect=True)
def test_a_notification_brings_minimize_latency_up_to_date(app_factory, acme, key):
    reader = app_factory(CHECK_MAX_STALENESS_SECONDS=60)  # only NOTIFY can make it re-read
    client = reader.test_client()
    assert ask(client, key, consistency="minimize_latency")["allowed"] is True
    time.sleep(0.3)  # the listener thread connects
    revision = revoke(app_factory(), acme)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        answer = ask(client, key, consistency="minimize_latency")
        if answer["revision"] == revision:
            break
        time.sleep(0.01)
    assert answer == {"allowed": False, "revision": revision}
