"""The training step, fused for speed: ``model.forward`` + loss + ``model.backward`` in one pass, for S nets at once.

``model.forward`` and ``model.backward`` are the readable version, the one the notebooks teach and the
gradient checks test. This module computes the same cost and gradients (tests/test_fastpath_backprop.py
checks it against them, to 1e-10 in float64) with fewer NumPy calls and passes over memory, which is what
matters on the course's small nets, where each call's fixed cost (1 to 3 microseconds) outweighs its
arithmetic. One code serves ``model.MLP`` (S = 1) and ``stacked.StackedMLP`` (S nets of one shape, one per
seed), so a stacked net computes exactly what the same net computes alone.

**Layout: examples in columns, the lecture's, with a row of ones.** The step stores the transposes of
``model``'s arrays, and each layer's input carries a last row of ones, so that one product gives Z and
the bias together, and one product gives dW and db together::

    Z_l^T = [W_l; b_l]^T [A_{l-1}^T; 1]                          (S, n_l, m)
    [dW_l; db_l] = [A_{l-1}^T; 1] R_l^T / m                      (S, n_{l-1} + 1, n_l)
    R_{l-1} = (W_l R_l) * g'(Z_{l-1}^T)                          (S, n_{l-1}, m)

with R_l = m dJ/dZ_l^T (the gradient before the mean's 1/m). [W_l; b_l] is the (n_{l-1} + 1, n_l) matrix
whose last row is b_l: in the packed layout of ``model.MLP`` (W_l raveled, then b_l) it is a view, and so
is [dW_l; db_l] in the gradient buffer (``layer_blocks``). No separate bias addition or bias sum passes
over the activations; in ``model``'s layout (examples in rows) each of those walks rows of n_l numbers,
several times slower on a stack. The 1/m is applied once, to the finished gradients (one call on a
packed buffer), so a sum of residuals +-1/2 (a zero-initialized net on balanced labels) is exactly 0 in
any summation order, as the Initialization notebook needs. g'(Z) is computed from A = g(Z), written
over Z or into the next layer's input: ReLU's is the mask A > 0, tanh's 1 - A^2, the sigmoid's A (1 - A);
the same numbers as ``activations``' derivatives.

The losses and R_L are in ``cross_entropy``. Dropout draws
each net's masks from its own generator with ``rng.random((m, n_l))``, layer by layer, as
``regularization.dropout_mask`` does in ``model.forward``, so a net draws the same masks either way. Every
array keeps the dtype of ``params``; inputs must already have it. The arrays of a step come from a
``workspace.Workspace`` when one is given, so a training loop allocates nothing per step.
"""

import numpy as np

from .. import activations
from .cross_entropy import sigmoid_cross_entropy, softmax_cross_entropy
from .packing import PackedArrays
from .workspace import FRESH

# Multiply-adds per net of a product [A^T; 1] R^T from which R^T is first copied to rows: OpenBLAS's product of two
# row-major matrices is faster than one with the second transposed, enough to pay for the copy on large layers
# ([64, 128, 64, 10], batch 64, float32: 125 to 110 microseconds a step), not on small ones ([2, 10, 5, 1]: 68 to 77).
COPY_R_FROM = 100_000


def loss_and_grads(params, X, y, hidden_activation="relu", keep_prob=1.0, rng=None, l2=0.0, out=None, workspace=None):
    """The training cost J of one net and its gradients, as ``model.MLP.loss_and_grads`` defines them.

    Args:
        params: ``{"W1": (n_0, n_1), "b1": (n_1,), ...}``, a ``PackedArrays`` (as an ``MLP`` keeps them) or a dict.
        X: (m, n_0) inputs, already checked, in the dtype of ``params``.
        y: (m,) int64 labels, already checked: {0, 1} for one output unit, 0..K-1 for K units.
        hidden_activation, keep_prob, rng, l2: as for ``model.forward`` and ``model.backward``.
        out: where to write the gradients: a ``PackedArrays`` laid out like ``params`` (the grads of an
            earlier call, which a training loop reuses), or None for a new one.
        workspace: a ``workspace.Workspace`` to take the step's arrays from, or None for new arrays.
    Returns:
        ``(loss, grads)``: a float (L2 penalty included) and gradients with the keys, shapes and dtype of
        ``params`` (a ``PackedArrays`` of the same layout when ``params`` is one); ``grads`` is ``out`` if given.
    """
    ws = workspace or FRESH
    if out is None:
        out = (PackedArrays.empty_like(params) if isinstance(params, PackedArrays)
               else {key: np.empty_like(value) for key, value in params.items()})
    views = _packed_blocks(out, ws, "grads")  # None: out is not packed W1, b1, W2, ...; copied into it below
    blocks = views or [np.empty((1, W.shape[0] + 1, W.shape[1]), W.dtype) for W in _weights(params)]
    losses = stack_loss_and_grads(_packed_blocks(params, ws, "params") or _copied_blocks(params), columns(X, ws), y,
                                  hidden_activation, keep_prob, (rng,), l2, blocks, out.flat if views else None, ws)
    if views is None:
        for l, block in enumerate(blocks, start=1):
            out[f"W{l}"][...], out[f"b{l}"][...] = block[0, :-1], block[0, -1]
    return float(losses[0]), out


