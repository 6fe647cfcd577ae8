"""Per-layer statistics that show vanishing and exploding signals in a deep net.

Three things are worth watching, layer by layer:

* the spread of the activations, std(A_l): if it shrinks geometrically with depth the signal
  vanishes, if it grows it explodes, and for tanh/sigmoid a std near the bound means saturation;
* the gradient norm ||dJ/dW_l||_F: the same story told backwards;
* the update-to-weight ratio ||Delta W_l|| / ||W_l|| of one optimizer step, which should be
  around 1e-3: much smaller and the layer barely learns, much larger and it thrashes. Before any
  step, the relative gradient ||dJ/dW_l|| / ||W_l|| is that ratio per unit of learning rate.

In a ReLU net with zero biases and square layers the gradient norm is about the same at every
layer (the forward and backward factors multiply to the same power), so its trend over depth says
nothing: its *size*, relative to the weights, is what vanishes or explodes.
"""

import dataclasses

import numpy as np


# Where each activation is "flat" (its derivative is at most 2-4% of its peak):
# ReLU-type units at z <= 0, tanh for |tanh z| > 0.99, sigmoid outside (0.01, 0.99).
_FLAT = {
    "relu": lambda Z: Z <= 0,
    "leaky_relu": lambda Z: Z <= 0,
    "tanh": lambda Z: np.abs(Z) > np.arctanh(0.99),
    "sigmoid": lambda Z: np.abs(Z) > np.log(99.0),
}


@dataclasses.dataclass
class LayerStats:
    """Statistics of the hidden layers l = 1..L-1 of a net on one batch; each field has shape (L-1,).

    Attributes:
        layer: layer numbers 1..L-1.
        activation_mean: mean of A_l over the batch and units.
        activation_std: std of A_l.
        flat_fraction: fraction of (example, unit) pairs where g is flat: inactive ReLUs,
            saturated tanh/sigmoid units. Their gradient is (almost) zero.
        gradient_norm: ||dJ/dW_l||_F.
        weight_std: std of W_l.
        relative_gradient: ||dJ/dW_l||_F / ||W_l||_F (inf where W_l = 0): the update-to-weight
            ratio a gradient step with learning rate 1 would make.
    """

    layer: np.ndarray
    activation_mean: np.ndarray
    activation_std: np.ndarray
    flat_fraction: np.ndarray
    gradient_norm: np.ndarray
    weight_std: np.ndarray
    relative_gradient: np.ndarray

    def table(self, every=1, digits=3):
        """A fixed-width text table, one row per ``every``-th layer (the last layer always shown).

        Numbers get ``digits`` significant digits (flat % one decimal).
        """
        rows = sorted(set(range(0, len(self.layer), every)) | {len(self.layer) - 1})
        g = f">10.{digits}g"
        lines = [f"{'layer':>5} {'act mean':>10} {'act std':>10} {'flat %':>7} {'||dW||':>10} {'W std':>10}"]
        for i in rows:
            lines.append(f"{self.layer[i]:>5d} {self.activation_mean[i]:{g}} {self.activation_std[i]:{g}} "
                         f"{100 * self.flat_fraction[i]:>7.1f} {self.gradient_norm[i]:{g}} "
                         f"{self.weight_std[i]:{g}}")
        return "\n".join(lines)


def hidden_activations(net, X):
    """The hidden activations [A_1, ..., A_{L-1}] of ``net`` on X (no dropout); A_l has shape (m, n_l)."""
    _, caches = net.forward(X)
    return [cache.A_prev for cache in caches[1:]]


def layer_statistics(net, X, y):
    """Forward and backward ``net`` (an ``MLP``) on one batch (no dropout) and summarize each hidden layer."""
    X, y = net.check_data(X, y)
    logits, caches = net.forward(X)
    _, dlogits = net.data_loss_and_grad(logits, y)
    grads = net.backward(dlogits, caches)
    flat = _FLAT[net.hidden_activation]
    hidden = range(1, len(caches))
    A = [caches[l].A_prev for l in hidden]  # A_l is the input of layer l + 1
    gradient_norm = np.array([np.linalg.norm(grads[f"W{l}"]) for l in hidden])
    weight_norm = np.array([np.linalg.norm(net.params[f"W{l}"]) for l in hidden])
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(weight_norm > 0, gradient_norm / np.where(weight_norm > 0, weight_norm, 1.0), np.inf)
    return LayerStats(
        layer=np.array(list(hidden)),
        activation_mean=np.array([a.mean() for a in A]),
        activation_std=np.array([a.std() for a in A]),
        flat_fraction=np.array([flat(caches[l - 1].Z).mean() for l in hidden]),
        gradient_norm=gradient_norm,
        weight_std=np.array([net.params[f"W{l}"].std() for l in hidden]),
        relative_gradient=relative,
    )


