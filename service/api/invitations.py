"""Invitations: org Owners invite by email; the invitee accepts with their own token."""

from flask import Blueprint, current_app

from .. import auth, mail
from ..engine import current_engine
from ..extensions import db
from ..openapi import doc
from ..rules import invitations
from ..schemas.invitations import (
    AcceptSchema,
    InvitationCreateSchema,
    InvitationListQuery,
    InvitationListSchema,
    InvitationSchema,
    RemovedSchema,
    RemoveQuery,
)
from ..schemas.members import MemberChangeSchema
from .guard import org_member
from .io import body, committed, query
from .members import dump as dump_member

bp = Blueprint("invitations", __name__)
ORG = "/v1/orgs/<org>/invitations"


def dump(invitation) -> dict:
    return InvitationSchema().dump(invitations.describe(invitation))


def _ttl() -> int:
    return current_app.config["INVITATION_TTL_SECONDS"]


def _email(org, invitation, token: str) -> None:
    link = f"{current_app.config['PUBLIC_URL']}/invitations/accept?token={token}"
    where = f"project {invitation.project.slug}" if invitation.project else "the organization"
    mail.send(invitation.email, f"You are invited to {org.name} on Rolegate",
              f"{invitation.inviter.email} invited you to {org.name} as {invitation.role} "
              f"of {where}.\n\nAccept before {invitation.expires_at:%Y-%m-%d %H:%M} UTC:\n"
              f"{link}\n")


@bp.post(ORG)
@doc("Invite someone by email", body=InvitationCreateSchema, response=InvitationSchema,
     status=201)
def create(org):
    caller = org_member(org, "invitations", "write")
    args = body(InvitationCreateSchema())
    invitation, token = invitations.create(db.session, caller.org, args["email"], args["role"],
                                           args["project"], caller.person, _ttl())
    _email(caller.org, invitation, token)  # a failed send raises; nothing is committed
    return committed(dump(invitation), status=201)


@bp.get(ORG)
@doc("List invitations", query=InvitationListQuery, response=InvitationListSchema)
def list_invitations(org):
    caller = org_member(org, "invitations", "read")
    args = query(InvitationListQuery())
    return {"items": [dump(row) for row in
                      invitations.listing(db.session, caller.org, args["status"])]}


@bp.post(f"{ORG}/<int:invitation_id>/resend")
@doc("Resend with a new link and expiry", response=InvitationSchema)
def resend(org, invitation_id):
    caller = org_member(org, "invitations", "write")
    invitation, token = invitations.resend(db.session, caller.org, invitation_id, caller.person,
                                           _ttl())
    _email(caller.org, invitation, token)
    return committed(dump(invitation))


@bp.post(f"{ORG}/<int:invitation_id>/cancel")
@doc("Cancel a pending invitation", response=InvitationSchema)
def cancel(org, invitation_id):
    caller = org_member(org, "invitations", "write")
    invitation = invitations.cancel(db.session, caller.org, invitation_id, caller.person)
    return committed(dump(invitation))


@bp.delete(f"{ORG}/<int:invitation_id>")
@doc("Remove an expired or cancelled invitation", status=204)
def remove(org, invitation_id):
    caller = org_member(org, "invitations", "write")
    invitations.remove(db.session, caller.org, invitation_id, caller.person)
    return committed(None, status=204)


@bp.delete(ORG)
@doc("Remove all expired invitations", query=RemoveQuery, response=RemovedSchema)
def remove_expired(org):
    caller = org_member(org, "invitations", "write")
    query(RemoveQuery())
    return committed({"removed": invitations.remove_expired(db.session, caller.org,
                                                            caller.person)})


@bp.post("/v1/invitations/accept")
@doc("Accept an invitation as the invited person", body=AcceptSchema,
     response=MemberChangeSchema)
def accept():
    email = auth.member_email(current_engine().fresh(db.session))
    args = body(AcceptSchema())
    member, revision = invitations.accept(db.session, args["token"], args["name"], email)
    return committed(dump_member(member), revision)
