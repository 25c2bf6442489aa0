"""Rolegate: who may do what in an organization's dashboard."""

from pathlib import Path

from flask import Flask

from . import api, cli, config, errors, limits, logs, notify, payloads
from .engine import Engine
from .extensions import db, migrate

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(config.DEFAULTS)
    if test_config is None:
        app.config.from_prefixed_env()
    else:
        app.config.from_mapping(test_config)
    config.finish(app)

    app.json = payloads.JSONProvider(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    app.extensions["rolegate.engine"] = _engine(app)
    logs.init_app(app)
    errors.init_app(app)
    api.init_app(app)
    limits.init_app(app)  # after the routes: it wraps this app's view functions
    cli.init_app(app)
    return app


def _engine(app: Flask) -> Engine:
    engine = Engine(app.config.get("POLICY_DIR"), app.config["CHECK_MAX_STALENESS_SECONDS"])
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql"):
        engine.listen(notify.Listener(uri, engine.notice))
    return engine
