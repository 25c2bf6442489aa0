"""People are found by email, which is compared trimmed and lower-case."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Person


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find(session: Session, email: str) -> Person | None:
    return session.scalar(select(Person).where(Person.email == normalize_email(email)))


def find_or_add(session: Session, email: str) -> Person:
    person = find(session, email)
    if person is None:
        person = Person(email=normalize_email(email))
        session.add(person)
        session.flush()
    return person
