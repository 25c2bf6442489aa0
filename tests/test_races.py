"""Races on PostgreSQL with real parallel clients against gunicorn: the rules hold."""

import threading

import pytest

from tests.conftest import JWT_SECRET, PG_URL, bearer, pg_sql
from tests.servers import Gunicorn, request

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)"),
    pytest.mark.parametrize("database_uri", ["postgresql"], indirect=True),
]


@pytest.fixture
def server(database_uri, tmp_path, smtp_server):
    running = Gunicorn(database_uri, 4, tmp_path, JWT_SECRET, MAIL_SERVER="127.0.0.1",
                       MAIL_PORT=smtp_server.port)
    yield running
    running.stop()


def at_once(*calls):
    """Run the calls in parallel threads, released together; return their results in order."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results



def test_two_owners_removing_each_other_never_leave_none(app, world, server):
    world.org("acme")
    a = world.member("a@acme.test", "org owner")
    b = world.member("b@acme.test", "org owner")
    world.suspend(world.member("owner@acme.test", "org viewer"))  # leave exactly a and b
    as_a, as_b = bearer(app, "a@acme.test"), bearer(app, "b@acme.test")
    demote = {"access": [{"scope": "org", "project": None, "role": "viewer"}]}
    outcomes = []
    for round_ in range(25):
        method, suffix, body = ("POST", "/revoke", None) if round_ % 2 else ("PUT", "/access",
                                                                              demote)
        results = at_once(
            lambda m=method, s=suffix, b_=body: request(
                server.port, m, f"/v1/orgs/acme/members/{b}{s}", b_, as_a),
            lambda m=method, s=suffix, b_=body: request(
                server.port, m, f"/v1/orgs/acme/members/{a}{s}", b_, as_b))
        statuses = sorted(status for status, _, _ in results)
        outcomes.append(statuses)
        owners = pg_sql("SELECT count(*) FROM grants JOIN memberships m ON m.id = membership_id "
                     "WHERE scope = 'org' AND role = 'owner' AND revoked_at IS NULL")[0][0]
        assert owners == 1, results  # exactly one removal won
        # the loser: 409 (last Owner), or, once the winner removed it, 403 (demoted) / 404 (gone)
        assert statuses in ([200, 403], [200, 404], [200, 409]), results
        world.member("a@acme.test", "org owner")  # both owners again for the next round
        world.member("b@acme.test", "org owner")


def test_one_invitation_accepted_twice_at_once(app, client, world, server, mailbox, as_member):
    world.org("acme")
    for round_ in range(10):
        email = f"new{round_}@acme.test"
        created = client.post("/v1/orgs/acme/invitations", headers=as_member("owner@acme.test"),
                              json={"email": email, "role": "viewer"})
        assert created.status_code == 201
        body = {"token": mailbox.link_token(email), "name": "New"}
        head = bearer(app, email)
        results = at_once(*[lambda b=body, h=head: request(
            server.port, "POST", "/v1/invitations/accept", b, h)] * 3)
        statuses = sorted(status for status, _, _ in results)
        assert statuses == [200, 410, 410], results
    grants = pg_sql("SELECT count(*) FROM grants JOIN memberships m ON m.id = membership_id "
                 "JOIN people p ON p.id = m.person_id WHERE p.email LIKE 'new%'")[0][0]
    assert grants == 10


def test_the_same_email_invited_twice_at_once(app, world, server, mailbox):
    world.org("acme")
    head = bearer(app, "owner@acme.test")
    for round_ in range(10):
        body = {"email": f"twice{round_}@acme.test", "role": "viewer"}
        results = at_once(*[lambda b=body: request(server.port, "POST",
                                                   "/v1/orgs/acme/invitations", b, head)] * 3)
        assert sorted(status for status, _, _ in results) == [201, 409, 409], results
    rows = pg_sql("SELECT email, count(*) FROM invitations WHERE state = 'open' GROUP BY email")
    assert len(rows) == 10 and all(count == 1 for _, count in rows)


def test_checks_never_see_half_of_an_access_edit(app, world, server):
    """Each PUT swaps owner of p0 AND p1 for viewer of both, or back: a batch sees both or none."""
    world.org("acme", projects=("p0", "p1"))
    member = world.member("m@acme.test", "project p0 owner", "project p1 owner")
    key = {"Authorization": f"Bearer {world.service_key()}"}
    head = bearer(app, "owner@acme.test")
    done, torn, seen = threading.Event(), [], []

    def edit():
        for round_ in range(150):
            role = "viewer" if round_ % 2 == 0 else "owner"
            access = [{"scope": "project", "project": p, "role": role} for p in ("p0", "p1")]
            status, _, _ = request(server.port, "PUT", f"/v1/orgs/acme/members/{member}/access",
                                   {"access": access}, head)
            assert status == 200
        done.set()

    def check():
        batch = {"checks": [{"member": "m@acme.test", "org": "acme", "project": p,
                             "resource": "webhooks", "action": "write"} for p in ("p0", "p1")]}
        while not done.is_set():
            status, body, _ = request(server.port, "POST", "/v1/check/batch", batch, key)
            assert status == 200
            answers = [result["allowed"] for result in body["results"]]
            seen.append(answers[0])
            if answers[0] != answers[1]:
                torn.append(answers)

    threads = [threading.Thread(target=edit)] + [threading.Thread(target=check)
                                                  for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert torn == []
    assert True in seen and False in seen  # the edits really raced the checks
