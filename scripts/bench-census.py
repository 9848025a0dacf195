#!/usr/bin/env python3
"""Census import benchmark (issue 5): imports a generated N-row sheet with the release build of
`tongdao census import`, three times each on a fresh SQLite file and a fresh PostgreSQL database,
and times PostgreSQL's own COPY of the same file into a plain 15-column table for comparison.

Usage (from the repository root):
    swift build -c release --product tongdao
    bash -c '. scripts/postgres.sh; pg_throwaway_start; python3 scripts/bench-census.py 100000; pg_throwaway_stop'

Needs TEST_DATABASE_URL (a PostgreSQL server where it may create databases) for the PostgreSQL half.
The time is the whole command as a user runs it: start-up, reading and decoding the file, checking
every row, and writing in one transaction.

Two COPY yardsticks:
* the sheet itself into a plain 15-column text table (no types, no indexes, no keys);
* the rows the import wrote — enterprises, products and declarations, dumped after the last run —
  copied back into the same three tables of a freshly migrated database, indexes and foreign keys
  included, in one transaction. That is the database's own rate for the same work.
"""
import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
binary = os.path.abspath(".build/release/tongdao")
work = tempfile.mkdtemp(prefix="tongdao-bench.")
atexit.register(shutil.rmtree, work, ignore_errors=True)
sheet = os.path.join(work, "census.csv")
with open(sheet, "wb") as out:
    subprocess.run([sys.executable, "scripts/make-census.py", str(rows)], stdout=out, check=True)


def run(args, env):
    return subprocess.run([binary, *args], env=env, capture_output=True, text=True, input="a long enough password\n")


def import_once(env):
    for args in (["migrate"], ["user", "create", "--username", "bench", "--role", "city_regulator", "--scope", "city", "--password-stdin"]):
        result = run(args, env)
        if result.returncode != 0:
            sys.exit(f"{args[0]} failed: {result.stdout}{result.stderr}")
    start = time.perf_counter()
    result = run(["census", "import", "--year", "2026", "--as", "bench", sheet], env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0 or f"{rows} added" not in result.stdout:
        sys.exit(f"import failed: {result.stdout[-2000:]}{result.stderr[-2000:]}")
    return elapsed


base = dict(os.environ, TONGDAO_BCRYPT_COST="4", LOG_LEVEL="warning")
base.pop("DATABASE_URL", None)
print(f"{rows:,} rows, {os.path.getsize(sheet) / 1e6:.1f} MB")

sqlite = []
for i in range(3):
    env = dict(base, TONGDAO_DATA_DIR=os.path.join(work, f"sqlite-{i}"))
    sqlite.append(import_once(env))
    print(f"  SQLite run {i + 1}: {sqlite[-1]:.2f} s")
print(f"SQLite: median {statistics.median(sqlite):.2f} s = {rows / statistics.median(sqlite):,.0f} rows/s")

url = os.environ.get("TEST_DATABASE_URL")
if not url:
    print("PostgreSQL: skipped (no TEST_DATABASE_URL)")
    sys.exit(0)
server = url.rsplit("/", 1)[0]
postgres = []
for i in range(3):
    name = f"tongdao_bench_{i}"
    subprocess.run(["psql", url, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True, capture_output=True)
    subprocess.run(["psql", url, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    postgres.append(import_once(dict(base, DATABASE_URL=f"{server}/{name}")))
    print(f"  PostgreSQL run {i + 1}: {postgres[-1]:.2f} s")
tables = ["enterprises", "products", "census_intentions"]
for table in tables:
    subprocess.run(["psql", f"{server}/tongdao_bench_2", "-qc", f"\\copy {table} TO '{work}/{table}.tsv'"], check=True, capture_output=True)
print(f"PostgreSQL: median {statistics.median(postgres):.2f} s = {rows / statistics.median(postgres):,.0f} rows/s")

columns = ", ".join(f"c{i} text" for i in range(15))
copies = []
for i in range(3):
    subprocess.run(["psql", url, "-qc", f"DROP TABLE IF EXISTS census_copy; CREATE TABLE census_copy ({columns})"], check=True, capture_output=True)
    start = time.perf_counter()
    subprocess.run(["psql", url, "-qc", f"\\copy census_copy FROM '{sheet}' WITH (FORMAT csv, HEADER true)"], check=True, capture_output=True)
    copies.append(time.perf_counter() - start)
    print(f"  COPY run {i + 1}: {copies[-1]:.2f} s")
copy = statistics.median(copies)
print(f"COPY of the sheet into a plain table: median {copy:.2f} s = {rows / copy:,.0f} rows/s")

same = []
for i in range(3):
    name = f"tongdao_copy_{i}"
    subprocess.run(["psql", url, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True, capture_output=True)
    subprocess.run(["psql", url, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    migrated = run(["migrate"], dict(base, DATABASE_URL=f"{server}/{name}"))
    if migrated.returncode != 0:
        sys.exit(f"migrate failed: {migrated.stderr}")
    script = "BEGIN;\n" + "".join(f"\\copy {table} FROM '{work}/{table}.tsv'\n" for table in tables) + "COMMIT;\n"
    start = time.perf_counter()
    subprocess.run(["psql", f"{server}/{name}", "-q", "-v", "ON_ERROR_STOP=1"], input=script, text=True, check=True, capture_output=True)
    same.append(time.perf_counter() - start)
    print(f"  COPY of the imported rows, run {i + 1}: {same[-1]:.2f} s")
same_copy = statistics.median(same)
print(f"COPY of the imported rows into the real tables: median {same_copy:.2f} s = {rows / same_copy:,.0f} rows/s")
print(f"Tongdao on PostgreSQL reaches {copy / statistics.median(postgres) * 100:.0f}% of the plain COPY's rate, "
      f"{same_copy / statistics.median(postgres) * 100:.0f}% of the same rows' COPY")
