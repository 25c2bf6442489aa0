"""Defaults, and the checks that refuse to start with an unsafe configuration."""

import secrets
from pathlib import Path

from flask import Flask

DEFAULTS = {
    "SQLALCHEMY_DATABASE_URI": "sqlite:///rolegate.sqlite3",  # relative: inside instance/
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "AUTH_JWT_SECRET": None,
    "AUTH_JWT_PUBLIC_KEY": None,  # PEM; when set, member tokens must be RS256 under this key
    "AUTH_JWT_ISSUER": None,
    "AUTH_JWT_AUDIENCE": None,
    "PUBLIC_URL": "http://127.0.0.1:5000",
    "INVITATION_TTL_SECONDS": 604800,
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_DEFAULT_SENDER": "rolegate@localhost",
    "CHECK_MAX_STALENESS_SECONDS": 1.0,
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "DEV_MODE": False,
}

MIN_SECRET_LENGTH = 32


class ConfigError(RuntimeError):
    pass


def finish(app: Flask) -> None:
    """Fill derived settings and refuse to run without a real JWT secret outside dev mode."""
    config = app.config
    if not config["AUTH_JWT_SECRET"] and config["DEV_MODE"]:
        config["AUTH_JWT_SECRET"] = _dev_secret(Path(app.instance_path))
    secret = config["AUTH_JWT_SECRET"]
    if not config["AUTH_JWT_PUBLIC_KEY"] and (not secret or len(secret) < MIN_SECRET_LENGTH):
        raise ConfigError(
            f"FLASK_AUTH_JWT_SECRET must be set to at least {MIN_SECRET_LENGTH} characters "
            "(or FLASK_AUTH_JWT_PUBLIC_KEY for RS256); only dev mode makes one up")
    for key in ("INVITATION_TTL_SECONDS", "MAIL_PORT"):
        config[key] = int(config[key])
    config["CHECK_MAX_STALENESS_SECONDS"] = float(config["CHECK_MAX_STALENESS_SECONDS"])


def _dev_secret(instance: Path) -> str:
    """A random secret kept in instance/, so the CLI and the dev server agree on tokens."""
    path = instance / "dev-jwt-secret"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
