"""Projects: members see the ones they can access, org Owners all and may add more."""

from flask import Blueprint
from sqlalchemy import select

from ..extensions import db
from ..models import Project
from ..openapi import doc
from ..rules import orgs
from ..schemas.projects import ProjectListSchema, ProjectSchema
from .guard import org_member
from .io import body, committed

bp = Blueprint("projects", __name__, url_prefix="/v1/orgs/<org>/projects")


@bp.get("")
@doc("List the projects the caller can access", response=ProjectListSchema)
def list_projects(org):
    caller = org_member(org)
    access = caller.state.decisions.access(caller.member_id)
    found = select(Project).where(Project.org_id == caller.org.id).order_by(Project.slug)
    if not (caller.may("projects", "read") or access.org_mask):
        found = found.where(Project.id.in_(list(access.project_masks)))
    return ProjectListSchema().dump({"items": db.session.scalars(found)})


@bp.post("")
@doc("Create a project", body=ProjectSchema, response=ProjectSchema, status=201)
def create_project(org):
    caller = org_member(org, "projects", "write")
    args = body(ProjectSchema())
    project = orgs.create_project(db.session, caller.org, args["slug"], args["name"],
                                  caller.person.email)
    return committed(ProjectSchema().dump(project), status=201)
