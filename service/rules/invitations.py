"""Invitations: create, resend, cancel, remove, accept. Tokens exist in clear only in the email."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import Conflict, Forbidden, Gone, Invalid, NotFound
from ..models import Invitation, Organization, Person, Project, utcnow
from . import audit, members, people

TOKEN_BYTES = 32  # 256 bits


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def status(invitation: Invitation) -> str:
    if invitation.state == "open":
        return "expired" if invitation.expires_at <= utcnow() else "pending"
    return invitation.state


def describe(invitation: Invitation) -> dict:
    return {"id": invitation.id, "email": invitation.email, "role": invitation.role,
            "scope": invitation.scope,
            "project": invitation.project.slug if invitation.project else None,
            "status": status(invitation), "expires_at": invitation.expires_at,
            "created_at": invitation.created_at, "invited_by": invitation.inviter.email}


def get(session: Session, org: Organization, invitation_id: int) -> Invitation:
    invitation = session.scalar(select(Invitation).where(
        Invitation.id == invitation_id, Invitation.org_id == org.id))
    if invitation is None:
        raise NotFound("No such invitation.")
    return invitation


def listing(session: Session, org: Organization, wanted: str | None) -> list[Invitation]:
    rows = session.scalars(select(Invitation).where(Invitation.org_id == org.id)
                           .order_by(Invitation.id))
    return [row for row in rows if wanted is None or status(row) == wanted]


def create(session: Session, org: Organization, email: str, role: str, project_slug: str | None,
           actor: Person, ttl_seconds: int) -> tuple[Invitation, str]:
    """Stage an open invitation and return it with its token (for the email only)."""
    project = _project(session, org, project_slug)
    member = members.find_by_email(session, org, email)
    if member is not None and member.is_active:
        raise Conflict("This person is an active member already; edit their access instead.")
    for earlier in session.scalars(select(Invitation).where(
            Invitation.org_id == org.id, Invitation.email == email, Invitation.state == "open")):
        if status(earlier) == "pending":
            raise Conflict("An invitation for this email is pending; resend it instead.")
        earlier.state, earlier.closed_at = "expired", utcnow()  # superseded by the new one
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = Invitation(
        org_id=org.id, email=email, role=role, project_id=project.id if project else None,
        scope="project" if project else "org", token_hash=hash_token(token), state="open",
        invited_by=actor.id, expires_at=utcnow() + timedelta(seconds=ttl_seconds))
    session.add(invitation)
    _flush_or_conflict(session)
    audit.record(session, org.id, actor.email, "invitation.created", f"invitation:{invitation.id}",
                 after=_public(invitation))
    return invitation, token


def resend(session: Session, org: Organization, invitation_id: int, actor: Person,
           ttl_seconds: int) -> tuple[Invitation, str]:
    """Give a pending or expired invitation a new token and expiry; the old link stops working."""
    invitation = get(session, org, invitation_id)
    before = _public(invitation)
    if before["status"] not in ("pending", "expired"):
        raise Conflict(f"A {before['status']} invitation cannot be resent.")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation.token_hash, invitation.state, invitation.closed_at = hash_token(token), "open", None
    invitation.expires_at = utcnow() + timedelta(seconds=ttl_seconds)
    _flush_or_conflict(session)
    audit.record(session, org.id, actor.email, "invitation.resent", f"invitation:{invitation.id}",
                 before=before, after=_public(invitation))
    return invitation, token


def cancel(session: Session, org: Organization, invitation_id: int, actor: Person) -> Invitation:
    invitation = get(session, org, invitation_id)
    before = _public(invitation)
    if before["status"] != "pending" or not _close(session, invitation, "cancelled"):
        raise Conflict(f"Only a pending invitation can be cancelled, not a {before['status']} one.")
    audit.record(session, org.id, actor.email, "invitation.cancelled",
                 f"invitation:{invitation.id}", before=before, after=_public(invitation))
    return invitation


def remove(session: Session, org: Organization, invitation_id: int, actor: Person) -> None:
    invitation = get(session, org, invitation_id)
    if status(invitation) not in ("expired", "cancelled"):
        raise Conflict(f"A {status(invitation)} invitation cannot be removed.")
    _delete(session, org, invitation, actor)


def remove_expired(session: Session, org: Organization, actor: Person) -> int:
    expired = session.scalars(select(Invitation).where(
        Invitation.org_id == org.id,
        or_(Invitation.state == "expired",
            (Invitation.state == "open") & (Invitation.expires_at <= utcnow())))).all()
    for invitation in expired:
        _delete(session, org, invitation, actor)
    return len(expired)


def accept(session: Session, token: str, name: str, email: str):
    """Turn a pending invitation into access for the person whose token this is."""
    token_hash = hash_token(token)
    invitation = session.scalar(select(Invitation).where(Invitation.token_hash == token_hash))
    if invitation is None or not hmac.compare_digest(invitation.token_hash, token_hash):
        raise NotFound("No such invitation.")
    if status(invitation) != "pending":
        raise Gone(f"This invitation is {status(invitation)}.")
    if invitation.email != email:
        raise Forbidden("This invitation was sent to another email address.")
    if not _close(session, invitation, "accepted"):
        raise Gone("This invitation was used already.")
    org = session.get(Organization, invitation.org_id)
    person = people.find_or_add(session, email)
    person.name = name
    member = members.find_by_email(session, org, email)
    access = members.describe(member) if member is not None else []
    project = invitation.project.slug if invitation.project else None
    access = [entry for entry in access if entry["project"] != project]
    access.append({"scope": invitation.scope, "project": project, "role": invitation.role})
    audit.record(session, org.id, email, "invitation.accepted", f"invitation:{invitation.id}",
                 before={"status": "pending"}, after=_public(invitation))
    return members.add(session, org, person, access, person)


def _close(session: Session, invitation: Invitation, state: str) -> bool:
    """Close an open invitation unless someone else closed it first (one winner under races)."""
    closed = session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.state == "open",
               Invitation.token_hash == invitation.token_hash)
        .values(state=state, closed_at=utcnow())
        .execution_options(synchronize_session=False))
    session.refresh(invitation)
    return closed.rowcount == 1


def _delete(session: Session, org: Organization, invitation: Invitation, actor: Person) -> None:
    audit.record(session, org.id, actor.email, "invitation.removed",
                 f"invitation:{invitation.id}", before=_public(invitation))
    session.delete(invitation)
    session.flush()


def _project(session: Session, org: Organization, slug: str | None) -> Project | None:
    if slug is None:
        return None
    project = session.scalar(select(Project).where(Project.org_id == org.id, Project.slug == slug))
    if project is None:
        raise Invalid(errors={"project": [f"No project {slug!r}."]})
    return project


def _public(invitation: Invitation) -> dict:
    """What the audit log keeps of an invitation: never its token or hash."""
    session = Session.object_session(invitation)
    if session is not None:
        session.flush()
        session.refresh(invitation)
    described = describe(invitation)
    return {key: value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in described.items()}


def _flush_or_conflict(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("An invitation for this email is pending; resend it instead.") from None
