"""Member tokens: JWTs whose `sub` is the person's email."""

from datetime import UTC, datetime, timedelta

import jwt
from flask import current_app

from .errors import Unauthorized

MAX_TOKEN_LENGTH = 8192


def mint(email: str, ttl_seconds: int = 3600) -> str:
    """Return a HS256 dev token; production tokens come from the identity provider."""
    config = current_app.config
    now = datetime.now(UTC)
    claims = {"sub": email, "iat": now, "exp": now + timedelta(seconds=ttl_seconds)}
    if config["AUTH_JWT_ISSUER"]:
        claims["iss"] = config["AUTH_JWT_ISSUER"]
    if config["AUTH_JWT_AUDIENCE"]:
        claims["aud"] = config["AUTH_JWT_AUDIENCE"]
    return jwt.encode(claims, config["AUTH_JWT_SECRET"], algorithm="HS256")


def verify(token: str) -> str:
    """Return the token's email, or raise Unauthorized for anything doubtful."""
    config = current_app.config
    # One algorithm, fixed by configuration: a token cannot pick its own (no "none", no HS/RS mix).
    key, algorithm = ((config["AUTH_JWT_PUBLIC_KEY"], "RS256") if config["AUTH_JWT_PUBLIC_KEY"]
                      else (config["AUTH_JWT_SECRET"], "HS256"))
    if len(token) > MAX_TOKEN_LENGTH:
        raise Unauthorized("The token is not valid.")
    try:
        claims = jwt.decode(
            token, key, algorithms=[algorithm],
            issuer=config["AUTH_JWT_ISSUER"], audience=config["AUTH_JWT_AUDIENCE"],
            options={"require": ["exp", "sub"], "verify_aud": bool(config["AUTH_JWT_AUDIENCE"])})
    except jwt.PyJWTError:
        raise Unauthorized("The token is not valid.") from None
    email = claims["sub"]
    if not isinstance(email, str) or "@" not in email or len(email) > 320:
        raise Unauthorized("The token's subject is not an email.")
    return email.strip().lower()
