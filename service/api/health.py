"""Liveness and readiness probes."""

from flask import Blueprint

from ..engine import current_engine
from ..extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """Ready when the database answers and the policy is loaded at its current revision."""
    state = current_engine().fresh(db.session)
    return {"status": "ready", "revision": state.revision}
