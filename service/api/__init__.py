"""Routes: parse with a schema, call one rule, commit, dump."""

from flask import Flask


def init_app(app: Flask) -> None:
    from . import checks, health

    app.register_blueprint(health.bp)
    app.register_blueprint(checks.bp)
