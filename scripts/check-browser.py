#!/usr/bin/env python3
"""The dashboard and the big screen in a real headless Chromium, driven over the DevTools protocol.

    check-browser.py path/to/tongdao OUTPUT_DIR

Starts `tongdao serve --demo` on an SQLite file, signs in as the demo administrator and checks:
  * /dashboard: every chart is drawn (13 SVG charts with a size: 7 of the pipeline, 3 of the trial panel, the inspections' coverage, the adverse-event reports by month and the Delta map), the Chinese font is present;
  * /screen at 1920×1080: 5 charts (4 panels and the Delta map under the events), the live connection
    opens; the page fits the screen (no taller or wider than 1920×1080, its footer on it) and no text on
    it is smaller than 18 px, before and after the panels are redrawn; an application accepted through
    the API appears in the list within 2 seconds, without a reload, under the day its event happened,
    and the redrawn panels and Delta map count it in review;
  * the server is stopped and started again: the screen reconnects by itself and shows the next event;
  * /screen?district=: another district's application stays off it, its own arrives, its panels are its own;
  * no JavaScript error, no console error and no failed request (but while the server is down).
Screenshots go to OUTPUT_DIR. Needs Debian's chromium and a CJK font (fonts-wqy-microhei), and
websocket-client from PyPI. Exits 1 on any failed check.
"""
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import websocket

