"""Lookups agree with checks: what M may do, where M may do it, who may do it."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.vocabulary import PERMISSIONS, RESOURCES

OWNER = "owner@acme.test"


@pytest.fixture
def acme(world):
    world.org("acme", projects=("web", "mobile", "api"))
    return {"alice": world.member("alice@acme.test", "org viewer", "project web support"),
            "bob": world.member("bob@acme.test", "project api owner")}


def test_permissions_name_the_grant(client, acme, service_headers):
    response = client.get(f"/v1/orgs/acme/members/{acme['alice']}/permissions?project=web",
                          headers=service_headers)
    assert response.status_code == 200
    body = response.json
    assert body["member"] == acme["alice"] and body["project"] == "web"
    found = {(p["resource"], p["action"]): p["grant"] for p in body["permissions"]}
    assert found[("users", "write")] == {"scope": "project", "project": "web", "role": "support"}
    assert found[("plans", "read")] == {"scope": "org", "project": None, "role": "viewer"}
    assert ("plans", "write") not in found
    org_scope = client.get(f"/v1/orgs/acme/members/{acme['alice']}/permissions",
                           headers=service_headers).json
    assert {(p["resource"], p["action"]) for p in org_scope["permissions"]} == {
        ("subscriptions", "read"), ("users", "read"), ("plans", "read"), ("portings", "read")}


def test_permissions_of_a_suspended_member_are_empty(client, world, acme, service_headers):
    world.suspend(acme["bob"])
    response = client.get(f"/v1/orgs/acme/members/{acme['bob']}/permissions?project=api",
                          headers=service_headers)
    assert response.json["permissions"] == []


@pytest.mark.parametrize(("path", "status"), [
    ("/v1/orgs/acme/members/999999/permissions", 404),
    ("/v1/orgs/acme/members/{alice}/permissions?project=nope", 404),
    ("/v1/orgs/nope/members/{alice}/permissions", 404),
    ("/v1/orgs/acme/members/{alice}/permissions?project=a/b", 422),
    ("/v1/orgs/acme/members/{alice}/permissions?as=owner", 422),
])
def test_permissions_errors(client, acme, service_headers, path, status):
    assert client.get(path.format(**acme), headers=service_headers).status_code == status


def test_who_may_call_lookups(client, acme, as_member, world):
    url = f"/v1/orgs/acme/members/{acme['alice']}/permissions"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=as_member(OWNER)).status_code == 200
    assert client.get(url, headers=as_member("alice@acme.test")).status_code == 403
    assert client.get(url, headers=as_member("bob@acme.test")).status_code == 403
    world.org("globex", owner="owner@globex.test")
    assert client.get(url, headers=as_member("owner@globex.test")).status_code == 404
    body = {"member": "alice@acme.test", "org": "acme", "resource": "users", "action": "read"}
    assert client.post("/v1/lookup/projects", json=body).status_code == 401
    assert client.post("/v1/lookup/projects", json={"bad": 1}).status_code == 401
    assert client.post("/v1/lookup/projects", json=body,
                       headers=as_member("alice@acme.test")).status_code == 403
    assert client.post("/v1/lookup/projects", json=body,
                       headers=as_member(OWNER)).status_code == 200


def test_lookup_projects(client, acme, service_headers):
    def projects(member, resource, action):
        body = {"member": member, "org": "acme", "resource": resource, "action": action}
        response = client.post("/v1/lookup/projects", json=body, headers=service_headers)
        assert response.status_code == 200
        return response.json["projects"]

    assert projects("alice@acme.test", "users", "write") == ["web"]
    assert projects("alice@acme.test", "users", "read") == ["api", "mobile", "web"]
    assert projects("bob@acme.test", "webhooks", "write") == ["api"]
    assert projects("bob@acme.test", "members", "read") == []
    assert projects(OWNER, "members", "read") == ["api", "mobile", "web"]
    assert projects("nobody@acme.test", "users", "read") == []


def test_lookup_members_paginates(client, acme, world, service_headers):
    for index in range(5):
        world.member(f"v{index}@acme.test", "project mobile viewer")
    body = {"org": "acme", "project": "mobile", "resource": "users", "action": "read",
            "per_page": 3}
    first = client.post("/v1/lookup/members", json=body, headers=service_headers).json
    second = client.post("/v1/lookup/members", json={**body, "page": 2},
                         headers=service_headers).json
    assert first["total"] == second["total"] == 7  # alice (org viewer) + 5 + the owner
    emails = [item["email"] for item in first["items"] + second["items"]]
    assert len(emails) == len(set(emails)) == 6
    assert "bob@acme.test" not in emails
    everyone = client.post("/v1/lookup/members", json={**body, "per_page": 50},
                           headers=service_headers).json
    assert "bob@acme.test" not in [item["email"] for item in everyone["items"]]
    webhooks = client.post("/v1/lookup/members", headers=service_headers, json={
        "org": "acme", "project": "api", "resource": "webhooks", "action": "write"}).json
    assert sorted(item["email"] for item in webhooks["items"]) == ["bob@acme.test", OWNER]


PLACES = [None, "web", "mobile"]
ROLES = ["viewer", "support", "owner"]
access_text = st.lists(st.tuples(st.sampled_from(PLACES), st.sampled_from(ROLES)),
                       min_size=1, max_size=3, unique_by=lambda entry: entry[0])
counter = itertools.count()
ALL_PERMISSIONS = [tuple(name.split(".")) for name in PERMISSIONS]


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(access_text, min_size=1, max_size=4),
       st.lists(st.tuples(st.sampled_from(RESOURCES), st.sampled_from(["read", "write"])),
                min_size=1, max_size=4))
def test_lookups_agree_with_checks(client, world, service_headers, people, asked):
    org = f"org{next(counter)}"
    world.org(org, owner=f"owner@{org}.test", projects=("web", "mobile"))
    emails = [f"m{index}@{org}.test" for index in range(len(people))]
    for email, access in zip(emails, people, strict=True):
        world.member(email, *[f"org {role}" if place is None else f"project {place} {role}"
                              for place, role in access], org=org)
    everyone = [f"owner@{org}.test", *emails]

    def allowed(member, project, resource, action):
        body = {"member": member, "org": org, "project": project, "resource": resource,
                "action": action}
        return client.post("/v1/check", json=body, headers=service_headers).json["allowed"]

    for resource, action in asked:
        for member in everyone:
            body = {"member": member, "org": org, "resource": resource, "action": action}
            projects = client.post("/v1/lookup/projects", json=body,
                                   headers=service_headers).json["projects"]
            assert projects == [p for p in ("mobile", "web")
                                if allowed(member, p, resource, action)]
        for project in PLACES:
            body = {"org": org, "project": project, "resource": resource, "action": action,
                    "per_page": 200}
            found = client.post("/v1/lookup/members", json=body,
                                headers=service_headers).json["items"]
            assert sorted(item["email"] for item in found) == sorted(
                member for member in everyone if allowed(member, project, resource, action))
    member_ids = {item["email"]: item["id"] for item in client.post(
        "/v1/lookup/members", headers=service_headers, json={
            "org": org, "resource": "users", "action": "read", "per_page": 200}).json["items"]}
    for member, member_id in member_ids.items():
        for project in PLACES:
            query = f"?project={project}" if project else ""
            listed = client.get(f"/v1/orgs/{org}/members/{member_id}/permissions{query}",
                                headers=service_headers).json["permissions"]
            batch = [{"member": member, "org": org, "project": project, "resource": name,
                      "action": action} for name, action in ALL_PERMISSIONS]
            results = client.post("/v1/check/batch", json={"checks": batch},
                                  headers=service_headers).json["results"]
            assert {(p["resource"], p["action"]) for p in listed} == {
                perm for perm, result in zip(ALL_PERMISSIONS, results, strict=True)
                if result["allowed"]}

