"""JSON in and out. A body nested too deep to parse is malformed input (400), not a crash."""

from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest


class JSONProvider(DefaultJSONProvider):
    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:  # the C decoder's own guard, at about 1000 levels
            raise BadRequest("The JSON body is nested too deeply.") from None
