#!/usr/bin/python3
"""Browser test of `touchpoint report`: load the page in headless Chromium over
the DevTools protocol, with the network shut off, and check that it loads
without console errors or blocked requests, that every chart's SVG is present,
rendered and non-empty, and that hostile names stay text. Saves a screenshot.

usage: check-report.py TOUCHPOINT OUTDIR
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket  # Debian: python3-websocket

CHARTS = ["chart-journey", "chart-nps", "chart-hotspots", "chart-drivers", "chart-targets",
          "chart-funnel", "chart-flow", "chart-attribution", "chart-trend", "chart-segments"]

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


class Browser:
    def __init__(self, profile):
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        if not exe:
            sys.exit("chromium not found (Debian package chromium)")
        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--no-default-browser-check", "--disable-extensions", "--mute-audio",
             "--user-data-dir=" + profile, "--remote-debugging-port=0",
             # No network: every host fails to resolve, any proxy is unreachable.
             "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(profile, "DevToolsActivePort")
        for _ in range(300):
            if os.path.exists(port_file) and open(port_file).read().count("\n") >= 1:
                break
            time.sleep(0.1)
        else:
            self.close()
            sys.exit("chromium did not start")
        port = open(port_file).read().split("\n")[0]
        targets = json.load(urllib.request.urlopen("http://127.0.0.1:%s/json/list" % port))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60,
                                              suppress_origin=True)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError("%s: %s" % (method, msg["error"]))
                return msg["result"]
            self.events.append(msg)

    def wait_for(self, event, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            for m in self.events:
                if m.get("method") == event:
                    return m
            self.events.append(json.loads(self.ws.recv()))
        raise RuntimeError("timed out waiting for " + event)

    def evaluate(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError("evaluate: %s" % r["exceptionDetails"])
        return r["result"]["value"]

    def close(self):
        try:
            self.proc.terminate()
            self.proc.wait(10)
        except Exception:
            self.proc.kill()


PROBE = """JSON.stringify(Array.from(document.querySelectorAll('figure.chart svg')).map(s => {
  const b = s.getBoundingClientRect(), g = s.getBBox();
  return {id: s.id, width: b.width, height: b.height, bbox: [g.width, g.height],
          shapes: s.querySelectorAll('path,rect,circle,line').length,
          title: (s.querySelector('title') || {}).textContent || '',
          heading: (s.querySelector('text.title') || {}).textContent || '',
          labels: Array.from(s.querySelectorAll('text.label')).map(t => t.textContent),
          legend: s.querySelectorAll('.legend text').length,
          caption: (s.parentElement.querySelector('figcaption') || {}).textContent || ''};
}))"""


# Every pair of texts of a chart whose drawn boxes overlap (by more than a
# pixel), and every text that reaches outside its chart (clipped). A box is
# the text's getBBox() corners through its screen transform, so a rotated
# label is the rotated rectangle it covers, compared by separating axes.
OVERLAPS = """JSON.stringify(Array.from(document.querySelectorAll('figure.chart svg')).map(s => {
  const frame = s.getBoundingClientRect();
  const quad = t => { const b = t.getBBox(), m = t.getScreenCTM();
    return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
      .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]); };
  const texts = Array.from(s.querySelectorAll('text')).filter(t => t.textContent.trim())
      .map(t => ({text: t.textContent, q: quad(t)}));
  const apart = (p, q) => [p, q].some(poly => poly.some((a, i) => {
    const b = poly[(i + 1) % 4], nx = a[1] - b[1], ny = b[0] - a[0], len = Math.hypot(nx, ny) || 1;
    const proj = r => r.map(([x, y]) => (x * nx + y * ny) / len);
    const pp = proj(p), qq = proj(q);
    return Math.min(Math.max(...pp), Math.max(...qq)) - Math.max(Math.min(...pp), Math.min(...qq)) <= 1;
  }));
  const overlaps = [];
  for (let i = 0; i < texts.length; i++)
    for (let j = i + 1; j < texts.length; j++)
      if (!apart(texts[i].q, texts[j].q)) overlaps.push([texts[i].text, texts[j].text]);
  const clipped = texts.filter(t => t.q.some(([x, y]) => x < frame.left - 1 || x > frame.right + 1 ||
                                                         y < frame.top - 1 || y > frame.bottom + 1))
      .map(t => t.text);
  return {id: s.id, overlaps: overlaps, clipped: clipped};
}))"""


def load(browser, path):
    browser.events.clear()
    browser.call("Page.navigate", url="file://" + os.path.abspath(path))
    browser.wait_for("Page.loadEventFired")
    time.sleep(0.3)  # late console messages
    browser.call("Runtime.evaluate", expression="1")
    errors = [m for m in browser.events
              if m.get("method") == "Runtime.exceptionThrown"
              or (m.get("method") == "Runtime.consoleAPICalled"
                  and m["params"]["type"] in ("error", "assert", "warning"))
              or (m.get("method") == "Log.entryAdded"
                  and m["params"]["entry"]["level"] in ("error", "warning"))]
    requests = [m["params"]["request"]["url"] for m in browser.events
                if m.get("method") == "Network.requestWillBeSent"
                and not m["params"]["request"]["url"].startswith(("file:", "data:"))]
    return errors, requests


def main():
    tool, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    page = os.path.join(outdir, "report.html")
    # the sample page with a breakdown, so that every chart is drawn
    subprocess.run([tool, "report", "-q", "--breakdown", "segment", "-o", page], check=True)
    hostile_dir = tempfile.mkdtemp()
    hostile = os.path.join(outdir, "report-hostile.html")
    with open(os.path.join(hostile_dir, "catalog.json"), "w") as f:
        json.dump({"stages": ["<b>before</b>", "during"], "touchpoints": [
            {"id": "x-script", "name": "<script>alert(1)</script>", "stage": "<b>before</b>",
             "channel": "<img src=x onerror=alert(2)>"},
            {"id": "y", "stage": "during", "channel": "'\"&"}]}, f)
    with open(os.path.join(hostile_dir, "events.csv"), "w") as f:
        f.write("customer_id,timestamp,touchpoint,type\n")
        for i in range(40):
            f.write("c%d,2026-01-0%dT10:00:00Z,x-script,interaction\n" % (i, 1 + i % 9))
            f.write("c%d,2026-01-0%dT11:00:00Z,y,%s\n" % (i, 1 + i % 9,
                                                        "conversion" if i % 2 else "interaction"))
    with open(os.path.join(hostile_dir, "feedback.csv"), "w") as f:
        f.write("customer_id,timestamp,touchpoint,metric,score,comment\n")
        for i in range(40):
            f.write("c%d,2026-01-0%dT12:00:00Z,y,nps,%d,\"<script>alert(3)</script>\"\n"
                    % (i, 1 + i % 9, i % 11))
    subprocess.run([tool, "report", "-q", "--title", "<script>alert(4)</script>\u202e reversed",
                    "--catalog", os.path.join(hostile_dir, "catalog.json"),
                    "--events", os.path.join(hostile_dir, "events.csv"),
                    "--feedback", os.path.join(hostile_dir, "feedback.csv"), "-o", hostile],
                   check=True)
    shutil.rmtree(hostile_dir)
    fragment = subprocess.run([tool, "report", "-q", "--breakdown", "segment", "--format",
                               "fragment", "-o", "-"],
                              check=True, capture_output=True, text=True).stdout
    host = os.path.join(outdir, "report-in-host.html")
    with open(host, "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>body{background:"
                "#eef;font-family:serif}h2{color:red;font-family:serif;text-transform:uppercase}"
                "table{color:red}</style></head><body><h2 id=\"host\">A cell above</h2>"
                + fragment + "</body></html>")

    profile = tempfile.mkdtemp()
    browser = Browser(profile)
    try:
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.call(domain + ".enable")
        errors, requests = load(browser, page)
        check(not errors, "no console errors or warnings on the sample report %s"
              % [json.dumps(e["params"])[:300] for e in errors])
        check(not requests, "no network requests %s" % requests)
        check(browser.evaluate("document.scripts.length") == 0, "the page has no script")
        charts = json.loads(browser.evaluate(PROBE))
        ids = [c["id"] for c in charts]
        check(ids == CHARTS, "every chart is present, in order: %s" % ids)
        for c in charts:
            name = c["id"]
            check(c["width"] > 300 and c["height"] > 150,
                  "%s is laid out (%.0f x %.0f)" % (name, c["width"], c["height"]))
            check(c["bbox"][0] > 200 and c["bbox"][1] > 100,
                  "%s draws something (bbox %.0f x %.0f)" % (name, *c["bbox"]))
            least = 5 if name == "chart-funnel" else 10
            check(c["shapes"] >= least, "%s has %d shapes" % (name, c["shapes"]))
            check(c["title"] and c["heading"], "%s has a title" % name)
            check(c["caption"], "%s has a caption" % name)
        for c in json.loads(browser.evaluate(OVERLAPS)):
            check(not c["overlaps"], "%s: no two texts overlap %s" % (c["id"], c["overlaps"][:6]))
            check(not c["clipped"], "%s: no text is cut at its edge %s" % (c["id"], c["clipped"][:6]))
        axes = {c["id"]: c["labels"] for c in charts}
        for name in CHARTS:
            check(len(axes[name]) >= 1, "%s has axis labels %s" % (name, axes[name]))
        check(len(axes["chart-drivers"]) == 2, "drivers chart labels both axes")
        for name in ("chart-journey", "chart-hotspots", "chart-attribution", "chart-trend"):
            legend = next(c["legend"] for c in charts if c["id"] == name)
            check(legend >= 2, "%s has a legend (%d entries)" % (name, legend))
        findings = json.loads(browser.evaluate(
            "JSON.stringify(Array.from(document.querySelectorAll('.findings dd'))"
            ".map(d => d.textContent))"))
        check(len(findings) == 4 and findings[0].startswith("online-checkout"),
              "findings name the worst touchpoint: %s" % findings[:1])
        # Full-page screenshot.
        height = browser.evaluate("document.documentElement.scrollHeight")
        browser.call("Emulation.setDeviceMetricsOverride", width=1100, height=int(height),
                     deviceScaleFactor=1, mobile=False)
        shot = browser.call("Page.captureScreenshot", format="png")
        png = base64.b64decode(shot["data"])
        with open(os.path.join(outdir, "report.png"), "wb") as f:
            f.write(png)
        check(png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50000,
              "screenshot saved (%d bytes, page height %d)" % (len(png), height))

        # The probe itself sees what it looks for: two labels drawn over each
        # other (one rotated), one cut at the left edge, two apart.
        probe_page = os.path.join(outdir, "overlap-probe.html")
        with open(probe_page, "w") as f:
            f.write('<!DOCTYPE html><html><body><figure class="chart"><svg id="p" width="300" '
                    'height="100" xmlns="http://www.w3.org/2000/svg">'
                    '<text x="50" y="50">Shopping cart</text>'
                    '<text transform="translate(70 85) rotate(-30)">Online checkout</text>'
                    '<text x="-20" y="90">clipped</text>'
                    '<text x="200" y="20">apart</text><text x="200" y="80">alone</text>'
                    '</svg></figure></body></html>')
        load(browser, probe_page)
        seen = json.loads(browser.evaluate(OVERLAPS))[0]
        check(seen["overlaps"] == [["Shopping cart", "Online checkout"]] and
              seen["clipped"] == ["clipped"], "the overlap probe finds overlaps and clipping %s"
              % seen)

        errors, requests = load(browser, hostile)
        check(not errors and not requests, "hostile names: no errors, no requests %s %s"
              % ([json.dumps(e["params"])[:200] for e in errors], requests))
        check(browser.evaluate("document.scripts.length") == 0 and
              browser.evaluate("document.querySelectorAll('img,b').length") == 0,
              "hostile names stay text")
        check("<script>alert(4)</script>" in browser.evaluate("document.title"),
              "the title is shown as text")
        check(len(json.loads(browser.evaluate(PROBE))) == len(CHARTS) - 1,
              "a tiny data set still draws every chart (but segments: no breakdown)")
        # A right-to-left override in the title stays in the title: the line
        # after it still runs left to right, and cells and labels are isolated.
        bidi = json.loads(browser.evaluate("""JSON.stringify((() => {
            const meta = document.querySelector('header p.meta');
            const t = document.createTreeWalker(meta, NodeFilter.SHOW_TEXT).nextNode();
            const at = i => { const r = document.createRange(); r.setStart(t, i);
                              r.setEnd(t, i + 1); return r.getBoundingClientRect().left; };
            const cs = s => { const e = document.querySelector(s);
                              return e ? getComputedStyle(e).unicodeBidi : null; };
            return {first: at(0), last: at(t.length - 1), td: cs('td'), dd: cs('.findings dd'),
                    label: cs('svg.tp-chart text')};
        })())"""))
        check(bidi["first"] < bidi["last"], "text after a U+202E title runs left to right %s" % bidi)
        check(bidi["td"] == bidi["dd"] == bidi["label"] == "isolate",
              "table cells, findings and chart labels isolate their direction %s" % bidi)

        # The fragment inside a page with styles of its own (a notebook): neither
        # side's style reaches the other.
        errors, requests = load(browser, host)
        check(not errors and not requests, "fragment in a host page: no errors, no requests")
        style = json.loads(browser.evaluate("""JSON.stringify((() => {
            const cs = e => getComputedStyle(e);
            const mine = document.querySelector('.tp-report h2'), host = document.querySelector('#host');
            return {mine: cs(mine).color, mine_font: cs(mine).fontFamily, host: cs(host).color,
                    host_font: cs(host).fontFamily, body: cs(document.body).backgroundColor,
                    charts: document.querySelectorAll('.tp-report svg.tp-chart').length};
        })())"""))
        check(style["mine"] == "rgb(17, 17, 17)" and "serif" != style["mine_font"],
              "the host's h2 style does not reach the report's headings %s" % style)
        check(style["host"] == "rgb(255, 0, 0)" and style["host_font"] == "serif" and
              style["body"] == "rgb(238, 238, 255)",
              "the report's style does not reach the host page %s" % style)
        check(style["charts"] == len(CHARTS), "the fragment draws every chart")
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)
    if failures:
        sys.exit("%d browser checks failed" % len(failures))
    print("browser: all checks passed; screenshot in %s" % os.path.join(outdir, "report.png"))


if __name__ == "__main__":
    main()
