"""Lookups for UIs and security reviews, answered from the same decisions as checks.

Service keys and organization Owners may call them.
"""

from flask import Blueprint
from sqlalchemy import select

from adapters.vocabulary import permission_bit

from .. import auth
from ..engine import current_engine
from ..errors import NotFound
from ..extensions import db
from ..models import Membership, Organization, Person
from ..openapi import doc
from ..rules import members
from ..schemas.lookups import (
    MembersFoundSchema,
    MembersLookupSchema,
    PermissionsQuery,
    PermissionsSchema,
    ProjectsFoundSchema,
    ProjectsLookupSchema,
)
from ..state import State
from .checks import answered, state_for, state_knowing_key
from .guard import org_member
from .io import body, query

bp = Blueprint("lookups", __name__)


def authenticate() -> bool:
    """True for a service key; False for a valid member token; 401 for anything else."""
    state = state_knowing_key()
    if auth.is_service_key(state):
        return True
    auth.member_email(state)
    return False


def service_or_owner(org: str, is_service: bool) -> None:
    """A service key passes; a member must be an organization Owner of org."""
    if not is_service:
        org_member(org, "members", "read")


def org_id(state: State, slug: str) -> int:
    found = state.orgs.get(slug)
    if found is None:
        raise NotFound("No such organization.")
    return found


def project_id(state: State, org: int, slug: str | None) -> int | None:
    if slug is None:
        return None
    found = state.projects.get(org, {}).get(slug)
    if found is None:
        raise NotFound(f"No project {slug!r}.")
    return found


def lookup_request(schema) -> tuple[dict, State, int]:
    """Authenticate, read the body, authorize for its org, and pick the state to answer from."""
    is_service = authenticate()
    args = body(schema)
    service_or_owner(args["org"], is_service)
    state = answered(args["consistency"]) if is_service else state_for(args["consistency"])
    return args, state, org_id(state, args["org"])


@bp.get("/v1/orgs/<org>/members/<int:member_id>/permissions")
@doc("Everything a member may do at a place, with the grant that gives it",
     query=PermissionsQuery, response=PermissionsSchema, auth="service")
def permissions(org, member_id):
    is_service = authenticate()
    service_or_owner(org, is_service)
    args = query(PermissionsQuery())
    state = current_engine().fresh(db.session)
    if is_service:
        auth.service_key(state)
    found_org = org_id(state, org)
    place = project_id(state, found_org, args["project"])
    members.get(db.session, db.session.get(Organization, found_org), member_id)  # 404 if not ours
    return PermissionsSchema().dump({
        "member": member_id, "project": args["project"], "revision": state.revision,
        "permissions": state.permissions(member_id, found_org, place)})


@bp.post("/v1/lookup/projects")
@doc("The projects where a member may do something", body=ProjectsLookupSchema,
     response=ProjectsFoundSchema, auth="service")
def lookup_projects():
    args, state, found_org = lookup_request(ProjectsLookupSchema())
    member = state.member_id(found_org, args["member"])
    bit = permission_bit(args["resource"], args["action"])
    return {"projects": state.projects_allowing(member, found_org, bit),
            "revision": state.revision}


@bp.post("/v1/lookup/members")
@doc("Who may do something in a project (or the org scope), paginated",
     body=MembersLookupSchema, response=MembersFoundSchema, auth="service")
def lookup_members():
    args, state, found_org = lookup_request(MembersLookupSchema())
    place = project_id(state, found_org, args["project"])
    allowed = state.members_allowed(found_org, place,
                                    permission_bit(args["resource"], args["action"]))
    start = (args["page"] - 1) * args["per_page"]
    page = allowed[start:start + args["per_page"]]
    emails = dict(db.session.execute(
        select(Membership.id, Person.email).join(Person).where(Membership.id.in_(page))
    ).tuples().all()) if page else {}
    return MembersFoundSchema().dump({
        "items": [{"id": member, "email": emails[member]} for member in page],
        "page": args["page"], "per_page": args["per_page"], "total": len(allowed),
        "revision": state.revision})
