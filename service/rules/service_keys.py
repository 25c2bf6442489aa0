"""Keys for services that ask for checks: random, shown once, stored as a SHA-256."""

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import ServiceKey, utcnow
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


def revoke(session: Session, key_id: int) -> ServiceKey:
    """Stage the key's revocation; every worker refuses it from its next fresh read."""
    row = session.get(ServiceKey, key_id)
    if row is None or row.revoked_at is not None:
        raise NotFound(f"No active service key {key_id}.")
    row.revoked_at = utcnow()
    changes.record(session, "service_key", None, row.id)
    return row


def listing(session: Session) -> list[ServiceKey]:
    return list(session.scalars(select(ServiceKey).order_by(ServiceKey.id)))
