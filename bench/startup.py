"""One worker's start: load the whole state once; print load seconds and RSS as JSON.

Run in a fresh process: python -m bench.startup DATABASE_URI
"""

import json
import statistics
import sys
import time

from service import create_app
from service.engine import current_engine
from service.extensions import db

from .machine import rss_mb


def main():
    app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "AUTH_JWT_SECRET": "b" * 40})
    with app.app_context():
        db.session.execute(db.text("SELECT 1"))
        before = rss_mb()
        start = time.perf_counter()
        state = current_engine().fresh(db.session)
        load_s = time.perf_counter() - start
        rss = rss_mb()
        members = len(state.decisions)
        apply_us = _apply_us(state)
    print(json.dumps({"load_s": round(load_s, 3), "rss_mb": round(rss, 1),
                      "rss_before_load_mb": round(before, 1), "members_loaded": members,
                      "apply_us_median": apply_us}))


def _apply_us(state, rounds: int = 200) -> float:
    """The enforcer work of one access change in a loaded worker (the DB read excluded)."""
    member_id = state.decisions.members_of(next(iter(state.orgs.values())))[0]
    access = state.decisions.access(member_id)
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        state.decisions.set_member(member_id, access.org_id, list(access.grants))
        samples.append((time.perf_counter() - start) * 1e6)
    return round(statistics.median(samples), 3)


if __name__ == "__main__":
    main()
