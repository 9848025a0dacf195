#!/usr/bin/env python3
"""Peak memory of a census import (issue 16, item 20): the release build of `tongdao census import`
on a generated N-row sheet, as CSV and as XLSX, each on a fresh SQLite file, beside two yardsticks
measured in the same run on the same CSV file:

* `sqlite3`'s own `.import` of the sheet into a plain table (the database's own loader);
* Python's `csv` module reading every row into a list (rows held in memory, nothing checked).

Peak resident memory is read from the kernel (`ru_maxrss` of each child, through `os.wait4`).

Usage (from the repository root):
    swift build -c release --product tongdao
    python3 scripts/bench-import-memory.py 100000 [path/to/tongdao]

Exits 1 when an import of 100,000 rows or more peaks past the target (300 MB).
"""
import os
import shutil
import subprocess
import sys
import tempfile

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
binary = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else ".build/release/tongdao")
target_mb = 300
work = tempfile.mkdtemp(prefix="tongdao-memory.")


def peak(args, env=None, stdin=None):
    """Runs a command to its end; its exit status, its output and its peak resident memory in MB."""
    with open(os.path.join(work, "out.txt"), "w+") as out:
        process = subprocess.Popen(args, env=env, stdin=subprocess.PIPE if stdin else None, stdout=out, stderr=subprocess.STDOUT)
        if stdin:
            process.stdin.write(stdin.encode())
            process.stdin.close()
        _, status, usage = os.wait4(process.pid, 0)
        out.seek(0)
        return os.waitstatus_to_exitcode(status), out.read(), usage.ru_maxrss / 1024


try:
    sheet = os.path.join(work, "census.csv")
    with open(sheet, "wb") as out:
        subprocess.run([sys.executable, "scripts/make-census.py", str(rows)], stdout=out, check=True)
    workbook = os.path.join(work, "census.xlsx")
    subprocess.run([binary, "sheet", "to-xlsx", sheet, "--output", workbook], check=True, capture_output=True)

    def import_peak(path):
        data = tempfile.mkdtemp(dir=work)
        env = dict(os.environ, TONGDAO_DATA_DIR=data, TONGDAO_BCRYPT_COST="4", LOG_LEVEL="warning")
        env.pop("DATABASE_URL", None)
        for args, stdin in (
            (["migrate"], None),
            (["user", "create", "--username", "bench", "--role", "city_regulator", "--scope", "city", "--password-stdin"], "a long enough password\n"),
        ):
            code, output, _ = peak([binary, *args], env, stdin)
            if code != 0:
                sys.exit(f"{args[0]} failed: {output}")
        code, output, megabytes = peak([binary, "census", "import", "--year", "2026", "--as", "bench", path], env)
        if code != 0 or f"{rows} added" not in output:
            sys.exit(f"import failed: {output[-2000:]}")
        return megabytes

    csv_peak = import_peak(sheet)
    xlsx_peak = import_peak(workbook)
    _, _, sqlite_peak = peak(["sqlite3", os.path.join(work, "plain.db"), "-cmd", ".mode csv", f".import {sheet} census"])
    _, _, python_peak = peak([sys.executable, "-c", f"import csv; rows = list(csv.reader(open({sheet!r}, encoding='utf-8-sig'))); print(len(rows))"])

    print(f"{rows:,} rows: CSV {os.path.getsize(sheet) / 1e6:.1f} MB, XLSX {os.path.getsize(workbook) / 1e6:.1f} MB")
    print(f"| run | peak RSS | × sqlite3 .import | × Python csv list |")
    print(f"|---|---|---|---|")
    for name, value in (("tongdao census import (CSV)", csv_peak), ("tongdao census import (XLSX)", xlsx_peak),
                        ("sqlite3 .import (CSV)", sqlite_peak), ("Python csv, rows in a list", python_peak)):
        print(f"| {name} | {value:.0f} MB | {value / sqlite_peak:.1f} | {value / python_peak:.1f} |")
    if rows >= 100_000 and max(csv_peak, xlsx_peak) > target_mb:
        sys.exit(f"an import peaked at {max(csv_peak, xlsx_peak):.0f} MB: over the {target_mb} MB target for 100,000 rows")
finally:
    shutil.rmtree(work, ignore_errors=True)
