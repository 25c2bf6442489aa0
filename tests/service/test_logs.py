"""JSON request logs: a request id, and never a token, key, query string or body."""

import json
import logging

import pytest


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.INFO, logger="rolegate.requests")

    def read():
        return [record for record in caplog.records if record.name == "rolegate.requests"]

    return read


def test_a_request_logs_one_json_line_with_its_id(client, world, as_member, lines):
    world.org("acme")
    response = client.get("/v1/orgs/acme/members?page=1", headers={
        **as_member("owner@acme.test"), "X-Request-Id": "trace-42"})
    assert response.headers["X-Request-Id"] == "trace-42"
    [record] = lines()
    assert record.fields == {**record.fields, "request_id": "trace-42", "method": "GET",
                             "path": "/v1/orgs/acme/members", "status": 200}
    from service.logs import JSONFormatter

    parsed = json.loads(JSONFormatter().format(record))
    assert parsed["request_id"] == "trace-42" and parsed["level"] == "INFO"


def test_a_bad_request_id_is_replaced(client, lines):
    response = client.get("/healthz", headers={"X-Request-Id": "x" * 500})
    assert response.headers["X-Request-Id"] != "x" * 500
    assert len(response.headers["X-Request-Id"]) < 40


def test_secrets_never_reach_the_log(client, world, lines, service_headers):
    world.org("acme")
    key = service_headers["Authorization"].split()[1]
    client.post("/v1/check?token=leak", headers=service_headers, json={
        "member": "owner@acme.test", "org": "acme", "resource": "nope", "action": "read"})
    client.post("/v1/check", headers={"Authorization": "Bearer rgk_guessed"}, json={})
    text = repr([record.__dict__ for record in lines()])
    assert lines() and key not in text and "rgk_guessed" not in text and "leak" not in text


def test_successful_checks_are_not_logged_one_by_one(client, world, lines, service_headers):
    world.org("acme")
    body = {"member": "owner@acme.test", "org": "acme", "resource": "members", "action": "read"}
    assert client.post("/v1/check", json=body, headers=service_headers).status_code == 200
    assert lines() == []
    assert client.post("/v1/check", json={**body, "action": "x"},
                       headers=service_headers).status_code == 422
    assert [record.fields["status"] for record in lines()] == [422]
