#!/usr/bin/python3
"""bnlab and PyTorch side by side: pairs of training steps per second.

One pair is one SGD step of the Plain net and one of the BN net on the same mini-batch: the
paper's 784-100-100-100-10 sigmoid network, float32, BN before each sigmoid, Fashion-MNIST
batches. bnlab is measured by build/bench/pair_rate (one and two threads), PyTorch 1.13
(Debian's python3-torch, installed by `scripts/deps --bench`) in this process with one and
two threads, and the GEMM-only bound (the 11 matrix products of a step of each net and
nothing else, Eigen, one thread) by `pair_rate --gemm`. PyTorch runs in a child process per
figure with OMP_NUM_THREADS and OPENBLAS_NUM_THREADS set, so its thread count is what it says. The runs are interleaved, round by
round, so a busy moment on the machine hits all of them alike; each figure is the median of
the rounds.

    bench/side_by_side.py [--pair-rate build/bench/pair_rate] [--batches 60,256,1024]
                          [--portable-pair-rate build-portable/bench/pair_rate]

With --portable-pair-rate (a default build's pair_rate beside the --pair-rate of a
-DBNLAB_NATIVE=ON build), the portable build's one- and two-thread figures join the rounds,
and the table gains its columns and the portable / native ratio.
"""
import argparse
import gzip
import os
import pathlib
import statistics
import subprocess
import sys
import time

try:
    import numpy as np
    import torch
    from torch import nn
    from pytorch_reference import make_net  # the same two nets as the reference run (this folder)
except ImportError as error:
    sys.exit(f"side_by_side: {error}; install PyTorch and NumPy with scripts/deps --bench "
             "and run this with Debian's /usr/bin/python3")


