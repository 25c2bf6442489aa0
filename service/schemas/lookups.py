"""Lookups: what can a member do, where may they do it, who may do it."""

from marshmallow import Schema, fields, validate

from .consistency import Consistency
from .fields import action, resource, slug
from .members import AccessEntrySchema, PageQuery


class PermissionsQuery(Schema):
    project = slug(load_default=None)


class PermissionSchema(Schema):
    resource = fields.String()
    action = fields.String()
    grant = fields.Nested(AccessEntrySchema)


class PermissionsSchema(Schema):
    member = fields.Integer()
    project = fields.String(allow_none=True)
    permissions = fields.List(fields.Nested(PermissionSchema))
    revision = fields.Integer()


class ProjectsLookupSchema(Schema):
    member = fields.String(required=True, validate=validate.Length(min=1, max=320))
    org = slug(required=True)
    resource = resource(required=True)
    action = action(required=True)
    consistency = Consistency(load_default="fresh")


class ProjectsFoundSchema(Schema):
    projects = fields.List(fields.String())
    revision = fields.Integer()


class MembersLookupSchema(PageQuery):
    org = slug(required=True)
    project = slug(load_default=None, allow_none=True)
    resource = resource(required=True)
    action = action(required=True)
    consistency = Consistency(load_default="fresh")


class MemberRefSchema(Schema):
    id = fields.Integer()
    email = fields.String()


class MembersFoundSchema(Schema):
    items = fields.List(fields.Nested(MemberRefSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    revision = fields.Integer()

