"""Routes: parse with a schema, call one rule, commit, dump."""

from flask import Flask

from .. import openapi


def init_app(app: Flask) -> None:
    from . import audit, checks, health, invitations, lookups, members, projects

    for module in (health, checks, lookups, members, invitations, projects, audit):
        app.register_blueprint(module.bp)

    @app.get("/openapi.json")
    def openapi_json():
        return openapi.build(app)
