"""POST /v1/check and /v1/check/batch: fresh, fail-closed answers for other services."""

import pytest

from service.extensions import db
from service.rules import members, orgs


@pytest.fixture
def acme(world):
    world.org("acme")
    return {
        "viewer": world.member("viewer@acme.test", "org viewer"),
        "support": world.member("support@acme.test", "org viewer", "project web support"),
        "powner": world.member("powner@acme.test", "project web owner"),
    }


def check(client, headers, member, resource, action, project="web", org="acme", **extra):
    body = {"member": member, "org": org, "resource": resource, "action": action, **extra}
    if project is not None:
        body["project"] = project
    return client.post("/v1/check", json=body, headers=headers)


@pytest.mark.parametrize(("member", "project", "resource", "action", "allowed"), [
    ("owner@acme.test", "web", "webhooks", "write", True),
    ("owner@acme.test", None, "members", "write", True),
    ("viewer@acme.test", "mobile", "plans", "read", True),
    ("viewer@acme.test", "web", "plans", "write", False),
    ("support@acme.test", "web", "subscriptions", "write", True),
    ("support@acme.test", "mobile", "subscriptions", "write", False),
    ("powner@acme.test", "web", "api_keys", "write", True),
    ("powner@acme.test", "web", "members", "read", False),
    ("powner@acme.test", None, "api_keys", "read", False),
    ("POWNER@Acme.Test ", "web", "reports", "read", True),
    ("nobody@acme.test", "web", "users", "read", False),
])
def test_decisions(client, service_headers, acme, member, project, resource, action, allowed):
    response = check(client, service_headers, member, resource, action, project)
    assert response.status_code == 200
    assert response.json["allowed"] is allowed
    assert isinstance(response.json["revision"], int)


def test_member_id_works_like_email(client, service_headers, acme):
    response = check(client, service_headers, str(acme["support"]), "users", "write")
    assert response.json["allowed"] is True


def test_another_orgs_member_id_is_denied(client, service_headers, acme, world):
    world.org("globex", owner="owner@globex.test")
    response = check(client, service_headers, str(acme["support"]), "users", "read", org="globex")
    assert response.json["allowed"] is False


@pytest.mark.parametrize(("org", "project", "reason"), [
    ("nope", "web", "no organization 'nope'"),
    ("acme", "nope", "no project 'nope' in organization 'acme'"),
])
def test_unknown_org_or_project_is_denied(client, service_headers, acme, org, project, reason):
    response = check(client, service_headers, "owner@acme.test", "users", "read", project, org,
                     explain=True)
    assert response.json["allowed"] is False
    assert response.json["explanation"] == {"reason": reason}


def test_explain_names_grant_and_rule(client, service_headers, acme):
    response = check(client, service_headers, "support@acme.test", "portings", "write",
                     explain=True)
    explanation = response.json["explanation"]
    assert explanation["grant"] == {"scope": "project", "project": "web", "role": "support"}
    assert explanation["rule"]["line"] == "p, role:support, portings, write, project"
    assert explanation["rule"]["source"].startswith("support.csv:")
    denied = check(client, service_headers, "support@acme.test", "plans", "write", explain=True)
    assert "no grant of this member allows plans.write" in denied.json["explanation"]["reason"]


def test_no_explanation_unless_asked(client, service_headers, acme):
    assert "explanation" not in check(client, service_headers, "owner@acme.test", "users",
                                      "read").json


@pytest.mark.parametrize("field", ["resource", "action"])
def test_unknown_vocabulary_is_loud(client, service_headers, acme, field):
    body = {"member": "owner@acme.test", "org": "acme", "resource": "users", "action": "read",
            field: "delete"}
    response = client.post("/v1/check", json=body, headers=service_headers)
    assert response.status_code == 422
    assert field in response.json["errors"]


def test_unknown_fields_are_rejected(client, service_headers, acme):
    response = check(client, service_headers, "owner@acme.test", "users", "read", admin=True)
    assert response.status_code == 422
    assert "admin" in response.json["errors"]


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer rgk_wrong"}, {"Authorization": "Basic abc"},
    {"Authorization": "Bearer "},
])
def test_a_missing_or_wrong_key_is_401(client, acme, headers):
    response = check(client, headers, "owner@acme.test", "users", "read")
    assert response.status_code == 401
    assert response.json["code"] == 401


def test_a_member_token_is_not_a_service_key(app, client, acme):
    from service import tokens

    with app.app_context():
        token = tokens.mint("owner@acme.test")
    response = check(client, {"Authorization": f"Bearer {token}"}, "owner@acme.test", "users",
                     "read")
    assert response.status_code == 401


def test_batch_answers_in_order(client, service_headers, acme):
    asked = [("viewer@acme.test", "users", "read"), ("viewer@acme.test", "users", "write"),
             ("support@acme.test", "users", "write"), ("nobody@acme.test", "users", "read")]
    body = {"checks": [{"member": m, "org": "acme", "project": "web", "resource": r, "action": a}
                       for m, r, a in asked]}
    response = client.post("/v1/check/batch", json=body, headers=service_headers)
    assert response.status_code == 200
    assert [result["allowed"] for result in response.json["results"]] == [
        True, False, True, False]
    assert isinstance(response.json["revision"], int)


def test_batch_of_1000_is_served_and_1001_refused(client, service_headers, acme):
    one = {"member": "viewer@acme.test", "org": "acme", "resource": "users", "action": "read"}
    assert client.post("/v1/check/batch", json={"checks": [one] * 1000},
                       headers=service_headers).status_code == 200
    response = client.post("/v1/check/batch", json={"checks": [one] * 1001},
                           headers=service_headers)
    assert response.status_code == 422
    assert "checks" in response.json["errors"]


def test_batch_with_one_bad_check_is_422(client, service_headers, acme):
    one = {"member": "viewer@acme.test", "org": "acme", "resource": "users", "action": "read"}
    response = client.post("/v1/check/batch", json={"checks": [one, {**one, "action": "x"}]},
                           headers=service_headers)
    assert response.status_code == 422
    assert response.json["errors"]["checks"]["1"]["action"]


def test_a_change_committed_elsewhere_is_seen_by_the_next_check(app_factory, world, acme):
    # Two apps on one database are two workers, each with its own in-memory engine.
    key = {"Authorization": f"Bearer {world.service_key()}"}
    writer, reader = app_factory(), app_factory()
    client = reader.test_client()
    assert check(client, key, "viewer@acme.test", "plans", "read").json["allowed"] is True
    with writer.app_context():
        org = orgs.get(db.session, "acme")
        revision = members.revoke(db.session, org, members.get(db.session, org, acme["viewer"]),
                                  None)
        db.session.commit()
    response = check(client, key, "viewer@acme.test", "plans", "read")
    assert response.json == {"allowed": False, "revision": revision}


def test_a_key_created_on_another_worker_works_at_once(app_factory, acme):
    from service.rules import service_keys

    writer, reader = app_factory(), app_factory()
    client = reader.test_client()
    assert check(client, {}, "viewer@acme.test", "plans", "read").status_code == 401
    with writer.app_context():
        key = service_keys.create(db.session, "late")
        db.session.commit()
    response = check(client, {"Authorization": f"Bearer {key}"}, "viewer@acme.test", "plans",
                     "read")
    assert response.json["allowed"] is True
