#!/usr/bin/env python3
"""Signal detection at the vigilance issue's size (issue 19): 5,000,000 adverse-event reports over
three years on 2,000 marketed devices with a term list of 500 (`tongdao seed --demo --scale
vigilance`), on SQLite and PostgreSQL, as the demo regulator:

  * detection over the whole three years (`GET /api/v1/signals/detection?from=…&all=true`: every
    product × term pair with its 2×2 table, PRR and χ², ROR and its interval, IC and IC025, the
    policy's signals): target ≤ 2 s, median of 5 after one warm run;
  * beside it, in the same run, pandas computing the same statistics (numpy for the measures, scipy's
    gamma quantile for IC025) over an export of the same reports' term rows (product, term, report),
    read from a Parquet-free CSV written by the database itself: the ratio pandas / Tongdao (aim ≥ 10);
  * and the database's own time for the statements detection reads (the whole months' sums of
    migration 044's monthly counts: the yardstick of what is left to the server), beside the three
    GROUP BYs that count the same window row by row (what detection read before).

Usage (from the repository root):
    swift build -c release --product tongdao
    bash -c '. scripts/postgres.sh; pg_throwaway_start; python3 scripts/bench-signals.py; pg_throwaway_stop'

Needs TEST_DATABASE_URL (a PostgreSQL server where it may create a database), psql, numpy, scipy
and pandas. Seeding takes a while (5,000,000 reports with their term rows and events per database).
"""
import json
import os
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
work = tempfile.mkdtemp(prefix="tongdao-bench-signals-")
today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
year, month, day = (int(part) for part in today.split("-"))
window_from = f"{year - 3:04d}-{month:02d}-{day:02d}"

GROUP_BYS = [
    f"SELECT CAST(product_id AS TEXT), term_code, COUNT(*) FROM adverse_event_report_terms"
    f" WHERE reported_on >= '{window_from}' AND reported_on <= '{today}' GROUP BY 1, 2",
    f"SELECT CAST(product_id AS TEXT), COUNT(*) FROM adverse_event_reports"
    f" WHERE reported_on >= '{window_from}' AND reported_on <= '{today}' GROUP BY 1",
    f"SELECT term_code, COUNT(*) FROM adverse_event_report_terms"
    f" WHERE reported_on >= '{window_from}' AND reported_on <= '{today}' GROUP BY 1",
]
# What detection reads since migration 044: the whole months' sums (the end days' rows are a few
# per cent of these).
first_month = f"{year - 3:04d}-{month + 1:02d}" if month < 12 else f"{year - 2:04d}-01"
last_month = f"{year:04d}-{month - 1:02d}" if month > 1 else f"{year - 1:04d}-12"
MONTHLY = [
    f"SELECT product_id, term_code, SUM(reports) FROM adverse_event_pair_months"
    f" WHERE month >= '{first_month}' AND month <= '{last_month}' GROUP BY product_id, term_code",
    f"SELECT product_id, SUM(reports) FROM adverse_event_product_months"
    f" WHERE month >= '{first_month}' AND month <= '{last_month}' GROUP BY product_id",
]
EXPORT = (f"SELECT CAST(product_id AS TEXT) AS product, term_code AS term, CAST(report_id AS TEXT) AS report"
          f" FROM adverse_event_report_terms WHERE reported_on >= '{window_from}' AND reported_on <= '{today}'")


def detect(base, token):
    begin = time.perf_counter()
    request = urllib.request.Request(
        f"{base}/api/v1/signals/detection?from={window_from}&to={today}&all=true&limit=200",
        headers={"Authorization": f"Bearer {token}"})
    body = json.load(urllib.request.urlopen(request, timeout=600))
    return (time.perf_counter() - begin) * 1000, body


def pandas_statistics(csv_path):
    """The same statistics as Tongdao's, from the export: the tables, PRR with Yates's χ², ROR with
    its 95 % interval (Haldane–Anscombe +0.5 when a cell is 0), IC and IC025. Returns the seconds of
    the computation (after reading) and of reading, and the pairs and signals found."""
    import numpy as np
    import pandas as pd
    from scipy import stats

    begin = time.perf_counter()
    rows = pd.read_csv(csv_path, dtype={"product": "category", "term": "category", "report": "string"})
    read_s = time.perf_counter() - begin
    begin = time.perf_counter()
    a = rows.groupby(["product", "term"], observed=True).size().rename("a").reset_index()
    by_product = rows.groupby("product", observed=True)["report"].nunique().rename("n_product")
    by_term = rows.groupby("term", observed=True).size().rename("n_term")
    total = rows["report"].nunique()
    table = a.join(by_product, on="product").join(by_term, on="term")
    A = table["a"].to_numpy(float)
    B = table["n_product"].to_numpy(float) - A
    C = table["n_term"].to_numpy(float) - A
    D = total - A - B - C
    zero = (A == 0) | (B == 0) | (C == 0) | (D == 0)
    a2, b2, c2, d2 = (np.where(zero, x + 0.5, x) for x in (A, B, C, D))
    prr = (a2 / (a2 + b2)) / (c2 / (c2 + d2))
    n = A + B + C + D
    numerator = n * np.maximum(np.abs(A * D - B * C) - n / 2, 0) ** 2
    denominator = (A + B) * (C + D) * (A + C) * (B + D)
    chi2 = np.divide(numerator, denominator, out=np.zeros_like(numerator), where=denominator > 0)
    ror = (a2 * d2) / (b2 * c2)
    se = np.sqrt(1 / a2 + 1 / b2 + 1 / c2 + 1 / d2)
    ror_lower = np.exp(np.log(ror) - 1.96 * se)
    expected = (A + B) * (A + C) / n
    ic = np.log2((A + 0.5) / (expected + 0.5))
    ic025 = np.log2(stats.gamma.ppf(0.025, A + 0.5, scale=1 / (expected + 0.5)))
    signals = int(np.sum(((A >= 3) & (prr >= 2) & (chi2 >= 4)) | ((A >= 3) & (ror_lower > 1)) | (ic025 > 0)))
    compute_s = time.perf_counter() - begin
    return compute_s, read_s, len(table), signals


