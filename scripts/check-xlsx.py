#!/usr/bin/env python3
"""Cross-check Tongdao's XLSX reader and writer against an independent implementation, openpyxl.

* Reading: openpyxl writes random workbooks (shared strings, integers, decimals, dates and date-times
  in built-in and custom formats, booleans, gaps, the 1900 and 1904 date systems); `tongdao sheet
  to-csv` must give every cell as openpyxl reads it back, by the rules of `XLSX.rows(of:)`.
* Writing: `tongdao sheet to-xlsx` writes random text sheets (Chinese, XML markup characters, line
  breaks, leading spaces, empty cells); openpyxl must read back exactly the same cells.

Usage: scripts/check-xlsx.py PATH/TO/tongdao   (needs `pip install openpyxl`)
"""
import atexit
import csv
import datetime
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/tongdao"
rng = random.Random(2026)
# No `_xHHHH_` look-alikes: openpyxl neither escapes nor unescapes them, where Excel does both (ECMA-376
# ST_Xstring); XLSXTests covers them.
WORDS = ["上海", "联影", "微创", "手术机器人", "脑机接口", "A&B", "<x>", '"引号"', "'单引号'", "第二类", "2027-03", "0012", "😀", "𠀀", " 前后空格 "]


def text():
    words = [rng.choice(WORDS) for _ in range(rng.randint(1, 4))]
    joined = rng.choice(["", " ", "\n", "、"]).join(words)
    return joined


def expected_number(value):
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int) or value == int(value):
        return str(int(value))
    return format(value, ".15g")  # the 15 significant digits Excel keeps


def read_with_tongdao(path):
    result = subprocess.run([binary, "sheet", "to-csv", path], capture_output=True)
    if result.returncode != 0:
        sys.exit(f"tongdao sheet to-csv failed: {result.stderr.decode()[-2000:]}")
    return list(csv.reader(io.StringIO(result.stdout.decode("utf-8"), newline="")))


def strip(rows):
    """Trailing empty cells and trailing empty rows carry nothing."""
    rows = [list(row) for row in rows]
    for row in rows:
        while row and row[-1] == "":
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


passed = failed = 0
workdir = tempfile.mkdtemp(prefix="tongdao-xlsx-")
atexit.register(shutil.rmtree, workdir, ignore_errors=True)


def report(kind, index, ours, theirs):
    global passed, failed
    ours, theirs = strip(ours), strip(theirs)
    if ours == theirs:
        passed += 1
        return
    failed += 1
    for number, (a, b) in enumerate(zip(ours, theirs), start=1):
        if a != b:
            print(f"MISMATCH {kind} workbook {index}, row {number}: tongdao {a!r}, openpyxl {b!r}")
            break
    else:
        print(f"MISMATCH {kind} workbook {index}: {len(ours)} rows from tongdao, {len(theirs)} from openpyxl")


# Reading what openpyxl writes.
for index in range(40):
    workbook = openpyxl.Workbook()
    if index % 5 == 4:
        workbook.epoch = CALENDAR_MAC_1904
    sheet = workbook.active
    sheet.title = "调查表"
    expected = []
    for row_number in range(1, rng.randint(2, 120)):
        if rng.random() < 0.05:  # a row Excel leaves out
            expected.append([])
            continue
        row = []
        for column in range(1, rng.randint(1, 15)):
            kind = rng.random()
            cell = sheet.cell(row=row_number, column=column)
            if kind < 0.15:
                row.append("")
                continue
            if kind < 0.55:
                value = text()
                shown = value
            elif kind < 0.65:
                value = rng.randint(-10**12, 10**12)
                shown = str(value)
            elif kind < 0.72:
                value = rng.randint(-10**6, 10**6) / 100
                shown = expected_number(value)
            elif kind < 0.82:
                value = datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randint(0, 12000))
                cell.number_format = rng.choice(["yyyy-mm-dd", "yyyy-mm", 'yyyy"年"m"月"', "mm-dd-yy", "d-mmm-yy"])
                shown = value.isoformat()
            elif kind < 0.9:
                value = datetime.datetime(2000, 1, 1) + datetime.timedelta(seconds=rng.randint(0, 12000) * 86400 + rng.randint(1, 86399))
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
                shown = value.strftime("%Y-%m-%d %H:%M:%S")
            else:
                value = rng.random() < 0.5
                shown = expected_number(value)
            cell.value = value
            row.append(shown)
        expected.append(row)
    path = os.path.join(workdir, f"openpyxl-{index}.xlsx")
    workbook.save(path)
    report("openpyxl-written", index, read_with_tongdao(path), expected)

# openpyxl reading what Tongdao writes.
for index in range(40):
    rows = [[text() if rng.random() < 0.8 else "" for _ in range(rng.randint(1, 15))] for _ in range(rng.randint(1, 150))]
    source = os.path.join(workdir, f"tongdao-{index}.csv")
    with open(source, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    target = os.path.join(workdir, f"tongdao-{index}.xlsx")
    result = subprocess.run([binary, "sheet", "to-xlsx", source, "--output", target, "--sheet", "导出"], capture_output=True)
    if result.returncode != 0:
        sys.exit(f"tongdao sheet to-xlsx failed: {result.stderr.decode()[-2000:]}")
    sheet = openpyxl.load_workbook(target).active
    theirs = [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    report("tongdao-written", index, rows, theirs)

print(f"XLSX cross-check against openpyxl: {passed} workbooks passed, {failed} failed")
sys.exit(1 if failed else 0)
