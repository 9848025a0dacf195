#!/usr/bin/env python3
"""Dashboard summary at national scale on PostgreSQL (issue 7): seeds a fresh database with
`tongdao seed --demo --scale national` (1,000,000 products, 300,000 applications, ~5,000,000 timeline
events), then times `GET /api/v1/dashboard/summary` for the city and one district (and the census
page, `/census`, signed in through the form), and the SQL
beside it, in one psql session with \\timing:
  * "summary SQL": the statements the summary runs (over the rollups and stored outcomes);
  * "raw aggregate": the same figures computed from the source tables alone (what the summary would
    need without rollups; the Class II review times, a replay of timelines, are left out of it).

Usage (from the repository root):
    swift build -c release --product tongdao
    bash -c '. scripts/postgres.sh; pg_throwaway_start; python3 scripts/bench-dashboard-national.py; pg_throwaway_stop'

Needs TEST_DATABASE_URL (a PostgreSQL server where it may create a database) and psql.
Targets (issue 7): p95 ≤ 50 ms, and within 1.5× of the raw SQL aggregate it needs.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request

import benchserver

server_url = os.environ.get("TEST_DATABASE_URL")
if not server_url:
    sys.exit("set TEST_DATABASE_URL to a PostgreSQL server where this may create a database")
binary = os.path.abspath(".build/release/tongdao")
database = "tongdao_national"
url = server_url.rsplit("/", 1)[0] + "/" + database
env = dict(os.environ, DATABASE_URL=url, TONGDAO_BCRYPT_COST="4", LOG_LEVEL="warning")

if os.environ.get("REUSE") == "1":
    # A database seeded by an earlier run, brought up to date (for trying a change quickly).
    subprocess.run([binary, "migrate"], env=env, capture_output=True, check=True)
    print("reusing the database seeded earlier")
else:
    subprocess.run(["psql", server_url, "-qc", f"DROP DATABASE IF EXISTS {database}", "-c", f"CREATE DATABASE {database}"], check=True)
    started = time.perf_counter()
    seeded = subprocess.run([binary, "seed", "--demo", "--scale", "national"], env=env, capture_output=True, text=True)
    if seeded.returncode != 0:
        sys.exit(seeded.stdout[-2000:] + seeded.stderr[-2000:])
    print(next(line for line in seeded.stdout.splitlines() if line.startswith("national scale")))
    print(f"seeding took {time.perf_counter() - started:.0f} s in all (demo city included)")
subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)


def percentile(values, fraction):
    values = sorted(values)
    return values[max(0, int(len(values) * fraction + 0.5) - 1)]


def report(label, timings):
    print(f"{label:34} {len(timings):5} {statistics.median(timings):8.1f}ms {percentile(timings, 0.95):8.1f}ms {max(timings):8.1f}ms")


print(f"{'':34} {'runs':>5} {'median':>10} {'p95':>10} {'max':>10}")
with benchserver.running(binary, env) as base:
    for user, label in (("admin", "city"), ("pudong", "district 310115")):
        token = benchserver.token(base, user)
        timings = []
        for index in range(120):
            begin = time.perf_counter()
            request = urllib.request.Request(base + "/api/v1/dashboard/summary", headers={"Authorization": f"Bearer {token}"})
            body = json.load(urllib.request.urlopen(request))
            if index >= 20:  # the first twenty warm the caches
                timings.append((time.perf_counter() - begin) * 1000)
        report(f"summary, {label}", timings)
        print(f"  ({sum(item['count'] for item in body['pipeline']):,} products, {body['applicationsInReview']:,} in review)")
    # The census page: this year's declarations against last year's, grouped by the database.
    for user, label in (("admin", "city"), ("pudong", "district 310115")):
        timings = benchserver.time_page(base, user, "/census", runs=5, warm=2, marker="年度注册意向信息库")
        report(f"/census page, {label}", timings)

today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
year = int(today[:4])
last_today = f"{year - 1}{today[4:]}".replace("-02-29", "-02-28")
first_month = f"{year - 3}-{today[5:7]}"
quarter_start = f"{year - 2}-{(int(today[5:7]) - 1) // 3 * 3 + 1:02d}-01"
red = f"is_open AND ((clock_running AND red_from <= '{today}') OR (NOT clock_running AND frozen_level = 'red'))"
amber = f"is_open AND ((clock_running AND amber_from <= '{today}' AND red_from > '{today}') OR (NOT clock_running AND frozen_level = 'amber'))"

month = today[:7]
last_month = last_today[:7]
summary_sql = [
    f"SELECT year, CAST(SUM(declarations) AS BIGINT), CAST(SUM(CASE WHEN declaring THEN n ELSE 0 END) AS BIGINT) FROM census_cells WHERE year IN ({year}, {year - 1}) GROUP BY year",
    f"SELECT district_code, channel, COUNT(*) FROM applications WHERE approved_on >= '{month}-01' AND approved_on <= '{today}' GROUP BY 1, 2",
    f"SELECT district_code, channel, CAST(SUM(n) AS BIGINT) FROM approval_rollup WHERE approved_month >= '{year}-01' AND approved_month < '{month}' GROUP BY 1, 2",
    f"SELECT district_code, channel, COUNT(*) FROM applications WHERE approved_on >= '{last_month}-01' AND approved_on <= '{last_today}' GROUP BY 1, 2",
    f"SELECT district_code, channel, CAST(SUM(n) AS BIGINT) FROM approval_rollup WHERE approved_month >= '{year - 1}-01' AND approved_month < '{last_month}' GROUP BY 1, 2",
    f"SELECT COUNT(*) FROM applications WHERE channel = 'national_innovative' AND accepted_on >= '{year}-01-01' AND accepted_on <= '{today}'",
    f"SELECT COUNT(*) FROM applications WHERE channel = 'national_innovative' AND accepted_on >= '{year - 1}-01-01' AND accepted_on <= '{last_today}'",
    "SELECT authority, is_open, accepted_month, CAST(SUM(n) AS BIGINT) FROM application_rollup GROUP BY authority, 3, is_open",
    f"SELECT district_code, COUNT(*) FROM applications WHERE is_open AND clock_running AND amber_from <= '{today}' AND red_from > '{today}' GROUP BY 1",
    "SELECT district_code, COUNT(*) FROM applications WHERE is_open AND NOT clock_running AND frozen_level = 'amber' GROUP BY 1",
    f"SELECT district_code, COUNT(*) FROM applications WHERE is_open AND clock_running AND red_from <= '{today}' GROUP BY 1",
    "SELECT district_code, COUNT(*) FROM applications WHERE is_open AND NOT clock_running AND frozen_level = 'red' GROUP BY 1",
    "SELECT district_code, stage, CAST(SUM(n) AS BIGINT) FROM product_rollup GROUP BY 1, 2",
    "SELECT key_areas, CAST(SUM(n) AS BIGINT) FROM product_rollup GROUP BY 1",
    f"SELECT review_month, CAST(SUM(n) AS BIGINT), CAST(SUM(working_days) AS BIGINT) FROM review_rollup WHERE procedure_code = 'device.class2.registration' AND review_month >= '{quarter_start[:7]}' GROUP BY review_month",
]
raw_sql = [
    f"SELECT year, COUNT(*), COUNT(DISTINCT enterprise_id) FROM census_intentions WHERE year IN ({year}, {year - 1}) GROUP BY year",
    f"""SELECT SUM(CASE WHEN e.occurred_on >= '{year}-01-01' AND e.occurred_on <= '{today}' THEN 1 ELSE 0 END),
        SUM(CASE WHEN e.occurred_on >= '{year - 1}-01-01' AND e.occurred_on <= '{last_today}' THEN 1 ELSE 0 END),
        SUM(CASE WHEN a.channel = 'national_innovative' AND e.occurred_on >= '{year}-01-01' THEN 1 ELSE 0 END)
        FROM application_events e JOIN applications a ON a.id = e.application_id
        WHERE e.kind = 'decision_made' AND e.decision = 'approve' AND NOT EXISTS (SELECT 1 FROM application_events s WHERE s.supersedes = e.id)""",
    f"SELECT COUNT(*) FROM applications WHERE channel = 'national_innovative' AND accepted_on >= '{year}-01-01' AND accepted_on <= '{today}'",
    f"SELECT COUNT(*) FROM applications WHERE channel = 'national_innovative' AND accepted_on >= '{year - 1}-01-01' AND accepted_on <= '{last_today}'",
    f"SELECT authority, is_open, SUBSTR(accepted_on, 1, 7), COUNT(*) FROM applications GROUP BY 1, 3, 2",
    f"SELECT COUNT(*) FROM applications WHERE {amber}",
    f"SELECT district_code FROM applications WHERE {red}",
    "SELECT district_code, stage, key_areas, COUNT(*) FROM products GROUP BY 1, 2, 3",
    f"""SELECT a.district_code, COUNT(*) FROM application_events e JOIN applications a ON a.id = e.application_id
        WHERE e.kind = 'decision_made' AND e.decision = 'approve' AND e.occurred_on >= '{year}-01-01' AND e.occurred_on <= '{today}'
        AND NOT EXISTS (SELECT 1 FROM application_events s WHERE s.supersedes = e.id) GROUP BY 1""",
]


def timed(statements, runs):
    """Each run's total of the statements' times, as psql's \\timing reports them."""
    script = "\\timing on\n" + "".join(("\n".join(statement + ";" for statement in statements) + "\n") for _ in range(runs))
    output = subprocess.run(["psql", url, "-qAt"], input=script, capture_output=True, text=True, check=True).stdout
    times = [float(value) for value in re.findall(r"^Time: ([0-9.]+) ms", output, re.M)]
    return [sum(times[i:i + len(statements)]) for i in range(0, len(times), len(statements))]


summary_times = timed(summary_sql, 30)[5:]
raw_times = timed(raw_sql, 6)[1:]
report("summary SQL (rollups, stored)", summary_times)
report("raw aggregate (source tables)", raw_times)
