"""Per-layer statistics that show vanishing and exploding signals in a deep net.

What to watch, layer by layer, on one batch of inputs:

* the **signal**: how much a unit's output differs from one input to another. For each unit, the
  standard deviation of its output across the batch, averaged over the layer's units
  (``activation_std``). If it shrinks towards 0, every input gives the same output and the layers
  above cannot tell the inputs apart. (A standard deviation pooled over examples *and* units would
  also count the differences between the units' constant outputs: in a 30-layer sigmoid net with
  Xavier weights it stays above 0.1 while every input gives the same output.)
* the **size** of the activations, their root mean square (``activation_rms``, ``preactivation_rms``):
  the variance argument behind Xavier and He initialization predicts it, Var[z_l] = n Var[w] E[a_{l-1}^2];
* how **alike** the inputs have become: the mean cosine between two inputs' activation vectors
  (``input_similarity``). Deep ReLU layers pull inputs together even when the size is kept, which
  shrinks the signal; the scale of the weights does not change it (a zero-bias ReLU net with the weights
  scaled by c > 0 computes the same function up to a positive factor per layer);
* how far apart two **nearby** inputs end up: the mean cosine between A_l(x_i) and A_l(x'_i) for pairs of
  inputs that start close (``nearby_inputs``, ``nearby_similarity``). Size and signal cannot tell
  information from chaos: a tanh net with weights far too large keeps both, yet inputs at cosine 0.95
  come out of 30 layers unrelated (cosine near 0), so its output no longer depends smoothly on its input.
  To first order their difference passes through the same weights and slopes as the gradient
  (``difference_rms``), so it grows or shrinks per layer by the gradient's factor;
* the **gradient reaching each layer**, the root mean square of dJ/dZ_l (``backward_rms``). Going
  back one layer multiplies its mean square by about n_l Var[w] E[g'(z)^2] (``slope_mean_square``
  holds E[g'(z)^2]), so the gradient itself by the square root of that;
* the update-to-weight ratio ||Delta W_l|| / ||W_l|| of one optimizer step, which should be
  around 1e-3: much smaller and the layer barely learns, much larger and it thrashes. Before any
  step, the relative gradient ||dJ/dW_l|| / ||W_l|| is that ratio per unit of learning rate.

In a ReLU net with zero biases and square layers the weight-gradient norm ||dJ/dW_l|| is about the
same at every layer (the forward and backward factors multiply to the same power), so its trend over
depth says nothing: its *size*, relative to the weights, is what vanishes or explodes.
"""

import contextlib
import dataclasses

import numpy as np
from threadpoolctl import ThreadpoolController

from . import activations

# A matrix product below this many FLOP runs faster on one BLAS thread than split over cores. In
# fastpath.blas_threads' table, a net whose products are about 8 MFLOP trained 1.55x faster on one thread;
# the 30-layer nets of the Initialization notebook, whose products (500, 100) @ (100, 100) are 10 MFLOP,
# ran their statistics 7 to 10 times faster on one thread than on two on a busy 2-core machine.
SINGLE_THREAD_PRODUCTS_BELOW = 50e6
_controller = None  # made on first use: it inspects the loaded libraries once

# Where each activation is "flat" (its derivative is at most 2-4% of its peak):
# ReLU-type units at z <= 0, tanh for |tanh z| > 0.99, sigmoid outside (0.01, 0.99).
_FLAT = {
    "relu": lambda Z: Z <= 0,
    "leaky_relu": lambda Z: Z <= 0,
    "tanh": lambda Z: np.abs(Z) > np.arctanh(0.99),
    "sigmoid": lambda Z: np.abs(Z) > np.log(99.0),
}
SATURATING = ("tanh", "sigmoid")  # flat on both tails; a ReLU's flat half is its normal state, not saturation


