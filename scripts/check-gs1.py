#!/usr/bin/env python3
"""Cross-check Tongdao's GS1 element-string reader (UDI labels, DOMAIN.md §8) against an independent
parser, the PyPI package `biip`: generated element strings of the UDI AIs (01 with a valid check digit,
11 and 17 dates, 10 lot, 21 serial, 240 …) in the bracketed form and in the machine form (GS after a
variable-length value that is not last, behind a symbology prefix), and broken ones (a wrong check
digit, a short fixed value, a bad date, an unknown AI). Both must agree on valid or not, and on the
elements read.

Usage: scripts/check-gs1.py PATH/TO/tongdao   (needs `pip install biip`)
"""
import random
import subprocess
import sys

from biip.gs1_messages import GS1Message

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/tongdao"
today = "2026-12-06"
rng = random.Random(1)
GS = "\x1d"
SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/"


def gtin():
    body = "".join(rng.choice("0123456789") for _ in range(13))
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def date():
    return f"{rng.randrange(0, 100):02d}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"


def variable(limit):
    return "".join(rng.choice(SAFE) for _ in range(rng.randrange(1, limit + 1)))


def message():
    """A list of (ai, value) in label order: 01 first, then some production identifiers."""
    elements = [("01", gtin())]
    for ai, make in [("11", date), ("17", date), ("10", lambda: variable(20)), ("21", lambda: variable(20)), ("240", lambda: variable(30))]:
        if rng.random() < 0.6:
            elements.append((ai, make()))
    rng.shuffle(elements[1:])
    return elements


FIXED = {"01", "11", "17"}


def bracketed(elements):
    return "".join(f"({ai}){value}" for ai, value in elements)


def machine(elements):
    text = ""
    for index, (ai, value) in enumerate(elements):
        text += ai + value
        if ai not in FIXED and index < len(elements) - 1:
            text += GS
    return rng.choice(["", "]C1", "]d2"]) + text


def broken(elements):
    elements = list(elements)
    kind = rng.randrange(4)
    if kind == 0:  # a wrong check digit
        value = elements[0][1]
        elements[0] = ("01", value[:13] + str((int(value[13]) + 1) % 10))
    elif kind == 1:  # a short fixed value
        elements[0] = ("01", elements[0][1][:12])
    elif kind == 2:  # a month 13
        elements.append(("17", "2613" + "01"))
    else:  # an unknown AI
        elements.append(("89", "X"))
    return elements


cases = []
for _ in range(700):
    elements = message()
    cases.append(bracketed(elements))
    cases.append(machine(elements))
for _ in range(300):
    cases.append(bracketed(broken(message())))

result = subprocess.run([binary, "identifier", "gs1", "--today", today], input="\n".join(cases) + "\n", capture_output=True, text=True)
if result.returncode != 0:
    sys.exit(f"tongdao identifier gs1 failed: {result.stderr[-2000:]}")
answers = result.stdout.split("\n")[: len(cases)]


def reference(case):
    """biip's reading, as `valid AI=value|…`, or None when it refuses the string."""
    try:
        text = case
        for prefix in ["]C1", "]d2"]:
            if text.startswith(prefix):
                text = text[len(prefix):]
        message = GS1Message.parse_hri(text) if text.startswith("(") else GS1Message.parse(text)
        for element in message.element_strings:
            if element.ai.ai == "01" and element.gtin is None:
                return None
            if element.ai.ai in ("11", "17") and element.date is None:
                return None
        return "valid " + "|".join(f"{element.ai.ai}={element.value}" for element in message.element_strings)
    except Exception:
        return None


passed = failed = 0
for case, answer in zip(cases, answers):
    theirs = reference(case)
    ours = answer if answer.startswith("valid") else None
    if ours == theirs:
        passed += 1
    else:
        failed += 1
        if failed <= 20:
            print(f"MISMATCH {case!r}: tongdao {answer!r}, biip {theirs!r}")
print(f"GS1 element strings cross-check against biip: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
