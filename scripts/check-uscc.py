#!/usr/bin/env python3
"""Cross-check Tongdao's unified social credit code validation (GB 32100-2015) against an
independent implementation, python-stdnum's `stdnum.cn.uscc`, on generated valid and invalid codes.

Known difference, by design: python-stdnum requires characters 1–2 to be digits, but GB 32100-2015
also allows letters there (registration department A, N or Y, e.g. Y1 for "other"). For codes that
start with a letter only python-stdnum's check-character computation is used as the reference.
Tongdao validates the canonical form only (no lower case, spaces or dashes; forms upper-case input
before validating), so inputs are generated in that form.

Usage: scripts/check-uscc.py PATH/TO/tongdao   (needs `pip install python-stdnum`)
"""
import random
import sys

from crosscheck import compare

from stdnum.cn import uscc

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/tongdao"
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
rng = random.Random(32100)
codes = ["91350100M000100Y43", "9131000013221158XC"]
for _ in range(1500):
    prefix = rng.choice("123456789ANY") + rng.choice("123459") + rng.choice(["310115", "310104", "110108", "320500"]) \
        + "".join(rng.choice(ALPHABET) for _ in range(9))
    valid = prefix + uscc.calc_check_digit(prefix)
    codes.append(valid)
    broken = list(valid)
    i = rng.randrange(18)
    broken[i] = rng.choice([c for c in ALPHABET if c != broken[i]])
    codes.append("".join(broken))
for _ in range(500):  # anything goes: wrong lengths, letters outside the alphabet, lower case
    codes.append("".join(rng.choice(ALPHABET + "IOSVZ") for _ in range(rng.choice([17, 18, 18, 18, 19]))))


def reference(code):
    """python-stdnum's verdict; for a letter in characters 1–2, its check character alone."""
    if code[:2].isdigit():
        return uscc.is_valid(code)
    return (len(code) == 18 and all(c in ALPHABET for c in code) and code[2:8].isdigit()
            and uscc.calc_check_digit(code[:17]) == code[17])


compare(binary, "uscc", codes, reference, "USCC")
