"""Check requests from other services."""

from marshmallow import Schema, fields, validate

from adapters.vocabulary import RESOURCES, Action

from .consistency import MODES, Consistency
from .fields import SLUG_PATTERN, action, resource, slug

MAX_BATCH = 1000


class BatchItemSchema(Schema):
    """One question: may member do action on resource in project (or the org scope)?"""

    member = fields.String(required=True, validate=validate.Length(min=1, max=320))
    org = slug(required=True)
    project = slug(load_default=None, allow_none=True)
    resource = resource(required=True)
    action = action(required=True)
    explain = fields.Boolean(load_default=False)


class CheckSchema(BatchItemSchema):
    consistency = Consistency(load_default="fresh")


class BatchSchema(Schema):
    checks = fields.List(fields.Nested(BatchItemSchema), required=True,
                         validate=validate.Length(min=1, max=MAX_BATCH))
    consistency = Consistency(load_default="fresh")


class ResultSchema(Schema):
    allowed = fields.Boolean(required=True)
    explanation = fields.Dict()


class DecisionSchema(ResultSchema):
    revision = fields.Integer()


class BatchDecisionSchema(Schema):
    results = fields.List(fields.Nested(ResultSchema))
    revision = fields.Integer()


# The hot path. marshmallow walks every field of every item (~30 us each); most bodies are
# plainly well formed, so certify those with direct checks and send anything else, which
# includes every invalid body, through the schema for its errors. certain_* only ever accepts
# a subset of what the schema accepts, with the same result (tests/service/test_check_input.py).
_ITEM_FIELDS = frozenset(BatchItemSchema().fields)
_REQUIRED = frozenset(("member", "org", "resource", "action"))
_RESOURCES = frozenset(RESOURCES)
_ACTIONS = frozenset(action.value for action in Action)


def certain_item(item) -> dict | None:
    """The loaded item if it is certainly valid, else None (ask the schema)."""
    if type(item) is not dict or not _REQUIRED <= item.keys() <= _ITEM_FIELDS:
        return None
    member, org, project = item["member"], item["org"], item.get("project")
    resource, action, explain = item["resource"], item["action"], item.get("explain", False)
    if (type(member) is not str or not 0 < len(member) <= 320
            or type(org) is not str or not SLUG_PATTERN.match(org)
            or (project is not None and (type(project) is not str
                                         or not SLUG_PATTERN.match(project)))
            or type(resource) is not str or resource not in _RESOURCES
            or type(action) is not str or action not in _ACTIONS
            or type(explain) is not bool):
        return None
    return {"member": member, "org": org, "project": project, "resource": resource,
            "action": action, "explain": explain}


def _certain_consistency(data: dict):
    value = data.get("consistency", "fresh")
    return value if type(value) is str and value in MODES else None


def load_check(data) -> dict:
    if type(data) is dict:
        consistency = _certain_consistency(data)
        item = certain_item({key: value for key, value in data.items() if key != "consistency"})
        if item is not None and consistency is not None:
            return {**item, "consistency": consistency}
    return CheckSchema().load(data)


def load_batch(data) -> dict:
    if type(data) is dict and data.keys() <= {"checks", "consistency"}:
        checks, consistency = data.get("checks"), _certain_consistency(data)
        if type(checks) is list and 0 < len(checks) <= MAX_BATCH and consistency is not None:
            items = [certain_item(item) for item in checks]
            if None not in items:
                return {"checks": items, "consistency": consistency}
    return BatchSchema().load(data)

