#!/usr/bin/env python3
"""The same questions as Benchmarks/CalendarBenchmarks, asked of the PyPI package chinesecalendar,
for the side-by-side figure in BENCHMARKS.md. Usage: scripts/bench-chinesecalendar.py"""
import datetime as dt
import random
import time

import chinese_calendar as cc

rng = random.Random(20261123)
low, high = dt.date(2004, 1, 1), dt.date(2026, 6, 30)
span = (high - low).days
questions = [(low + dt.timedelta(rng.randrange(span + 1)), low + dt.timedelta(rng.randrange(span + 1)), rng.randrange(1, 121))
             for _ in range(4096)]


def measure(name, op, seconds=3.0):
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for q in questions[:256]:
            op(q)
        count += 256
    elapsed = time.perf_counter() - start
    print(f"{name}: {count / elapsed:,.0f} ops/s ({elapsed / count * 1e6:.2f} µs/op)")


# add: the n-th working day after a date (find_workday counts from the day after when delta > 0).
measure("chinesecalendar add-working-days (find_workday)", lambda q: cc.find_workday(q[2], q[0]))
# between: working days in (from, to] — get_workdays counts [start, end], so start from the next day.
measure("chinesecalendar working-days-between (get_workdays)",
        lambda q: len(cc.get_workdays(min(q[0], q[1]) + dt.timedelta(1), max(q[0], q[1]))))
