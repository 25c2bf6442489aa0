"""Structured JSON logs with a request id. A line names the path, never the query string, a
header or a body, so no token or key can reach a log."""

import itertools
import json
import logging
import re
import secrets
import time

from flask import Flask, g, request

REQUEST_ID = re.compile(r"\A[A-Za-z0-9._-]{1,64}\Z")
# Successful checks are the hot path (thousands a second): they are not logged one by one;
# every other request, and every check that fails, is.
QUIET_WHEN_OK = frozenset(("checks.check", "checks.check_batch"))
log = logging.getLogger("rolegate.requests")
_process, _sequence = secrets.token_hex(4), itertools.count(1)


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"ts": round(record.created, 3), "level": record.levelname,
                "logger": record.name, "message": record.getMessage()}
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(line, ensure_ascii=False)


def init_app(app: Flask) -> None:
    root = logging.getLogger("rolegate")
    if not any(isinstance(h.formatter, JSONFormatter) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(JSONFormatter())
        root.addHandler(handler)
        root.setLevel(logging.INFO)

    @app.before_request
    def start():
        offered = request.headers.get("X-Request-Id", "")
        g.request_id = (offered if offered and REQUEST_ID.match(offered)
                        else f"{_process}-{next(_sequence):x}")
        g.started = time.perf_counter()

    @app.after_request
    def finish(response):
        response.headers["X-Request-Id"] = g.get("request_id", "")
        quiet = response.status_code < 400 and request.endpoint in QUIET_WHEN_OK
        if app.config.get("LOG_REQUESTS", True) and not quiet:
            log.info("request", extra={"fields": {
                "request_id": g.get("request_id"), "method": request.method,
                "path": request.path, "status": response.status_code,
                "ms": round((time.perf_counter() - g.get("started", time.perf_counter()))
                            * 1000, 2),
                "remote": request.remote_addr}})
        return response
