"""How fresh a check must be: "fresh" (the default), "minimize_latency", {"at_least": n}."""

from marshmallow import ValidationError, fields

MODES = ("fresh", "minimize_latency")


class Consistency(fields.Field):
    def _deserialize(self, value, attr, data, **kwargs):
        if value in MODES:
            return value
        if (isinstance(value, dict) and set(value) == {"at_least"}
                and isinstance(value["at_least"], int) and not isinstance(value["at_least"], bool)
                and value["at_least"] >= 0):
            return value
        raise ValidationError('Use "fresh", "minimize_latency" or {"at_least": <revision>}.')
