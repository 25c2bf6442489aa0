"""The OpenAPI 3 document, generated from the schemas each view declares with @doc."""

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from marshmallow import Schema, fields


class ErrorSchema(Schema):
    code = fields.Integer(required=True)
    status = fields.String(required=True)
    message = fields.String(required=True)
    errors = fields.Dict(required=True)


def doc(summary: str, *, body: type[Schema] | None = None, query: type[Schema] | None = None,
        response: type[Schema] | None = None, status: int = 200, auth: str = "member"):
    """Declare a view's request and response schemas; the spec is built from these."""

    def mark(view):
        view.openapi = {"summary": summary, "body": body, "query": query, "response": response,
                        "status": status, "auth": auth}
        return view

    return mark


def build(app: Flask) -> dict:
    spec = APISpec("Rolegate", "1.0.0", "3.0.3", plugins=[MarshmallowPlugin()])
    spec.components.schema("Error", schema=ErrorSchema)
    spec.components.security_scheme("member", {"type": "http", "scheme": "bearer",
                                               "bearerFormat": "JWT"})
    spec.components.security_scheme("service", {"type": "http", "scheme": "bearer"})
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        meta = getattr(app.view_functions[rule.endpoint], "openapi", None)
        if meta is None:
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        spec.path(path, parameters=_path_parameters(rule), operations={
            method.lower(): _operation(meta) for method in methods})
    return spec.to_dict()


def _path_parameters(rule) -> list[dict]:
    return [{"in": "path", "name": name, "required": True,
             "schema": {"type": "integer" if type(converter).__name__ == "IntegerConverter"
                        else "string"}}
            for name, converter in rule._converters.items()]


def _operation(meta: dict) -> dict:
    status = str(meta["status"])
    success = {"description": meta["summary"]}
    if meta["response"] is not None:
        success["content"] = {"application/json": {"schema": meta["response"]}}
    operation = {"summary": meta["summary"],
                 "responses": {status: success,
                               "default": {"description": "Error",
                                           "content": {"application/json": {"schema": "Error"}}}}}
    if meta["auth"]:
        operation["security"] = [{meta["auth"]: []}]
    if meta["body"] is not None:
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": meta["body"]}}}
    if meta["query"] is not None:
        operation["parameters"] = [{"in": "query", "schema": meta["query"]}]
    return operation
