#!/usr/bin/env python3
"""Dashboard summary benchmark (issue 7), on SQLite: the demo city, a census sheet of P generated
products imported on top, and A generated applications; then `GET /api/v1/dashboard/summary` timed
from a client on the same machine, for the city and for one district.

Usage (from the repository root):
    swift build -c release --product tongdao
    python3 scripts/bench-dashboard.py 100000 20000

Target (issue 7): ≤ 100 ms on SQLite with 100,000 products. The census page (`/census`, signed in
through the form) is timed after it.

With BENCH_DATA_DIR=DIR the data set is made there once and kept, and a later run with the same
DIR reuses it (to time two builds on the same data).
"""
import atexit
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import benchserver

products = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
applications = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
binary = os.path.abspath(".build/release/tongdao")
work = os.environ.get("BENCH_DATA_DIR")
reuse = bool(work) and os.path.exists(os.path.join(work, "tongdao.sqlite"))
if not work:
    work = tempfile.mkdtemp(prefix="tongdao-bench-dashboard.")
    atexit.register(shutil.rmtree, work, ignore_errors=True)
env = dict(os.environ, TONGDAO_DATA_DIR=work, TONGDAO_BCRYPT_COST="4", LOG_LEVEL="warning")
env.pop("DATABASE_URL", None)


def run(args, **kwargs):
    result = subprocess.run([binary, *args], env=env, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"{args[0]} failed: {result.stdout[-2000:]}{result.stderr[-2000:]}")
    return result


if reuse:
    print(f"reusing the data set in {work}")
else:
    start = time.perf_counter()
    run(["seed", "--demo"])
    sheet = os.path.join(work, "census.csv")
    with open(sheet, "wb") as out:
        subprocess.run([sys.executable, "scripts/make-census.py", str(products)], stdout=out, check=True)
    run(["census", "import", "--year", str(time.gmtime().tm_year), "--as", "admin", sheet])
    run(["seed", "--applications", str(applications)])
    print(f"seeded the demo city, {products:,} more products and {applications:,} applications in {time.perf_counter() - start:.1f} s")


def report(label, timings):
    timings = sorted(timings)
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(f"{label:24} {len(timings):5} {statistics.median(timings) * 1000:8.1f}ms {p95 * 1000:8.1f}ms {timings[-1] * 1000:8.1f}ms")


with benchserver.running(binary, env) as base:
    tokens = {user: benchserver.token(base, user) for user in ("admin", "pudong")}
    print(f"{'scope':24} {'runs':>5} {'median':>9} {'p95':>9} {'max':>9}")
    for user, label in (("admin", "city"), ("pudong", "district 310115")):
        timings = []
        for index in range(60):
            started = time.perf_counter()
            response = urllib.request.urlopen(urllib.request.Request(base + "/api/v1/dashboard/summary", headers={"Authorization": f"Bearer {tokens[user]}"}))
            body = json.load(response)
            if index >= 10:  # the first ten warm the caches
                timings.append(time.perf_counter() - started)
        report(label, timings)
        print(f"  ({sum(item['count'] for item in body['pipeline']):,} products, {body['applicationsInReview']:,} in review)")

    print("the census page, /census (this year against last, by district or park)")
    for user, label in (("admin", "city"), ("pudong", "district 310115")):
        report(label, [ms / 1000 for ms in benchserver.time_page(base, user, "/census", runs=9, warm=3, marker="年度注册意向信息库")])
