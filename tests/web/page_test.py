#!/usr/bin/env python3
"""The page in a browser (issue 24, test 3): Debian's Chromium, headless, draws it with WebGL 2
through SwiftShader, from a server on 127.0.0.1; the test drives it through the DevTools
protocol. Passes when the page trains in real time to `--steps` steps (window.bnlabStep), its
screenshot shows something (64+ colours) with both nets' colours in it, and neither the page
nor its console reported an error; with `--message TEXT`, when the page shows that one-line
message (a bad setting in the URL) and trains all the same, else when it shows none.

usage: page_test.py CHROMIUM SITE_DIR QUERY [--steps N] [--message TEXT] [--screenshot OUT.png]
                    [--timeout SECONDS] [--no-net-colours] [--download KEY GLOB]
                    [--drop SCENE.toml TITLE]
(--no-net-colours: a view that shows neither net's colour, as the batch-size noise view's BN
figures; as the desktop's smoke test, only that it is not blank. --download E 'bnlab-history-*.csv':
after the steps, press the key, and pass only when the browser downloads one file of that name
that is not empty. --drop: after the steps, drop the scene file on the page as a user would, and
pass only when the page then runs the scene of that title.)
"""
import argparse
import base64
import fnmatch
import functools
import http.server
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zlib

import websocket  # python3-websocket

PLAIN = (245, 133, 24)  # theme.h's kPlainColor and kBnColor, as tests/gui/png_check.cpp
BN = (76, 160, 255)


