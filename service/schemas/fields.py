"""Field types shared by the schemas."""

import re

from marshmallow import fields, validate

from adapters.vocabulary import RESOURCES, Action, Role

SLUG_PATTERN = re.compile(r"\A[a-z0-9][a-z0-9-]{0,62}\Z")  # \Z: "$" would allow a final \n
SLUG = validate.Regexp(SLUG_PATTERN, error="Use 1-63 lower-case letters, digits and dashes.")


def slug(**kwargs) -> fields.String:
    return fields.String(validate=SLUG, **kwargs)


def resource(**kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(RESOURCES), **kwargs)


def action(**kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf([action.value for action in Action]), **kwargs)


def role(**kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf([role.value for role in Role]), **kwargs)


class Email(fields.Email):
    """An email, trimmed and lower-cased before it is validated."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.strip().lower()
        return super()._deserialize(value, attr, data, **kwargs)