def stack_loss_and_grads(blocks, Xa, y, hidden_activation, keep_prob, rngs, l2, grad_blocks, flat_grads=None,
                         workspace=None):
    """Each net's cost on its batch, and its gradients written into ``grad_blocks``.

    Args:
        blocks: [W_l; b_l] of every layer, (S, n_{l-1} + 1, n_l) each (``layer_blocks``).
        Xa: the inputs as columns with a row of ones (``with_ones``): (n_0 + 1, m), shared by the nets, or
            (S, n_0 + 1, m), a batch per net.
        y: (m,) or (S, m) int64 labels, checked.
        hidden_activation, keep_prob, l2: as for ``model.MLP``; ``rngs``: one generator per net (for dropout).
        grad_blocks: arrays shaped like ``blocks``, overwritten with [dW_l; db_l]. flat_grads: one array holding
            all of them (scaled with one call), or None.
        workspace: where the step's arrays come from (see ``loss_and_grads``).
    Returns:
        (S,) costs, J_s = cross-entropy + l2 / (2m) sum_l ||W_l||^2 for each net s.
    """
    ws = workspace or FRESH
    m = Xa.shape[-1]
    logits, inputs, outputs, masks = forward(blocks, Xa, hidden_activation, keep_prob, rngs, ws)
    losses, dZ = (sigmoid_cross_entropy(logits[:, 0], y, ws) if logits.shape[1] == 1
                  else softmax_cross_entropy(logits, y, ws))  # sums over the m examples; dZ = R_L
    for l in range(len(blocks), 0, -1):
        dZt = dZ.swapaxes(-1, -2)  # R_l^T (S, m, n_l), a view
        if dZt.shape[-1] * m * inputs[l - 1].shape[-2] >= COPY_R_FROM:  # a product A R^T of BLAS's slower kind
            dZt = _copied(dZt, ws.empty(("R^T", l), dZt.shape, dZt.dtype))
        np.matmul(inputs[l - 1], dZt, out=grad_blocks[l - 1])  # [A_{l-1}^T; 1] R_l^T
        if l > 1:
            W = blocks[l - 1][:, :-1]  # (S, n_{l-1}, n_l)
            dA = ws.empty(("dA", l), (len(W), W.shape[1], m), W.dtype)
            dZ = np.multiply(W, dZ, out=dA) if W.shape[-1] == 1 else np.matmul(W, dZ, out=dA)  # one unit: outer product
            if masks:
                dZ *= masks[l - 2]
                dZ /= keep_prob
            dZ *= _derivative(outputs[l - 2], hidden_activation, ws, l)  # R_{l-1} = (W_l R_l) * g'(Z_{l-1})
    for block in [flat_grads] if flat_grads is not None else grad_blocks:
        block /= m
    losses /= m
    if l2:
        for block, grad in zip(blocks, grad_blocks):
            W = block[:, :-1]
            dW = grad[:, :-1]
            dW += (l2 / m) * W
            losses += l2 / (2 * m) * np.add.reduce((W * W).reshape(len(W), -1), axis=1)
    return losses


def forward(blocks, Xa, hidden_activation="relu", keep_prob=1.0, rngs=(), workspace=None):
    """``(Z_L^T, inputs, outputs, masks)``: the logits (S, n_L, m), each layer's input [A_{l-1}^T; 1] (``Xa`` for
    l = 1, after dropout for the others), each hidden layer's g(Z_l^T) before dropout, and its dropout mask.

    Dropout (when ``keep_prob < 1``) draws net s's masks from ``rngs[s]``. Arrays from a ``workspace`` are
    overwritten by its next use.
    """
    ws = workspace or FRESH
    inputs, outputs, masks = [], [], []
    A = Xa
    for l, block in enumerate(blocks, start=1):
        S, n_out, m = block.shape[0], block.shape[2], A.shape[-1]
        inputs.append(A)
        if l == len(blocks):
            logits = np.matmul(block.swapaxes(-1, -2), A, out=ws.empty("logits", (S, n_out, m), block.dtype))
            return logits, inputs, outputs, masks
        A = ws.with_ones_row(("A", l), (S, n_out + 1, m), block.dtype)  # the next input; its last row stays 1
        top = A[:, :-1]
        if keep_prob == 1.0:  # Z_l^T = [W_l; b_l]^T [A_{l-1}^T; 1] is written where g(Z_l^T) goes, then replaced by it
            outputs.append(_activate(np.matmul(block.swapaxes(-1, -2), inputs[-1], out=top), hidden_activation, ws))
            continue
        Z = np.matmul(block.swapaxes(-1, -2), inputs[-1], out=ws.empty(("Z", l), (S, n_out, m), block.dtype))
        outputs.append(_activate(Z, hidden_activation, ws))  # g(Z), kept for g'(Z)
        draws = ws.empty(("draws", l), (S, m, n_out), np.float64)  # model.forward's mask shape, (m, n_l)
        for draw, rng in zip(draws, rngs, strict=True):
            rng.random(out=draw)  # the numbers of rng.random((m, n_l)), as regularization.dropout_mask draws
        kept = np.less(draws, keep_prob, out=ws.empty(("kept", l), draws.shape, bool))  # (S, m, n_l)
        mask = ws.empty(("mask", l), (S, n_out, m), bool)
        mask[...] = kept.swapaxes(1, 2)  # copied to (S, n_l, m): products with a strided mask cost about 8 times more
        masks.append(mask)
        np.multiply(Z, masks[-1], out=top)
        top /= keep_prob  # the same rounding as A * mask / keep_prob