def load_images(directory):
    path = pathlib.Path(directory) / "train-images-idx3-ubyte.gz"
    if not path.exists():  # shaped like Fashion-MNIST: the speed is the same
        return torch.rand(60000, 784)
    with gzip.open(path, "rb") as f:
        data = f.read()
    return torch.from_numpy(np.frombuffer(data, dtype=np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255.0)


def torch_pairs(images, labels, batch, threads, seconds):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    nets = [make_net([100, 100, 100], False), make_net([100, 100, 100], True)]
    optimizers = [torch.optim.SGD(net.parameters(), lr=0.1) for net in nets]
    loss_fn = nn.CrossEntropyLoss()
    order, cursor = torch.randperm(len(images)), 0

    def pair():
        nonlocal order, cursor
        if cursor + batch > len(order):
            order, cursor = torch.randperm(len(images)), 0
        index = order[cursor:cursor + batch]
        cursor += batch
        x, y = images[index], labels[index]
        for net, optimizer in zip(nets, optimizers):
            optimizer.zero_grad(set_to_none=True)
            loss_fn(net(x), y).backward()
            optimizer.step()

    return rate(pair, seconds)


def rate(step, seconds):
    warm = time.perf_counter()
    while time.perf_counter() - warm < 0.3:
        step()
    steps, start = 0, time.perf_counter()
    while True:
        step()
        steps += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return steps / elapsed


def torch_pairs_in_child(args, batch, threads):
    """PyTorch in a process of its own, with its BLAS (OpenBLAS) and OpenMP held to `threads`:
    torch.set_num_threads alone leaves OpenBLAS's own threads at the core count."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
    out = subprocess.run([sys.executable, __file__, "--torch-worker", "--batch", str(batch), "--threads",
                          str(threads), "--seconds", str(args.seconds), "--data-dir", args.data_dir],
                         check=True, capture_output=True, text=True, env=env).stdout
    return float(out.strip())


def bnlab_pairs(pair_rate, batch, seconds, *extra):
    out = subprocess.run([pair_rate, "--batch", str(batch), "--seconds", str(seconds), *extra],
                         check=True, capture_output=True, text=True).stdout
    return float(out.strip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = pathlib.Path(__file__).resolve().parent
    parser.add_argument("--pair-rate", default=str(here.parent / "build" / "bench" / "pair_rate"))
    parser.add_argument("--portable-pair-rate", help="a default (portable) build's pair_rate, measured beside")
    parser.add_argument("--batches", default="60,256,1024")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--torch-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.torch_worker:
        images = load_images(args.data_dir)
        labels = torch.randint(0, 10, (len(images),))
        print(f"{torch_pairs(images, labels, args.batch, args.threads, args.seconds):.1f}")
        return
    if not pathlib.Path(args.pair_rate).exists():
        sys.exit(f"side_by_side: {args.pair_rate} not found; build it (cmake --build build --target pair_rate)")
    if args.portable_pair_rate and not pathlib.Path(args.portable_pair_rate).exists():
        sys.exit(f"side_by_side: {args.portable_pair_rate} not found")
    batches = [int(b) for b in args.batches.split(",")]

    columns = ["bnlab 1", "bnlab 2", "torch 1", "torch 2", "bound"]
    if args.portable_pair_rate:
        columns += ["portable 1", "portable 2"]
    figures = {(b, c): [] for b in batches for c in columns}
    for round_index in range(args.rounds):
        for batch in batches:
            s = args.seconds
            figures[batch, "bnlab 1"].append(bnlab_pairs(args.pair_rate, batch, s, "--threads", "1"))
            figures[batch, "torch 1"].append(torch_pairs_in_child(args, batch, 1))
            figures[batch, "bnlab 2"].append(bnlab_pairs(args.pair_rate, batch, s, "--threads", "2"))
            figures[batch, "torch 2"].append(torch_pairs_in_child(args, batch, 2))
            figures[batch, "bound"].append(bnlab_pairs(args.pair_rate, batch, s, "--gemm"))
            if args.portable_pair_rate:
                for threads in (1, 2):
                    figures[batch, f"portable {threads}"].append(
                        bnlab_pairs(args.portable_pair_rate, batch, s, "--threads", str(threads)))
        print(f"round {round_index + 1}/{args.rounds} done", file=sys.stderr)

    level = subprocess.run([args.pair_rate, "--level"], check=True, capture_output=True, text=True).stdout.strip()
    print(f"pairs of steps per second (median of {args.rounds} interleaved rounds of {args.seconds:g} s), "
          f"bnlab's engine at cpu level {level}, PyTorch {torch.__version__}")
    header = ("batch", "bnlab 1 thread", "bnlab 2 threads", "PyTorch 1 thread", "PyTorch 2 threads",
              "bnlab / PyTorch best", "bnlab 2 / 1", "GEMM bound 1 thread", "bnlab 1 / bound")
    if args.portable_pair_rate:
        portable_level = subprocess.run([args.portable_pair_rate, "--level"], check=True, capture_output=True,
                                        text=True).stdout.strip()
        print(f"portable build's engine at cpu level {portable_level}")
        header += ("portable 1 thread", "portable 2 threads", "portable / native (best of 1, 2 threads)",
                   "portable / PyTorch best")
    print(" | ".join(header))
    for batch in batches:
        m = {c: statistics.median(figures[batch, c]) for c in columns}
        best_torch = max(m["torch 1"], m["torch 2"])
        best_bnlab = max(m["bnlab 1"], m["bnlab 2"])
        row = [f"{batch}", f"{m['bnlab 1']:.0f}", f"{m['bnlab 2']:.0f}", f"{m['torch 1']:.0f}", f"{m['torch 2']:.0f}",
               f"{best_bnlab / best_torch:.2f}x", f"{m['bnlab 2'] / m['bnlab 1']:.2f}x", f"{m['bound']:.0f}",
               f"{100.0 * m['bnlab 1'] / m['bound']:.0f}%"]
        if args.portable_pair_rate:
            best_portable = max(m["portable 1"], m["portable 2"])
            row += [f"{m['portable 1']:.0f}", f"{m['portable 2']:.0f}", f"{best_portable / best_bnlab:.2f}x",
                    f"{best_portable / best_torch:.2f}x"]
        print(" | ".join(row))
    if args.portable_pair_rate:
        for batch in batches:  # round by round: a busy moment hits both builds of one round alike
            ratios = [max(p1, p2) / max(n1, n2) for p1, p2, n1, n2 in zip(
                figures[batch, "portable 1"], figures[batch, "portable 2"], figures[batch, "bnlab 1"],
                figures[batch, "bnlab 2"])]
            print(f"batch {batch}: portable / native by round: " + ", ".join(f"{r:.2f}" for r in ratios))


if __name__ == "__main__":
    main()
