#!/usr/bin/env python3
"""The page in a browser (issue 24, test 3): Debian's Chromium, headless, draws it with WebGL 2
through SwiftShader, from a server on 127.0.0.1; the test drives it through the DevTools
protocol. Passes when the page trains in real time to `--steps` steps (window.bnlabStep), its
screenshot shows something (64+ colours) with both nets' colours in it, and neither the page
nor its console reported an error; with `--message TEXT`, when the page shows that one-line
message (a bad setting in the URL) and trains all the same, else when it shows none.

usage: page_test.py CHROMIUM SITE_DIR QUERY [--steps N] [--message TEXT] [--screenshot OUT.png]
                    [--timeout SECONDS] [--no-net-colours] [--download KEY GLOB]
                    [--drop SCENE.toml TITLE] [--pick SCENE.toml TITLE] [--no-data-fetched]
                    [--data-rate BYTES_PER_S] [--loading-moves] [--pixel-ratio R] [--fullscreen]
                    [--light-after-reload] [--scene-title TITLE] [--viewport W H]
                    [--copy-link QUERY] [--save-scene TEXT...]
(--no-net-colours: a view that shows neither net's colour, as the batch-size noise view's BN
figures; as the desktop's smoke test, only that it is not blank. --download E 'bnlab-history-*.csv':
after the steps, press the key, and pass only when the browser downloads one file of that name
that is not empty. --drop: after the steps, drop the scene file on the page as a user would, and
pass only when the page then runs the scene of that title. --pick: the same through the page's
file picker, the <input type=file> that "Open a scene file" opens.
--no-data-fetched: the page reached its steps without asking the server for Fashion-MNIST (a 2-D
scene does not wait for it). --data-rate: the server sends Fashion-MNIST's files at that rate, as
a slow network would. --loading-moves: while the page fetched and read the data, what its loading
screen says changed at least three times and it kept drawing frames (10 a second or more: the
browser never held). --pixel-ratio 2: the screen has two pixels per CSS pixel (DevTools'
emulation); the canvas must be drawn at the screen's pixels. --fullscreen: F11 puts the page in
the browser's full screen and F11 again takes it out. --light-after-reload: L switches to the
light theme, and after the page is loaded again (its view settings in the browser's storage) it
is still light. --scene-title: the page runs the scene of that title once it has its steps. --viewport: the
page's window that size in CSS pixels. --copy-link: a click on Copy link (where the page says
it drew the button) puts the page's address with QUERY on the clipboard. --save-scene: a click
on Save as scene downloads a scene file holding each TEXT.)
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
    data_rate = 0  # bytes a second for fashion-mnist/ files; 0: as fast as it can
    requested = []  # the paths asked for

    def log_message(self, *args):
        pass

    def do_GET(self):
        Quiet.requested.append(self.path)
        if not (Quiet.data_rate and self.path.startswith("/fashion-mnist/")):
            return super().do_GET()
        path = self.translate_path(self.path)
        if not os.path.isfile(path):
            return self.send_error(404)
        with open(path, "rb") as data:
            body = data.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        piece = max(1, Quiet.data_rate // 20)
        try:
            for at in range(0, len(body), piece):
                self.wfile.write(body[at:at + piece])
                time.sleep(0.05)
        except (BrokenPipeError, ConnectionResetError):
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

    def evaluate(self, expression, await_promise=False):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                         awaitPromise=await_promise)["result"].get("value")


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


def press(tools, key, code, virtual):
    for kind in ("keyDown", "keyUp"):
        tools.call("Input.dispatchKeyEvent", type=kind, key=key, code=code, windowsVirtualKeyCode=virtual,
                   nativeVirtualKeyCode=virtual)


def wait_for(tools, expression, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if tools.evaluate(expression): return True
        time.sleep(0.25)
    return False


def click_button(tools, name):
    """Clicks the page's button `name` where the page drew it (window.bnlabItems, canvas pixels)."""
    if not wait_for(tools, "window.bnlabItems && window.bnlabItems[" + json.dumps(name) + "]", 10):
        return False
    x0, y0, x1, y1, scale = tools.evaluate(
        "(function () { var c = document.getElementById('canvas'); var r = window.bnlabItems[" + json.dumps(name) +
        "]; return r.concat([c.width / c.getBoundingClientRect().width]); })()")
    x, y = (x0 + x1) / 2 / scale, (y0 + y1) / 2 / scale
    tools.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
    time.sleep(0.3)  # a frame or two with the pointer over it, as a hand's would be
    tools.call("Input.dispatchMouseEvent", type="mousePressed", x=x, y=y, button="left", clickCount=1)
    time.sleep(0.3)
    tools.call("Input.dispatchMouseEvent", type="mouseReleased", x=x, y=y, button="left", clickCount=1)
    return True