@dataclasses.dataclass
class LayerStats:
    """Statistics of the hidden layers l = 1..L-1 of a net on one batch; each field has shape (L-1,).

    Attributes:
        layer: layer numbers 1..L-1.
        activation_mean: mean of A_l over the batch and units.
        activation_std: the signal: for each unit, the std of its output across the batch, averaged
            over the layer's units. 0 when every input gives the same output.
        activation_rms: sqrt(mean(A_l^2)) over the batch and units: the size E[a^2] of the variance argument.
        preactivation_rms: sqrt(mean(Z_l^2)) over the batch and units.
        flat_fraction: fraction of (example, unit) pairs where g is flat: inactive ReLUs,
            saturated tanh/sigmoid units. Their gradient is (almost) zero.
        saturated_fraction: the flat fraction of a saturating activation (tanh, sigmoid); 0 for
            ReLU-type units, which are inactive on about half of the pairs by design.
        input_similarity: the mean cosine between the activation vectors A_l[i] and A_l[j] of two
            different inputs i != j (rows that are all zero are left out): 1 when all inputs look alike.
        nearby_similarity: with ``X_near`` given, the mean cosine between A_l(X[i]) and A_l(X_near[i]),
            as ``nearby_similarity`` computes it; nan without ``X_near``.
        difference_rms: with ``X_near`` given, the rms of the first-order change of A_l when X moves to X_near:
            dA_0 = X_near - X, dA_l = g'(Z_l) * (dA_{l-1} @ W_l), the difference A_l(X_near) - A_l(X) would make
            if every layer were linear around X. It passes through the same weights and slopes as the gradient,
            so its mean square changes per layer by about n Var[w] E[g'(z)^2] too; nan without ``X_near``.
        slope_mean_square: mean of g'(Z_l)^2 over the batch and units.
        backward_rms: sqrt(mean((dJ/dZ_l)^2)) over the batch and units: the gradient reaching layer l.
        gradient_norm: ||dJ/dW_l||_F.
        weight_std: std of W_l.
        relative_gradient: ||dJ/dW_l||_F / ||W_l||_F (inf where W_l = 0): the update-to-weight
            ratio a gradient step with learning rate 1 would make.
    """

    layer: np.ndarray
    activation_mean: np.ndarray
    activation_std: np.ndarray
    activation_rms: np.ndarray
    preactivation_rms: np.ndarray
    flat_fraction: np.ndarray
    saturated_fraction: np.ndarray
    input_similarity: np.ndarray
    nearby_similarity: np.ndarray
    slope_mean_square: np.ndarray
    backward_rms: np.ndarray
    gradient_norm: np.ndarray
    weight_std: np.ndarray
    relative_gradient: np.ndarray
    difference_rms: np.ndarray = None

    def __post_init__(self):
        if self.difference_rms is None:
            self.difference_rms = np.full(len(self.layer), np.nan)

    def table(self, every=1, digits=3):
        """A fixed-width text table, one row per ``every``-th layer (the last layer always shown).

        Numbers get ``digits`` significant digits (flat % one decimal).
        """
        rows = sorted(set(range(0, len(self.layer), every)) | {len(self.layer) - 1})
        g = f">10.{digits}g"
        lines = [f"{'layer':>5} {'signal std':>10} {'act rms':>10} {'flat %':>7} {'dJ/dZ rms':>10} "
                 f"{'||dW||':>10} {'W std':>10}"]
        for i in rows:
            lines.append(f"{self.layer[i]:>5d} {self.activation_std[i]:{g}} {self.activation_rms[i]:{g}} "
                         f"{100 * self.flat_fraction[i]:>7.1f} {self.backward_rms[i]:{g}} "
                         f"{self.gradient_norm[i]:{g}} {self.weight_std[i]:{g}}")
        return "\n".join(lines)


def hidden_activations(net, X):
    """The hidden activations [A_1, ..., A_{L-1}] of ``net`` on X (no dropout); A_l has shape (m, n_l).

    Small products run on one BLAS thread, as in ``layer_statistics``."""
    X = np.asarray(X)
    with _blas_threads_for(X, net.params):
        _, caches = net.forward(X)
    return [cache.A_prev for cache in caches[1:]]


def _rms(a):
    return float(np.sqrt(np.mean(np.square(a))))


def mean_cosine(A):
    """The mean cosine between the rows A[i] and A[j], i != j, of A (m, n); all-zero rows are left out (nan if < 2).

    With unit rows u_i, sum_{i != j} u_i . u_j = ||sum_i u_i||^2 - k for the k rows kept, so this is O(m n).
    """
    A = np.asarray(A, dtype=np.float64)
    norms = np.linalg.norm(A, axis=1)
    U = A[norms > 0] / norms[norms > 0, None]
    k = U.shape[0]
    if k < 2:
        return float("nan")
    total = U.sum(axis=0)
    return float((total @ total - k) / (k * (k - 1)))


