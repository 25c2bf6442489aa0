"""Checks for other services: can member M do action A on resource R in project P?"""

from flask import Blueprint, request

from .. import auth
from ..engine import current_engine
from ..extensions import db
from ..openapi import doc
from ..schemas.checks import BatchDecisionSchema, BatchSchema, CheckSchema, DecisionSchema

bp = Blueprint("checks", __name__, url_prefix="/v1/check")


def _fresh_state():
    state = current_engine().fresh(db.session)
    auth.service_key(state)
    return state


@bp.post("")
@doc("Decide one check", body=CheckSchema, response=DecisionSchema, auth="service")
def check():
    state = _fresh_state()
    body = CheckSchema().load(_json())
    result = state.decide(body, explain=body["explain"])
    return DecisionSchema().dump({**result, "revision": state.revision})


@bp.post("/batch")
@doc("Decide up to 1000 checks, in order", body=BatchSchema, response=BatchDecisionSchema,
     auth="service")
def check_batch():
    state = _fresh_state()
    body = BatchSchema().load(_json())
    results = [state.decide(check, explain=check["explain"]) for check in body["checks"]]
    return BatchDecisionSchema().dump({"results": results, "revision": state.revision})


def _json():
    return request.get_json()
