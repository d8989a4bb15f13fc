#!/usr/bin/env python3
"""The page in headless Chromium (SwiftShader), measured: its `?frame-stats` lines from the
browser's console (printed every 10 s: frames, the CPU time to build a frame, frames a second,
training steps a second). Prints figures; it asserts nothing (a benchmark, not a test).

  bench/web_page.py CHROMIUM SITE_DIR rate [--native build/bnlab] [--rounds 3] [--seconds 30]
      pairs of steps a second of the default scene (the paper's net, batch 60) at full speed
      (?speed=0), each round beside the desktop's `bnlab train --threads 1` run just before it
  bench/web_page.py CHROMIUM SITE_DIR views [--seconds 20] [--views dashboard,loss,...]
      the frame build's p50 and p95 (CPU ms) in every view, training at the scene's own speed
      (the default scene's views, past its pause points; the boundary view on the spiral)

The first line of each page (it holds the loading) is left out; the others are averaged
(frames/s, steps/s) or their largest taken (p95). Needs python3-websocket (scripts/deps --web).
"""
import argparse
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "web"))
from page_test import DevTools, Quiet, errors_in  # noqa: E402

VIEWS = ["dashboard", "loss", "activations", "distribution", "gradients", "noise", "batch-sweep", "train-eval",
         "inside-bn", "landscape", "boundary"]
# The default scene at full speed; probe-unit 1 (the scene's is 0: the run is no longer the
# scene's own) so that its pause points (step 200, ...) do not stop it.
RATE_QUERY = "?speed=0&probe-unit=1&frame-stats"
PAGE = re.compile(r"page: a frame every (\d+) ms: drawing it (\d+) ms, training (\d+) ms")
STATS = re.compile(r"frames (\d+)\s+build CPU ms: p50 ([\d.]+)\s+p95 ([\d.]+)\s+max ([\d.]+).*\|\s+([\d.]+) frames/s"
                   r"\s+\|\s+training (\d+) steps/s")


class Browser:
    def __init__(self, chromium, site):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=site))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.profile = tempfile.mkdtemp(prefix="bnlab-web-bench-")
        self.process = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
             "--remote-debugging-port=0", "--user-data-dir=" + self.profile, "--window-size=1280,720",
             "--no-first-run", "--disable-gpu-sandbox", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        port = None
        while port is None:
            line = self.process.stderr.readline()
            if not line: sys.exit("web_page: chromium did not start its DevTools server")
            match = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if match: port = int(match.group(1))
        threading.Thread(target=lambda: self.process.stderr.read(), daemon=True).start()
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        self.tools = DevTools(next(t for t in targets if t.get("type") == "page")["webSocketDebuggerUrl"])
        for domain in ("Runtime", "Log", "Page"):
            self.tools.call(domain + ".enable")
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/index.html"

    def stats(self, query, lines, timeout):
        """The page's first `lines` + 1 frame-stats lines at `query`, less the first."""
        self.tools.events.clear()
        self.tools.call("Page.navigate", url=self.base + query)
        found, deadline = [], time.time() + timeout
        while len(found) < lines + 1 and time.time() < deadline:
            time.sleep(1)
            self.tools.evaluate("0")  # reads the events that came meanwhile
            found = []
            for event in self.tools.events:
                if event["method"] == "Runtime.consoleAPICalled":
                    text = " ".join(str(a.get("value", "")) for a in event["params"]["args"])
                    match = STATS.search(text) or PAGE.search(text)
                    if match: found.append(match)
        errors = errors_in(self.tools.events)
        if errors: print(f"web_page: {query}: {errors[:3]}", file=sys.stderr)
        stats = [m for m in found if m.re is STATS]
        pages = [m for m in found if m.re is PAGE]
        return stats[1:], pages[1:]

    def close(self):
        self.process.kill()
        self.process.wait()
        self.server.shutdown()
        shutil.rmtree(self.profile, ignore_errors=True)


def native_rate(bnlab, steps):
    out = subprocess.run([bnlab, "train", "--threads", "1", "--steps", str(steps)], capture_output=True, text=True,
                         check=True).stdout
    return float(re.search(r"\((\d+) steps/s\)", out).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("chromium")
    parser.add_argument("site")
    parser.add_argument("what", choices=["rate", "views"])
    parser.add_argument("--native", default=None, help="the desktop build's bnlab (rate)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=30, help="measured seconds per page (after loading)")
    parser.add_argument("--views", default=",".join(VIEWS))
    args = parser.parse_args()
    lines = max(1, args.seconds // 10)
    browser = Browser(args.chromium, args.site)
    try:
        if args.what == "rate":
            for round_ in range(args.rounds):
                native = native_rate(args.native, 5000) if args.native else None
                found, pages = browser.stats(RATE_QUERY, lines, 60 + 15 * lines)
                if not found:
                    print(f"round {round_ + 1}: the page printed no frame statistics")
                    continue
                fps = sum(float(m.group(5)) for m in found) / len(found)
                rate = sum(float(m.group(6)) for m in found) / len(found)
                share = f"  = {100 * rate / native:.1f}% of the desktop's {native:.0f}" if native else ""
                split = ""
                if pages:
                    frame, drawn, trained = (sum(float(m.group(i)) for m in pages) / len(pages) for i in (1, 2, 3))
                    split = f" (a frame every {frame:.0f} ms: drawing {drawn:.0f} ms, training {trained:.0f} ms)"
                print(f"round {round_ + 1}: page {rate:.0f} pairs/s at {fps:.1f} frames/s{split}{share}", flush=True)
        else:
            print(f"{'view':<14}{'frames/s':>9}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'steps/s':>9}")
            for view in args.views.split(","):
                # Training at the scene's speed, past its pause points (probe-unit: see RATE_QUERY).
                query = "?scene=spiral&view=boundary&frame-stats" if view == "boundary" else \
                    f"?view={view}&probe-unit=1&frame-stats"
                found, _ = browser.stats(query, lines, 60 + 15 * lines)
                if not found:
                    print(f"{view:<14} no frame statistics")
                    continue
                fps = sum(float(m.group(5)) for m in found) / len(found)
                p50 = max(float(m.group(2)) for m in found)
                p95 = max(float(m.group(3)) for m in found)
                worst = max(float(m.group(4)) for m in found)
                rate = sum(float(m.group(6)) for m in found) / len(found)
                print(f"{view:<14}{fps:>9.1f}{p50:>8.2f}{p95:>8.2f}{worst:>8.1f}{rate:>9.0f}", flush=True)
    finally:
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
