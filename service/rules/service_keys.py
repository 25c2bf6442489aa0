"""Keys for services that ask for checks: random, shown once, stored as a SHA-256."""

import hashlib
import secrets

from sqlalchemy.orm import Session

from ..models import ServiceKey
from . import changes

KEY_PREFIX = "rgk_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create(session: Session, name: str) -> str:
    """Stage a new key and return it; this is the only time it exists in clear."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ServiceKey(name=name, key_hash=hash_key(key))
    session.add(row)
    session.flush()
    changes.record(session, "service_key", None, row.id)
    return key
