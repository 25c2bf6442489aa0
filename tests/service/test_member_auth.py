"""Member tokens: only a valid JWT of the configured algorithm reaches a rule."""

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.conftest import JWT_SECRET

URL = "/v1/orgs/acme/members"


@pytest.fixture
def acme(world):
    world.org("acme")


def token(claims=None, key=JWT_SECRET, algorithm="HS256", **headers):
    now = int(time.time())
    claims = {"sub": "owner@acme.test", "iat": now, "exp": now + 60} if claims is None else claims
    return jwt.encode(claims, key, algorithm=algorithm, headers=headers or None)


def get(client, raw):
    return client.get(URL, headers={"Authorization": f"Bearer {raw}"})


def test_a_valid_token_passes(client, acme):
    assert get(client, token()).status_code == 200


@pytest.mark.parametrize("raw", [
    "garbage", "a.b.c", "",
    token(key="another-secret-" + "y" * 40),
    token({"sub": "owner@acme.test", "exp": int(time.time()) - 5}),
    token({"sub": "owner@acme.test"}),  # no exp
    token({"exp": int(time.time()) + 60}),  # no sub
    token({"sub": "owner", "exp": int(time.time()) + 60}),  # not an email
    token({"sub": ["owner@acme.test"], "exp": int(time.time()) + 60}),
    token({"sub": "owner@acme.test", "exp": int(time.time()) + 60,
           "nbf": int(time.time()) + 600}),
    jwt.encode({"sub": "owner@acme.test", "exp": int(time.time()) + 60}, None, algorithm="none"),
    token() + "x" * 9000,
], ids=["garbage", "three-dots", "empty", "wrong-key", "expired", "no-exp", "no-sub",
        "sub-not-email", "sub-not-string", "not-yet-valid", "alg-none", "oversized"])
def test_doubtful_tokens_are_401(client, acme, raw):
    response = get(client, raw)
    assert response.status_code == 401
    assert response.json["code"] == 401


def test_no_token_is_401(client, acme):
    assert client.get(URL).status_code == 401


def test_a_service_key_is_403(client, acme, service_headers):
    response = client.get(URL, headers=service_headers)
    assert response.status_code == 403


def test_issuer_and_audience_are_checked_when_configured(app_factory, world):
    app = app_factory(AUTH_JWT_ISSUER="https://idp.test", AUTH_JWT_AUDIENCE="rolegate")
    world.org("acme")
    client = app.test_client()
    now = int(time.time())
    good = {"sub": "owner@acme.test", "exp": now + 60, "iss": "https://idp.test",
            "aud": "rolegate"}
    assert get(client, token(good)).status_code == 200
    assert get(client, token({**good, "iss": "https://evil.test"})).status_code == 401
    assert get(client, token({**good, "aud": "other"})).status_code == 401
    assert get(client, token({k: v for k, v in good.items() if k != "aud"})).status_code == 401


def test_rs256_with_a_public_key_refuses_hs256_confusion(app_factory, world):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    app = app_factory(AUTH_JWT_PUBLIC_KEY=public_pem)
    world.org("acme")
    client = app.test_client()
    claims = {"sub": "owner@acme.test", "exp": int(time.time()) + 60}
    assert get(client, token(claims, private, "RS256")).status_code == 200
    assert get(client, token(claims)).status_code == 401  # HS256 with the shared secret
    # The classic confusion: HS256 signed with the public key as the HMAC secret.
    assert get(client, hs256_by_hand(claims, public_pem.encode())).status_code == 401


def hs256_by_hand(claims: dict, secret: bytes) -> str:
    """PyJWT refuses to HMAC with a PEM key, so an attacker's token is built by hand."""
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = (part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "."
                     + part(json.dumps(claims).encode()))
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{part(signature)}"
