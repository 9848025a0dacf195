#!/usr/bin/env python3
"""The trial registry at national size (issue 17): 300 institutions, 20,000 investigators, 200,000
trials with about 1,000,000 sites (`tongdao seed --demo --scale trials`), on SQLite and PostgreSQL.

  * the overloaded-PI list (`GET /api/v1/supervision/pi-load` and its page `/supervision/pi-load`)
    and a PI's page (`GET /api/v1/investigators/{id}` and `/investigators/{id}`, the most loaded PI):
    median and p95, target p95 ≤ 50 ms on both databases;
  * the check of the kept loads — every PI's active sites counted again from the raw site rows and
    held to the kept `active_sites` — as PostgreSQL runs it (psql's \\timing), beside the same
    question answered by pandas over a CSV export of the same rows (read time given apart): target
    ≤ 1 s, and the ratio;
  * importing a trials sheet of 100,000 site rows (20,000 new trials of five sites) into the SQLite
    registry with `tongdao trials import`: target ≤ 5 s (the whole command), beside SQLite's own time
    to write the same rows into the same registry (Python's sqlite3), as a ratio.

Usage (from the repository root):
    swift build -c release --product tongdao
    bash -c '. scripts/postgres.sh; pg_throwaway_start; python3 scripts/bench-trials.py; pg_throwaway_stop'

Needs TEST_DATABASE_URL (a PostgreSQL server where it may create a database), psql and pandas.
"""
import csv
import json
import os
import re
import shutil
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
work = tempfile.mkdtemp(prefix="tongdao-bench-trials-")
runs, warm = 100, 20


def report(label, timings):
    print(f"{label:44} {len(timings):5} {statistics.median(timings):8.1f}ms {benchserver.percentile(timings, 0.95):8.1f}ms {max(timings):8.1f}ms", flush=True)


def seed(env, label):
    benchserver.seed_scale(binary, env, label, "trials", "trial scale")


def time_api(base, token, path, check):
    timings = []
    for index in range(warm + runs):
        begin = time.perf_counter()
        request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
        body = json.load(urllib.request.urlopen(request))
        if index >= warm:
            timings.append((time.perf_counter() - begin) * 1000)
    check(body)
    return timings, body


BUSIEST = "SELECT investigator_id FROM trial_sites GROUP BY investigator_id ORDER BY COUNT(*) DESC LIMIT 1"


def reads(env, label, busiest):
    """Times the overloaded list and the page of the PI with the most sites, API and HTML, as the regulator."""
    with benchserver.running(binary, env) as base:
        token = benchserver.token(base, "admin")
        timings, body = time_api(base, token, "/api/v1/supervision/pi-load", lambda body: body["overloaded"] > 0 or sys.exit("none overloaded"))
        report(f"{label}: pi-load list (API)", timings)
        print(f"  ({body['overloaded']:,} PIs over their threshold; the most loaded carries {body['investigators'][0]['activeSites']})")
        pi = busiest.lower()
        timings, body = time_api(base, token, f"/api/v1/investigators/{pi}", lambda body: body.get("sites") or sys.exit("no sites"))
        report(f"{label}: a PI (API)", timings)
        print(f"  ({len(body['sites'])} sites on the page of the PI with the most, {body['investigator']['activeSites']} of them active)")
        report(f"{label}: /supervision/pi-load page",
               benchserver.time_page(base, "admin", "/supervision/pi-load", runs=runs, warm=warm, marker="研究者"))
        report(f"{label}: /investigators/{{id}} page",
               benchserver.time_page(base, "admin", f"/investigators/{pi}", runs=runs, warm=warm, marker="在研"))


print(f"{'':44} {'runs':>5} {'median':>10} {'p95':>10} {'max':>10}")

