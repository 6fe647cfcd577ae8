"""Where the time of one training step goes, for a net and batch given on the command line.

    .venv/bin/python -m bench.profile_step 2,10,5,1 300 float32
    .venv/bin/python -m bench.profile_step 64,128,64,10 64 float32 Adam

Times one ``training.train`` epoch (full batch), then the parts of the step one at a time, on the same
arrays and on the BLAS threads ``train`` would use: the step ``train`` calls (``MLP.loss_and_grads_checked``,
which reuses the gradient buffer), each matrix product of the forward and backward pass, the loss, the
bias sums and the optimizer step. The rest of the fused step (bias additions, activations, masks, Python)
is what is left. For context, the input checks that ``train`` does once per call, and that
``MLP.loss_and_grads`` does at every call, and the new gradient buffer it makes. Medians of 5.
"""

import sys

import numpy as np

from bench.table import median_time
from course_utils import model, optimizers, training
from course_utils.fastpath import backprop as backprop_fast
from course_utils.fastpath import blas_threads
from course_utils.fastpath.packing import PackedArrays


def profile(layers, batch, dtype="float32", optimizer="GD"):
    """``[(part, microseconds)]`` for one full-batch training step."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((batch, layers[0])).astype(dtype)
    y = rng.integers(0, max(2, layers[-1]), batch)
    net = model.MLP(layers, dtype=dtype)
    opt = {"GD": optimizers.GD, "Adam": optimizers.Adam}[optimizer](1e-3)
    us = lambda fn: median_time(fn, min_seconds=0.05)[0] * 1e6  # noqa: E731
    epochs = 200 if layers[0] < 100 else 6  # as make bench: train() checks the weights once per call
    parts = [("one train() epoch (the step and the loop around it)",
              us(lambda: training.train(net, X, y, opt, epochs=epochs, progress=False)) / epochs)]
    with blas_threads.threads_for(net.params, batch):
        Xc, yc = net.check_data(X, y)
        loss, grads = net.loss_and_grads(Xc, yc)
        _, caches = net.forward(Xc)
        parts.append(("MLP.loss_and_grads_checked (train's step)",
                      us(lambda: net.loss_and_grads_checked(Xc, yc, grads))))
        products = 0.0
        for l, cache in enumerate(caches, start=1):
            W = net.params[f"W{l}"]
            products += us(lambda: cache.A_prev @ W) + us(lambda: cache.A_prev.T @ cache.Z)
            if l > 1:
                products += us(lambda: cache.Z @ W.T)
        parts.append(("  matrix products (forward, dW, dA)", products))
        logits = caches[-1].Z
        loss_fn = backprop_fast._sigmoid_loss_and_grad if layers[-1] == 1 else backprop_fast._softmax_loss_and_grad
        parts.append(("  loss and dJ/dZ_L", us(lambda: loss_fn(logits, yc))))
        parts.append(("  bias sums", sum(us(lambda: np.add.reduce(c.Z, axis=0)) for c in caches)))
        parts.append(("  rest: bias adds, activations, masks, Python", parts[1][1] - sum(t for _, t in parts[2:])))
        parts.append((f"{optimizer} step", us(lambda: opt.step(net.params, grads))))
        parts.append(("train() loop around the step", parts[0][1] - parts[1][1] - parts[-1][1]))
        parts.append(("not in train()'s step: input checks (check_data)", us(lambda: net.check_data(X, y))))
        parts.append(("not in train()'s step: a new gradient buffer", us(lambda: PackedArrays.empty_like(net.params))))
    return parts


def main(argv):
    layers = [int(n) for n in argv[1].split(",")]
    batch, dtype = int(argv[2]), argv[3] if len(argv) > 3 else "float32"
    optimizer = argv[4] if len(argv) > 4 else "GD"
    print(f"{layers}, batch {batch}, {dtype}, {optimizer}: microseconds per step (median of 5)")
    for part, micros in profile(layers, batch, dtype, optimizer):
        print(f"  {part:<52} {micros:8.1f}")


if __name__ == "__main__":
    main(sys.argv)
