#!/usr/bin/env python3
"""Serving enterprises at the issue's size (issue 20): 1,000,000 consultations over three years and
100,000 published FAQ entries and cases (`tongdao seed --demo --scale service`), on SQLite and
PostgreSQL:

  * a station's open consultations by remaining time (`GET /api/v1/consultations?status=open`, the
    first page of 50, as the officer of the station with most open ones), and the regulator's desk;
  * an FAQ search (`GET /api/v1/library?q=…`, ten questions typed in other words than the entries'),
    as an enterprise;

median and p95 of 100 timed reads after 20, one at a time, target p95 ≤ 50 ms, each beside the bare
`/healthz` of the same server in the same run, and the queue beside the database's own time for the
statement it runs (Python's sqlite3 or psql), as ratios.

Usage (from the repository root):
    swift build -c release --product tongdao
    bash -c '. scripts/postgres.sh; pg_throwaway_start; python3 scripts/bench-service.py; pg_throwaway_stop'

Needs TEST_DATABASE_URL (a PostgreSQL server where it may create a database) and psql.
"""
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import benchserver

binary = os.path.abspath(os.environ.get("TONGDAO_BINARY", ".build/release/tongdao"))
server_url = os.environ.get("TEST_DATABASE_URL")
if not server_url:
    sys.exit("set TEST_DATABASE_URL to a PostgreSQL server where this may create a database")
work = tempfile.mkdtemp(prefix="tongdao-bench-service-")
runs, warm = 100, 20
QUERIES = [
    "申请创新审查要准备什么材料", "注册证快到期了怎么办", "临床试验要找几家医院", "软件升级要不要重新注册", "儿童用的产品能不能快点审",
    "产品类别拿不准", "自己检验可以吗", "委托别的省的工厂生产", "体系核查查什么", "样本量怎么算",
]
BUSIEST = "SELECT station_code FROM consultations WHERE status = 'open' AND station_code IS NOT NULL GROUP BY station_code ORDER BY COUNT(*) DESC LIMIT 1"
QUEUE_SQL = ("SELECT * FROM consultations WHERE station_code = '{station}' AND status = 'open'"
             " ORDER BY due_on, id LIMIT 51")


def report(label, timings, yardstick=None):
    line = f"{label:58} {len(timings):5} {statistics.median(timings):9.1f}ms {benchserver.percentile(timings, 0.95):9.1f}ms"
    if yardstick:
        line += f"   p95 / /healthz p95 = {benchserver.percentile(timings, 0.95) / benchserver.percentile(yardstick, 0.95):.1f}"
    print(line, flush=True)


def timed(base, token, paths, check):
    timings = []
    for index in range(warm + runs):
        path = paths[index % len(paths)]
        begin = time.perf_counter()
        request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
        body = json.load(urllib.request.urlopen(request))
        elapsed = (time.perf_counter() - begin) * 1000
        if index == warm:
            check(body)
        if index >= warm:
            timings.append(elapsed)
    return timings


def measure(env, label, station, raw_queue_ms):
    with benchserver.running(binary, env) as base:
        bare = benchserver.time_bare(base, runs, warm)
        report(f"{label}: /healthz (the yardstick)", bare)

        def queue_check(body):
            items = body["items"]
            assert len(items) == 50, f"a full first page, not {len(items)}"
            dues = [item["resolution"].get("deadline") or item["firstResponse"].get("deadline") for item in items]
            print(f"{label}: the first page: 50 open consultations of {station}, deadlines {dues[0]} … {dues[-1]}", flush=True)

        officer = benchserver.token(base, f"station-{station}")
        queue = timed(base, officer, ["/api/v1/consultations?status=open&limit=50"], queue_check)
        report(f"{label}: a station's open queue by remaining time", queue, bare)
        print(f"{label}: the database running the queue's statement: {raw_queue_ms:.2f} ms"
              f" (p95 / it = {benchserver.percentile(queue, 0.95) / raw_queue_ms:.1f})", flush=True)
        admin = benchserver.token(base, "regulator")
        report(f"{label}: the regulator's desk (desk=city)",
               timed(base, admin, ["/api/v1/consultations?status=open&desk=city&limit=50"], lambda body: None), bare)

        found = []

        def search_check(body):
            found.append(len(body["items"]))

        enterprise = benchserver.token(base, "enterprise")
        paths = [f"/api/v1/library?q={urllib.parse.quote(query)}&limit=20" for query in QUERIES]
        searches = timed(base, enterprise, paths, search_check)
        for path in paths:
            request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {enterprise}"})
            assert json.load(urllib.request.urlopen(request))["items"], f"{path} found nothing"
        report(f"{label}: an FAQ search (ten questions in other words)", searches, bare)
        report(f"{label}: an FAQ search, kind=faq",
               timed(base, enterprise, [path + "&kind=faq" for path in paths], lambda body: None), bare)


print(f"{'':58} {'runs':>5} {'median':>11} {'p95':>11}")

# SQLite.
sqlite_env = dict(os.environ, TONGDAO_DATA_DIR=os.path.join(work, "sqlite"), TONGDAO_BCRYPT_COST="4", LOG_LEVEL="warning")
sqlite_env.pop("DATABASE_URL", None)
benchserver.seed_scale(binary, sqlite_env, "SQLite", "service", "service scale")
with sqlite3.connect(os.path.join(work, "sqlite", "tongdao.sqlite")) as db:
    station = db.execute(BUSIEST).fetchone()[0]
    reads = []
    for _ in range(25):
        begin = time.perf_counter()
        db.execute(QUEUE_SQL.format(station=station)).fetchall()
        reads.append((time.perf_counter() - begin) * 1000)
measure(sqlite_env, "SQLite", station, statistics.median(reads[5:]))

# PostgreSQL.
database = "tongdao_service"
url = server_url.rsplit("/", 1)[0] + "/" + database
pg_env = dict(os.environ, DATABASE_URL=url, TONGDAO_BCRYPT_COST="4", LOG_LEVEL="warning")
subprocess.run(["psql", server_url, "-qc", f"DROP DATABASE IF EXISTS {database}", "-c", f"CREATE DATABASE {database}"], check=True)
benchserver.seed_scale(binary, pg_env, "PostgreSQL", "service", "service scale")
subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)
station = subprocess.run(["psql", url, "-qAtc", BUSIEST], capture_output=True, text=True, check=True).stdout.strip()
script = "\\timing on\n" + f"{QUEUE_SQL.format(station=station)};\n" * 25
output = subprocess.run(["psql", url, "-qAt", "-o", "/dev/null"], input=script, capture_output=True, text=True, check=True).stdout
times = [float(value) for value in re.findall(r"^Time: ([0-9.]+) ms", output, re.M)]
measure(pg_env, "PostgreSQL", station, statistics.median(times[5:]))
subprocess.run(["psql", server_url, "-qc", f"DROP DATABASE IF EXISTS {database}"], check=True)
