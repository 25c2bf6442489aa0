"""Liveness and readiness probes."""

from flask import Blueprint

from ..engine import current_engine
from ..extensions import db
from ..openapi import doc

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@doc("The process is up", auth="")
def healthz():
    return {"status": "ok"}


@bp.get("/readyz")
@doc("The database answers and the policy is loaded", auth="")
def readyz():
    """Ready when the database answers and the policy is loaded at its current revision."""
    state = current_engine().fresh(db.session)
    return {"status": "ready", "revision": state.revision}