def check_copy_link(tools, url, query):
    origin = url.split("/index.html")[0]
    tools.call("Browser.grantPermissions", origin=origin,
               permissions=["clipboardReadWrite", "clipboardSanitizedWrite"])
    if not click_button(tools, "Copy link"): return ["the page drew no Copy link button"]
    expected = origin + "/index.html" + query
    deadline, copied = time.time() + 10, None
    while time.time() < deadline:
        copied = tools.evaluate("navigator.clipboard.readText()", await_promise=True)
        if copied == expected: break
        time.sleep(0.25)
    print(f"page_test: Copy link put {copied!r} on the clipboard")
    return [] if copied == expected else [f"Copy link copied {copied!r}, not {expected!r}"]


def check_save_scene(tools, profile, needles):
    folder = os.path.join(profile, "scenes")
    os.makedirs(folder)
    tools.call("Page.setDownloadBehavior", behavior="allow", downloadPath=folder)
    if not click_button(tools, "Save as scene"): return ["the page drew no Save as scene button"]
    deadline, text = time.time() + 20, ""
    while time.time() < deadline:
        done = [f for f in os.listdir(folder) if f.endswith(".toml")]
        if done:
            with open(os.path.join(folder, done[0]), encoding="utf-8") as scene: text = scene.read()
            if text: break
        time.sleep(0.25)
    if not text: return [f"Save as scene downloaded no scene file (the folder holds {os.listdir(folder)})"]
    print(f"page_test: Save as scene downloaded {len(text)} bytes")
    return [f"the saved scene has no {needle!r}:\n{text}" for needle in needles if needle not in text]


def check_pick(tools, scene_file, title):
    """Hands `scene_file` to the page's file picker, as choosing it there does."""
    document = tools.call("DOM.getDocument")["root"]["nodeId"]
    node = tools.call("DOM.querySelector", nodeId=document, selector="#scene-file")["nodeId"]
    tools.call("DOM.setFileInputFiles", files=[os.path.abspath(scene_file)], nodeId=node)
    if wait_for(tools, "window.bnlabScene === " + json.dumps(title), 30):
        print(f"page_test: picking {os.path.basename(scene_file)} opened '{title}'")
        return []
    return [f"picking {scene_file} did not open '{title}' (the page runs '{tools.evaluate('window.bnlabScene')}')"]


def check_fullscreen(tools):
    problems = []
    press(tools, "F11", "F11", 122)
    if not wait_for(tools, "document.fullscreenElement !== null", 10):
        return ["F11 did not put the page in full screen"]
    print("page_test: F11 put the page in full screen")
    press(tools, "F11", "F11", 122)
    if not wait_for(tools, "document.fullscreenElement === null", 10):
        problems.append("F11 again did not leave full screen")
    return problems


def mean_brightness(png):
    width, height, channels, pixels = decode_png(png)
    total = sum(pixels[i] + pixels[i + 1] + pixels[i + 2] for i in range(0, len(pixels), channels * 97))
    return total / (3 * len(range(0, len(pixels), channels * 97)))


