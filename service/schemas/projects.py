"""Projects of an organization."""

from marshmallow import Schema, fields, validate

from .fields import slug


class ProjectSchema(Schema):
    slug = slug(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ProjectListSchema(Schema):
    items = fields.List(fields.Nested(ProjectSchema))
