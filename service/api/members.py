"""Organization members: list, read, replace access, revoke (org Owners only)."""

from flask import Blueprint
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Membership
from ..openapi import doc
from ..rules import members
from ..schemas.members import (
    AccessSchema,
    MemberChangeSchema,
    MemberListQuery,
    MemberPageSchema,
    MemberSchema,
)
from .guard import org_member
from .io import body, committed, query

bp = Blueprint("members", __name__, url_prefix="/v1/orgs/<org>/members")


def dump(member: Membership, schema=MemberSchema) -> dict:
    person = member.person
    return schema().dump({"id": member.id, "email": person.email, "name": person.name,
                          "status": member.status, "access": members.describe(member),
                          "created_at": member.created_at, "updated_at": member.updated_at})


@bp.get("")
@doc("List members", query=MemberListQuery, response=MemberPageSchema)
def list_members(org):
    caller = org_member(org, "members", "read")
    args = query(MemberListQuery())
    found = select(Membership).where(Membership.org_id == caller.org.id)
    if args["status"]:
        found = found.where(Membership.is_active if args["status"] == "active"
                            else ~Membership.is_active)
    total = db.session.scalar(select(func.count()).select_from(found.subquery()))
    page = db.session.scalars(
        found.options(selectinload(Membership.grants)).order_by(Membership.id)
        .limit(args["per_page"]).offset((args["page"] - 1) * args["per_page"]))
    return {"items": [dump(member) for member in page], "page": args["page"],
            "per_page": args["per_page"], "total": total}


@bp.get("/<int:member_id>")
@doc("Read a member", response=MemberSchema)
def get_member(org, member_id):
    caller = org_member(org, "members", "read")
    return dump(members.get(db.session, caller.org, member_id))


@bp.put("/<int:member_id>/access")
@doc("Replace a member's access", body=AccessSchema, response=MemberChangeSchema)
def put_access(org, member_id):
    caller = org_member(org, "members", "write")
    args = body(AccessSchema())
    member = members.get(db.session, caller.org, member_id)
    revision = members.set_access(db.session, caller.org, member, args["access"], caller.person)
    return committed(dump(member), revision)


@bp.post("/<int:member_id>/revoke")
@doc("Revoke all of a member's access (suspend)", response=MemberChangeSchema)
def revoke(org, member_id):
    caller = org_member(org, "members", "write")
    member = members.get(db.session, caller.org, member_id)
    revision = members.revoke(db.session, caller.org, member, caller.person)
    return committed(dump(member), revision)
