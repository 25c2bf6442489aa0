"""Run the service as deployed: a real gunicorn on loopback, and talk to it over HTTP."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn wsgi:app with sync workers, as `make run` and production run it."""

    def __init__(self, database_uri: str, workers: int, log_dir: Path, jwt_secret: str,
                 gunicorn_args: tuple = (), **settings):
        self.port = free_port()
        self.access_log = log_dir / f"access-{self.port}.log"
        # A file, not a pipe: nobody reads a pipe while tests run, and a full one blocks workers.
        self.error_log = log_dir / f"error-{self.port}.log"
        env = {**os.environ, "FLASK_SQLALCHEMY_DATABASE_URI": database_uri,
               "FLASK_AUTH_JWT_SECRET": jwt_secret}
        env.update({f"FLASK_{name}": str(value) for name, value in settings.items()})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
             "--workers", str(workers), *gunicorn_args,
             "--bind", f"127.0.0.1:{self.port}", "--access-logfile", str(self.access_log),
             "--access-logformat", "%(p)s %(m)s %(U)s %(s)s", "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
            stderr=(errors := self.error_log.open("wb")))
        self._errors = errors
        self._wait_ready()

    def _wait_ready(self) -> None:
        try:
            wait_answering(self.process, self.port, "/readyz")
        except RuntimeError:
            raise RuntimeError(self.error_log.read_text()[-2000:]) from None

    def pids_that_served(self, path: str) -> set[str]:
        lines = self.access_log.read_text().splitlines()
        return {line.split()[0] for line in lines if f" {path} " in line}

    def worker_pids(self) -> list[int]:
        return child_pids(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self._errors.close()


def request(port: int, method: str, path: str, body=None, headers=None, timeout: float = 10):
    """One request on a new connection: (status, parsed JSON or None, headers)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        payload = json.dumps(body) if body is not None else None
        connection.request(method, path, body=payload, headers={
            "Content-Type": "application/json", **(headers or {})})
        response = connection.getresponse()
        data = response.read()
        is_json = response.getheader("Content-Type", "").startswith("application/json")
        body = json.loads(data) if data and is_json else data.decode(errors="replace") or None
        return response.status, body, dict(response.getheaders())
    finally:
        connection.close()


def wait_answering(process, port: int, path: str, timeout: float = 600) -> None:
    """Return once GET path answers 200; raise if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on {port} exited with {process.returncode}")
        try:
            if request(port, "GET", path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"nothing answers on {port}")


def child_pids(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []
