"""Faults: the database goes away, a worker dies mid-request. Fail closed, lose nothing."""

import http.client
import itertools
import os
import signal
import threading
import time

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import JWT_SECRET, PG_URL, bearer, pg_sql
from tests.proxy import Proxy
from tests.servers import Gunicorn, request

pytestmark = [
    pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)"),
    pytest.mark.parametrize("database_uri", ["postgresql"], indirect=True),
]
CHECK = {"member": "m@acme.test", "org": "acme", "project": "web", "resource": "users",
         "action": "write"}



ACTIVE_ROLES = "SELECT role FROM grants WHERE membership_id = %s AND revoked_at IS NULL"


def access(role):
    return {"access": [{"scope": "project", "project": "web", "role": role}]}


def test_without_the_database_writes_and_checks_fail_closed(app_factory, world, as_member):
    world.org("acme")
    member = world.member("m@acme.test", "project web support")
    key = {"Authorization": f"Bearer {world.service_key()}"}
    proxy = Proxy(make_url(PG_URL).port or 5432)
    try:
        app = app_factory(SQLALCHEMY_DATABASE_URI=make_url(PG_URL).set(
            host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
        client, owner = app.test_client(), as_member("owner@acme.test")
        assert client.post("/v1/check", json=CHECK, headers=key).json["allowed"] is True
        before = pg_sql("SELECT count(*), max(revision) FROM changes")
        proxy.cut()
        for _ in range(3):
            write = client.put(f"/v1/orgs/acme/members/{member}/access", json=access("viewer"),
                               headers=owner)
            assert write.status_code == 503 and set(write.json) == {
                "code", "status", "message", "errors"}
            check = client.post("/v1/check", json=CHECK, headers=key)
            assert check.status_code == 503 and "allowed" not in check.json
        assert pg_sql("SELECT count(*), max(revision) FROM changes") == before  # nothing partial
        assert pg_sql(ACTIVE_ROLES, member) == [("support",)]
        proxy.restore()
        assert client.put(f"/v1/orgs/acme/members/{member}/access", json=access("viewer"),
                          headers=owner).status_code == 200  # recovered without a restart
        assert client.post("/v1/check", json=CHECK, headers=key).json["allowed"] is False
    finally:
        proxy.close()


def test_a_worker_killed_mid_request_loses_nothing_committed(app, world, database_uri,
                                                              tmp_path):
    world.org("acme")
    members = [world.member(f"m{index}@acme.test", "project web viewer") for index in range(5)]
    owner = bearer(app, "owner@acme.test")
    server = Gunicorn(database_uri, 2, tmp_path, JWT_SECRET)
    acknowledged, unknown, killed = [], [], []

    def writer():
        deadline = time.monotonic() + 90
        for round_ in itertools.count():
            if len(acknowledged) >= 100 or time.monotonic() > deadline:
                return
            member, role = members[round_ % 5], ("owner", "support", "viewer")[round_ % 3]
            try:
                status, body, _ = request(server.port, "PUT",
                                          f"/v1/orgs/acme/members/{member}/access",
                                          access(role), owner, timeout=5)
                if status == 200:
                    acknowledged.append((body["revision"], member, role))
            except (OSError, http.client.HTTPException):  # cut short by a kill: outcome unknown
                unknown.append((round_, member, role))

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for _ in range(3):
            time.sleep(0.4)
            victim = server.worker_pids()[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)
        thread.join(120)
    finally:
        server.stop()
    assert len(killed) == 3 and len(acknowledged) >= 100
    revisions = [row[0] for row in pg_sql("SELECT revision FROM changes ORDER BY revision")]
    assert revisions == list(range(1, len(revisions) + 1))  # gap-free log
    assert pg_sql("SELECT revision FROM policy_revision")[0][0] == revisions[-1]
    assert {revision for revision, _, _ in acknowledged} <= set(revisions)
    for member in members:
        last = [row for row in acknowledged if row[1] == member][-1]
        later_unknown = [row for row in unknown if row[1] == member]
        roles = pg_sql(ACTIVE_ROLES, member)
        assert len(roles) == 1
        assert roles[0][0] == last[2] or later_unknown
