"""The audit log, read oldest first with a cursor."""

from marshmallow import Schema, fields, validate


class AuditQuery(Schema):
    after = fields.String(load_default=None, validate=validate.Regexp(r"^\d{1,18}$"))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class AuditEventSchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor = fields.String()
    action = fields.String()
    target = fields.String()
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEventSchema))
    next = fields.String(allow_none=True)
