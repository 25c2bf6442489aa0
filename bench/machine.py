"""What every result file says about where and when it was measured."""

import os
import platform
from datetime import UTC, datetime


def describe() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "load_average": os.getloadavg()}


def rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")
