"""bench/RESULTS.md and its plot, regenerated from bench/results/latest.json."""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGETS = [
    # (name, how it is computed, target as text, passes?)
    ("in-process: plain pycasbin / Rolegate", "ratio_casbin", ">= 25x", lambda v: v >= 25),
    ("in-process: Rolegate / reference dict", "ratio_reference", "<= 3x", lambda v: v <= 3),
    ("HTTP single, fresh: Rolegate / Cerbos", "ratio_fresh_cerbos", ">= 1x", lambda v: v >= 1),
    ("HTTP single, minimize_latency: Rolegate / pycasbin", "ratio_ml_casbin", ">= 1.5x",
     lambda v: v >= 1.5),
    ("HTTP p99, fresh (ms)", "p99_fresh", "< 20", lambda v: v < 20),
    ("HTTP p99, minimize_latency (ms)", "p99_ml", "< 20", lambda v: v < 20),
    ("HTTP batch of 100: Rolegate / Cerbos", "ratio_batch_cerbos", ">= 5x", lambda v: v >= 5),
    ("worker ready (s)", "ready_s", "< 5 at 100k, < 60 at 1M", None),
    ("worker RSS (MB)", "rss_mb", "< 200 at 100k, < 1500 at 1M", None),
    ("one change applied, enforcer work (us)", "apply_us", "< 1000", lambda v: v < 1000),
]


def ratios(size: dict) -> dict:
    inproc = size["in_process"]
    rolegate = inproc["rolegate_compiled"]["check_us_median"]
    found = {"ratio_reference": rolegate / inproc["reference_dict"]["check_us_median"]}
    if "casbin_enforcer" in inproc:
        found["ratio_casbin"] = inproc["casbin_enforcer"]["check_us_median"] / rolegate
    startup = size["rolegate_worker_startup"]
    found.update(ready_s=startup["load_s"], rss_mb=startup["rss_mb"],
                 apply_us=startup["apply_us_median"])
    http = size.get("http")
    if http:
        rate = {name: figures["checks_per_s"] for name, figures in http.items()}
        found.update(
            ratio_fresh_cerbos=rate["rolegate_fresh_single"] / rate["cerbos_single"],
            ratio_ml_casbin=rate["rolegate_minimize_latency_single"] / rate["casbin_single"],
            ratio_batch_cerbos=rate["rolegate_fresh_batch100"] / rate["cerbos_batch100"],
            p99_fresh=http["rolegate_fresh_single"]["p99_ms"],
            p99_ml=http["rolegate_minimize_latency_single"]["p99_ms"])
    return {key: round(value, 2) for key, value in found.items()}


def write(result: dict) -> None:
    sizes = result["sizes"]
    lines = ["# Benchmark results", "",
             f"Generated from `bench/results/latest.json` ({result['machine']['date']}, "
             f"{result['machine']['cpus']} CPUs, load average "
             f"{result['machine']['load_average'][0]:.2f}; "
             f"{'quick: one round' if result['quick'] else str(result['rounds']) + ' rounds'}, "
             f"wrk c={result['wrk']['connections']} for {result['wrk']['seconds']} s, "
             f"gunicorn {result['gunicorn_workers']} sync workers, PostgreSQL).",
             "Ratios are within this run; absolute numbers move with the machine's load.", "",
             "## Targets", "", "| figure | target | " + " | ".join(f"N={n}" for n in sizes)
             + " |", "|---|---|" + "---|" * len(sizes)]
    found = {n: ratios(size) for n, size in sizes.items()}
    for name, key, target, _ in TARGETS:
        cells = [str(found[n].get(key, "n/a")) for n in sizes]
        lines.append(f"| {name} | {target} | " + " | ".join(cells) + " |")
    lines += ["", "## In-process check latency (median of batch means, us)", "",
              "| N | Rolegate compiled | plain pycasbin | reference dict |", "|---|---|---|---|"]
    for n, size in sizes.items():
        inproc = size["in_process"]
        cells = [str(inproc.get(name, {}).get("check_us_median", "n/a"))
                 for name in ("rolegate_compiled", "casbin_enforcer", "reference_dict")]
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    lines += ["", "## HTTP (medians over rounds)", "",
              "| N | system | checks/s | p50 ms | p99 ms | server CPU ms/request | non-2xx |",
              "|---|---|---|---|---|---|---|"]
    for n, size in sizes.items():
        for name, figures in size.get("http", {}).items():
            lines.append(f"| {n} | {name} | {figures['checks_per_s']:.0f} | {figures['p50_ms']}"
                         f" | {figures['p99_ms']} | {figures['server_cpu_ms_per_request']} | "
                         f"{figures['non_2xx']} |")
    lines += ["", "## Start-up and memory", "",
              "| N | Rolegate worker ready s | Rolegate worker RSS MB | servers |",
              "|---|---|---|---|"]
    for n, size in sizes.items():
        startup = size["rolegate_worker_startup"]
        servers = json.dumps(size.get("servers", {}))
        lines.append(f"| {n} | {startup['load_s']} | {startup['rss_mb']} | `{servers}` |")
    lines += ["", "![latency and throughput against N](results/latency.png)", ""]
    (HERE / "RESULTS.md").write_text("\n".join(lines))
    plot(result)


def plot(result: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [int(n) for n in result["sizes"]]
    figure, (latency, throughput) = plt.subplots(1, 2, figsize=(11, 4))
    for name, label in (("rolegate_compiled", "Rolegate"), ("casbin_enforcer", "pycasbin"),
                        ("reference_dict", "dict")):
        points = [(int(n), s["in_process"][name]["check_us_median"])
                  for n, s in result["sizes"].items() if name in s["in_process"]]
        if points:
            latency.plot(*zip(*points, strict=True), marker="o", label=label)
    latency.set(xscale="log", yscale="log", xlabel="members", ylabel="us per check",
                title="In-process check latency")
    latency.legend()
    http_sizes = [n for n in sizes if "http" in result["sizes"][str(n)]]
    if http_sizes:
        names = list(result["sizes"][str(http_sizes[0])]["http"])
        for name in names:
            throughput.plot(http_sizes, [result["sizes"][str(n)]["http"][name]["checks_per_s"]
                                         for n in http_sizes], marker="o", label=name)
        throughput.set(xscale="log", yscale="log", xlabel="members", ylabel="checks/s",
                       title="HTTP throughput, c=16")
        throughput.legend(fontsize=7)
    figure.tight_layout()
    (HERE / "results").mkdir(exist_ok=True)
    figure.savefig(HERE / "results" / "latency.png", dpi=110)


if __name__ == "__main__":
    write(json.loads((HERE / "results" / "latest.json").read_text()))
