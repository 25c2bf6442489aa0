"""Stage audit events; nothing ever edits or deletes them."""

from sqlalchemy.orm import Session

from ..models import AuditEvent


def record(session: Session, org_id: int, actor: str, action: str, target: str,
           before: dict | None = None, after: dict | None = None) -> None:
    session.add(AuditEvent(org_id=org_id, actor=actor, action=action, target=target,
                           before=before, after=after))
