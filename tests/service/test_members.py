"""Members: list, read, replace access, revoke, restore, and keep one organization Owner."""

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import Grant

OWNER = "owner@acme.test"


def access(*entries):
    result = []
    for text in entries:
        words = text.split()
        result.append({"scope": "org", "project": None, "role": words[1]} if words[0] == "org"
                      else {"scope": "project", "project": words[1], "role": words[2]})
    return {"access": result}


@pytest.fixture
def acme(world):
    world.org("acme")
    return {"alice": world.member("alice@acme.test", "org viewer", "project web support"),
            "bob": world.member("bob@acme.test", "project mobile viewer")}


@pytest.fixture
def owner(as_member, acme):
    return as_member(OWNER)


def members_url(path=""):
    return f"/v1/orgs/acme/members{path}"


def test_list_shows_members_with_their_access(client, owner, acme):
    response = client.get(members_url(), headers=owner)
    assert response.status_code == 200
    body = response.json
    assert (body["page"], body["per_page"], body["total"]) == (1, 50, 3)
    alice = next(item for item in body["items"] if item["email"] == "alice@acme.test")
    assert set(alice) == {"id", "email", "name", "status", "access", "created_at", "updated_at"}
    assert alice["status"] == "active"
    assert alice["access"] == access("org viewer", "project web support")["access"]


def test_list_paginates(client, owner, acme):
    first = client.get(members_url("?page=1&per_page=2"), headers=owner).json
    second = client.get(members_url("?page=2&per_page=2"), headers=owner).json
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert first["total"] == second["total"] == 3
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert len(set(ids)) == 3


@pytest.mark.parametrize("query", ["?status=gone", "?page=0", "?per_page=1000", "?sort=name"])
def test_bad_queries_are_422(client, owner, acme, query):
    assert client.get(members_url(query), headers=owner).status_code == 422


def test_get_one_member(client, owner, acme):
    response = client.get(members_url(f"/{acme['bob']}"), headers=owner)
    assert response.json["email"] == "bob@acme.test"
    assert client.get(members_url("/999999"), headers=owner).status_code == 404


def test_put_access_replaces_grants_and_takes_effect_at_once(client, owner, acme,
                                                             service_headers):
    check = {"member": "bob@acme.test", "org": "acme", "project": "web",
             "resource": "webhooks", "action": "write"}
    assert client.post("/v1/check", json=check, headers=service_headers).json["allowed"] is False
    response = client.put(members_url(f"/{acme['bob']}/access"), headers=owner,
                          json=access("project web owner"))
    assert response.status_code == 200
    assert response.json["access"] == access("project web owner")["access"]
    revision = response.json["revision"]
    assert response.headers["X-Policy-Revision"] == str(revision)
    decided = client.post("/v1/check", json=check, headers=service_headers).json
    assert decided == {"allowed": True, "revision": revision}
    mobile = client.post("/v1/check", json={**check, "project": "mobile", "resource": "users",
                                            "action": "read"}, headers=service_headers)
    assert mobile.json["allowed"] is False  # the old mobile grant is gone


@pytest.mark.parametrize(("body", "field"), [
    ({"access": []}, "access"),
    (access("org viewer", "org viewer"), "access"),
    (access("project web viewer", "project web owner"), "access"),
    (access("project nope viewer"), "access"),
    ({"access": [{"scope": "org", "project": "web", "role": "viewer"}]}, "access"),
    ({"access": [{"scope": "project", "project": None, "role": "viewer"}]}, "access"),
    ({"access": [{"scope": "team", "project": None, "role": "viewer"}]}, "access"),
    ({"access": [{"scope": "org", "project": None, "role": "admin"}]}, "access"),
    ({"access": [{"scope": "org", "project": None, "role": "viewer", "x": 1}]}, "access"),
    ({"access": access("org viewer")["access"], "note": "hi"}, "note"),
    ({}, "access"),
])
def test_invalid_access_is_422_and_changes_nothing(client, owner, acme, body, field):
    before = client.get(members_url(f"/{acme['alice']}"), headers=owner).json
    response = client.put(members_url(f"/{acme['alice']}/access"), headers=owner, json=body)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]
    assert client.get(members_url(f"/{acme['alice']}"), headers=owner).json == before


def test_revoke_suspends_and_keeps_history(app, client, owner, acme, service_headers):
    response = client.post(members_url(f"/{acme['alice']}/revoke"), headers=owner)
    assert response.status_code == 200
    assert (response.json["status"], response.json["access"]) == ("suspended", [])
    assert isinstance(response.json["revision"], int)
    check = {"member": "alice@acme.test", "org": "acme", "project": "web",
             "resource": "users", "action": "read"}
    assert client.post("/v1/check", json=check, headers=service_headers).json["allowed"] is False
    suspended = client.get(members_url("?status=suspended"), headers=owner).json
    assert [item["email"] for item in suspended["items"]] == ["alice@acme.test"]
    active = client.get(members_url("?status=active"), headers=owner).json
    assert "alice@acme.test" not in [item["email"] for item in active["items"]]
    with app.app_context():
        grants = db.session.scalars(select(Grant).where(Grant.membership_id == acme["alice"]))
        assert sorted((grant.role, grant.revoked_at is not None) for grant in grants) == [
            ("support", True), ("viewer", True)]


def test_restore_through_put_access(client, owner, acme):
    client.post(members_url(f"/{acme['bob']}/revoke"), headers=owner)
    response = client.put(members_url(f"/{acme['bob']}/access"), headers=owner,
                          json=access("org viewer"))
    assert response.json["status"] == "active"
    actions = [item["action"] for item in
               client.get("/v1/orgs/acme/audit", headers=owner).json["items"]]
    assert actions[-2:] == ["member.suspended", "member.restored"]


def owner_id(client, owner):
    items = client.get(members_url(), headers=owner).json["items"]
    return next(item["id"] for item in items if item["email"] == OWNER)


@pytest.mark.parametrize("change", ["demote", "revoke"])
def test_the_last_org_owner_cannot_leave(client, owner, acme, change):
    me = owner_id(client, owner)
    if change == "demote":
        response = client.put(members_url(f"/{me}/access"), headers=owner,
                              json=access("project web owner"))
    else:
        response = client.post(members_url(f"/{me}/revoke"), headers=owner)
    assert response.status_code == 409
    me_now = client.get(members_url(f"/{me}"), headers=owner).json
    assert me_now["access"] == access("org owner")["access"]


def test_an_owner_may_leave_when_another_remains(client, owner, acme, as_member):
    client.put(members_url(f"/{acme['alice']}/access"), headers=owner, json=access("org owner"))
    me = owner_id(client, owner)
    assert client.post(members_url(f"/{me}/revoke"), headers=owner).status_code == 200
    assert client.get(members_url(), headers=owner).status_code == 404  # no access any more
    alice = as_member("alice@acme.test")
    last = client.post(members_url(f"/{acme['alice']}/revoke"), headers=alice)
    assert last.status_code == 409


def test_members_of_another_org_are_not_found(client, owner, acme, world):
    world.org("globex", owner="owner@globex.test")
    stranger = world.member("eve@globex.test", "org viewer", org="globex")
    for method, path in [("GET", ""), ("POST", "/revoke"), ("PUT", "/access")]:
        response = client.open(members_url(f"/{stranger}{path}"), method=method, headers=owner,
                               json=access("org viewer") if method == "PUT" else None)
        assert response.status_code == 404
