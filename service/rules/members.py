"""Members' access: replace it, revoke it, keep at least one organization Owner."""

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from ..errors import Conflict, Invalid, NotFound
from ..models import Grant, Membership, Organization, Person, Project, utcnow
from . import audit, changes


def get(session: Session, org: Organization, member_id: int) -> Membership:
    member = session.scalar(
        select(Membership).where(Membership.id == member_id, Membership.org_id == org.id))
    if member is None:
        raise NotFound("No such member.")
    return member


def find_by_email(session: Session, org: Organization, email: str) -> Membership | None:
    return session.scalar(
        select(Membership).join(Person).where(Membership.org_id == org.id, Person.email == email))


def describe(member: Membership) -> list[dict]:
    """The member's active access as the API shows it: the org grant first, then by project."""
    entries = [{"scope": grant.scope, "project": grant.project.slug if grant.project else None,
                "role": grant.role} for grant in member.grants]
    return sorted(entries, key=lambda entry: (entry["project"] is not None, entry["project"] or ""))


def set_access(session: Session, org: Organization, member: Membership, access: list[dict],
               actor: Person | None) -> int:
    """Replace the member's grants with `access`; return the change's revision."""
    if not access:
        raise Invalid(errors={"access": ["Give at least one grant; revoke has its own endpoint."]})
    wanted = _resolve(session, org, access)
    _lock(session, org)
    session.refresh(member)  # under the lock, read the grants as they are now
    before = describe(member)
    restored = not before and session.scalar(
        select(exists().where(Grant.membership_id == member.id)))
    current = {(grant.project_id, grant.role): grant for grant in member.grants}
    now = utcnow()
    for key, grant in current.items():
        if key not in wanted:
            grant.revoked_at, grant.revoked_by = now, actor.id if actor else None
    for project_id, role in wanted:
        if (project_id, role) not in current:
            session.add(Grant(membership_id=member.id, project_id=project_id, role=role,
                              scope="org" if project_id is None else "project",
                              granted_by=actor.id if actor else None, granted_at=now))
    member.updated_at = now
    return _finish(session, org, member, actor, before,
                   "member.restored" if restored else "access.changed")


def revoke(session: Session, org: Organization, member: Membership, actor: Person | None) -> int:
    """End every grant: the member is suspended; the record and its history stay."""
    _lock(session, org)
    session.refresh(member)
    before, now = describe(member), utcnow()
    for grant in member.grants:
        grant.revoked_at, grant.revoked_by = now, actor.id if actor else None
    member.updated_at = now
    return _finish(session, org, member, actor, before, "member.suspended")


def _finish(session, org, member, actor, before, action) -> int:
    session.flush()
    session.expire(member, ["grants"])
    if _active_org_owners(session, org) == 0:
        raise Conflict("The organization must keep at least one active organization Owner.")
    audit.record(session, org.id, actor.email if actor else "cli", action, f"member:{member.id}",
                 before={"access": before}, after={"access": describe(member)})
    return changes.record(session, "member", org.id, member.id)


def _resolve(session: Session, org: Organization, access: list[dict]) -> list[tuple]:
    """Turn API entries into [(project_id or None, role)]; refuse duplicates and contradictions."""
    slugs = {entry["project"] for entry in access if entry.get("project")}
    projects = dict(session.execute(
        select(Project.slug, Project.id).where(Project.org_id == org.id, Project.slug.in_(slugs))
    ).tuples().all()) if slugs else {}
    wanted, places = [], set()
    for index, entry in enumerate(access):
        slug = entry.get("project")
        if entry["scope"] == "project" and slug not in projects:
            raise Invalid(errors={"access": {index: {"project": [f"No project {slug!r}."]}}})
        place = projects[slug] if entry["scope"] == "project" else None
        if place in places:
            raise Invalid(errors={"access": {index: ["A second role for the same place."]}})
        places.add(place)
        wanted.append((place, entry["role"]))
    return wanted


def _lock(session: Session, org: Organization) -> None:
    """Serialize access changes within one org, so the last-Owner rule holds under races."""
    session.execute(select(Organization.id).where(Organization.id == org.id).with_for_update())


def _active_org_owners(session: Session, org: Organization) -> int:
    return session.scalar(
        select(func.count(Grant.id)).join(Membership, Membership.id == Grant.membership_id)
        .where(Membership.org_id == org.id, Grant.scope == "org", Grant.role == "owner",
               Grant.revoked_at.is_(None)))


def add(session: Session, org: Organization, person: Person, access: list[dict],
        actor: Person | None) -> tuple[Membership, int]:
    """Give a person access to the org, creating or restoring their membership."""
    member = find_by_email(session, org, person.email)
    if member is None:
        member = Membership(org_id=org.id, person_id=person.id)
        session.add(member)
        session.flush()
    return member, set_access(session, org, member, access, actor)
