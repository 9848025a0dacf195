#!/usr/bin/env python3
"""Inspections at the issue's size (issue 18): the demo city's plan targets brought to 5,000 (300 trial
institutions, the rest manufacturers) with three years of history (`tongdao seed --demo --scale
inspections`) and the demo's 1,062 inspectors, on SQLite and PostgreSQL, as the demo regulator:

  * planning the year (`POST /api/v1/inspection-plan/{year}/schedule`) and then proposing teams for
    2,000 of the year's planned inspections out of the pool (`GET …/team-proposals?limit=2000`, one
    planner, the loads growing as it goes): target ≤ 2 s for the two, beside the database's own time
    to read the rows the plan reads (its targets and their last inspections, the same statements run
    by Python's sqlite3 or psql), as a ratio;
  * the plan page (`/inspections/plan`, and `GET /api/v1/inspection-plan`) and a credit file (the
    enterprise inspected most: `/credit/enterprise/{id}` and `GET /api/v1/credit/enterprise/{id}`):
    median and p95, target p95 ≤ 50 ms, beside the bare `/healthz` of the same server in the same run.

Usage (from the repository root):
    swift build -c release --product tongdao
    bash -c '. scripts/postgres.sh; pg_throwaway_start; python3 scripts/bench-inspections.py; pg_throwaway_stop'

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
import urllib.request

import benchserver

binary = os.path.abspath(".build/release/tongdao")
server_url = os.environ.get("TEST_DATABASE_URL")
if not server_url:
    sys.exit("set TEST_DATABASE_URL to a PostgreSQL server where this may create a database")
work = tempfile.mkdtemp(prefix="tongdao-bench-inspections-")
runs, warm = 100, 20
year = int(time.strftime("%Y", time.gmtime(time.time() + 8 * 3600)))

# What the plan reads of the database (InspectionStore.targets and lastDone): the manufacturers with
# their products' highest class, the institutions, and every completed inspection's day.
PLAN_SQL = [
    """SELECT e.id, e.name, e.uscc, e.district_code, e.park_code, MAX(p.management_class) FROM enterprises e
       LEFT JOIN products p ON p.enterprise_id = e.id WHERE e.kind IN ('manufacturer', 'cdmo')
       GROUP BY e.id, e.name, e.uscc, e.district_code, e.park_code ORDER BY e.name""",
    "SELECT * FROM trial_institutions WHERE status = 'active' ORDER BY name",
    "SELECT target_id, types, completed_on FROM inspections WHERE status <> 'cancelled' AND completed_on IS NOT NULL",
    f"""SELECT * FROM inspections WHERE (planned_month >= '{year}-01' AND planned_month <= '{year}-12')
       OR (completed_on >= '{year}-01-01' AND completed_on <= '{year}-12-31')""",
]
MOST_INSPECTED = ("SELECT target_id FROM inspections WHERE target_kind = 'enterprise' AND status = 'completed'"
                  " GROUP BY target_id ORDER BY COUNT(*) DESC, target_id LIMIT 1")


def report(label, timings, yardstick=None):
    line = f"{label:48} {len(timings):5} {statistics.median(timings):9.1f}ms {benchserver.percentile(timings, 0.95):9.1f}ms"
    if yardstick:
        line += f"   p95 / /healthz p95 = {benchserver.percentile(timings, 0.95) / benchserver.percentile(yardstick, 0.95):.1f}"
    print(line, flush=True)


def seed(env, label):
    benchserver.seed_scale(binary, env, label, "inspections", "inspection scale")


def call(base, token, path, method="GET"):
    begin = time.perf_counter()
    request = urllib.request.Request(base + path, method=method, headers={"Authorization": f"Bearer {token}"})
    body = json.load(urllib.request.urlopen(request))
    return (time.perf_counter() - begin) * 1000, body


def time_api(base, token, path):
    timings = []
    for index in range(warm + runs):
        elapsed, _ = call(base, token, path)
        if index >= warm:
            timings.append(elapsed)
    return timings


def measure(env, label, raw_read_ms, party):
    with benchserver.running(binary, env) as base:
        token = benchserver.token(base, "admin")
        schedule_ms, outcome = call(base, token, f"/api/v1/inspection-plan/{year}/schedule", method="POST")
        proposals = [call(base, token, f"/api/v1/inspection-plan/{year}/team-proposals?limit=2000") for _ in range(5)]
        items = proposals[-1][1]["items"]
        proposal_ms = statistics.median(elapsed for elapsed, _ in proposals)
        led = sum(1 for item in items if item.get("lead"))
        print(f"{label}: planning the year: {schedule_ms:.0f} ms ({outcome['planned']:,} inspections planned, {outcome['combined']} combined)")
        print(f"{label}: teams for {len(items):,} planned inspections: {proposal_ms:.0f} ms (median of 5; {led:,} with a lead,"
              f" {sum(1 for item in items if item['uncovered']):,} with a specialty uncovered)")
        total = schedule_ms + proposal_ms
        verdict = "met" if total <= 2000 else "NOT met"
        print(f"{label}: the two together: {total:.0f} ms (target 2,000 ms: {verdict}); the database reading the plan's rows:"
              f" {raw_read_ms:.0f} ms, ratio {total / raw_read_ms:.1f}", flush=True)
        bare = benchserver.time_bare(base, runs, warm)
        report(f"{label}: /healthz (the yardstick)", bare)
        report(f"{label}: GET /api/v1/inspection-plan", time_api(base, token, "/api/v1/inspection-plan"), bare)
        report(f"{label}: /inspections/plan page",
               benchserver.time_page(base, "admin", "/inspections/plan", runs=runs, warm=warm, marker="覆盖"), bare)
        report(f"{label}: GET /api/v1/credit/enterprise/{{id}}", time_api(base, token, f"/api/v1/credit/enterprise/{party}"), bare)
        report(f"{label}: /credit/enterprise/{{id}} page",
               benchserver.time_page(base, "admin", f"/credit/enterprise/{party}", runs=runs, warm=warm, marker="信用"), bare)


print(f"{'':48} {'runs':>5} {'median':>11} {'p95':>11}")

# SQLite.
sqlite_env = dict(os.environ, TONGDAO_DATA_DIR=os.path.join(work, "sqlite"), TONGDAO_BCRYPT_COST="4", LOG_LEVEL="warning")
sqlite_env.pop("DATABASE_URL", None)
seed(sqlite_env, "SQLite")
with sqlite3.connect(os.path.join(work, "sqlite", "tongdao.sqlite")) as db:
    reads = []
    for _ in range(7):
        begin = time.perf_counter()
        for statement in PLAN_SQL:
            db.execute(statement).fetchall()
        reads.append((time.perf_counter() - begin) * 1000)
    party = db.execute(MOST_INSPECTED).fetchone()[0]
measure(sqlite_env, "SQLite", statistics.median(reads[2:]), party.lower() if isinstance(party, str) else party)

# PostgreSQL.
database = "tongdao_inspections"
url = server_url.rsplit("/", 1)[0] + "/" + database
pg_env = dict(os.environ, DATABASE_URL=url, TONGDAO_BCRYPT_COST="4", LOG_LEVEL="warning")
subprocess.run(["psql", server_url, "-qc", f"DROP DATABASE IF EXISTS {database}", "-c", f"CREATE DATABASE {database}"], check=True)
seed(pg_env, "PostgreSQL")
subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)
script = "\\timing on\n" + "".join(f"{statement};\n" for statement in PLAN_SQL) * 7
output = subprocess.run(["psql", url, "-qAt", "-o", "/dev/null"], input=script, capture_output=True, text=True, check=True).stdout
times = [float(value) for value in re.findall(r"^Time: ([0-9.]+) ms", output, re.M)]
per_run = [sum(times[index:index + len(PLAN_SQL)]) for index in range(0, len(times), len(PLAN_SQL))]
party = subprocess.run(["psql", url, "-qAtc", MOST_INSPECTED], capture_output=True, text=True, check=True).stdout.strip()
measure(pg_env, "PostgreSQL", statistics.median(per_run[2:]), party)
subprocess.run(["psql", server_url, "-qc", f"DROP DATABASE IF EXISTS {database}"], check=True)
