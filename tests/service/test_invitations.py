"""The invitation life: create, email over SMTP, resend, cancel, expire, remove, accept."""

import logging
import re
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import AuditEvent, Invitation
from tests.conftest import free_port

OWNER = "owner@acme.test"
URL = "/v1/orgs/acme/invitations"


@pytest.fixture
def acme(world):
    world.org("acme")


@pytest.fixture
def owner(as_member, acme):
    return as_member(OWNER)


def invite(client, owner, email="new@acme.test", role="support", project="web"):
    return client.post(URL, headers=owner, json={"email": email, "role": role,
                                                 "project": project})


def accept(client, as_member, token, email="new@acme.test", name="New Person"):
    return client.post("/v1/invitations/accept", headers=as_member(email),
                       json={"token": token, "name": name})


def test_create_sends_a_link_and_never_returns_the_token(client, owner, mailbox):
    before = datetime.now().astimezone()
    response = invite(client, owner, email="  New@Acme.TEST ")
    assert response.status_code == 201
    body = response.json
    assert set(body) == {"id", "email", "role", "scope", "project", "status", "expires_at",
                         "created_at", "invited_by"}
    assert (body["email"], body["role"], body["scope"], body["project"], body["status"],
            body["invited_by"]) == ("new@acme.test", "support", "project", "web", "pending", OWNER)
    expires = datetime.fromisoformat(body["expires_at"])
    week, minute = timedelta(days=7), timedelta(minutes=1)
    assert week - minute < expires - before < week + minute
    [message] = mailbox.to("new@acme.test")
    token = mailbox.link_token("new@acme.test")
    assert "http://rolegate.test/invitations/accept?token=" in message.get_content()
    assert len(token) >= 43  # 256 bits, base64url
    assert token not in response.get_data(as_text=True)


def test_the_whole_life(client, owner, as_member, mailbox, service_headers):
    created = invite(client, owner).json
    first = mailbox.link_token("new@acme.test")
    resent = client.post(f"{URL}/{created['id']}/resend", headers=owner)
    assert resent.status_code == 200 and resent.json["status"] == "pending"
    second = mailbox.link_token("new@acme.test")
    assert second != first and len(mailbox.to("new@acme.test")) == 2
    assert accept(client, as_member, first).status_code == 404  # the old link stopped working
    wrong = accept(client, as_member, second, email="mallory@acme.test")
    assert wrong.status_code == 403
    assert client.get(f"{URL}?status=pending", headers=owner).json["items"][0]["id"] == \
        created["id"]
    accepted = accept(client, as_member, second)
    assert accepted.status_code == 200
    member = accepted.json
    assert (member["email"], member["name"], member["status"]) == (
        "new@acme.test", "New Person", "active")
    assert member["access"] == [{"scope": "project", "project": "web", "role": "support"}]
    assert accepted.headers["X-Policy-Revision"] == str(member["revision"])
    check = {"member": "new@acme.test", "org": "acme", "project": "web",
             "resource": "subscriptions", "action": "write"}
    assert client.post("/v1/check", json=check, headers=service_headers).json["allowed"] is True
    assert accept(client, as_member, second).status_code == 410  # a token works once
    listed = client.get(f"{URL}?status=accepted", headers=owner).json["items"]
    assert [item["id"] for item in listed] == [created["id"]]
    assert client.post(f"{URL}/{created['id']}/resend", headers=owner).status_code == 409
    assert client.post(f"{URL}/{created['id']}/cancel", headers=owner).status_code == 409
    assert client.delete(f"{URL}/{created['id']}", headers=owner).status_code == 409


def test_cancel_kills_the_link(client, owner, as_member, mailbox):
    created = invite(client, owner).json
    token = mailbox.link_token("new@acme.test")
    cancelled = client.post(f"{URL}/{created['id']}/cancel", headers=owner)
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert accept(client, as_member, token).status_code == 410
    assert client.post(f"{URL}/{created['id']}/cancel", headers=owner).status_code == 409
    assert client.post(f"{URL}/{created['id']}/resend", headers=owner).status_code == 409
    assert client.delete(f"{URL}/{created['id']}", headers=owner).status_code == 204
    assert client.get(URL, headers=owner).json["items"] == []


def wait_until_expired(client, owner, invitation_id):
    for _ in range(40):
        items = client.get(f"{URL}?status=expired", headers=owner).json["items"]
        if invitation_id in [item["id"] for item in items]:
            return
        time.sleep(0.1)
    raise AssertionError("the invitation did not expire")


def test_expiry_resend_and_removal(app_factory, world, as_member, mailbox):
    app = app_factory(INVITATION_TTL_SECONDS=1)
    world.org("acme")
    client, owner = app.test_client(), as_member(OWNER)
    created = invite(client, owner).json
    token = mailbox.link_token("new@acme.test")
    assert client.delete(f"{URL}/{created['id']}", headers=owner).status_code == 409  # pending
    wait_until_expired(client, owner, created["id"])
    assert accept(client, as_member, token).status_code == 410
    resent = client.post(f"{URL}/{created['id']}/resend", headers=owner)
    assert resent.status_code == 200 and resent.json["status"] == "pending"
    wait_until_expired(client, owner, created["id"])
    other = invite(client, owner, email="other@acme.test").json
    wait_until_expired(client, owner, other["id"])
    invite(client, owner, email="fresh@acme.test")  # pending, must stay
    assert client.delete(f"{URL}?status=pending", headers=owner).status_code == 422
    removed = client.delete(f"{URL}?status=expired", headers=owner)
    assert removed.json == {"removed": 2}
    assert [item["email"] for item in client.get(URL, headers=owner).json["items"]] == [
        "fresh@acme.test"]


