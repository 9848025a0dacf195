#!/usr/bin/env python3
"""The HTTP contract fuzzed by schemathesis (PyPI) against the real server on the demo city.

    check-contract.py path/to/tongdao [EXAMPLES]

Seeds the demo city into a fresh SQLite file, starts `tongdao serve`, and runs schemathesis over every
operation of /openapi.json, first as the district officer `pudong` (a scoped caller), then as the
administrator, with a fixed seed and EXAMPLES cases an operation (default 25), in the examples,
coverage and fuzzing phases. It fails on any 5xx, any response that breaks its schema (status code,
content type, headers, body), any invalid request the server accepts (negative data), a method a path
does not serve that is not 405 with Allow. Not checked: schema-valid requests the domain refuses
(a USCC with a wrong check character, an acceptance date after today: rules a schema cannot hold),
and the stateful checks. The administrator's run leaves out resetting passwords and disabling users,
which would end its own token (the Swift suites cover both). Exits 1 on any failure.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchserver  # noqa: E402


# schemathesis's command line, with ast.parse taken by one thread at a time. CPython 3.11 keeps the
# AST validator's recursion depth in shared module state, so two workers that parse at once (hypothesis
# parses a lambda's source to name a filtered strategy) can fail with "SystemError: AST constructor
# recursion depth mismatch" (CPython gh-106905, fixed in 3.12): a crash of the tool, not of our contract.
LAUNCHER = """
import ast, sys, threading
_parse, _lock = ast.parse, threading.Lock()
def parse(*args, **kwargs):
    with _lock:
        return _parse(*args, **kwargs)
ast.parse = parse
from schemathesis.cli import schemathesis
sys.argv[0] = "schemathesis"
sys.exit(schemathesis())
"""


def main():
    binary = sys.argv[1]
    examples = sys.argv[2] if len(sys.argv) > 2 else "25"
    env = benchserver.demo_city(binary, "tongdao-contract-")
    failed = False
    with benchserver.running(binary, env) as base:
        # Both tokens first: the fuzzing of POST /api/v1/auth/tokens trips the sign-in throttle.
        runs = [("pudong", benchserver.token(base, "pudong"), []), ("admin", benchserver.token(base, "admin"), ["resetPassword", "disableUser"])]
        for username, token, excluded in runs:
            command = [
                sys.executable, "-c", LAUNCHER, "run", base + "/openapi.json", "--header", f"Authorization: Bearer {token}",
                "--checks", "all", "--exclude-checks", "positive_data_acceptance,ignored_auth,use_after_free,ensure_resource_availability",
                "--phases", "examples,coverage,fuzzing", "--max-examples", examples, "--seed", "1", "--workers", "2",
                "--generation-database", "none", "--request-timeout", "30", "--no-color",
            ]
            for operation in excluded:
                command += ["--exclude-operation-id", operation]
            print(f"== schemathesis as {username} ({examples} examples an operation)", flush=True)
            result = subprocess.run(command, env=dict(os.environ, NO_COLOR="1"), capture_output=True, text=True)
            # The summary, and the failures in full when there are any.
            output = result.stdout + result.stderr
            print(output if result.returncode else output[output.find("SUMMARY") - 40:], flush=True)
            failed = failed or result.returncode != 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