def check_light_after_reload(tools, url):
    """L, then the page loaded again: still light (ui.toml in localStorage)."""
    press(tools, "l", "KeyL", ord("L"))
    stored = "Object.keys(localStorage).filter(function (k) { return /ui\\.toml$/.test(k); })" \
             ".map(function (k) { return localStorage.getItem(k); }).join('')"
    # The page stores its view settings every two seconds (localStorage).
    wait_for(tools, "(" + stored + ").indexOf('light_theme = true') >= 0", 20)
    stored = tools.evaluate(stored) or ""
    if "light_theme = true" not in stored:
        return [f"after L the browser's storage holds no light theme: {stored[:200]!r}"]
    tools.call("Page.navigate", url=url)
    time.sleep(1)
    if not wait_for(tools, "(window.bnlabStep || 0) >= 10", 60):
        return ["the page did not train again after the reload"]
    brightness = mean_brightness(base64.b64decode(tools.call("Page.captureScreenshot", format="png")["data"]))
    print(f"page_test: after a reload the page's mean brightness is {brightness:.0f} of 255")
    return [] if brightness > 150 else [f"after a reload the page is dark (mean brightness {brightness:.0f})"]


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
    parser.add_argument("--pick", nargs=2, metavar=("SCENE", "TITLE"))
    parser.add_argument("--no-data-fetched", action="store_true")
    parser.add_argument("--data-rate", type=int, default=0)
    parser.add_argument("--loading-moves", action="store_true")
    parser.add_argument("--pixel-ratio", type=float, default=0)
    parser.add_argument("--fullscreen", action="store_true")
    parser.add_argument("--light-after-reload", action="store_true")
    parser.add_argument("--scene-title", default=None)
    parser.add_argument("--viewport", nargs=2, type=int, metavar=("W", "H"))
    parser.add_argument("--copy-link", default=None)
    parser.add_argument("--save-scene", nargs="+", default=None)
    parser.add_argument("--print-console", action="store_true", help="print the page's console.log lines (?frame-stats)")
    args = parser.parse_args()
    Quiet.data_rate = args.data_rate

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
        if args.pixel_ratio or args.viewport:
            width, height = args.viewport or (1280, 720)
            tools.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                       deviceScaleFactor=args.pixel_ratio or 1, mobile=False)
        tools.call("Emulation.setFocusEmulationEnabled", enabled=True)  # the clipboard wants a focused page
        start = time.time()
        tools.call("Page.navigate", url=url)
        step, first_step_seconds = 0, None
        loading_texts, loading_frames = [], []  # (what the loading screen said), (time, frames)
        while time.time() - start < args.timeout:
            time.sleep(0.2 if args.loading_moves else 0.5)
            step = tools.evaluate("window.bnlabStep || 0") or 0
            if args.loading_moves:
                building, frames = tools.evaluate("[window.bnlabBuilding || '', window.bnlabFrames || 0]")
                if building:
                    if not loading_texts or loading_texts[-1] != building: loading_texts.append(building)
                    loading_frames.append((time.time(), frames))
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
        if args.scene_title is not None:
            shown = tools.evaluate("window.bnlabScene")
            if shown != args.scene_title: problems.append(f"the page runs '{shown}', not '{args.scene_title}'")
        if args.download:
            problems += check_download(tools, profile, *args.download)
        if args.copy_link is not None:
            problems += check_copy_link(tools, url, args.copy_link)
        if args.save_scene:
            problems += check_save_scene(tools, profile, args.save_scene)
        if args.drop:
            problems += check_drop(tools, *args.drop)
        if args.pick:
            problems += check_pick(tools, *args.pick)
        if args.no_data_fetched:
            fetched = [path for path in Quiet.requested if path.startswith("/fashion-mnist/")]
            print(f"page_test: the page asked the server for {len(Quiet.requested)} files, "
                  f"{len(fetched)} of them Fashion-MNIST's")
            if fetched: problems.append(f"the page fetched Fashion-MNIST for a scene that does not use it: {fetched}")
        if args.loading_moves:
            print(f"page_test: the loading screen said {len(loading_texts)} different things: "
                  f"{loading_texts[:3]} ... {loading_texts[-2:]}")
            if len(loading_texts) < 3: problems.append(f"the loading screen did not move: {loading_texts}")
            if len(loading_frames) >= 2:
                (t0, f0), (t1, f1) = loading_frames[0], loading_frames[-1]
                rate = (f1 - f0) / max(t1 - t0, 1e-9)
                print(f"page_test: {rate:.0f} frames a second over the {t1 - t0:.1f} s of loading")
                if rate < 10: problems.append(f"the page drew {rate:.1f} frames a second while loading: it held")
            else:
                problems.append("the page never showed what it was loading")
        if args.pixel_ratio:
            canvas, inner = tools.evaluate("[document.getElementById('canvas').width, window.innerWidth]")
            print(f"page_test: at {args.pixel_ratio} screen pixels per CSS pixel the canvas is {canvas} pixels "
                  f"wide in a window {inner} CSS pixels wide")
            if canvas != round(inner * args.pixel_ratio):
                problems.append(f"the canvas is {canvas} pixels wide, not {inner} x {args.pixel_ratio}")
        if args.fullscreen:
            problems += check_fullscreen(tools)
        if args.light_after_reload:
            problems += check_light_after_reload(tools, url)
        png = base64.b64decode(tools.call("Page.captureScreenshot", format="png")["data"])
        if args.screenshot:
            with open(args.screenshot, "wb") as out: out.write(png)
        problems += check_screenshot(png, not args.no_net_colours)
        problems += errors_in(tools.events)
        if args.print_console:
            for event in tools.events:
                if event["method"] == "Runtime.consoleAPICalled" and event["params"].get("type") == "log":
                    print("page_test: console: " + " ".join(str(a.get("value", "")) for a in event["params"]["args"]))
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
