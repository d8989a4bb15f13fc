#!/usr/bin/env python3
"""The `layers` test: every #include under src/ points down the layers of the README.

    main       src/main: the program's entry, dispatching to app or cli
    app        the window (src/app)
    cli        the headless commands        session  the training session behind the GUI
    report     what the program writes: text, CSV, JSON
    settings   the settings table, scenes   plot     the plotting library on ImDrawList
    engine     the numerics

A layer may include itself and the layers below it (LAYERS names them), never one above it
or beside it (cli and session never include each other). The window's libraries are checked
too: only app touches GLFW, OpenGL or the browser, only plot and app Dear ImGui, so the headless
path never needs them.

usage: check_layers.py SOURCE_DIR   (exit 1 and one line per include that points up)
"""
import pathlib
import re
import sys

LAYERS = {
    "engine": {"engine"},
    "plot": {"plot"},
    "settings": {"settings", "engine"},
    "report": {"report", "settings", "engine"},
    "cli": {"cli", "report", "settings", "engine"},
    "session": {"session", "report", "settings", "engine"},
    "app": {"app", "session", "report", "settings", "plot", "engine"},
    "main": {"main", "app", "cli", "session", "report", "settings", "plot", "engine"},
}
# The window's libraries, by the first part of their header's path, and the layers that may use them.
LIBRARIES = {
    "imgui": {"plot", "app"},
    "imgui_impl_glfw": {"app"},
    "imgui_impl_opengl3": {"app"},
    "GLFW": {"app"},
    "epoxy": {"app"},
    "GLES3": {"app"},
    "emscripten": {"app"},
    "stb_image_write": {"app"},
    "gif_lib": {"app"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of(path):
    return path.parts[0] if len(path.parts) > 1 else None


def check(src):
    problems = []
    files = sorted(p for p in src.rglob("*") if p.suffix in (".h", ".cpp"))
    for file in files:
        relative = file.relative_to(src)
        layer = layer_of(relative)
        if layer not in LAYERS:
            problems.append(f"{relative}: in no layer (a folder of src/ the test does not know: add it to LAYERS)")
            continue
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            match = INCLUDE.match(line)
            if not match:
                continue
            quote, target = match.groups()
            first = target.split("/")[0]
            name = first.split(".")[0]
            if quote == '"' and "/" in target and first in LAYERS:
                if first not in LAYERS[layer]:
                    problems.append(f"{relative}:{number}: {layer} includes {target}, from layer {first}, "
                                    f"which {layer} may not use")
            elif name in LIBRARIES and layer not in LIBRARIES[name]:
                problems.append(f"{relative}:{number}: {layer} includes <{target}>, "
                                f"which only {', '.join(sorted(LIBRARIES[name]))} may use")
    return files, problems


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    src = pathlib.Path(sys.argv[1])
    files, problems = check(src)
    if not files:
        print(f"layers: no sources under {src}")
        return 1
    for problem in problems:
        print(f"layers: {problem}")
    if problems:
        print(f"layers: {len(problems)} include(s) point up or sideways; the layers are in "
              f"tests/layers/check_layers.py and the README's 'How it is built'")
        return 1
    print(f"layers: {len(files)} files, every include points down")
    return 0


if __name__ == "__main__":
    sys.exit(main())
