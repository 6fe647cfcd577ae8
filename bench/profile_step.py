"""Where the time of one training step goes, for a net and batch given on the command line (S nets if S is given).

    .venv/bin/python -m bench.profile_step 2,10,5,1 300 float64
    .venv/bin/python -m bench.profile_step 64,128,64,10 64 float32 Adam
    .venv/bin/python -m bench.profile_step 2,10,5,1 300 float64 Adam 20      # 20 stacked nets, as the notebooks train them

Times one epoch of ``training.train`` (or ``stacked.train``), full batch, then the parts of the fused step of
``fastpath.backprop`` one at a time, on the arrays of a real step and on the BLAS threads ``train`` would use:
the step ``train`` calls, each matrix product of the forward pass ([W; b]^T [A; 1]), the activations, the loss
and its gradient, each product of the backward pass ([dW; db] and dA), the activation derivatives (ReLU's
mask), and the optimizer step; what is left of the step is Python and the 1/m scaling, and what is left of
the epoch is the loop around the step. Medians of 5; the parts do not add up exactly, since alone each runs
with its arrays in cache.
"""

import sys

import numpy as np

from bench.table import median_time
from course_utils import model, optimizers, stacked, training
from course_utils.fastpath import backprop, blas_threads, cross_entropy


def profile(layers, batch, dtype="float32", optimizer="GD", n_nets=None):
    """``[(part, microseconds)]`` for one full-batch training step of one net (``n_nets=None``) or a stack."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((batch, layers[0])).astype(dtype)
    y = rng.integers(0, max(2, layers[-1]), batch)
    make = {"GD": optimizers.GD, "Adam": optimizers.Adam}[optimizer]
    us = lambda fn: median_time(fn, min_seconds=0.05)[0] * 1e6  # noqa: E731
    epochs = 200 if layers[0] < 100 else 6  # as make bench: train() checks the weights once per call
    if n_nets is None:
        net, opt = model.MLP(layers, dtype=dtype), make(1e-3)
        epoch = us(lambda: training.train(net, X, y, opt, epochs=epochs, progress=False)) / epochs
        Xc, yc = net.check_data(X, y)
        _, grads = net.loss_and_grads(Xc, yc)
        step, ws = (lambda: net.loss_and_grads_checked(Xc, yc, grads)), net._workspace
        blocks = backprop.layer_blocks(net.params.flat[None], net.params)
        flat_params, flat_grads, Xa = {"p": net.params}, {"p": grads}, backprop.columns(Xc, ws)
        one_net = net.params
    else:
        stack, opt = stacked.StackedMLP(layers, list(range(n_nets)), dtype=dtype), make(1e-3)
        epoch = us(lambda: stacked.train(stack, X, y, opt, epochs=epochs // 4, progress=False)) / (epochs // 4)
        Xc, yc = stack.check_data(X, y)
        Xa, ws, blocks = backprop.with_ones(Xc.T), stack.workspace, stack.blocks
        step = lambda: stack.step(Xa, yc)  # noqa: E731
        flat_params, flat_grads = {"p": stack._theta}, {"p": stack._dtheta}
        one_net = {key: value[0] for key, value in stack.params.items()}
    with blas_threads.threads_for(one_net, batch):
        parts = [("one epoch (the step and the loop around it)", epoch), ("the fused step", us(step))]
        logits, inputs, outputs, _ = backprop.forward(blocks, Xa, "relu", workspace=ws)
        forward = sum(us(lambda: np.matmul(block.swapaxes(-1, -2), A)) for block, A in zip(blocks, inputs))
        relu = sum(us(lambda: np.maximum(A, ws.zeros(A.shape, A.dtype), out=A)) for A in outputs)
        sigmoid = logits.shape[1] == 1
        loss = us(lambda: cross_entropy.sigmoid_cross_entropy(logits[:, 0], yc, ws) if sigmoid
                  else cross_entropy.softmax_cross_entropy(logits, yc, ws))
        dZ = [np.ones_like(logits)] + [np.ones_like(A) for A in reversed(outputs)]  # R_l, last layer first
        dW = [np.empty_like(block) for block in reversed(blocks)]
        backward = sum(us(lambda: np.matmul(A, R.swapaxes(-1, -2), out=out))
                       for A, R, out in zip(reversed(inputs), dZ, dW))
        backward += sum(us(lambda: np.matmul(block[:, :-1], R, out=out))
                        for block, R, out in zip(blocks[:0:-1], dZ, dZ[1:]))
        masks = sum(us(lambda: np.multiply(R, np.greater(A, 0, out=np.empty(A.shape, bool)), out=R))
                    for A, R in zip(reversed(outputs), dZ[1:]))
        parts += [("  matrix products, forward", forward), ("  ReLU", relu), ("  loss and dJ/dZ_L", loss),
                  ("  matrix products, backward ([dW; db] and dA)", backward), ("  ReLU's mask", masks)]
        parts.append(("  rest: Python, views, the 1/m scaling", parts[1][1] - sum(t for _, t in parts[2:])))
        parts.append((f"{optimizer} step", us(lambda: opt.step(flat_params["p"], flat_grads["p"]))))
        parts.append(("the loop around the step", parts[0][1] - parts[1][1] - parts[-1][1]))
    return parts


def main(argv):
    layers = [int(n) for n in argv[1].split(",")]
    batch, dtype = int(argv[2]), argv[3] if len(argv) > 3 else "float32"
    optimizer = argv[4] if len(argv) > 4 else "GD"
    n_nets = int(argv[5]) if len(argv) > 5 else None
    nets = "" if n_nets is None else f", {n_nets} stacked nets"
    print(f"{layers}, batch {batch}, {dtype}, {optimizer}{nets}: microseconds per step (median of 5)")
    for part, micros in profile(layers, batch, dtype, optimizer, n_nets):
        print(f"  {part:<52} {micros:8.1f}")


if __name__ == "__main__":
    main(sys.argv)
