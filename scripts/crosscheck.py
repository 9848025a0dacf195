"""What the identifier cross-checks share: ask `tongdao identifier KIND` about every code at once,
compare each answer with an independent reference, print the mismatches and a summary line, and
exit non-zero on any mismatch."""
import subprocess
import sys


def compare(binary, kind, codes, reference, label):
    """`reference(code)` is True for a code the independent implementation accepts."""
    result = subprocess.run([binary, "identifier", kind], input="\n".join(codes) + "\n", capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"tongdao identifier {kind} failed: {result.stderr[-2000:]}")
    answers = result.stdout.splitlines()
    passed = failed = 0
    for code, answer in zip(codes, answers):
        theirs = reference(code)
        if (answer == "valid") == theirs:
            passed += 1
        else:
            failed += 1
            if failed <= 20:
                print(f"MISMATCH {code!r}: tongdao {answer!r}, python-stdnum valid={theirs}")
    if len(answers) != len(codes):
        failed += 1
        print(f"expected {len(codes)} answers, got {len(answers)}")
    print(f"{label} cross-check against python-stdnum: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
