"""Fresh checks on real gunicorn workers and hosts sharing PostgreSQL: never behind a commit."""

import random
import threading

import psycopg
import pytest

from adapters.vocabulary import RESOURCES
from tests import reference
from tests.conftest import JWT_SECRET, PG_URL, bearer, pg_dsn
from tests.servers import Gunicorn, request

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)"),
    pytest.mark.parametrize("database_uri", ["postgresql"], indirect=True),
]
PROJECTS = ["p0", "p1", "p2", "p3"]
MEMBERS = [f"m{index}@acme.test" for index in range(12)]
CHANGES = 300


def random_access(rng) -> list[dict]:
    places = rng.sample([None, *PROJECTS], rng.randint(1, 3))
    return [{"scope": "org" if place is None else "project", "project": place,
             "role": rng.choice(["viewer", "support", "owner"])} for place in places]


def as_text(entry: dict) -> str:
    return (f"org {entry['role']}" if entry["project"] is None
            else f"project {entry['project']} {entry['role']}")


@pytest.fixture
def seeded(app, world):
    world.org("acme", projects=PROJECTS)
    rng = random.Random(3)
    initial, ids = {}, {}
    for email in MEMBERS:
        initial[email] = random_access(rng)
        ids[email] = world.member(email, *map(as_text, initial[email]))
    return {"initial": initial, "ids": ids, "owner": bearer(app, "owner@acme.test"),
            "key": {"Authorization": f"Bearer {world.service_key()}"}}



def history_at(initial, changes, member, revision):
    access = initial[member]
    for changed_at, who, new_access in changes:
        if who == member and changed_at <= revision:
            access = new_access
    return [(entry["project"], entry["role"]) for entry in access]


def run_race(writer_port, checker_ports, seeded, seconds_cap=120):
    """One writer changes access CHANGES times; checkers ask fresh checks until it is done."""
    rng = random.Random(5)
    changes, checks, errors = [], [], []
    done = threading.Event()

    def writer():
        try:
            for _ in range(CHANGES):
                member = rng.choice(MEMBERS)
                member_id = seeded["ids"][member]
                if rng.random() < 0.2:
                    status, body, _ = request(writer_port, "POST",
                                              f"/v1/orgs/acme/members/{member_id}/revoke",
                                              headers=seeded["owner"])
                    new_access = []
                else:
                    new_access = random_access(rng)
                    status, body, _ = request(writer_port, "PUT",
                                              f"/v1/orgs/acme/members/{member_id}/access",
                                              {"access": new_access}, seeded["owner"])
                assert status == 200, body
                changes.append((body["revision"], member, new_access))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            done.set()

    def checker(index):
        local = random.Random(100 + index)
        try:
            with psycopg.connect(pg_dsn(), autocommit=True) as connection:
                while not done.is_set():
                    member, project = local.choice(MEMBERS), local.choice(PROJECTS)
                    resource, action = local.choice(RESOURCES), local.choice(["read", "write"])
                    started_at = connection.execute(
                        "SELECT revision FROM policy_revision").fetchone()[0]
                    port = checker_ports[index % len(checker_ports)]
                    status, body, _ = request(port, "POST", "/v1/check", {
                        "member": member, "org": "acme", "project": project,
                        "resource": resource, "action": action}, seeded["key"])
                    assert status == 200, body
                    checks.append((started_at, body, member, project, resource, action))
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=writer)] + [
        threading.Thread(target=checker, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds_cap)
    assert not errors, errors
    stale = [c for c in checks if c[1]["revision"] < c[0]]
    wrong = [c for c in checks if c[1]["allowed"] != reference.allowed(
        history_at(seeded["initial"], changes, c[2], c[1]["revision"]), c[3], c[4], c[5])]
    return len(changes), checks, stale, wrong


def test_four_workers_never_answer_behind_the_database(database_uri, seeded, tmp_path):
    server = Gunicorn(database_uri, 4, tmp_path, JWT_SECRET)
    try:
        made, checks, stale, wrong = run_race(server.port, [server.port], seeded)
        assert made == CHANGES
        assert len(checks) > 200
        assert stale == [] and wrong == []
        assert len(server.pids_that_served("/v1/check")) == 4
    finally:
        server.stop()


def test_two_hosts_sharing_the_database(database_uri, seeded, tmp_path):
    host_a = Gunicorn(database_uri, 2, tmp_path, JWT_SECRET)
    host_b = Gunicorn(database_uri, 2, tmp_path, JWT_SECRET)
    try:
        made, checks, stale, wrong = run_race(host_a.port, [host_a.port, host_b.port], seeded)
        assert made == CHANGES and len(checks) > 200
        assert stale == [] and wrong == []
        assert host_a.pids_that_served("/v1/check") and host_b.pids_that_served("/v1/check")
    finally:
        host_a.stop()
        host_b.stop()


def test_a_revoke_is_honoured_by_the_next_check_elsewhere(database_uri, seeded, tmp_path):
    host_a = Gunicorn(database_uri, 2, tmp_path, JWT_SECRET)
    host_b = Gunicorn(database_uri, 2, tmp_path, JWT_SECRET)
    try:
        member = MEMBERS[0]
        check = {"member": member, "org": "acme", "project": "p0", "resource": "users",
                 "action": "read"}
        request(host_a.port, "PUT", f"/v1/orgs/acme/members/{seeded['ids'][member]}/access",
                {"access": [{"scope": "org", "project": None, "role": "viewer"}]},
                seeded["owner"])
        for port in (host_a.port, host_b.port) * 3:  # warm every worker's memory
            assert request(port, "POST", "/v1/check", check, seeded["key"])[1]["allowed"]
        status, body, headers = request(
            host_a.port, "POST", f"/v1/orgs/acme/members/{seeded['ids'][member]}/revoke",
            headers=seeded["owner"])
        assert status == 200 and headers["X-Policy-Revision"] == str(body["revision"])
        for port in (host_b.port, host_a.port) * 4:  # no sleep
            status, answer, _ = request(port, "POST", "/v1/check", check, seeded["key"])
            assert answer == {"allowed": False, "revision": body["revision"]}
    finally:
        host_a.stop()
        host_b.stop()
