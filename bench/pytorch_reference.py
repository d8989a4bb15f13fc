#!/usr/bin/env python3
"""The BN paper's experiment in PyTorch, as a reference for `bnlab train`.

Same setup as bnlab: Fashion-MNIST scaled to [0, 1], 784-100-100-100-10 sigmoid, weights
from N(0, init_scale^2), zero biases, no bias before BN, BN before the sigmoid (momentum
0.1, eps 1e-5), plain SGD, batch 60, shuffled epochs; the Plain and the BN net start from
the same weights and see the same batches. It prints the test accuracy of both nets, in
eval mode, every --eval-every steps, so the curves can be set beside

    bnlab train --init-scale S --lr X --steps N --eval-every K --csv run.csv

The random streams differ from bnlab's, so the runs agree statistically (to about a
percent of accuracy), not bit for bit. Not run by the tests; `scripts/deps --bench` installs
Debian's PyTorch (python3-torch) for /usr/bin/python3. Reference results (5 000 steps): init 1, lr 5: BN 86%, plain 10%;
init 0.1, lr 0.05: BN 84%, plain 74-75%.
"""
import argparse
import gzip
import pathlib

import numpy as np
import torch
from torch import nn


def load_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    dims = magic & 0xFF
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_fashion(directory):
    d = pathlib.Path(directory)
    def images(name):
        x = load_idx(d / name).reshape(-1, 784).astype(np.float32) / 255.0
        return torch.from_numpy(x)
    def labels(name):
        return torch.from_numpy(load_idx(d / name).astype(np.int64))
    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


def make_net(widths, with_bn):
    layers, fan_in = [], 784
    for width in widths:
        layers.append(nn.Linear(fan_in, width, bias=not with_bn))
        if with_bn:
            layers.append(nn.BatchNorm1d(width, momentum=0.1, eps=1e-5))
        layers.append(nn.Sigmoid())
        fan_in = width
    layers.append(nn.Linear(fan_in, 10))
    return nn.Sequential(*layers)


def init_like(plain, bn, scale):
    """Draw the plain net's weights, copy them into the BN net: identical starts."""
    linears_plain = [m for m in plain if isinstance(m, nn.Linear)]
    linears_bn = [m for m in bn if isinstance(m, nn.Linear)]
    for a, b in zip(linears_plain, linears_bn):
        nn.init.normal_(a.weight, 0.0, scale)
        if a.bias is not None:
            nn.init.zeros_(a.bias)
        with torch.no_grad():
            b.weight.copy_(a.weight)
            if b.bias is not None:
                b.bias.zero_()


def accuracy(net, x, y):
    net.eval()
    with torch.no_grad():
        correct = (net(x).argmax(dim=1) == y).float().mean().item()
    net.train()
    return correct


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--init-scale", type=float, default=1.0)
    parser.add_argument("--lr", type=float, default=5.0)
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=60)
    parser.add_argument("--eval-every", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    train_x, train_y, test_x, test_y = load_fashion(args.data_dir)
    plain, bn = make_net([100, 100, 100], False), make_net([100, 100, 100], True)
    init_like(plain, bn, args.init_scale)
    optimizers = [torch.optim.SGD(net.parameters(), lr=args.lr) for net in (plain, bn)]
    loss_fn = nn.CrossEntropyLoss()

    order, cursor = torch.randperm(len(train_x)), 0
    for step in range(1, args.steps + 1):
        if cursor + args.batch > len(order):
            order, cursor = torch.randperm(len(train_x)), 0
        index = order[cursor:cursor + args.batch]
        cursor += args.batch
        for net, optimizer in zip((plain, bn), optimizers):
            optimizer.zero_grad()
            loss_fn(net(train_x[index]), train_y[index]).backward()
            optimizer.step()
        if step % args.eval_every == 0:
            print(f"step {step:6d}  plain {accuracy(plain, test_x, test_y):.4f}  "
                  f"bn {accuracy(bn, test_x, test_y):.4f}")


if __name__ == "__main__":
    main()
