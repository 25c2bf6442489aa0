"""Tell other processes and hosts that a revision exists: PostgreSQL NOTIFY, inside the commit.

The message is only a hint to catch up sooner. Correctness never rests on it: a fresh check
reads the revision itself, and a minimize_latency check re-reads once its staleness bound has
passed, so a lost notification (or a broken listener) costs at most that bound.
"""

import logging
import os
import threading
import time
from collections.abc import Callable

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

CHANNEL = "rolegate_revision"
log = logging.getLogger("rolegate.notify")


def publish(session: Session, revision: int) -> None:
    """Stage the notification; PostgreSQL delivers it only if the transaction commits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, :revision)"),
                        {"channel": CHANNEL, "revision": str(revision)})


class Listener:
    """One daemon thread per process that reports each announced revision to `on_revision`."""

    def __init__(self, database_uri: str, on_revision: Callable[[int], None]):
        url = make_url(database_uri)
        self._dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._on_revision = on_revision
        self._pid = None
        self._lock = threading.Lock()

    def ensure_running(self) -> None:
        """Start the thread in this process (after a fork the parent's thread is not ours)."""
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid != os.getpid():
                self._pid = os.getpid()
                threading.Thread(target=self._run, name="rolegate-listen", daemon=True).start()

    def _run(self) -> None:
        backoff = 0.1
        while True:
            try:
                with psycopg.connect(self._dsn, autocommit=True, connect_timeout=5) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    backoff = 0.1
                    for message in connection.notifies():
                        self._on_revision(int(message.payload))
            except (psycopg.Error, OSError, ValueError) as error:
                log.warning("revision listener: %s; reconnecting", type(error).__name__)
                time.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
