#!/usr/bin/env python3
"""Application list benchmark (issue 6): N generated applications on SQLite, then pages of
`GET /api/v1/applications` with their clocks, timed from a client on the same machine.

Usage (from the repository root):
    swift build -c release --product tongdao
    python3 scripts/bench-applications.py 100000

It seeds the demo city and N applications (`tongdao seed --demo --applications N`) into a fresh
SQLite file, starts the release server, signs in, and for each query walks 20 pages of 50 with
the cursor, 5 times over; it reports the median and the 95th percentile per page. Target: ≤ 50 ms.
"""
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

import benchserver

count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
binary = os.path.abspath(".build/release/tongdao")
env = benchserver.demo_city(binary, "tongdao-bench-apps.", count)

# The daily digest is timed on its own below, not left to run inside the server during the measurements.
start = time.perf_counter()
digest = subprocess.run([binary, "digest"], env=env, capture_output=True, text=True)
if digest.returncode != 0:
    sys.exit(f"digest failed: {digest.stderr[-2000:]}")
print(f"tongdao digest over {count:,} applications: {time.perf_counter() - start:.1f} s ({digest.stdout.strip()})")
with benchserver.running(binary, env) as base:
    token = benchserver.token(base, "reviewer")

    def get(path):
        started = time.perf_counter()
        response = urllib.request.urlopen(urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"}))
        body = json.load(response)
        return time.perf_counter() - started, body

    queries = {
        "all, by id": "/api/v1/applications?limit=50",
        "status=in_review": "/api/v1/applications?limit=50&status=in_review",
        "district=310115": "/api/v1/applications?limit=50&district=310115",
        "level=red (clock filter)": "/api/v1/applications?limit=50&level=red",
        "level=amber (clock filter)": "/api/v1/applications?limit=50&level=amber",
    }
    print(f"{'query':28} {'pages':>5} {'median':>9} {'p95':>9} {'max':>9}")
    for name, path in queries.items():
        timings = []
        pages = 0
        for _ in range(5):
            cursor = None
            for _ in range(20):
                elapsed, body = get(path + (f"&cursor={cursor}" if cursor else ""))
                timings.append(elapsed)
                pages += 1
                cursor = body.get("nextCursor")
                if not cursor:
                    break
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(f"{name:28} {pages:5} {statistics.median(timings) * 1000:8.1f}ms {p95 * 1000:8.1f}ms {timings[-1] * 1000:8.1f}ms")

