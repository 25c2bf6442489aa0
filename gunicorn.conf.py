"""gunicorn settings for Rolegate: sync workers that load the decision state before serving."""

import multiprocessing

bind = "127.0.0.1:5000"
workers = min(4, multiprocessing.cpu_count() * 2)
worker_class = "sync"


def post_worker_init(worker):
    """Load this worker's state now, so no request pays for it (fail closed if it cannot)."""
    from service.engine import current_engine
    from service.extensions import db

    app = worker.wsgi
    with app.app_context():
        try:
            current_engine().fresh(db.session)
        except Exception as error:  # the database may come later; requests then retry
            worker.log.warning("state not loaded at start: %s", type(error).__name__)
        finally:
            db.session.remove()