def test_a_new_invitation_supersedes_an_expired_one(app_factory, world, as_member, mailbox):
    app = app_factory(INVITATION_TTL_SECONDS=1)
    world.org("acme")
    client, owner = app.test_client(), as_member(OWNER)
    old = invite(client, owner).json
    wait_until_expired(client, owner, old["id"])
    assert invite(client, owner).status_code == 201
    statuses = {item["id"]: item["status"] for item in
                client.get(URL, headers=owner).json["items"]}
    assert statuses[old["id"]] == "expired"


@pytest.mark.parametrize(("body", "field"), [
    ({"email": "not-an-email", "role": "viewer"}, "email"),
    ({"email": "a@acme.test", "role": "admin"}, "role"),
    ({"email": "a@acme.test", "role": "viewer", "project": "nope"}, "project"),
    ({"email": "a@acme.test", "role": "viewer", "project": "../web"}, "project"),
    ({"email": "a@acme.test", "role": "viewer", "scope": "org"}, "scope"),
    ({"role": "viewer"}, "email"),
])
def test_invalid_invitations_are_422_and_send_nothing(client, owner, mailbox, body, field):
    response = client.post(URL, headers=owner, json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]
    assert mailbox.messages == []
    assert client.get(URL, headers=owner).json["items"] == []


def test_conflicts(client, owner, world, mailbox):
    world.member("active@acme.test", "org viewer")
    assert invite(client, owner, email="active@acme.test").status_code == 409
    assert invite(client, owner).status_code == 201
    assert invite(client, owner, role="viewer").status_code == 409  # pending: resend instead


def test_a_suspended_member_may_be_invited_and_is_restored(client, owner, world, as_member,
                                                            mailbox):
    gone = world.member("gone@acme.test", "org viewer")
    world.suspend(gone)
    assert invite(client, owner, email="gone@acme.test", role="owner", project=None)\
        .status_code == 201
    accepted = accept(client, as_member, mailbox.link_token("gone@acme.test"),
                      email="gone@acme.test")
    assert accepted.json["id"] == gone
    assert accepted.json["access"] == [{"scope": "org", "project": None, "role": "owner"}]
    actions = [item["action"] for item in
               client.get("/v1/orgs/acme/audit", headers=owner).json["items"]]
    assert actions[-2:] == ["invitation.accepted", "member.restored"]


def test_accept_needs_a_member_token(client, owner, mailbox, service_headers):
    invite(client, owner)
    token = mailbox.link_token("new@acme.test")
    body = {"token": token, "name": "x"}
    assert client.post("/v1/invitations/accept", json=body).status_code == 401
    assert client.post("/v1/invitations/accept", json=body,
                       headers=service_headers).status_code == 403


def test_an_unknown_token_is_404(client, as_member, acme):
    assert accept(client, as_member, "x" * 43).status_code == 404


def test_a_failed_send_is_502_and_leaves_nothing(app_factory, world, as_member, mailbox):
    app = app_factory(MAIL_PORT=free_port())  # nothing listens there
    world.org("acme")
    client, owner = app.test_client(), as_member(OWNER)
    response = invite(client, owner)
    assert response.status_code == 502
    assert response.json["code"] == 502
    with app.app_context():
        assert db.session.scalars(select(Invitation)).all() == []
        assert [event.action for event in db.session.scalars(select(AuditEvent))] == [
            "org.created", "project.created", "project.created"]


def test_without_a_mail_server_outside_dev_mode_nothing_is_made(app_factory, world, as_member):
    app = app_factory(MAIL_SERVER=None)
    world.org("acme")
    response = invite(app.test_client(), as_member(OWNER))
    assert response.status_code == 502
    assert "FLASK_MAIL_SERVER" in response.json["message"]


def test_tokens_never_reach_logs_or_audit(app, client, owner, as_member, mailbox, caplog):
    caplog.set_level(logging.DEBUG)
    created = invite(client, owner).json
    client.post(f"{URL}/{created['id']}/resend", headers=owner)
    token = mailbox.link_token("new@acme.test")
    accept(client, as_member, token)
    with app.app_context():
        events = db.session.scalars(select(AuditEvent)).all()
        hashes = [row.token_hash for row in db.session.scalars(select(Invitation))]
    dumped = repr([(event.before, event.after) for event in events])
    for secret in [token, *hashes]:
        assert secret not in dumped
        assert secret not in caplog.text


def test_dev_mode_without_a_mail_server_logs_a_usable_link(app_factory, world, as_member,
                                                           caplog):
    app = app_factory(MAIL_SERVER=None, DEV_MODE=True)
    world.org("acme")
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger="rolegate.mail"):
        assert invite(client, as_member(OWNER)).status_code == 201
    token = re.search(r"accept\?token=([\w-]+)\n", caplog.text).group(1)
    assert accept(client, as_member, token).status_code == 200
