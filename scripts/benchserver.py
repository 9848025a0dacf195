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
        yield base
    finally:
        server.terminate()
        server.wait()


def token(base, username, password="tongdao-demo"):
    request = urllib.request.Request(
        base + "/api/v1/auth/tokens", data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request))["token"]
