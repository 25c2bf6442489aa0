"""Every role at every scope against every org endpoint: only org Owners pass; others 403 or 404."""

import pytest

from tests.service.cast import CAST, stage

# (method, path, body): every endpoint that needs an organization-level Owner.
OWNER_ONLY = [
    ("GET", "/v1/orgs/acme/members", None),
    ("GET", "/v1/orgs/acme/members/{member}", None),
    ("PUT", "/v1/orgs/acme/members/{member}/access",
     {"access": [{"scope": "org", "project": None, "role": "support"}]}),
    ("POST", "/v1/orgs/acme/members/{member}/revoke", None),
    ("GET", "/v1/orgs/acme/invitations", None),
    ("POST", "/v1/orgs/acme/invitations", {"email": "new@acme.test", "role": "viewer"}),
    ("POST", "/v1/orgs/acme/invitations/{invitation}/resend", None),
    ("POST", "/v1/orgs/acme/invitations/{invitation}/cancel", None),
    ("DELETE", "/v1/orgs/acme/invitations/{invitation}", None),
    ("DELETE", "/v1/orgs/acme/invitations?status=expired", None),
    ("GET", "/v1/orgs/acme/audit", None),
    ("POST", "/v1/orgs/acme/projects", {"slug": "new", "name": "New"}),
]
NOT_OWNERS = ["org_support", "org_viewer", "project_owner", "project_support", "project_viewer"]
STRANGERS = ["suspended", "outsider"]


@pytest.fixture
def acme(client, world, as_member, mailbox):
    ids = stage(world)
    invited = client.post("/v1/orgs/acme/invitations", headers=as_member("owner@acme.test"),
                          json={"email": "later@acme.test", "role": "viewer"})
    return {"member": ids["org_viewer"], "invitation": invited.json["id"]}


def call(client, headers, method, path, body, acme):
    return client.open(path.format(**acme), method=method, json=body, headers=headers)


@pytest.mark.parametrize(("method", "path", "body"), OWNER_ONLY)
@pytest.mark.parametrize("caller", NOT_OWNERS)
def test_members_below_org_owner_get_403(client, as_member, acme, caller, method, path, body):
    response = call(client, as_member(CAST[caller][0]), method, path, body, acme)
    assert response.status_code == 403, response.json
    assert response.json["code"] == 403


@pytest.mark.parametrize(("method", "path", "body"), OWNER_ONLY)
@pytest.mark.parametrize("caller", STRANGERS)
def test_non_members_get_404(client, as_member, acme, caller, method, path, body):
    response = call(client, as_member(CAST[caller][0]), method, path, body, acme)
    assert response.status_code == 404
    assert response.json["message"] == "No such organization."


@pytest.mark.parametrize(("method", "path", "body"), OWNER_ONLY)
def test_an_unknown_org_answers_like_a_foreign_one(client, as_member, acme, method, path, body):
    unknown = call(client, as_member("owner@acme.test"), method,
                   path.replace("/acme/", "/nope/"), body, acme)
    foreign = call(client, as_member("owner@acme.test"), method,
                   path.replace("/acme/", "/globex/"), body, acme)
    assert unknown.status_code == foreign.status_code == 404
    assert unknown.json == foreign.json


@pytest.mark.parametrize(("method", "path", "body"), OWNER_ONLY)
def test_the_org_owner_passes(client, as_member, acme, method, path, body):
    response = call(client, as_member("owner@acme.test"), method, path, body, acme)
    expected = 409 if method == "DELETE" and "{invitation}" in path else None  # it is pending
    assert response.status_code == expected if expected else response.status_code in (
        200, 201, 204), response.get_json()


@pytest.mark.parametrize("caller", ["org_owner", *NOT_OWNERS])
def test_every_active_member_lists_projects(client, as_member, acme, caller):
    response = client.get("/v1/orgs/acme/projects", headers=as_member(CAST[caller][0]))
    assert response.status_code == 200


@pytest.mark.parametrize("caller", STRANGERS)
def test_strangers_do_not_see_projects(client, as_member, acme, caller):
    assert client.get("/v1/orgs/acme/projects",
                      headers=as_member(CAST[caller][0])).status_code == 404


@pytest.mark.parametrize(("method", "path", "body"), [
    entry for entry in OWNER_ONLY if "{" in entry[1]])
def test_another_orgs_ids_answer_like_missing_ids(client, as_member, acme, method, path, body):
    """globex's owner uses acme's ids in globex's URLs: the same 404 as ids that do not exist."""
    headers = as_member("owner@globex.test")
    foreign = call(client, headers, method, path.replace("/acme/", "/globex/"), body, acme)
    missing = call(client, headers, method, path.replace("/acme/", "/globex/"), body,
                   {"member": 999999, "invitation": 999999})
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json == missing.json


ACME_CALLERS = ["org_owner", *NOT_OWNERS]


@pytest.mark.parametrize(("method", "path", "body"), OWNER_ONLY)
@pytest.mark.parametrize("caller", ACME_CALLERS)
def test_no_role_in_one_org_reaches_another(client, as_member, acme, world, caller, method,
                                            path, body):
    """Every role and scope of acme against globex's endpoints and ids: never a success, and
    the same answer as for an organization that does not exist."""
    headers = as_member(CAST[caller][0])
    foreign = call(client, headers, method, path.replace("/acme/", "/globex/"), body, acme)
    missing = call(client, headers, method, path.replace("/acme/", "/nope/"), body, acme)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json == missing.json
