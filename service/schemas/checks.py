"""Check requests from other services."""

from marshmallow import Schema, fields, validate

from .consistency import Consistency
from .fields import action, resource, slug

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
