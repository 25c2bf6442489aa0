"""Checks for other services: can member M do action A on resource R in project P?"""

from flask import Blueprint, request

from .. import auth
from ..engine import current_engine
from ..errors import Invalid
from ..extensions import db
from ..openapi import doc
from ..schemas.checks import (
    BatchDecisionSchema,
    BatchSchema,
    CheckSchema,
    DecisionSchema,
    load_batch,
    load_check,
)
from ..state import State

bp = Blueprint("checks", __name__, url_prefix="/v1/check")


def authenticate() -> None:
    """Know the service key from memory, or from a fresh read (so a new key works at once).

    This only keeps anonymous callers from reaching validation; the answer's own state checks
    the key again (answered), so a revoked key is refused as fresh as the answer is.
    """
    auth.service_key(state_knowing_key())


def state_knowing_key() -> State:
    """Memory if it knows the caller's key; else a fresh read (so a new key works at once)."""
    engine = current_engine()
    state = engine.state
    if state is None or not auth.is_service_key(state):
        state = engine.fresh(db.session)
    return state


def state_for(consistency) -> State:
    """The state a check is answered from, as fresh as the caller asked (fresh by default)."""
    engine = current_engine()
    if consistency == "minimize_latency":
        return engine.recent(db.session)
    if isinstance(consistency, dict):
        wanted = consistency["at_least"]
        state = engine.at_least(db.session, wanted)
        if state.revision < wanted:
            raise Invalid(errors={"consistency": [
                f"Revision {wanted} does not exist yet; the newest is {state.revision}."]})
        return state
    return engine.fresh(db.session)


DECISION = DecisionSchema()


def answered(consistency) -> State:
    """The state to answer from, with the caller's key checked against that same state."""
    state = state_for(consistency)
    auth.service_key(state)
    return state


@bp.post("")
@doc("Decide one check", body=CheckSchema, response=DecisionSchema, auth="service")
def check():
    authenticate()
    args = load_check(request.get_json())
    state = answered(args["consistency"])
    return DECISION.dump({**state.decide(args, args["explain"]), "revision": state.revision})


@bp.post("/batch")
@doc("Decide up to 1000 checks, in order", body=BatchSchema, response=BatchDecisionSchema,
     auth="service")
def check_batch():
    authenticate()
    args = load_batch(request.get_json())
    state = answered(args["consistency"])
    # The results are plain {"allowed", "explanation"?} dicts already: BatchDecisionSchema
    # documents them; dumping 1000 of them through it would only cost time.
    return {"results": [state.decide(item, item["explain"]) for item in args["checks"]],
            "revision": state.revision}
