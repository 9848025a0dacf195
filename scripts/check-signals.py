#!/usr/bin/env python3
"""Cross-check Tongdao's disproportionality measures (signal detection, DOMAIN.md §7) against numpy
and scipy: random 2×2 tables — small counts with zero cells, mid-sized and very large ones, and the
edge cases of an empty margin — are given to `tongdao vigilance stats`, and every figure it prints is
held to the one computed here to 1e-9 relative (1e-12 absolute for figures near 0):

* PRR and ROR with its 95 % interval, on the table with 0.5 added to every cell when a cell is 0
  (Haldane–Anscombe, the choice Tongdao documents);
* χ² by scipy.stats.chi2_contingency with Yates's correction, 0 when a margin is empty;
* IC = log2((a+0.5)/(E+0.5)) and IC025 = log2 of scipy.stats.gamma.ppf(0.025, a+0.5, scale 1/(E+0.5));
* the signals of the standard policy (PRR ≥ 2 with χ² ≥ 4 and a ≥ 3; ROR lower > 1 with a ≥ 3;
  IC025 > 0), except where a figure lies within the tolerance of its threshold.

Usage: scripts/check-signals.py PATH/TO/tongdao   (needs numpy and scipy)
"""
import math
import random
import subprocess
import sys

import numpy as np
from scipy.stats import chi2_contingency, gamma

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/tongdao"
rng = random.Random(19)
REL, ABS = 1e-9, 1e-12


def table():
    kind = rng.random()
    if kind < 0.35:  # small, zero cells common
        return [rng.randrange(0, 6) for _ in range(4)]
    if kind < 0.7:  # a product × term pair in a mid-sized database
        return [rng.randrange(0, 60), rng.randrange(0, 3_000), rng.randrange(0, 3_000), rng.randrange(0, 500_000)]
    if kind < 0.9:  # at the benchmark's scale (5,000,000 reports)
        a = rng.randrange(0, 20_000)
        return [a, rng.randrange(0, 200_000), rng.randrange(0, 200_000), rng.randrange(1_000_000, 5_000_000)]
    # an empty margin or row: every report of the product, or of the term, or none of either
    a, b, c, d = [rng.randrange(0, 40) for _ in range(4)]
    choice = rng.randrange(4)
    if choice == 0:
        c, d = 0, 0
    elif choice == 1:
        b, d = 0, 0
    elif choice == 2:
        a, b = 0, 0
    else:
        a, c = 0, 0
    return [a, b, c, d]


def expected(a, b, c, d):
    n = a + b + c + d
    if n == 0:
        return None
    corrected = min(a, b, c, d) == 0
    ha, hb, hc, hd = (np.array([a, b, c, d], dtype=np.float64) + (0.5 if corrected else 0.0))
    prr = (ha / (ha + hb)) / (hc / (hc + hd))
    ror = ha * hd / (hb * hc)
    se = np.sqrt(1 / ha + 1 / hb + 1 / hc + 1 / hd)
    lower, upper = np.exp(np.log(ror) - 1.96 * se), np.exp(np.log(ror) + 1.96 * se)
    if min(a + b, c + d, a + c, b + d) == 0:
        chi2 = 0.0
    else:
        chi2 = chi2_contingency(np.array([[a, b], [c, d]], dtype=np.float64), correction=True)[0]
    e = (a + b) * (a + c) / n
    ic = np.log2((a + 0.5) / (e + 0.5))
    ic025 = np.log2(gamma.ppf(0.025, a + 0.5, scale=1 / (e + 0.5)))
    signals = set()
    borderline = False
    if a >= 3:
        if prr >= 2 and chi2 >= 4:
            signals.add("prr")
        if lower > 1:
            signals.add("ror")
        borderline |= math.isclose(prr, 2, rel_tol=REL) or math.isclose(chi2, 4, rel_tol=REL) or math.isclose(lower, 1, rel_tol=REL)
    if ic025 > 0:
        signals.add("ic")
    borderline |= abs(ic025) < 1e-9
    return [float(x) for x in (prr, chi2, ror, lower, upper, e, ic, ic025)], corrected, signals, borderline


tables = [[0, 0, 0, 0], [3, 0, 0, 0], [0, 0, 0, 7], [1, 1, 1, 1], [3, 10, 0, 1000], [5, 0, 20, 10_000], [1_000_000, 1, 1, 1]]
tables += [table() for _ in range(3_000)]
stdin = "\n".join(" ".join(str(x) for x in t) for t in tables) + "\n"
output = subprocess.run([binary, "vigilance", "stats"], input=stdin, capture_output=True, text=True, check=True).stdout.splitlines()
assert len(output) == len(tables), f"{len(output)} answers for {len(tables)} tables"

NAMES = ["PRR", "χ²", "ROR", "ROR lower", "ROR upper", "E", "IC", "IC025"]
failures = 0
checked = 0
for t, line in zip(tables, output):
    want = expected(*t)
    if want is None:
        if line != "undefined":
            failures += 1
            print(f"{t}: Tongdao {line!r}, an empty table has no measures")
        continue
    figures, corrected, signals, borderline = want
    parts = line.split(" ")
    got = [float(x) for x in parts[:8]]
    for name, g, w in zip(NAMES, got, figures):
        checked += 1
        if not (math.isfinite(g) and math.isclose(g, w, rel_tol=REL, abs_tol=ABS)):
            failures += 1
            print(f"{t}: {name} Tongdao {g!r}, numpy/scipy {w!r}")
    if (parts[8] == "1") != corrected:
        failures += 1
        print(f"{t}: corrected {parts[8]}, expected {corrected}")
    got_signals = set() if parts[9] == "-" else set(parts[9].split(","))
    if not borderline and got_signals != signals:
        failures += 1
        print(f"{t}: signals {sorted(got_signals)}, expected {sorted(signals)}")

print(f"{len(tables)} tables, {checked} figures held to numpy/scipy ({REL:g} relative): {failures} disagreements")
sys.exit(1 if failures else 0)