# SQLite.
sqlite_env = dict(os.environ, TONGDAO_DATA_DIR=os.path.join(work, "sqlite"), TONGDAO_BCRYPT_COST="4", LOG_LEVEL="warning")
sqlite_env.pop("DATABASE_URL", None)
seed(sqlite_env, "SQLite")
with sqlite3.connect(os.path.join(work, "sqlite", "tongdao.sqlite")) as registry:
    reads(sqlite_env, "SQLite", registry.execute(BUSIEST).fetchone()[0])

# PostgreSQL.
database = "tongdao_trials"
url = server_url.rsplit("/", 1)[0] + "/" + database
pg_env = dict(os.environ, DATABASE_URL=url, TONGDAO_BCRYPT_COST="4", LOG_LEVEL="warning")
subprocess.run(["psql", server_url, "-qc", f"DROP DATABASE IF EXISTS {database}", "-c", f"CREATE DATABASE {database}"], check=True)
seed(pg_env, "PostgreSQL")
subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)
reads(pg_env, "PostgreSQL", subprocess.run(["psql", url, "-qAtc", BUSIEST], capture_output=True, text=True, check=True).stdout.strip())

# The check of the kept loads: PostgreSQL, then pandas over an export of the same rows.
check_sql = """SELECT i.id, i.active_sites, COALESCE(c.n, 0) FROM investigators i LEFT JOIN (
    SELECT investigator_id, COUNT(*) AS n FROM trial_sites WHERE activated_on IS NOT NULL AND closed_on IS NULL GROUP BY investigator_id
  ) c ON c.investigator_id = i.id WHERE i.active_sites <> COALESCE(c.n, 0)"""
script = "\\timing on\n" + (check_sql + ";\n") * 12
output = subprocess.run(["psql", url, "-qAt"], input=script, capture_output=True, text=True, check=True).stdout
sql_times = [float(value) for value in re.findall(r"^Time: ([0-9.]+) ms", output, re.M)][2:]
if any(line and not line.startswith("Time:") for line in output.splitlines()):
    sys.exit("the kept loads differ from the raw rows:\n" + output[:2000])
report("PostgreSQL: check of every PI's kept load", sql_times)

sites_csv, people_csv = os.path.join(work, "sites.csv"), os.path.join(work, "investigators.csv")
subprocess.run(["psql", url, "-qc", f"\\copy (SELECT investigator_id, activated_on, closed_on FROM trial_sites) TO '{sites_csv}' CSV HEADER",
                "-c", f"\\copy (SELECT id, active_sites FROM investigators) TO '{people_csv}' CSV HEADER"], check=True)
import pandas  # noqa: E402  (only this part needs it)

begin = time.perf_counter()
sites = pandas.read_csv(sites_csv, dtype={"investigator_id": str, "activated_on": str, "closed_on": str})
people = pandas.read_csv(people_csv, dtype={"id": str, "active_sites": int})
read_ms = (time.perf_counter() - begin) * 1000
pandas_times = []
for index in range(12):
    begin = time.perf_counter()
    active = sites[sites["activated_on"].notna() & sites["closed_on"].isna()]
    counted = active.groupby("investigator_id").size()
    recount = people.set_index("id")["active_sites"].to_frame().join(counted.rename("n")).fillna({"n": 0})
    differing = recount[recount["active_sites"] != recount["n"]]
    if index >= 2:
        pandas_times.append((time.perf_counter() - begin) * 1000)
    if len(differing):
        sys.exit(f"pandas finds {len(differing)} kept loads differing")
report("pandas: the same check over the export", pandas_times)
print(f"  (pandas read the {len(sites):,} site rows and {len(people):,} investigators in {read_ms:.0f} ms, apart from the above;"
      f" PostgreSQL / pandas = {statistics.median(sql_times) / statistics.median(pandas_times):.2f})", flush=True)
subprocess.run(["psql", server_url, "-qc", f"DROP DATABASE IF EXISTS {database}"], check=True)

