#!/usr/bin/env python3
"""Cross-check Tongdao's working-day calendar against an independent source, the PyPI package
`chinesecalendar`: every day of 2004–2026 (working or not, holiday or adjusted working day), then
random `add` and `between` questions counted day by day with chinesecalendar.

Usage: scripts/check-calendar.py PATH/TO/tongdao   (needs `pip install chinesecalendar`)
"""
import atexit
import bisect
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile

import chinese_calendar as cc

FIRST, LAST = dt.date(2004, 1, 1), dt.date(2026, 12, 31)
binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/tongdao"
workdir = tempfile.mkdtemp(prefix="tongdao-calendar-check-")
atexit.register(shutil.rmtree, workdir, ignore_errors=True)
env = dict(os.environ, TONGDAO_DATA_DIR=workdir, LOG_LEVEL="error")
env.pop("DATABASE_URL", None)
passed = failed = 0


def check(ok, message):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        if failed <= 20:
            print("MISMATCH", message)


def run(args, stdin=None):
    result = subprocess.run([binary, "calendar", *args], input=stdin, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"tongdao calendar {' '.join(args)} failed ({result.returncode}): {result.stderr[-2000:]}")
    return result.stdout.splitlines()


# 1. Every day.
lines = run(["days", FIRST.isoformat(), LAST.isoformat()])
check(len(lines) == (LAST - FIRST).days + 1, f"expected one line a day, got {len(lines)}")
for line in lines:
    date_text, kind = line.split(" ")[:2]
    date = dt.date.fromisoformat(date_text)
    ours_working = kind in ("workday", "adjusted_workday")
    check(ours_working == cc.is_workday(date), f"{date}: tongdao says {kind}, chinesecalendar says workday={cc.is_workday(date)}")
    check((kind == "holiday") == (date in cc.constants.holidays), f"{date}: holiday? tongdao {kind}")
    check((kind == "adjusted_workday") == (date in cc.constants.workdays), f"{date}: adjusted working day? tongdao {kind}")

# 2. Random arithmetic, inside the published years.
rng = random.Random(20261123)
span = (LAST - FIRST).days
questions, expected = [], []
# Reference built day by day from chinesecalendar: through[i] = working days in [FIRST, FIRST + i].
through, working, running = [], [], 0
for i in range(span + 1):
    day = FIRST + dt.timedelta(i)
    if cc.is_workday(day):
        running += 1
        working.append(day)
    through.append(running)
for _ in range(5000):
    a = FIRST + dt.timedelta(rng.randrange(span + 1))
    b = FIRST + dt.timedelta(rng.randrange(span + 1))
    questions.append(f"between {a} {b}")
    expected.append(str(through[(b - FIRST).days] - through[(a - FIRST).days]))
    n = rng.randrange(1, 250)
    k = bisect.bisect_right(working, a) + n - 1  # index of the n-th working day after a
    if k < len(working):
        questions.append(f"add {a} {n}")
        expected.append(working[k].isoformat())
answers = run(["query"], stdin="\n".join(questions) + "\n")
check(len(answers) == len(questions), f"expected {len(questions)} answers, got {len(answers)}")
for question, want, got in zip(questions, expected, answers):
    check(want == got, f"{question}: chinesecalendar {want}, tongdao {got}")

print(f"calendar cross-check against chinesecalendar {getattr(cc, '__version__', '?')}: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
