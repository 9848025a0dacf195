#!/usr/bin/env python3
"""Cross-check Tongdao's GS1 GTIN-14 validation (the UDI-DI check digit, DOMAIN.md §8) against an
independent implementation, python-stdnum's `stdnum.ean` (EAN-13/GTIN-14 mod-10 check digit), on
generated valid and invalid 14-digit codes and malformed input.

Usage: scripts/check-gtin.py PATH/TO/tongdao   (needs `pip install python-stdnum`)
"""
import random
import sys

from crosscheck import compare

from stdnum import ean

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/tongdao"
rng = random.Random(14)
codes = []
for _ in range(1500):
    body = "".join(rng.choice("0123456789") for _ in range(13))
    valid = body + ean.calc_check_digit(body)
    codes.append(valid)
    broken = list(valid)
    i = rng.randrange(14)
    broken[i] = rng.choice([c for c in "0123456789" if c != broken[i]])
    codes.append("".join(broken))
for _ in range(300):  # wrong lengths and characters
    codes.append("".join(rng.choice("0123456789A ") for _ in range(rng.choice([12, 13, 14, 14, 15]))))


def reference(code):
    return len(code) == 14 and code.isdigit() and ean.is_valid(code)


compare(binary, "gtin", codes, reference, "GTIN-14")