@contextlib.contextmanager
def _blas_threads_for(X, params):
    """One BLAS thread within the block if the largest product, 2 m n_{l-1} n_l FLOP, is below the threshold."""
    global _controller
    largest = max(2 * X.shape[0] * W.shape[0] * W.shape[1] for key, W in params.items() if key.startswith("W"))
    if largest >= SINGLE_THREAD_PRODUCTS_BELOW:
        yield
        return
    if _controller is None:
        _controller = ThreadpoolController()
    with _controller.limit(limits=1, user_api="blas"):
        yield


def layer_statistics(net, X, y, X_near=None):
    """Forward and backward ``net`` (an ``MLP``) on one batch (no dropout) and summarize each hidden layer.

    ``X_near`` (optional, X's shape): a near copy of each input (``nearby_inputs``); its forward pass gives
    ``nearby_similarity``, one forward cheaper than calling ``nearby_similarity`` separately, and one more
    product per layer gives ``difference_rms``, the first-order change from X towards X_near.

    The backward pass is ``model.backward``'s, written out here to keep dJ/dZ_l of every layer:
    dZ_{l-1} = (dZ_l @ W_l^T) * g'(Z_{l-1}), dW_l = A_{l-1}^T @ dZ_l (+ the L2 term). Small products run on
    one BLAS thread (``SINGLE_THREAD_PRODUCTS_BELOW``); the numbers are the same either way, up to rounding.
    """
    X, y = net.check_data(X, y)
    if X_near is not None:
        X_near = np.asarray(X_near, dtype=np.float64)
        if X_near.shape != X.shape:
            raise ValueError(f"`X_near` must have X's shape {X.shape}; received {X_near.shape}.")
    with _blas_threads_for(X, net.params):
        return _layer_statistics(net, X, y, X_near)


def _layer_statistics(net, X, y, X_near=None):
    logits, caches = net.forward(X)
    _, dZ = net.data_loss_and_grad(logits, y)
    g_grad = activations.get(net.hidden_activation)[1]
    L = len(caches)
    m = X.shape[0]
    backward_rms, gradient_norm, slope_ms = np.zeros(L - 1), np.zeros(L - 1), np.zeros(L - 1)
    for l in range(L, 1, -1):  # dZ holds dJ/dZ_l; compute dJ/dZ_{l-1}
        slope = g_grad(caches[l - 2].Z)
        dZ = (dZ @ net.params[f"W{l}"].T) * slope  # (m, n_{l-1})
        backward_rms[l - 2], slope_ms[l - 2] = _rms(dZ), float(np.mean(slope * slope))
        dW = caches[l - 2].A_prev.T @ dZ  # the gradient of W_{l-1}
        if net.l2:
            dW = dW + (net.l2 / m) * net.params[f"W{l - 1}"]
        gradient_norm[l - 2] = np.linalg.norm(dW)
    hidden = range(1, L)
    A = [caches[l].A_prev for l in hidden]  # A_l is the input of layer l + 1
    flat = _FLAT[net.hidden_activation]
    flat_fraction = np.array([flat(caches[l - 1].Z).mean() for l in hidden])
    weight_norm = np.array([np.linalg.norm(net.params[f"W{l}"]) for l in hidden])
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(weight_norm > 0, gradient_norm / np.where(weight_norm > 0, weight_norm, 1.0), np.inf)
    difference_rms = np.full(L - 1, np.nan)
    if X_near is not None:
        dA = X_near - X  # dA_0; then dA_l = g'(Z_l) * (dA_{l-1} @ W_l), the forward-mode derivative along X_near - X
        for l in hidden:
            dA = g_grad(caches[l - 1].Z) * (dA @ net.params[f"W{l}"])
            difference_rms[l - 1] = _rms(dA)
    return LayerStats(
        layer=np.array(list(hidden)),
        activation_mean=np.array([a.mean() for a in A]),
        activation_std=np.array([a.std(axis=0).mean() for a in A]),  # per unit across the batch, then averaged
        activation_rms=np.array([_rms(a) for a in A]),
        preactivation_rms=np.array([_rms(caches[l - 1].Z) for l in hidden]),
        flat_fraction=flat_fraction,
        saturated_fraction=flat_fraction if net.hidden_activation in SATURATING else np.zeros(L - 1),
        input_similarity=np.array([mean_cosine(a) for a in A]),
        nearby_similarity=(np.full(L - 1, np.nan) if X_near is None else
                           _mean_row_cosines(A, hidden_activations(net, X_near))),
        slope_mean_square=slope_ms,
        backward_rms=backward_rms,
        gradient_norm=gradient_norm,
        weight_std=np.array([net.params[f"W{l}"].std() for l in hidden]),
        relative_gradient=relative,
        difference_rms=difference_rms,
    )


