"""One worker's start: load the whole state once; print load seconds and RSS as JSON.

Run in a fresh process: python -m bench.startup DATABASE_URI
"""

import json
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
        members = len(state.decisions)
    print(json.dumps({"load_s": round(load_s, 3), "rss_mb": round(rss_mb(), 1),
                      "rss_before_load_mb": round(before, 1), "members_loaded": members}))


if __name__ == "__main__":
    main()
