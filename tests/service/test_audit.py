"""The audit log: every change, oldest first, paged by cursor, append-only."""

import pytest

OWNER = "owner@acme.test"
URL = "/v1/orgs/acme/audit"


@pytest.fixture
def owner(world, as_member):
    world.org("acme")
    return as_member(OWNER)


def test_records_every_kind_of_change(client, owner, as_member, world, mailbox):
    bob = world.member("bob@acme.test", "org viewer")  # staged by a rule, actor "cli"
    client.post("/v1/orgs/acme/projects", headers=owner, json={"slug": "api", "name": "API"})
    created = client.post("/v1/orgs/acme/invitations", headers=owner,
                          json={"email": "new@acme.test", "role": "viewer"}).json
    client.post(f"/v1/orgs/acme/invitations/{created['id']}/resend", headers=owner)
    client.post("/v1/invitations/accept", headers=as_member("new@acme.test"),
                json={"token": mailbox.link_token("new@acme.test"), "name": "New"})
    second = client.post("/v1/orgs/acme/invitations", headers=owner,
                         json={"email": "two@acme.test", "role": "viewer"}).json
    client.post(f"/v1/orgs/acme/invitations/{second['id']}/cancel", headers=owner)
    client.delete(f"/v1/orgs/acme/invitations/{second['id']}", headers=owner)
    client.post(f"/v1/orgs/acme/members/{bob}/revoke", headers=owner)
    client.put(f"/v1/orgs/acme/members/{bob}/access", headers=owner,
               json={"access": [{"scope": "org", "project": None, "role": "support"}]})
    items = client.get(URL, headers=owner).json["items"]
    assert [item["action"] for item in items] == [
        "org.created", "project.created", "project.created", "access.changed",
        "project.created", "invitation.created", "invitation.resent", "invitation.accepted",
        "access.changed", "invitation.created", "invitation.cancelled", "invitation.removed",
        "member.suspended", "member.restored"]
    assert [item["id"] for item in items] == sorted(item["id"] for item in items)
    suspended = items[-2]
    assert suspended["actor"] == OWNER and suspended["target"] == f"member:{bob}"
    assert suspended["before"] == {"access": [{"scope": "org", "project": None,
                                               "role": "viewer"}]}
    assert suspended["after"] == {"access": []}
    assert set(suspended) == {"id", "at", "actor", "action", "target", "before", "after"}


def test_pages_with_a_cursor(client, owner):
    first = client.get(f"{URL}?limit=2", headers=owner).json
    assert len(first["items"]) == 2 and first["next"]
    second = client.get(f"{URL}?limit=2&after={first['next']}", headers=owner).json
    assert [item["action"] for item in second["items"]] == ["project.created"]
    assert second["next"] is None


@pytest.mark.parametrize("query", ["?limit=0", "?limit=501", "?after=abc", "?before=1"])
def test_bad_queries_are_422(client, owner, query):
    assert client.get(f"{URL}{query}", headers=owner).status_code == 422


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "POST"])
def test_nothing_edits_the_log(client, owner, method):
    assert client.open(URL, method=method, headers=owner).status_code == 405
    assert client.open(f"{URL}/1", method=method, headers=owner).status_code == 404
