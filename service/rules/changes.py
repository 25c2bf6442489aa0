"""Number every change that decisions depend on."""

from sqlalchemy import update
from sqlalchemy.orm import Session

from .. import notify
from ..models import Change, PolicyRevision


def record(session: Session, kind: str, org_id: int | None, subject_id: int | None) -> int:
    """Stage a change row with the next revision; call it last, just before the commit.

    Bumping the single revision row locks it until the transaction ends, so two writers take
    revisions in commit order and a reader never sees revision n+1 before n.
    """
    revision = session.execute(
        update(PolicyRevision).where(PolicyRevision.id == 1)
        .values(revision=PolicyRevision.revision + 1)
        .returning(PolicyRevision.revision)).scalar_one()
    session.add(Change(revision=revision, kind=kind, org_id=org_id, subject_id=subject_id))
    session.flush()
    notify.publish(session, revision)
    return revision