def per_layer_median(stats, field):
    """The median over several runs (say, seeds) of one per-layer field of ``LayerStats``; shape (L-1,).

    Example: ``per_layer_median([layer_statistics(net, X, y) for net in nets], "activation_std")``.
    """
    if not stats:
        raise ValueError("`stats` must hold at least one LayerStats; received an empty list.")
    if not hasattr(stats[0], field) or field == "layer":
        names = [f.name for f in dataclasses.fields(LayerStats) if f.name != "layer"]
        raise ValueError(f"Unknown field {field!r}; expected one of {names}.")
    return np.median([getattr(s, field) for s in stats], axis=0)


def signal_verdict(std_ratio, flat_fraction, band=10.0, collapse=1e-2, blow_up=1e2, saturated=0.5):
    """Name what happened to a signal from the first hidden layer to the last.

    Args:
        std_ratio: std(A_last) / std(A_first).
        flat_fraction: the fraction of flat units in the last hidden layer (0..1).
    Returns:
        ``"saturates"`` (more than ``saturated`` of the units flat), ``"vanishes"`` (ratio below
        ``collapse``), ``"explodes"`` (above ``blow_up``), ``"keeps the signal"`` (within a factor
        ``band`` either way), or ``"drifts"`` (in between).
    """
    if flat_fraction > saturated:
        return "saturates"
    if std_ratio < collapse:
        return "vanishes"
    if std_ratio > blow_up:
        return "explodes"
    return "keeps the signal" if 1 / band <= std_ratio <= band else "drifts"


def gradient_verdict(relative_gradients, low=1e-4, high=1.0):
    """Name what the gradient does, from the relative gradients ||dW_l|| / ||W_l|| of every layer.

    Returns ``"explodes"`` if any layer's is above ``high`` (a step with learning rate 1 would
    more than replace its weights), else ``"vanishes"`` if any is below ``low`` (no usable learning
    rate moves that layer), else ``"healthy"``.
    """
    r = np.asarray(relative_gradients, dtype=np.float64)
    if r.ndim != 1 or r.size == 0:
        raise ValueError(f"`relative_gradients` must be a non-empty 1-D array; received shape {r.shape}.")
    if not 0 < low < high:
        raise ValueError(f"Expected 0 < low < high; received low={low!r}, high={high!r}.")
    if np.any(r > high):
        return "explodes"
    return "vanishes" if np.any(r < low) else "healthy"


def bias_to_signal(net, X):
    """How large each layer's bias is next to its weighted input: rms(b_l) / rms(A_{l-1} @ W_l); shape (L,).

    0 at a zero-bias start. While it stays small, a ReLU net is close to positively homogeneous,
    f(t x) ~ t f(x) for t > 0, and its decision regions are close to cones from the origin.
    """
    _, caches = net.forward(np.asarray(X, dtype=np.float64))
    ratios = []
    for l, cache in enumerate(caches, start=1):
        signal = np.sqrt(np.mean((cache.A_prev @ net.params[f"W{l}"]) ** 2))
        size = np.sqrt(np.mean(net.params[f"b{l}"] ** 2))
        ratios.append(size / signal if signal > 0 else (np.inf if size > 0 else 0.0))
    return np.array(ratios)


def dead_units(net, X):
    """For each hidden layer, how many ReLU-type units output 0 on every row of X: shape (L-1,).

    A dead unit gets no gradient from any of these examples, so training cannot revive it.
    """
    return np.array([int(np.sum(np.all(A <= 0, axis=0))) for A in hidden_activations(net, X)])


def active_fraction(net, X):
    """For each hidden layer, the fraction of rows of X on which each unit is active (output > 0).

    Returns a list of L-1 arrays of shape (n_l,). A ReLU unit at 0.0 is dead on X; one near 0 is
    nearly dead: it passes a signal (and receives a gradient) from only a few examples.
    """
    return [np.mean(A > 0, axis=0) for A in hidden_activations(net, X)]


def gradient_norms(grads):
    """||dW_l||_F for l = 1..L, from a grads dict; shape (L,)."""
    L = sum(1 for key in grads if key.startswith("W"))
    return np.array([np.linalg.norm(grads[f"W{l}"]) for l in range(1, L + 1)])


def update_to_weight_ratios(params_before, params_after):
    """||W_l(after) - W_l(before)||_F / ||W_l(before)||_F for l = 1..L; shape (L,).

    Copy the params (``{k: v.copy() for k, v in params.items()}``), take one optimizer step,
    and pass both dicts. A healthy ratio is around 1e-3.
    """
    if params_before.keys() != params_after.keys():
        raise ValueError("`params_before` and `params_after` must have the same keys; "
                         f"received {sorted(params_before)} and {sorted(params_after)}.")
    L = sum(1 for key in params_before if key.startswith("W"))
    ratios = []
    for l in range(1, L + 1):
        before, after = params_before[f"W{l}"], params_after[f"W{l}"]
        norm = np.linalg.norm(before)
        ratios.append(np.linalg.norm(after - before) / norm if norm > 0 else np.inf)
    return np.array(ratios)
