"""Organizations and their projects."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Conflict, NotFound
from ..models import Grant, Membership, Organization, Project
from . import audit, changes, people


def get(session: Session, slug: str) -> Organization:
    org = session.scalar(select(Organization).where(Organization.slug == slug))
    if org is None:
        raise NotFound(f"No organization {slug!r}.")
    return org


def create(session: Session, slug: str, name: str, owner_email: str, actor: str) -> Organization:
    """Stage an organization with one organization-level Owner."""
    if session.scalar(select(Organization.id).where(Organization.slug == slug)):
        raise Conflict(f"Organization {slug!r} exists already.")
    org = Organization(slug=slug, name=name)
    session.add(org)
    owner = people.find_or_add(session, owner_email)
    membership = Membership(organization=org, person=owner)
    session.add(membership)
    session.flush()
    session.add(Grant(membership_id=membership.id, scope="org", role="owner"))
    audit.record(session, org.id, actor, "org.created", f"org:{slug}",
                 after={"slug": slug, "name": name, "owner": owner.email})
    changes.record(session, "org", org.id, None)
    return org


def get_project(session: Session, org: Organization, slug: str) -> Project:
    project = session.scalar(
        select(Project).where(Project.org_id == org.id, Project.slug == slug))
    if project is None:
        raise NotFound(f"No project {slug!r}.")
    return project


def create_project(session: Session, org: Organization, slug: str, name: str,
                   actor: str) -> Project:
    if session.scalar(select(Project.id).where(Project.org_id == org.id, Project.slug == slug)):
        raise Conflict(f"Project {slug!r} exists already.")
    project = Project(org_id=org.id, slug=slug, name=name)
    session.add(project)
    session.flush()
    audit.record(session, org.id, actor, "project.created", f"project:{slug}",
                 after={"slug": slug, "name": name})
    changes.record(session, "project", org.id, project.id)
    return project
