#!/usr/bin/env python3
"""Accuracy parity (issue 24, test 2): `bnlab train` in WebAssembly under Node against the
desktop build, same flags and seeds: test accuracy within 1 point, for each net.

    accuracy_parity.py NODE WEB_BNLAB_JS NATIVE_BNLAB SEEDS each|mean [bnlab train flags...]

SEEDS is a list such as 1,2,3. `each` compares every seed's accuracy; `mean` compares the
means over the seeds, for a run whose final accuracy float rounding moves by more than a point
(see tests/web/web_tests.cmake).
"""
import json
import subprocess
import sys

TOLERANCE = 0.01  # one point of accuracy


def accuracies(command, flags):
    result = subprocess.run(command + ["train"] + flags + ["--json", "--quiet"], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} train {' '.join(flags)}: exit {result.returncode}\n{result.stderr}")
    summary = json.loads(result.stdout)
    # The two columns' summaries are the objects with a test accuracy, keyed by variant label.
    return {key: value["test_acc"] for key, value in summary.items() if isinstance(value, dict) and "test_acc" in value}


def main():
    node, web_bnlab, native_bnlab, seeds, compare = sys.argv[1:6]
    flags = sys.argv[6:]
    native, web = {}, {}
    for seed in seeds.split(","):
        # One thread in both: the results do not depend on it, and ctest runs tests side by side.
        seed_flags = flags + ["--seed", seed, "--threads", "1"]
        native[seed] = accuracies([native_bnlab], seed_flags)
        web[seed] = accuracies([node, web_bnlab], seed_flags)
        for net in sorted(native[seed]):
            print(f"seed {seed}, {net}: test accuracy {100 * native[seed][net]:.2f}% native, "
                  f"{100 * web[seed][net]:.2f}% WebAssembly")
    nets = sorted(next(iter(native.values())))
    pairs = []  # (what, native, web)
    for net in nets:
        if compare == "each":
            pairs += [(f"seed {seed}, {net}", native[seed][net], web[seed][net]) for seed in native]
        else:
            mean = lambda runs: sum(run[net] for run in runs.values()) / len(runs)
            pairs.append((f"{net}, mean over seeds {seeds}", mean(native), mean(web)))
    failed = [what for what, a, b in pairs if abs(a - b) > TOLERANCE]
    for what, a, b in pairs:
        print(f"{what}: gap {100 * abs(a - b):.2f} points")
    if failed:
        sys.exit(f"a gap above {100 * TOLERANCE:.0f} point: {'; '.join(failed)}")


if __name__ == "__main__":
    main()
