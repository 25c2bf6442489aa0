"""Arguments of the Flask commands, validated like request bodies."""

from marshmallow import Schema, fields, validate

from .fields import Email, slug

NAME = validate.Length(min=1, max=200)


class OrgArgs(Schema):
    slug = slug(required=True)
    name = fields.String(required=True, validate=NAME)
    owner = Email(required=True)


class ProjectArgs(Schema):
    org = slug(required=True)
    slug = slug(required=True)
    name = fields.String(required=True, validate=NAME)

