"""Hostile input: bad tokens, keys and bodies get a 4xx in the envelope and change nothing."""

import time

import jwt
import pytest
from sqlalchemy import func, select

from service.extensions import db
from service.models import AuditEvent, Invitation, Person, Project, ServiceKey
from tests.conftest import JWT_SECRET

OWNER = "owner@acme.test"
INVITE = "/v1/orgs/acme/invitations"


@pytest.fixture
def acme(world):
    world.org("acme")


def counts(app) -> tuple:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (AuditEvent, Invitation, Person, Project, ServiceKey))


def assert_envelope(response, status):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert set(response.json) == {"code", "status", "message", "errors"}


BAD_TOKENS = [
    "garbage", "Bearer", "a.b.c",
    jwt.encode({"sub": OWNER, "exp": int(time.time()) + 60}, None, algorithm="none"),
    jwt.encode({"sub": OWNER, "exp": int(time.time()) - 1}, JWT_SECRET, algorithm="HS256"),
    jwt.encode({"sub": OWNER, "exp": int(time.time()) + 60, "nbf": int(time.time()) + 300},
               JWT_SECRET, algorithm="HS256"),
    jwt.encode({"sub": "", "exp": int(time.time()) + 60}, JWT_SECRET, algorithm="HS256"),
    "x" * 10_000,
]


@pytest.mark.parametrize("token", BAD_TOKENS)
def test_bad_tokens_reach_no_rule(app, client, acme, mailbox, token):
    before = counts(app)
    response = client.post(INVITE, headers={"Authorization": f"Bearer {token}"},
                           json={"email": "x@acme.test", "role": "viewer"})
    assert_envelope(response, 401)
    assert counts(app) == before and mailbox.messages == []


def test_a_revoked_key_looks_exactly_like_an_unknown_one(app, client, runner, acme):
    key = runner.invoke(args=["service-keys", "create", "old"]).stdout.strip().splitlines()[-1]
    check = {"member": OWNER, "org": "acme", "resource": "members", "action": "read"}
    assert client.post("/v1/check", json=check,
                       headers={"Authorization": f"Bearer {key}"}).status_code == 200
    key_id = runner.invoke(args=["service-keys", "list"]).stdout.split()[0]
    assert runner.invoke(args=["service-keys", "revoke", key_id]).exit_code == 0
    listed = runner.invoke(args=["service-keys", "list"]).stdout
    assert key not in listed and "active" not in listed
    revoked = client.post("/v1/check", json=check, headers={"Authorization": f"Bearer {key}"})
    unknown = client.post("/v1/check", json=check,
                          headers={"Authorization": f"Bearer rgk_{'A' * 43}"})
    def seen(response):  # all a caller sees, but for the per-request id
        headers = {k: v for k, v in response.headers.items() if k != "X-Request-Id"}
        return response.status_code, response.get_data(), headers

    assert seen(revoked) == seen(unknown)
    assert revoked.status_code == 401


@pytest.mark.parametrize(("data", "content_type", "status"), [
    ("[" * 100_000 + "]" * 100_000, "application/json", 400),
    ('{"email": "a@acme.test", "role": "viewer"', "application/json", 400),
    ("email=a@acme.test&role=viewer", "application/x-www-form-urlencoded", 415),
    ('{"email": "a@acme.test", "role": "viewer"}', "text/plain", 415),
    ("\xff\xfe", "application/json", 400),
    ('{"email": "a@acme.test", "role": "viewer", "project": null, "email": 1}',
     "application/json", 422),
    ('{"a":' * 30 + "1" + "}" * 30, "application/json", 422),
])
def test_malformed_bodies(app, client, acme, as_member, mailbox, data, content_type, status):
    before = counts(app)
    response = client.post(INVITE, data=data.encode("utf-8", "surrogateescape")
                           if isinstance(data, str) else data,
                           headers={**as_member(OWNER), "Content-Type": content_type})
    assert_envelope(response, status)
    assert counts(app) == before and mailbox.messages == []


@pytest.mark.parametrize("body", [
    {"email": "a@acme.test", "role": "viewer", "project": "../web"},
    {"email": "a@acme.test", "role": "viewer", "project": "web/../../x"},
    {"email": "a@acme.test", "role": "viewer", "project": "%2Fweb"},
    {"email": "a@acme.test", "role": "viewer", "project": "web'; DROP TABLE grants;--"},
    {"email": "a@acme.test' OR '1'='1", "role": "viewer"},
    {"email": "a@acme.test", "role": "viewer' OR 1=1--"},
    {"email": "a" * 5000 + "@acme.test", "role": "viewer"},
    {"email": "a@acme.test", "role": "viewer", "project": "w" * 10_000},
    {"email": ["a@acme.test"], "role": "viewer"},
    {"email": {"$ne": None}, "role": "viewer"},
    {"email": "a@acme.test", "role": None},
])
def test_hostile_fields_are_422_and_store_nothing(app, client, acme, as_member, mailbox, body):
    before = counts(app)
    response = client.post(INVITE, json=body, headers=as_member(OWNER))
    assert_envelope(response, 422)
    assert counts(app) == before and mailbox.messages == []


@pytest.mark.parametrize("path", [
    "/v1/orgs/..%2Facme/members", "/v1/orgs/acme%2F../members", "/v1/orgs/acme'--/members",
    "/v1/orgs/" + "a" * 5000 + "/members", "/v1/orgs/ACME/members", "/v1/orgs/%00/members",
    "/v1/orgs/acme/members/1%20OR%201=1", "/v1/orgs/acme/members/-1",
])
def test_hostile_paths_are_404(client, acme, as_member, path):
    assert_envelope(client.get(path, headers=as_member(OWNER)), 404)


def test_unicode_and_mixed_case_emails_are_one_person(app, client, acme, as_member, mailbox):
    created = client.post(INVITE, headers=as_member(OWNER),
                          json={"email": "  Zoë.Müller@Acme.TEST ", "role": "viewer"})
    assert created.status_code == 201
    assert created.json["email"] == "zoë.müller@acme.test"
    again = client.post(INVITE, headers=as_member(OWNER),
                        json={"email": "ZOË.MÜLLER@acme.test", "role": "support"})
    assert again.status_code == 409  # the same person, pending already
    token = mailbox.link_token("zoë.müller@acme.test")
    accepted = client.post("/v1/invitations/accept", json={"token": token, "name": "Zoë"},
                           headers=as_member("Zoë.MÜLLER@acme.test"))
    assert accepted.status_code == 200
