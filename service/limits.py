"""Abuse limits (Flask-Limiter): invitations per org, acceptance attempts and failed
authentications per client address. Redis when RATELIMIT_STORAGE_URI is set, else memory.

One Limiter per app: Flask-Limiter keeps its storage on the instance, so a shared instance
would let one app's counts leak into another's.

Checks never consult the limiter: failed authentications are counted only when one fails, so
the hot path pays nothing while a key guesser meets 429 after a few tries.
"""

import time

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse

from .errors import DomainError

DEFAULTS = {
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,  # Redis away: limits still hold per process
    "INVITATIONS_PER_ORG": "50/day",
    "ACCEPT_ATTEMPTS_PER_ADDRESS": "30/hour",
    "AUTH_FAILURES_PER_ADDRESS": "30/minute",
}


class RateLimited(DomainError):
    status, message = 429, "Too many requests; try again later."


def _setting(name: str):
    return lambda: current_app.config[name]


def _org_key() -> str:
    return f"org:{request.view_args.get('org', '')}"


# endpoint -> the limit that guards it (Flask-Limiter arguments)
ROUTE_LIMITS = {
    # Only invitations actually made count against the organization's day.
    "invitations.create": {"limit_value": _setting("INVITATIONS_PER_ORG"), "key_func": _org_key,
                           "deduct_when": lambda response: response.status_code == 201},
    "invitations.accept": {"limit_value": _setting("ACCEPT_ATTEMPTS_PER_ADDRESS")},
}


# Checks and lookups carry no route limit: let the limiter step aside at once on the hot path.
UNLIMITED = frozenset(("checks.check", "checks.check_batch", "lookups.lookup_projects",
                       "lookups.lookup_members", "lookups.permissions", "health.healthz",
                       "health.readyz"))


def _unlimited() -> bool:
    return request.endpoint in UNLIMITED


def init_app(app: Flask) -> None:
    """Call after the blueprints are registered: it wraps this app's own view functions."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    limiter = Limiter(key_func=get_remote_address)
    limiter.init_app(app)
    limiter.request_filter(_unlimited)
    app.extensions["rolegate.limiter"] = limiter
    for endpoint, arguments in ROUTE_LIMITS.items():
        app.view_functions[endpoint] = limiter.limit(**arguments)(app.view_functions[endpoint])


def failed_authentication() -> None:
    """Count one failed authentication from this address; past the limit, raise 429."""
    strategy = current_app.extensions["rolegate.limiter"].limiter
    limit, address = parse(current_app.config["AUTH_FAILURES_PER_ADDRESS"]), get_remote_address()
    if not strategy.hit(limit, "auth-failures", address):
        reset_at, _ = strategy.get_window_stats(limit, "auth-failures", address)
        raise RateLimited(headers={"Retry-After": str(max(1, int(reset_at - time.time())))})
