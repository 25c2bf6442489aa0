"""/openapi.json documents every route, and nothing that is not a route."""

import re

from service.openapi import build


def routes(app):
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "openapi_json"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        found |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return found


def test_every_route_is_documented_and_nothing_else(app, client):
    spec = client.get("/openapi.json").json
    documented = {(path, method) for path, item in spec["paths"].items()
                  for method in item if method != "parameters"}
    assert documented == routes(app)
    assert spec == build(app)


def test_bodies_and_responses_come_from_the_schemas(client):
    spec = client.get("/openapi.json").json
    schemas = spec["components"]["schemas"]
    assert {"Error", "Check", "Access", "InvitationCreate", "Member"} <= set(schemas)
    assert schemas["Check"]["properties"]["resource"]["enum"][0] == "subscriptions"
    put = spec["paths"]["/v1/orgs/{org}/members/{member_id}/access"]["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Access"}
    assert put["security"] == [{"member": []}]
    listing = spec["paths"]["/v1/orgs/{org}/members"]["get"]
    assert {parameter["name"] for parameter in listing["parameters"]} == {
        "status", "page", "per_page"}
    assert "201" in spec["paths"]["/v1/orgs/{org}/invitations"]["post"]["responses"]
