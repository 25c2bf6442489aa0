"""Wait for a server process to answer on a port."""

import time

from tests.servers import request


def wait_ready(process, port: int, path: str = "/healthz", timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on {port} exited with {process.returncode}")
        try:
            request(port, "GET", path)
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing answers on {port}")