def with_ones(Xt):
    """[Xt; 1]: the inputs as columns, (n_0, m) or (S, n_0, m), with a row of ones appended (a new array)."""
    Xa = np.empty((*Xt.shape[:-2], Xt.shape[-2] + 1, Xt.shape[-1]), Xt.dtype)
    Xa[..., :-1, :] = Xt
    Xa[..., -1, :] = 1
    return Xa


def columns(X, workspace=None):
    """[X^T; 1] (n_0 + 1, m) for inputs X (m, n_0): ``with_ones(X.T)``, in a workspace's array if one is given."""
    Xa = (workspace or FRESH).with_ones_row("X", (X.shape[1] + 1, X.shape[0]), X.dtype)
    Xa[:-1] = X.T
    return Xa


def layer_blocks(rows, params):
    """[W_l; b_l] of every layer, (S, n_{l-1} + 1, n_l) views of ``rows`` (S, P): S nets packed as ``params``
    (a ``PackedArrays`` laid out W1, b1, W2, b2, ...), one net per row."""
    blocks, offset = [], 0
    for W in _weights(params):
        size = (W.shape[0] + 1) * W.shape[1]
        blocks.append(rows[:, offset:offset + size].reshape(len(rows), W.shape[0] + 1, W.shape[1]))
        offset += size
    return blocks


def _weights(params):
    return [params[f"W{l}"] for l in range(1, len(params) // 2 + 1)]


def _packed_blocks(arrays, ws, name):
    """``layer_blocks`` of one net's packed arrays (a stack of one), or None if they are not packed W1, b1, W2, ...
    Made once per buffer: a workspace keeps them while ``arrays.flat`` stays the same array."""
    def make():
        in_order = all(key == f"{'Wb'[i % 2]}{i // 2 + 1}" for i, (key, _) in enumerate(arrays.layout))
        return layer_blocks(arrays.flat[None], arrays) if in_order else None

    return ws.derived(name, arrays.flat, make) if isinstance(arrays, PackedArrays) else None


def _copied(array, out):
    """``out`` holding a copy of ``array``."""
    out[...] = array
    return out


def _copied_blocks(params):
    """[W_l; b_l] of every layer of a plain dict, (1, n_{l-1} + 1, n_l) copies."""
    return [np.concatenate([W, params[f"b{l}"][None]])[None] for l, W in enumerate(_weights(params), start=1)]


def _activate(Z, name, ws):
    """g(Z), in place."""
    if name == "relu":
        return np.maximum(Z, ws.zeros(Z.shape, Z.dtype), out=Z)  # the vectorized loop (see Workspace.zeros)
    if name == "tanh":
        return np.tanh(Z, out=Z)
    if name == "leaky_relu":  # max(z, a z) = z for z > 0, a z otherwise, for 0 < a < 1
        return np.maximum(Z, activations.LEAKY_RELU_SLOPE * Z, out=Z)
    Z[...] = activations.sigmoid(Z)
    return Z


def _derivative(A, name, ws, l):
    """g'(Z) from A = g(Z): the values of ``activations``' derivatives at Z (a boolean mask for ReLU)."""
    if name == "relu":
        return np.greater(A, 0, out=ws.empty(("slope", l), A.shape, bool))  # A > 0 exactly where Z > 0
    if name == "leaky_relu":
        return np.where(A > 0, A.dtype.type(1), A.dtype.type(activations.LEAKY_RELU_SLOPE))
    slope = ws.empty(("slope", l), A.shape, A.dtype)
    if name == "tanh":
        np.multiply(A, A, out=slope)
        return np.subtract(1, slope, out=slope)  # 1 - tanh(z)^2
    np.subtract(1, A, out=slope)
    slope *= A  # sigma(z) (1 - sigma(z))
    return slope