# Importing 100,000 site rows into the SQLite registry.
registry = sqlite3.connect(os.path.join(work, "sqlite", "tongdao.sqlite"))
people = {}
for code, person in registry.execute(
        "SELECT t.code, i.id FROM investigators i JOIN trial_institutions t ON t.id = i.institution_id WHERE t.code LIKE 'SCALE-INST-%'"):
    people.setdefault(code, []).append(person)
sponsor = registry.execute("SELECT uscc FROM enterprises ORDER BY id LIMIT 1").fetchone()[0]
registry.close()
codes = sorted(people)
today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))


def day(back):
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600 - back * 86400))


sheet = os.path.join(work, "trials.csv")
with open(sheet, "w", newline="", encoding="utf-8-sig") as out:
    writer = csv.writer(out)
    writer.writerow(["登记号或备案号", "试验题目", "试验类别", "试验分期", "试验状态", "申办者统一社会信用代码", "批准（备案）日期", "30日试点",
                     "首例知情同意日期", "创新产品", "需审批", "机构代码", "研究者编号", "机构角色", "伦理审查批准日期", "启动日期", "首例入组日期",
                     "计划入组例数", "实际入组例数", "关闭日期"])
    for trial in range(20_000):
        for site in range(5):
            code = codes[(trial * 7 + site * 61) % len(codes)]
            person = people[code][(trial + site) % len(people[code])]
            writer.writerow([f"CTR99{trial:06d}", f"导入测试试验 {trial + 1} 号", "药物", "II期", "招募中", sponsor, day(120), "否",
                             day(80), "否", "否", code, person, "组长单位" if site == 0 else "参加单位", day(130), day(90), day(80), 100, 10, ""])
registry_file = os.path.join(work, "sqlite", "tongdao.sqlite")
before_file = os.path.join(work, "before.sqlite")
shutil.copyfile(registry_file, before_file)
begin = time.perf_counter()
imported = subprocess.run([binary, "trials", "import", "--sheet", "trials", "--as", "admin", sheet], env=sqlite_env, capture_output=True,
                          text=True)
elapsed = time.perf_counter() - begin
if imported.returncode != 0 or "imported" not in imported.stdout:
    sys.exit(imported.stdout[-3000:] + imported.stderr[-3000:])
print(imported.stdout.strip().splitlines()[0])
print(f"SQLite: importing 100,000 site rows (20,000 trials), the whole command: {elapsed:.1f} s", flush=True)

# The yardstick: SQLite's own time to write the same rows. The rows the import wrote are read back
# and inserted into a copy of the registry as it was before, by Python's sqlite3 (one prepared
# statement a table, foreign keys checked, the loads counted again in one statement, one commit).
registry = sqlite3.connect(registry_file)
new_trials = "SELECT id FROM trials WHERE registration_number LIKE 'CTR99%'"
tables = {table: registry.execute(f"SELECT * FROM {table} WHERE {key} IN ({new_trials})").fetchall()
          for table, key in [("trials", "id"), ("trial_sites", "trial_id"), ("trial_events", "trial_id")]}
registry.close()
bare = sqlite3.connect(before_file, isolation_level=None)
for pragma in ["foreign_keys = ON", "cache_size = -262144", "temp_store = MEMORY"]:
    bare.execute(f"PRAGMA {pragma}")
begin = time.perf_counter()
bare.execute("BEGIN")
for table, rows in tables.items():
    bare.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)
bare.execute("UPDATE investigators SET active_sites = (SELECT COUNT(*) FROM trial_sites s WHERE s.investigator_id = investigators.id"
             " AND s.activated_on IS NOT NULL AND s.closed_on IS NULL)")
bare.execute("COMMIT")
bare.close()
own = time.perf_counter() - begin
print(f"SQLite's own writes of the same rows (Python sqlite3, prepared inserts, one commit): {own:.1f} s;"
      f" the import / SQLite's own = {elapsed / own:.2f}", flush=True)
shutil.rmtree(work, ignore_errors=True)
