"""Projects: members see those they can access; org Owners see and add all."""

import pytest

URL = "/v1/orgs/acme/projects"


@pytest.fixture
def acme(world):
    world.org("acme", projects=("web", "mobile", "api"))


@pytest.mark.parametrize(("access", "expected"), [
    ((), ["api", "mobile", "web"]),  # the org owner
    (("org viewer",), ["api", "mobile", "web"]),
    (("project web support", "project api viewer"), ["api", "web"]),
    (("project mobile owner",), ["mobile"]),
])
def test_members_see_the_projects_they_can_access(client, world, as_member, acme, access,
                                                  expected):
    email = "owner@acme.test" if not access else "m@acme.test"
    if access:
        world.member(email, *access)
    response = client.get(URL, headers=as_member(email))
    assert [item["slug"] for item in response.json["items"]] == expected
    assert set(response.json["items"][0]) == {"slug", "name"}


def test_owner_creates_a_project(client, as_member, acme, service_headers):
    owner = as_member("owner@acme.test")
    response = client.post(URL, headers=owner, json={"slug": "billing", "name": "Billing"})
    assert response.status_code == 201
    assert response.json == {"slug": "billing", "name": "Billing"}
    check = {"member": "owner@acme.test", "org": "acme", "project": "billing",
             "resource": "webhooks", "action": "write"}
    assert client.post("/v1/check", json=check, headers=service_headers).json["allowed"] is True
    assert client.post(URL, headers=owner, json={"slug": "billing", "name": "B"}).status_code \
        == 409


@pytest.mark.parametrize("body", [
    {"slug": "Bad Slug", "name": "x"}, {"slug": "a/b", "name": "x"}, {"slug": "..", "name": "x"},
    {"slug": "ok", "name": ""}, {"slug": "ok"}, {"slug": "ok", "name": "x", "owner": "me"},
    {"slug": "x" * 64, "name": "x"}, {"slug": "a'; DROP TABLE projects;--", "name": "x"},
])
def test_invalid_projects_are_422(client, as_member, acme, body):
    owner = as_member("owner@acme.test")
    assert client.post(URL, headers=owner, json=body).status_code == 422
    assert len(client.get(URL, headers=owner).json["items"]) == 3