PASSWORD = "tongdao-demo"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, binary, data_dir, port):
        self.binary, self.port = binary, port
        self.env = dict(os.environ, TONGDAO_DATA_DIR=data_dir, TONGDAO_BCRYPT_COST="4", TONGDAO_DIGEST="off", LOG_LEVEL="warning")
        self.base = f"http://127.0.0.1:{port}"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "serve", "--demo", "--port", str(self.port)], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(150):
            try:
                urllib.request.urlopen(self.base + "/readyz", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("the server did not become ready")

    def stop(self):
        self.process.terminate()
        self.process.wait()

    def api(self, method, path, token=None, body=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)


class Browser:
    """One Chromium tab over the DevTools protocol; collects errors as they happen."""

    def __init__(self, profile):
        self.port = free_port()
        self.process = subprocess.Popen(
            ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             f"--remote-debugging-port={self.port}", f"--user-data-dir={profile}", "--window-size=1920,1080", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        target = None
        for _ in range(100):
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/list", timeout=1))
                target = next(t for t in targets if t["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.2)
        if target is None:
            raise SystemExit("chromium did not start")
        self.socket = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.next_id = 0
        self.replies = {}
        self.errors = []
        self.quiet = False  # while the server is down on purpose, failed requests are expected
        self.lock = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=1920, height=1080, deviceScaleFactor=1, mobile=False)

    def _read(self):
        while True:
            try:
                message = json.loads(self.socket.recv())
            except Exception:
                return
            with self.lock:
                if "id" in message:
                    self.replies[message["id"]] = message
                else:
                    self._event(message)
                self.lock.notify_all()

    def _event(self, message):
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            self.errors.append(f"JavaScript exception: {details.get('exception', {}).get('description') or details.get('text')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.errors.append("console.error: " + " ".join(str(a.get("value", a.get("description"))) for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error" and not self.quiet:
            self.errors.append(f"console ({params['entry'].get('source')}): {params['entry'].get('text')} {params['entry'].get('url', '')}")
        elif method == "Network.loadingFailed" and not self.quiet and not params.get("canceled"):
            self.errors.append(f"request failed: {params.get('errorText')}")

    def call(self, method, **params):
        with self.lock:
            self.next_id += 1
            ident = self.next_id
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        with self.lock:
            if not self.lock.wait_for(lambda: ident in self.replies, timeout=30):
                raise SystemExit(f"no answer to {method}")
            reply = self.replies.pop(ident)
        if "error" in reply:
            raise SystemExit(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise SystemExit(f"evaluating {expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def goto(self, url):
        self.call("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete' && location.href === " + json.dumps(url), what=f"loading {url}")

    def wait_for(self, expression, timeout=10, what=None):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(expression):
                return time.monotonic()
            time.sleep(0.05)
        raise SystemExit(f"timed out: {what or expression}")

    def fonts_of(self, selector):
        """The families Chromium drew the first matching element's text with."""
        self.call("DOM.enable")
        self.call("CSS.enable")
        root = self.call("DOM.getDocument", depth=0)["root"]["nodeId"]
        node = self.call("DOM.querySelector", nodeId=root, selector=selector)["nodeId"]
        if not node:
            return []
        return [font["familyName"] for font in self.call("CSS.getPlatformFontsForNode", nodeId=node)["fonts"]]

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait()


# The smallest text on the page as drawn: each visible text node's font size in CSS pixels, an SVG
# text's scaled by its chart's transform to the screen (tooltips, titles and descriptions are not drawn).
SMALLEST_TEXT = """(() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let smallest = null, node;
    while ((node = walker.nextNode())) {
        const text = node.textContent.trim(), element = node.parentElement;
        if (!text || element.closest('title, desc, script, style')) continue;
        const style = getComputedStyle(element), box = element.getBoundingClientRect();
        if (style.display === 'none' || style.visibility === 'hidden' || box.width === 0) continue;
        let size = parseFloat(style.fontSize);
        if (element instanceof SVGElement) { const m = element.getScreenCTM(); size *= Math.hypot(m.a, m.b); }
        if (!smallest || size < smallest.size) smallest = { size, text: text.slice(0, 24), tag: element.tagName };
    }
    return smallest;
})()"""


def fits_the_screen(browser, check, when):
    """/screen at 1920×1080: nothing below the fold or beside it, and no text under 18 px."""
    size = browser.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight, "
                            "Math.round(document.querySelector('.screen-footer').getBoundingClientRect().bottom)]")
    check(size[0] <= 1920 and size[1] <= 1080 and size[2] <= 1080,
          f"/screen {when} fits 1920×1080: the page is {size[0]}×{size[1]} px, its footer ends at {size[2]} px")
    smallest = browser.evaluate(SMALLEST_TEXT)
    check(smallest is not None and smallest["size"] >= 18 - 0.05,
          f"/screen {when}: its smallest text is {smallest['size']:.1f} px (≥ 18), "
          f"“{smallest['text']}” in <{smallest['tag']}>")


def main():
    binary, output = sys.argv[1], sys.argv[2]
    os.makedirs(output, exist_ok=True)
    work = tempfile.mkdtemp(prefix="tongdao-browser-")
    failures = []

    def check(condition, message):
        print(("ok   " if condition else "FAIL ") + message)
        if not condition:
            failures.append(message)

    server = Server(binary, work, free_port())
    server.start()
    browser = Browser(os.path.join(work, "profile"))
    try:
        base = server.base
        browser.goto(base + "/login")
        browser.evaluate(f"""(() => {{
            document.querySelector('input[name=username]').value = 'admin';
            document.querySelector('input[name=password]').value = {json.dumps(PASSWORD)};
            document.querySelector('form[action^="/login"]').submit();
        }})()""")
        browser.wait_for("location.pathname !== '/login' && document.readyState === 'complete'", what="signing in")

        browser.goto(base + "/dashboard")
        charts = browser.evaluate("""[...document.querySelectorAll('svg.chart[role=img]')]
            .map(svg => { const box = svg.getBoundingClientRect(); return box.width > 100 && box.height > 50 && svg.querySelector('title') !== null; })""")
        check(len(charts) == 13 and all(charts), f"/dashboard draws 13 charts with a size and a title ({len(charts)} found)")
        fonts = browser.fonts_of("svg.chart text")
        check(any("WenQuanYi" in f or "CJK" in f for f in fonts), f"a chart's Chinese text is drawn with a Chinese font ({', '.join(fonts) or 'none'})")
        check(browser.evaluate("document.querySelector('h1').textContent.startsWith('数据看板')"), "/dashboard's heading is in Chinese")
        browser.screenshot(os.path.join(output, "dashboard.png"))

        browser.goto(base + "/screen")
        check(browser.evaluate("document.querySelectorAll('svg.chart[role=img]').length") == 5, "/screen draws 5 charts")
        check(browser.evaluate("document.querySelectorAll('#screen-delta svg.chart[role=img]').length") == 1,
              "the Delta map sits under the events (the administrator reads the Delta)")
        browser.wait_for("document.getElementById('screen-state').textContent === '实时连接'", what="the live connection")
        check(True, "/screen's live connection is open")
        fits_the_screen(browser, check, "as first drawn")

        token = server.api("POST", "/api/v1/auth/tokens", body={"username": "admin", "password": PASSWORD})["token"]
        product = server.api("GET", "/api/v1/products", token=token)["items"][0]
        today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))

        def accept(number, on_product=None):
            started = time.monotonic()
            server.api("POST", "/api/v1/applications", token=token, body={
                "productId": (on_product or product)["id"], "procedure": "device.class2.registration", "authority": "shanghai_mpa",
                "applicationNumber": number, "channel": "normal", "acceptedOn": today})
            shown = browser.wait_for(
                f"[...document.querySelectorAll('#screen-events li')].some(li => li.textContent.includes({json.dumps(number)}))",
                timeout=5, what=f"{number} on the screen")
            return shown - started

        in_review = "Number(document.querySelector('.screen-counter-value').textContent.replace(/,/g, ''))"
        before = browser.evaluate(in_review)
        # Shanghai's applications in review on the Delta map, read from the map's text alternative.
        delta_in_review = ("Number((document.querySelector('#screen-delta svg desc').textContent"
                           ".match(/上海市 委托关系 \\d+，企业 \\d+ 家，在审 (\\d+) 件/) || [])[1])")
        delta_before = browser.evaluate(delta_in_review)
        check(delta_before == before, f"the Delta map counts Shanghai's {before} applications in review ({delta_before})")
        number = f"CHK-{int(time.time())}"
        delay = accept(number)
        check(delay <= 2.0, f"an application accepted through the API is on the screen after {delay:.2f} s (≤ 2 s)")
        # The panels are redrawn half a second after a change: one more application in review.
        browser.wait_for(f"{in_review} === {before + 1}", timeout=5, what="the in-review counter going up")
        check(browser.evaluate("document.querySelectorAll('#screen-panels svg.chart[role=img]').length") == 4,
              f"the panels are redrawn after the change: {before + 1} in review, and their 4 charts")
        browser.wait_for(f"{delta_in_review} === {before + 1}", timeout=5, what="the Delta map redrawn with one more in review")
        check(browser.evaluate("document.querySelectorAll('svg.chart[role=img]').length") == 5,
              f"the Delta map is redrawn with it: Shanghai {before + 1} in review, and the screen's 5 charts")
        fits_the_screen(browser, check, "after the panels are redrawn")
        latest_day = browser.evaluate("document.querySelector('#screen-events li .screen-event-time').textContent")
        check(latest_day.endswith("日") and "月" in latest_day and ":" not in latest_day,
              f"the feed shows the day the event happened ({latest_day}), not when it was typed in")
        browser.screenshot(os.path.join(output, "screen.png"))

        browser.evaluate("window.tongdaoCheck = 42")
        browser.quiet = True
        server.stop()
        browser.wait_for("document.getElementById('screen-state').textContent !== '实时连接'", what="the screen noticing the drop")
        check(True, "the screen shows that the connection dropped")
        server.start()
        browser.wait_for("document.getElementById('screen-state').textContent === '实时连接'", timeout=20, what="reconnecting")
        browser.quiet = False
        check(True, "after the server's restart the screen reconnects by itself")
        token = server.api("POST", "/api/v1/auth/tokens", body={"username": "admin", "password": PASSWORD})["token"]
        delay = accept(number + "-2")
        check(delay <= 2.0, f"after reconnecting, the next event is on the screen after {delay:.2f} s")
        check(browser.evaluate("window.tongdaoCheck === 42"), "no reload: the page is the one opened before the restart")
        browser.screenshot(os.path.join(output, "screen-after-restart.png"))

        # A screen narrowed to one district: an application elsewhere stays off it, the district's own
        # arrives, and the panels it redraws are the district's.
        district = product["district"]
        elsewhere = next(p for p in server.api("GET", "/api/v1/products?limit=200", token=token)["items"] if p["district"] != district)
        browser.goto(base + "/screen?district=" + district)
        browser.wait_for("document.getElementById('screen-state').textContent === '实时连接'", what="the narrowed screen's live connection")
        summary = lambda: server.api("GET", "/api/v1/dashboard/summary?district=" + district, token=token)["applicationsInReview"]
        check(browser.evaluate(in_review) == summary(), "the narrowed screen counts the district's applications in review")
        server.api("POST", "/api/v1/applications", token=token, body={
            "productId": elsewhere["id"], "procedure": "device.class2.registration", "authority": "shanghai_mpa",
            "applicationNumber": number + "-elsewhere", "channel": "normal", "acceptedOn": today})
        delay = accept(number + "-3")
        check(delay <= 2.0, f"the district's own application is on its screen after {delay:.2f} s")
        check(not browser.evaluate(f"document.getElementById('screen-events').textContent.includes({json.dumps(number + '-elsewhere')})"),
              "another district's application, accepted just before, is not on the narrowed screen")
        browser.wait_for(f"{in_review} === {summary()}", timeout=5, what="the narrowed panels redrawn with the district's count")
        check(True, "the narrowed screen's panels are redrawn with the district's figures")
        browser.screenshot(os.path.join(output, "screen-district.png"))
        check(not browser.errors, "no JavaScript or console error, no failed request" + ("".join("\n       " + e for e in browser.errors)))
    finally:
        browser.close()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"screenshots in {output}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
