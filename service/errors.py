"""Domain errors and the one error envelope: {"code", "status", "message", "errors"}."""

import logging
from http import HTTPStatus

from flask import Flask, jsonify
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from adapters.policy_files import PolicyError

log = logging.getLogger("rolegate.errors")


class DomainError(Exception):
    status = 400
    message = "The request cannot be served."

    def __init__(self, message: str | None = None, errors: dict | None = None,
                 headers: dict | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message
        self.errors = errors or {}
        self.headers = headers or {}


class Unauthorized(DomainError):
    status, message = 401, "Authentication is required."


class Forbidden(DomainError):
    status, message = 403, "You may not do this."


class NotFound(DomainError):
    status, message = 404, "Not found."


class Conflict(DomainError):
    status, message = 409, "This conflicts with the current state."


class Gone(DomainError):
    status, message = 410, "This is no longer valid."


class Invalid(DomainError):
    status, message = 422, "The request is not valid."


class BadGateway(DomainError):
    status, message = 502, "An upstream service failed."


class Unavailable(DomainError):
    status, message = 503, "The service cannot decide right now."


def envelope(status: int, message: str, errors: dict | None = None, headers: dict | None = None):
    body = {"code": status, "status": HTTPStatus(status).phrase, "message": message,
            "errors": errors or {}}
    return jsonify(body), status, headers or {}


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        if isinstance(error, Unauthorized):
            from .limits import failed_authentication

            try:
                failed_authentication()
            except DomainError as limited:
                error = limited
        return envelope(error.status, error.message, error.errors, error.headers)

    @app.errorhandler(ValidationError)
    def validation_error(error: ValidationError):
        errors = error.messages if isinstance(error.messages, dict) else {"_": error.messages}
        return envelope(422, Invalid.message, errors)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        headers = {name: value for name, value in error.get_headers()
                   if name.lower() != "content-type"}  # keep Allow, Retry-After, ...
        return envelope(error.code or 500, error.description or "", None, headers)

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError):
        log.error("database unavailable: %s", type(error.orig).__name__)
        return envelope(503, "The database is unavailable.")

    @app.errorhandler(PolicyError)
    def policy_error(error: PolicyError):
        log.error("policy cannot be loaded: %s", error)
        return envelope(503, "The policy cannot be loaded.")

    @app.errorhandler(Exception)
    def internal_error(error: Exception):
        log.exception("unhandled error")
        return envelope(500, "Internal server error.")
