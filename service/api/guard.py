"""Every organization endpoint asks the policy first, like any other service would."""

from dataclasses import dataclass

from adapters.vocabulary import permission_bit

from .. import auth
from ..engine import current_engine
from ..errors import Forbidden, NotFound
from ..extensions import db
from ..models import Organization, Person
from ..rules import people
from ..state import State


@dataclass(frozen=True)
class Caller:
    org: Organization
    person: Person
    member_id: int
    state: State

    def may(self, resource: str, action: str) -> bool:
        return self.state.decisions.allowed(self.member_id, self.org.id, None,
                                            permission_bit(resource, action))


def org_member(org_slug: str, resource: str | None = None, action: str = "read") -> Caller:
    """Authenticate the member and authorize them at the organization scope.

    An unknown org and an org the caller holds no access in both answer 404, so ids and slugs
    of other organizations reveal nothing. With resource None any active member passes.
    """
    state = current_engine().fresh(db.session)
    email = auth.member_email(state)
    org_id = state.orgs.get(org_slug)
    member_id = state.member_id(org_id, email) if org_id is not None else None
    if member_id is None or state.decisions.access(member_id) is None:
        raise NotFound("No such organization.")
    caller = Caller(db.session.get(Organization, org_id), people.find(db.session, email),
                    member_id, state)
    if resource is not None and not caller.may(resource, action):
        raise Forbidden(f"Only organization Owners may do this ({resource}.{action}).")
    return caller
