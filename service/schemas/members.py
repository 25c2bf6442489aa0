"""Members and their access."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .fields import role, slug

SCOPES = validate.OneOf(["org", "project"])


class AccessEntrySchema(Schema):
    scope = fields.String(required=True, validate=SCOPES)
    project = slug(load_default=None, allow_none=True)
    role = role(required=True)

    @validates_schema
    def project_matches_scope(self, data, **kwargs):
        if data["scope"] == "project" and not data.get("project"):
            raise ValidationError("A project grant names its project.", "project")
        if data["scope"] == "org" and data.get("project"):
            raise ValidationError("An organization grant names no project.", "project")


class AccessSchema(Schema):
    access = fields.List(fields.Nested(AccessEntrySchema), required=True,
                         validate=validate.Length(max=100))


class MemberSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String(allow_none=True)
    status = fields.String()
    access = fields.List(fields.Nested(AccessEntrySchema))
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class MemberChangeSchema(MemberSchema):
    revision = fields.Integer()


class PageQuery(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class MemberListQuery(PageQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(["active", "suspended"]))


class MemberPageSchema(Schema):
    items = fields.List(fields.Nested(MemberSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