def nearby_inputs(X, cosine, rng):
    """A near copy of each row of X: ``cosine * X + sqrt(1 - cosine^2) * noise``, noise standard normal from ``rng``.

    For rows of X that are standard normal in n dimensions, each copy has about the same norm as its row and
    a cosine with it of about ``cosine`` (to within about 1/sqrt(n)). Returns an array of X's shape.
    """
    X = np.asarray(X, dtype=np.float64)
    if not 0.0 <= cosine <= 1.0:
        raise ValueError(f"`cosine` must be in [0, 1]; received {cosine!r}.")
    return cosine * X + np.sqrt(1.0 - cosine ** 2) * rng.standard_normal(X.shape)


def row_cosines(A, B):
    """The cosine between A[i] and B[i] for each row pair (m,); nan where either row is all zero."""
    A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
    if A.shape != B.shape or A.ndim != 2:
        raise ValueError(f"`A` and `B` must be 2-D arrays of one shape; received {A.shape} and {B.shape}.")
    norms = np.linalg.norm(A, axis=1) * np.linalg.norm(B, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(norms > 0, np.sum(A * B, axis=1) / np.where(norms > 0, norms, 1.0), np.nan)


def nearby_similarity(net, X, X_near):
    """For each hidden layer, the mean cosine between A_l(X[i]) and A_l(X_near[i]) over the pairs; shape (L-1,).

    Start from nearby inputs (``nearby_inputs``): a layer that keeps them close keeps the cosine near its
    starting value; one that scrambles its input (chaos) drives it towards the cosine of two unrelated inputs
    (``LayerStats.input_similarity``). Pairs with an all-zero row are left out (nan if none is left).
    """
    X, X_near = np.asarray(X, dtype=np.float64), np.asarray(X_near, dtype=np.float64)
    if X.shape != X_near.shape:
        raise ValueError(f"`X` and `X_near` must have one shape; received {X.shape} and {X_near.shape}.")
    with _blas_threads_for(X, net.params):
        return _mean_row_cosines(hidden_activations(net, X), hidden_activations(net, X_near))


def _mean_row_cosines(As, Bs):
    values = [row_cosines(A, B) for A, B in zip(As, Bs)]
    return np.array([float(np.nanmean(v)) if np.any(~np.isnan(v)) else float("nan") for v in values])


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


def signal_verdict(std_ratio, saturated_fraction, band=10.0, collapse=1e-2, blow_up=1e2, saturated=0.5):
    """Name what happened to a signal from the first hidden layer to the last.

    Args:
        std_ratio: the signal of the last hidden layer over the first's (``activation_std``).
        saturated_fraction: the last hidden layer's ``saturated_fraction`` (0..1): the share of
            (example, unit) pairs on a tanh's or sigmoid's flat tails. Always 0 for ReLU-type units:
            a ReLU is inactive on about half of its inputs by design, which is not saturation.
    Returns:
        ``"saturates"`` (more than ``saturated`` of the pairs saturated), ``"vanishes"`` (ratio below
        ``collapse``), ``"explodes"`` (above ``blow_up``), ``"keeps the signal"`` (within a factor
        ``band`` either way), or ``"drifts"`` (in between).
    """
    if not 0.0 <= saturated_fraction <= 1.0:
        raise ValueError(f"`saturated_fraction` must be a fraction in [0, 1]; received {saturated_fraction!r}.")
    if saturated_fraction > saturated:
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

    0 at a zero-bias start, where a ReLU net is positively homogeneous, f(t x) = t f(x) for t > 0, and
    its decision regions are cones from the origin. Biases that grow next to the weighted input break
    that; how far they must grow before the boundary looks different depends on the net.
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

    A dead unit gets no gradient from these examples, so its own weights and bias stay put while it is
    dead. It is dead only for its current inputs, though: when the layers below it change, it can come back.
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
