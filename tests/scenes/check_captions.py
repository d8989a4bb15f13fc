#!/usr/bin/env python3
"""Holds the scenes' pause captions to the numbers on screen at their pause points.

A pause point may list `checks` (src/settings/lesson.h): the figures its caption states, each
as a range of whole percent, or of points for `lead`. For every such pause this script

  * checks the caption against its checks: the caption states each checked range ("71-74%",
    "a lead of 27-40 points"), and every "A-B%" range in the caption is one of the checked
    ones, so no range in a caption goes unchecked;
  * trains the scene headless (`bnlab train --scene FILE`, the scene's own seed: the one the
    screen shows) to the pause's step, and checks that every figure, rounded to whole percent
    as the screen prints it, lies in its range.

At a pause point the GUI evaluates both nets at exactly that step with the scene's eval-stats
(session.cpp: a paused session measures now), which is what `bnlab train` reports for the same
step. Pauses of scenes whose steps times batch size exceed --max-samples are only text-checked
(the suite's time budget); run without it to check them all.

Usage: check_captions.py BNLAB SCENE.toml... [--max-samples N]
Exit status 0 when every check holds, 1 when one does not, 2 on bad usage.
"""

import argparse
import csv
import math
import os
import re
import subprocess
import sys
import tempfile
import tomllib

# The CSV column behind each figure (without its column prefix); `lead` is computed.
FIGURE_COLUMNS = {
    "": "test_acc",
    "-batch": "test_acc_batch",
    "-running": "test_acc_running",
    "-population": "test_acc_population",
    "-saturated-l1": "saturated_l1",
    "-saturated-l2": "saturated_l2",
    "-saturated-l3": "saturated_l3",
}
RANGE_IN_TEXT = re.compile(r"(?<![\d.])(\d+)-(\d+)%")


def printed_percent(value):
    """A share as the screen prints it: whole percent, halves away from zero (std::lround)."""
    return int(math.floor(100.0 * value + 0.5))


def range_text(low, high):
    return f"{low}%" if low == high else f"{low}-{high}%"


def lead_texts(low, high):
    """The ways a caption may state a lead of [low, high] points (of either column)."""
    if high < 0:
        low, high = -high, -low
    if low < 0:  # either may lead: the caption can only say how far apart they are
        return [f"within {max(-low, high)} points"]
    texts = [f"{low}-{high} points" if low != high else f"{low} points"]
    if high == 100:
        texts.append(f"more than {low - 1} points")
    return texts


def text_problems(caption, checks):
    """What the caption fails to state of its checks, and its ranges no check covers."""
    problems = []
    stated = set()
    for figure, (low, high) in checks.items():
        if figure == "lead":
            texts = lead_texts(low, high)
            if not any(text in caption for text in texts):
                problems.append(f"the caption does not state the lead {low}..{high} (as {' or '.join(map(repr, texts))})")
            continue
        if range_text(low, high) not in caption:
            problems.append(f"the caption does not state {figure}'s range {range_text(low, high)!r}")
        stated.add((low, high))
    for match in RANGE_IN_TEXT.finditer(caption):
        if (int(match.group(1)), int(match.group(2))) not in stated:
            problems.append(f"the caption's range {match.group(0)!r} has no check")
    return problems


def train(bnlab, scene_path, steps, every, batch):
    """Trains the scene to max(steps), measuring every `every` steps; {step: (left row, right row)}."""
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "run.csv")
        command = [bnlab, "train", "--scene", scene_path, "--steps", str(max(steps)), "--eval-every", str(every),
                   "--probe-every", str(every), "--csv", path, "--quiet"]
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr}")
        rows = {}
        with open(path, newline="") as file:
            for row in csv.DictReader(file):
                step = int(row["step"])
                if step in steps:
                    rows.setdefault(step, []).append(row)  # left then right (the trainer's order)
    for step in steps:
        if len(rows.get(step, [])) != 2:
            raise SystemExit(f"{scene_path}: the run has no rows of both nets at step {step}")
    return rows


def figure_values(figure, left, right):
    """The printed value(s) of a figure: one per column it names."""
    if figure == "lead":
        return [printed_percent(float(right["test_acc"])) - printed_percent(float(left["test_acc"]))]
    column, _, rest = figure.partition("-")
    key = FIGURE_COLUMNS["-" + rest if rest else ""]
    rows = {"left": [left], "right": [right], "both": [left, right]}[column]
    values = []
    for row in rows:
        if row[key] == "":
            raise SystemExit(f"no {key} in the run at step {row['step']} ({row['net']})")
        values.append(printed_percent(float(row[key])))
    return values


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bnlab")
    parser.add_argument("scenes", nargs="+")
    parser.add_argument("--max-samples", type=int, default=0,
                        help="run only pauses whose step times batch size is at most this (0: all)")
    args = parser.parse_args()

    failures = []
    checked = 0
    for scene_path in args.scenes:
        name = os.path.basename(scene_path)
        with open(scene_path, "rb") as file:
            scene = tomllib.load(file)
        batch = int(scene.get("batch", 60))
        runs = {}
        for pause in scene.get("pauses", []):
            checks = {key: tuple(value) for key, value in pause.get("checks", {}).items()}
            where = f"{name}, pause at step {pause['step']}"
            failures += [f"{where}: {problem}" for problem in text_problems(pause.get("caption", ""), checks)]
            if checks and (args.max_samples == 0 or pause["step"] * batch <= args.max_samples):
                runs[pause["step"]] = (checks, where)
        if not runs:
            continue
        steps = sorted(runs)
        every = math.gcd(*steps)
        rows = train(args.bnlab, scene_path, set(steps), every, batch)
        for step in steps:
            checks, where = runs[step]
            left, right = rows[step]
            for figure, (low, high) in checks.items():
                for value in figure_values(figure, left, right):
                    checked += 1
                    if not low <= value <= high:
                        failures.append(f"{where}: {figure} is {value} on screen (seed {scene.get('seed', 1)}), "
                                        f"outside the caption's {low}..{high}")
    for failure in failures:
        print(failure)
    print(f"{checked} figures checked against headless runs, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
