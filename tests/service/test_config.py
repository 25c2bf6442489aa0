"""Configuration: prefixed environment, and no start without a real JWT secret."""

from pathlib import Path

import pytest
from flask import Flask

from service import create_app
from service.config import DEFAULTS, ConfigError, finish
from service.extensions import db


def test_refuses_to_start_without_a_jwt_secret(monkeypatch):
    monkeypatch.delenv("FLASK_AUTH_JWT_SECRET", raising=False)
    with pytest.raises(ConfigError, match="FLASK_AUTH_JWT_SECRET"):
        create_app()


def test_refuses_a_short_secret(monkeypatch):
    monkeypatch.setenv("FLASK_AUTH_JWT_SECRET", "short")
    with pytest.raises(ConfigError):
        create_app()


def test_reads_the_prefixed_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("FLASK_AUTH_JWT_SECRET", "s" * 40)
    monkeypatch.setenv("FLASK_SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path}/x.db")
    monkeypatch.setenv("FLASK_PUBLIC_URL", "https://rolegate.example")
    monkeypatch.setenv("FLASK_INVITATION_TTL_SECONDS", "60")
    app = create_app()
    assert app.config["PUBLIC_URL"] == "https://rolegate.example"
    assert app.config["INVITATION_TTL_SECONDS"] == 60
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("x.db")


def test_defaults():
    app = create_app({"AUTH_JWT_SECRET": "s" * 40})
    assert app.config["INVITATION_TTL_SECONDS"] == 604800
    with app.app_context():
        assert db.engine.url.database == str(Path(app.instance_path) / "rolegate.sqlite3")


def dev_app(instance):
    app = Flask("dev", instance_path=str(instance))
    app.config.from_mapping(DEFAULTS, DEV_MODE=True)
    finish(app)
    return app


def test_dev_mode_makes_and_keeps_a_random_secret(tmp_path):
    first, second = dev_app(tmp_path), dev_app(tmp_path)
    assert len(first.config["AUTH_JWT_SECRET"]) >= 32
    assert dev_app(tmp_path / "elsewhere").config["AUTH_JWT_SECRET"] != first.config[
        "AUTH_JWT_SECRET"]
    assert first.config["AUTH_JWT_SECRET"] == second.config["AUTH_JWT_SECRET"]
    assert (tmp_path / "dev-jwt-secret").stat().st_mode & 0o077 == 0
