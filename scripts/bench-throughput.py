#!/usr/bin/env python3
"""Throughput under load (issue 16): the release server on SQLite with the demo city and N
applications (default 20,000), `wrk` with 50 connections for 15 s on each route, each beside the
bare `/healthz` of the same server in the same run (measured before and after the others; their
mean is the yardstick), as requests a second, its share of /healthz, and p50 / p99 latency. Beside
them, the server's own CPU time per request (from /proc, user and system), which the VM's other
tenants move less than the rates: the share of /healthz's CPU per request says the same thing.

Usage (from the repository root; needs Debian's wrk):
    swift build -c release --product tongdao
    python3 scripts/bench-throughput.py [N] [SECONDS]

Targets: the list page ≥ 15 % of /healthz, the dashboard summary ≥ 35 %, p99 ≤ 250 ms for both.
Prints a Markdown table for BENCHMARKS.md.
"""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchserver  # noqa: E402

count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 15
binary = os.path.abspath(".build/release/tongdao")
env = benchserver.demo_city(binary, "tongdao-bench-throughput.", count)


def milliseconds(text):
    number, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def load(base, path, token):
    """wrk on one route: requests a second, p50 and p99 in ms, the non-2xx count, and the server's CPU
    milliseconds per request."""
    command = ["wrk", "-t2", "-c50", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    cpu_before = benchserver.cpu_seconds(pid)
    output = subprocess.run(command + [base + path], capture_output=True, text=True, check=True).stdout
    cpu = benchserver.cpu_seconds(pid) - cpu_before
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    p50 = milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rate, p50, p99, int(errors.group(1)) if errors else 0, cpu * 1000 / requests


with benchserver.running_process(binary, env) as (base, pid):
    token = benchserver.token(base, "regulator")
    routes = [
        ("`/api/v1/me` (token lookup)", "/api/v1/me", None),
        ("`/api/v1/applications?limit=50`", "/api/v1/applications?limit=50", (15, 250)),
        ("`/api/v1/dashboard/summary`", "/api/v1/dashboard/summary", (35, 250)),
    ]
    # Warm the routes once (the first summary is computed, the pages of the list are cached by SQLite).
    for _, path, _ in routes:
        subprocess.run(["curl", "-s", "-o", "/dev/null", "-H", f"Authorization: Bearer {token}", base + path], check=True)
    before = load(base, "/healthz", None)
    results = [(name, target, load(base, path, token)) for name, path, target in routes]
    after = load(base, "/healthz", None)

yardstick = (before[0] + after[0]) / 2
cpu_yardstick = (before[4] + after[4]) / 2
print(f"\n/healthz: {before[0]:,.0f} req/s before, {after[0]:,.0f} after; yardstick {yardstick:,.0f}\n")
print("| route | requests/s | share of `/healthz` | p50 / p99 | server CPU per request (share) | target |")
print("|---|---|---|---|---|---|")
print(f"| `/healthz` | {yardstick:,.0f} | 100 % | {before[1]:.1f} / {before[2]:.1f} ms | {cpu_yardstick:.3f} ms | |")
failed = []
for name, target, (rate, p50, p99, errors, cpu) in results:
    share = rate / yardstick * 100
    verdict = ""
    if target:
        met = share >= target[0] and p99 <= target[1] and errors == 0
        verdict = f"≥ {target[0]} %, p99 ≤ {target[1]} ms: {'met' if met else 'not met'}"
        if not met:
            failed.append(name)
    note = f" ({errors} non-2xx)" if errors else ""
    print(f"| {name} | {rate:,.0f}{note} | {share:.1f} % | {p50:.1f} / {p99:.1f} ms | {cpu:.3f} ms ({cpu_yardstick / cpu * 100:.1f} %) | {verdict} |")
print("\nnot met: " + ", ".join(failed) if failed else "\nevery target met")
