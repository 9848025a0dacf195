"""The release server for the HTTP benchmarks: started on a free port, waited for, signed in to."""
import contextlib
import json
import socket
import subprocess
import time
import urllib.request


@contextlib.contextmanager
def running(binary, env):
    """Starts `tongdao serve` (digest off, so it does not run during measurements); yields its base URL."""
    with running_process(binary, env) as (base, _):
        yield base


def cpu_seconds(pid):
    """The CPU time (user and system) a process has used so far, in seconds."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    import os
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def running_process(binary, env):
    """As `running`, yielding the base URL and the server's process id."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [binary, "serve", "--port", str(port)], env=dict(env, TONGDAO_DIGEST="off"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/readyz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield base, server.pid
    finally:
        server.terminate()
        server.wait()


def demo_city(binary, prefix, applications=0):
    """A fresh SQLite file holding the demo city and `applications` generated applications (removed at
    exit); returns the environment that serves it."""
    import atexit
    import os
    import shutil
    import sys
    import tempfile
    work = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    env = dict(os.environ, TONGDAO_DATA_DIR=work, TONGDAO_BCRYPT_COST="4", LOG_LEVEL="warning")
    env.pop("DATABASE_URL", None)
    started = time.perf_counter()
    command = [binary, "seed", "--demo"] + (["--applications", str(applications)] if applications else [])
    seeded = subprocess.run(command, env=env, capture_output=True, text=True)
    if seeded.returncode != 0:
        sys.exit(f"seed failed: {seeded.stdout[-2000:]}{seeded.stderr[-2000:]}")
    print(f"seeded the demo city and {applications:,} applications in {time.perf_counter() - started:.1f} s", flush=True)
    return env


def token(base, username, password="tongdao-demo"):
    request = urllib.request.Request(
        base + "/api/v1/auth/tokens", data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request))["token"]


def session(base, username, password="tongdao-demo"):
    """Signs in through the login form, as a browser does; returns an opener that keeps the session cookie."""
    import http.cookiejar
    import re
    import urllib.parse
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = opener.open(base + "/login").read().decode()
    csrf = re.search(r'name="_csrf" value="([^"]+)"', form).group(1)
    fields = urllib.parse.urlencode({"_csrf": csrf, "username": username, "password": password}).encode()
    opener.open(urllib.request.Request(base + "/login", data=fields))
    return opener


def time_page(base, username, path, runs, warm, marker):
    """Signs `username` in and reads `path` `warm` + `runs` times; the last `runs` times in ms.
    Exits if the page lacks `marker` (so a sign-in page or an error is not timed as the page)."""
    browser = session(base, username)
    timings = []
    for index in range(warm + runs):
        begin = time.perf_counter()
        page = browser.open(base + path).read().decode()
        if index >= warm:
            timings.append((time.perf_counter() - begin) * 1000)
    if marker not in page:
        raise SystemExit(f"{path} did not render for {username}")
    return timings


def time_bare(base, runs, warm):
    """The bare `/healthz` of a running server, timed `runs` times after `warm` (the yardstick)."""
    timings = []
    for index in range(warm + runs):
        begin = time.perf_counter()
        urllib.request.urlopen(base + "/healthz").read()
        if index >= warm:
            timings.append((time.perf_counter() - begin) * 1000)
    return timings


def percentile(values, fraction):
    """The value at `fraction` of the sorted values (nearest rank)."""
    values = sorted(values)
    return values[max(0, int(len(values) * fraction + 0.5) - 1)]


def seed_scale(binary, env, label, scale, summary_prefix):
    """`tongdao seed --demo --scale <scale>` into `env`'s database; prints its summary line (the one
    starting with `summary_prefix`) and how long it took; exits if it fails."""
    import sys
    started = time.perf_counter()
    seeded = subprocess.run([binary, "seed", "--demo", "--scale", scale], env=env, capture_output=True, text=True)
    if seeded.returncode != 0:
        sys.exit(seeded.stdout[-2000:] + seeded.stderr[-2000:])
    print(f"{label}: " + next(line for line in seeded.stdout.splitlines() if line.startswith(summary_prefix)))
    print(f"{label}: seeding took {time.perf_counter() - started:.0f} s in all (demo city included)", flush=True)