def measure(env, label, group_by_ms, monthly_ms, export_path):
    compute_s, read_s, pairs, signals = pandas_statistics(export_path)
    print(f"{label}: pandas over the export: {compute_s * 1000:.0f} ms computing ({read_s:.1f} s reading the CSV);"
          f" {pairs:,} pairs, {signals:,} meeting a method", flush=True)
    with benchserver.running(binary, env) as base:
        token = benchserver.token(base, "regulator")
        detect(base, token)
        runs = [detect(base, token) for _ in range(5)]
        ms = statistics.median(elapsed for elapsed, _ in runs)
        body = runs[-1][1]
        verdict = "met" if ms <= 2000 else "NOT met"
        print(f"{label}: Tongdao's detection: {ms:.0f} ms (median of 5; {body['reports']:,} reports, {body['pairs']:,} pairs,"
              f" {body['signals']:,} signals; target 2,000 ms: {verdict}); pandas / Tongdao = {compute_s * 1000 / ms:.1f};"
              f" the database summing the months: {monthly_ms:.0f} ms (Tongdao / that = {ms / monthly_ms:.1f});"
              f" counting row by row: {group_by_ms:.0f} ms", flush=True)


# SQLite.
sqlite_env = dict(os.environ, TONGDAO_DATA_DIR=os.path.join(work, "sqlite"), TONGDAO_BCRYPT_COST="4", LOG_LEVEL="warning")
sqlite_env.pop("DATABASE_URL", None)
benchserver.seed_scale(binary, sqlite_env, "SQLite", "vigilance", "vigilance scale")
sqlite_csv = os.path.join(work, "sqlite-export.csv")
with sqlite3.connect(os.path.join(work, "sqlite", "tongdao.sqlite")) as db:
    def timed(statements):
        timings = []
        for _ in range(3):
            begin = time.perf_counter()
            for statement in statements:
                db.execute(statement).fetchall()
            timings.append((time.perf_counter() - begin) * 1000)
        return statistics.median(timings)
    sqlite_rows, sqlite_months = timed(GROUP_BYS), timed(MONTHLY)
    with open(sqlite_csv, "w") as out:
        out.write("product,term,report\n")
        for product, term, report in db.execute(EXPORT):
            out.write(f"{product.lower()},{term},{report.lower()}\n")
measure(sqlite_env, "SQLite", sqlite_rows, sqlite_months, sqlite_csv)

# PostgreSQL.
database = "tongdao_signals"
url = server_url.rsplit("/", 1)[0] + "/" + database
pg_env = dict(os.environ, DATABASE_URL=url, TONGDAO_BCRYPT_COST="4", LOG_LEVEL="warning")
subprocess.run(["psql", server_url, "-qc", f"DROP DATABASE IF EXISTS {database}", "-c", f"CREATE DATABASE {database}"], check=True)
benchserver.seed_scale(binary, pg_env, "PostgreSQL", "vigilance", "vigilance scale")
subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)


def psql_timed(statements):
    import re
    script = "\\timing on\n" + "".join(f"{statement};\n" for statement in statements) * 3
    output = subprocess.run(["psql", url, "-qAt", "-o", "/dev/null"], input=script, capture_output=True, text=True, check=True).stdout
    times = [float(value) for value in re.findall(r"^Time: ([0-9.]+) ms", output, re.M)]
    return statistics.median(sum(times[index:index + len(statements)]) for index in range(0, len(times), len(statements)))


pg_rows, pg_months = psql_timed(GROUP_BYS), psql_timed(MONTHLY)
pg_csv = os.path.join(work, "pg-export.csv")
with open(pg_csv, "w") as out:
    subprocess.run(["psql", url, "-qc", f"\\copy ({EXPORT}) TO STDOUT WITH CSV HEADER"], stdout=out, check=True)
measure(pg_env, "PostgreSQL", pg_rows, pg_months, pg_csv)
subprocess.run(["psql", server_url, "-qc", f"DROP DATABASE IF EXISTS {database}"], check=True)
