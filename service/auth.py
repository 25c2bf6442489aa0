"""Who is calling: a service (service key) or a member (JWT). Never a header naming itself."""

from flask import request

from . import tokens
from .errors import Forbidden, Unauthorized
from .rules.service_keys import hash_key
from .state import State


def bearer() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def is_service_key(state: State) -> bool:
    token = bearer()
    return token is not None and hash_key(token) in state.service_keys


def service_key(state: State) -> int:
    """Return the calling service key's id, or raise Unauthorized.

    The lookup is by SHA-256 of the presented key: timing reveals at most the hash's bucket,
    never the key. Revoked and unknown keys fail the same way.
    """
    token = bearer()
    key_id = state.service_keys.get(hash_key(token)) if token else None
    if key_id is None:
        raise Unauthorized("A valid service key is required.",
                           headers={"WWW-Authenticate": "Bearer"})
    return key_id


def member_email(state: State) -> str:
    """Return the calling member's email from their JWT; a service key is refused with 403."""
    token = bearer()
    if token is None:
        raise Unauthorized("A member token is required.", headers={"WWW-Authenticate": "Bearer"})
    if hash_key(token) in state.service_keys:
        raise Forbidden("Service keys cannot manage members; use a member token.")
    return tokens.verify(token)
