"""The audit log, oldest first; nothing edits or deletes it."""

from flask import Blueprint
from sqlalchemy import select

from ..extensions import db
from ..models import AuditEvent
from ..openapi import doc
from ..schemas.audit import AuditEventSchema, AuditPageSchema, AuditQuery
from .guard import org_member
from .io import query

bp = Blueprint("audit", __name__)


@bp.get("/v1/orgs/<org>/audit")
@doc("Read the audit log after a cursor", query=AuditQuery, response=AuditPageSchema)
def read_audit(org):
    caller = org_member(org, "audit_log", "read")
    args = query(AuditQuery())
    found = select(AuditEvent).where(AuditEvent.org_id == caller.org.id)
    if args["after"]:
        found = found.where(AuditEvent.id > int(args["after"]))
    rows = db.session.scalars(found.order_by(AuditEvent.id).limit(args["limit"] + 1)).all()
    items = rows[:args["limit"]]
    more = len(rows) > args["limit"]
    return {"items": AuditEventSchema(many=True).dump(items),
            "next": str(items[-1].id) if more else None}
