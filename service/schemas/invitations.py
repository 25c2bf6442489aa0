"""Invitations by email."""

from marshmallow import Schema, fields, validate

from .fields import Email, role, slug

STATUSES = ["pending", "expired", "accepted", "cancelled"]


class InvitationCreateSchema(Schema):
    email = Email(required=True, validate=validate.Length(max=320))
    role = role(required=True)
    project = slug(load_default=None, allow_none=True)


class InvitationSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    role = fields.String()
    scope = fields.String()
    project = fields.String(allow_none=True)
    status = fields.String()
    expires_at = fields.DateTime()
    created_at = fields.DateTime()
    invited_by = fields.String()


class InvitationListQuery(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))


class InvitationListSchema(Schema):
    items = fields.List(fields.Nested(InvitationSchema))


class RemoveQuery(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["expired"]))


class RemovedSchema(Schema):
    removed = fields.Integer()


class AcceptSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=200))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
