"""The few steps every route shares: read a body or query, answer a change with its revision."""

from flask import request
from marshmallow import Schema

from ..extensions import db


def body(schema: Schema) -> dict:
    return schema.load(request.get_json())


def query(schema: Schema) -> dict:
    return schema.load(request.args.to_dict())


def committed(payload: dict | None, revision: int | None = None, status: int = 200):
    """Commit the staged change; a change that moves decisions carries its revision."""
    db.session.commit()
    if payload is None:
        return "", status
    if revision is None:
        return payload, status
    return {**payload, "revision": revision}, status, {"X-Policy-Revision": str(revision)}