def decode_png(data):
    """The RGB(A) pixels of an 8-bit PNG, as (width, height, channels, bytes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color_type = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color_type in (2, 6), f"PNG depth {depth}, colour type {color_type}"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    channels = 3 if color_type == 2 else 4
    raw, stride = zlib.decompress(idat), width * channels
    out, previous = bytearray(), bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1: line[i] = (line[i] + a) & 255
            elif kind == 2: line[i] = (line[i] + b) & 255
            elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out += line
        previous = line
    return width, height, channels, bytes(out)


def check_screenshot(png, need_net_colours):
    width, height, channels, pixels = decode_png(png)
    colours, plain, bn = set(), 0, 0
    near = lambda p, c: abs(p[0] - c[0]) <= 12 and abs(p[1] - c[1]) <= 12 and abs(p[2] - c[2]) <= 12
    for i in range(0, len(pixels), channels):
        p = pixels[i:i + 3]
        colours.add(p)
        plain += near(p, PLAIN)
        bn += near(p, BN)
    print(f"page_test: screenshot {width}x{height}, {len(colours)} distinct colours, {plain} plain-coloured and "
          f"{bn} bn-coloured pixels")
    problems = []
    if len(colours) < 64: problems.append(f"only {len(colours)} distinct colours: the page looks blank")
    if need_net_colours and (plain < 50 or bn < 50): problems.append("the Plain or the BN colour is missing from the screenshot")
    return problems


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class DevTools:
    def __init__(self, url):
        self.socket = websocket.create_connection(url, timeout=30)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message: raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message: self.events.append(message)

    def evaluate(self, expression):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")


def errors_in(events):
    errors = []
    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            errors.append("exception: " + details.get("exception", {}).get("description", details.get("text", "")))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append("console.error: " + " ".join(str(a.get("value", a.get("description", "")))
                                                      for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            errors.append("log: " + params["entry"].get("text", "") + " " + params["entry"].get("url", ""))
    return errors


def check_download(tools, profile, key, pattern):
    """Presses `key` (a letter) on the page and waits for the download it should start."""
    folder = os.path.join(profile, "downloads")
    os.makedirs(folder)
    tools.call("Page.setDownloadBehavior", behavior="allow", downloadPath=folder)
    code = ord(key.upper())
    for kind in ("keyDown", "keyUp"):
        tools.call("Input.dispatchKeyEvent", type=kind, key=key.lower(), code="Key" + key.upper(),
                   windowsVirtualKeyCode=code, nativeVirtualKeyCode=code)
    deadline = time.time() + 20
    while time.time() < deadline:
        done = [f for f in os.listdir(folder) if fnmatch.fnmatch(f, pattern)]
        if done and os.path.getsize(os.path.join(folder, done[0])) > 0:
            print(f"page_test: {key} downloaded {done[0]} ({os.path.getsize(os.path.join(folder, done[0]))} bytes)")
            return []
        time.sleep(0.25)
    return [f"pressing {key} downloaded no {pattern} (the folder holds {os.listdir(folder)})"]


def check_drop(tools, scene_file, title):
    """Drops `scene_file` on the page's canvas, as dragging it there does."""
    with open(scene_file, encoding="utf-8") as scene:
        text = scene.read()
    tools.evaluate("(function (text, name) { var files = new DataTransfer();"
                   " files.items.add(new File([text], name));"
                   " document.getElementById('canvas').dispatchEvent(new DragEvent('drop', {dataTransfer: files,"
                   " bubbles: true, cancelable: true})); })(" + json.dumps(text) + ", " +
                   json.dumps(os.path.basename(scene_file)) + ")")
    deadline = time.time() + 30
    while time.time() < deadline:
        shown = tools.evaluate("window.bnlabScene")
        if shown == title:
            print(f"page_test: dropping {os.path.basename(scene_file)} opened '{title}'")
            return []
        time.sleep(0.25)
    return [f"dropping {scene_file} did not open '{title}' (the page runs '{shown}')"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("chromium")
    parser.add_argument("site")
    parser.add_argument("query")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--message", default=None)
    parser.add_argument("--screenshot", default=None)
    parser.add_argument("--timeout", type=float, default=150.0)
    parser.add_argument("--no-net-colours", action="store_true")
    parser.add_argument("--download", nargs=2, metavar=("KEY", "GLOB"))
    parser.add_argument("--drop", nargs=2, metavar=("SCENE", "TITLE"))
    args = parser.parse_args()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=args.site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html{args.query}"
    profile = tempfile.mkdtemp(prefix="bnlab-page-test-")
    browser = subprocess.Popen(
        [args.chromium, "--headless=new", "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
         "--remote-debugging-port=0", "--user-data-dir=" + profile, "--window-size=1280,720", "--no-first-run",
         "--disable-gpu-sandbox", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    problems = []
    try:
        port = None
        deadline = time.time() + 30
        while port is None and time.time() < deadline:
            line = browser.stderr.readline()
            if not line: break
            match = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if match: port = int(match.group(1))
        if port is None: sys.exit("page_test: chromium did not start its DevTools server")
        # The rest of Chromium's stderr (its own warnings) is not the page's business.
        threading.Thread(target=lambda: browser.stderr.read(), daemon=True).start()
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        page = next(t for t in targets if t.get("type") == "page")
        tools = DevTools(page["webSocketDebuggerUrl"])
        for domain in ("Runtime", "Log", "Page"):
            tools.call(domain + ".enable")
        start = time.time()
        tools.call("Page.navigate", url=url)
        step, first_step_seconds = 0, None
        while time.time() - start < args.timeout:
            time.sleep(0.5)
            step = tools.evaluate("window.bnlabStep || 0") or 0
            if step > 0 and first_step_seconds is None: first_step_seconds = time.time() - start
            if step >= args.steps or errors_in(tools.events): break
        print(f"page_test: {url}: step {step} after {time.time() - start:.1f} s (the first step after "
              f"{first_step_seconds if first_step_seconds is None else round(first_step_seconds, 1)} s)")
        if step < args.steps: problems.append(f"the page reached step {step}, not {args.steps}, in {args.timeout:.0f} s")
        message = tools.evaluate("document.getElementById('message').textContent") or ""
        if message: print(f"page_test: the page says: {message}")
        if args.message is None and message:
            problems.append(f"the page shows a message: {message}")
        if args.message is not None and args.message not in message:
            problems.append(f"the page does not show '{args.message}' (it shows '{message}')")
        if args.download:
            problems += check_download(tools, profile, *args.download)
        if args.drop:
            problems += check_drop(tools, *args.drop)
        png = base64.b64decode(tools.call("Page.captureScreenshot", format="png")["data"])
        if args.screenshot:
            with open(args.screenshot, "wb") as out: out.write(png)
        problems += check_screenshot(png, not args.no_net_colours)
        problems += errors_in(tools.events)
    finally:
        browser.kill()
        browser.wait()
        server.shutdown()
        shutil.rmtree(profile, ignore_errors=True)
    for problem in problems:
        print("page_test: " + problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
