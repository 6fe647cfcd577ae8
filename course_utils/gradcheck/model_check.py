"""Checking a model's backward pass: a per-array report, and a fast randomized directional check.

Both compare the analytic gradient ``grads`` (a dict like ``params``) with finite differences of
the loss, one parameter array at a time, and return a ``GradcheckReport``; nothing is printed.

* **Full check**: every entry of every array by centered differences, 2 P + 3 loss evaluations for
  P parameters. The error of an array is ``relative_error(analytic, numerical)``.
* **Directional check**: for k random unit directions v restricted to one array, compare the analytic
  directional derivative g . v with (J(theta + eps v) - J(theta - eps v)) / (2 eps): 2 k evaluations
  per array, whatever its size. A wrong gradient g' gives (g' - g) . v != 0 for almost every v, so
  k = 1..5 directions catch a bug, and restricting v to one array says which array is to blame.

Thresholds and the report are in ``report``. Two things make a check meaningless, and the
report says so:

* a loss that changes between two evaluations at the same point (dropout masks re-drawn): the loss is
  evaluated twice before the check and once after, and any difference fails the check;
* a perturbation that moves a ReLU pre-activation across 0 (a kink; a step eps in theta moves z by
  eps |dz/dtheta|, so a weight whose input is above 1 moves it further than eps: see ``kinks``): for an
  ``MLP`` with ReLU-type units, every evaluation's sign pattern is compared with the unperturbed one, and entries (or
  directions) that crossed a kink are set aside and counted instead of being scored. Under dropout only
  the units kept by the mask count: a dropped unit's sign does not reach the loss. An array none of
  whose entries is left is reported *not checked*, and the report does not pass: a check at a point
  where every perturbation of an array crosses a kink (zero biases and an input row of zeros, say) says
  nothing about that array.

``check_gradients`` evaluates the loss once per perturbation. ``check_model`` evaluates the perturbed
losses of an ``MLP`` in batches (``batched``), far faster than one forward pass per entry
(``make bench`` measures it); ``check_model(..., vectorized=False)`` is the one-at-a-time reference.
"""

import copy
import functools

import numpy as np
import threadpoolctl

from .. import model
from .._validation import check_int, check_positive, check_seed
from . import batched as gradcheck_batched
from .numerical import _check_epsilon, _check_params, scalar_value
from .report import THRESHOLD, ArrayCheck, GradcheckReport, score_array

_DRIFT_TOLERANCE = 1e-13  # relative change of the loss at the same point that counts as "not deterministic"
_ROUNDING = 8 * np.finfo(np.float64).eps  # relative rounding error of one loss evaluation (a generous bound)


def _run_check(evaluate, params, grads, epsilon, threshold, n_worst, directions, seed, batched=None):
    """The engine: ``evaluate()`` -> (loss, sign pattern or None) reads ``params``, perturbed in place.

    ``batched``: None to evaluate each perturbed loss with ``evaluate()``, or a
    ``gradcheck_batched.PerturbedLosses`` of the same loss, which evaluates them many at a time.
    """
    _check_params(params)
    _check_params(grads, "grads")
    if list(grads) != list(params):
        raise ValueError(f"`grads` must have the keys of `params`, {list(params)}; received {list(grads)}.")
    epsilon = _check_epsilon(epsilon)
    threshold = check_positive(threshold, "threshold")
    n_worst = check_int(n_worst, "n_worst", 0)
    rng = np.random.default_rng(check_seed(seed))
    base, pattern = evaluate()
    losses = [base, evaluate()[0]]
    if losses[1] != base:  # not deterministic: sign patterns say nothing, so score every entry
        pattern, batched = None, None
    noise_per_value = _ROUNDING * max(abs(base), 1.0) / epsilon
    count = 2

    def at(x, index, values):  # loss and "crossed a kink?" with x[index] = values; x restored after
        nonlocal count
        old = x[index].copy()
        try:
            x[index] = values
            loss, p = evaluate()
        finally:
            x[index] = old
        count += 1
        return loss, pattern is not None and p is not None and any(np.any(a != b) for a, b in zip(p, pattern))

    arrays = {}
    for name, x in params.items():
        g = np.asarray(grads[name], dtype=np.float64)
        if g.shape != x.shape:
            note = f"wrong shape: grads has {g.shape}"
            arrays[name] = ArrayCheck(name, x.shape, np.inf, [], distance=np.inf, note=note)
            continue
        if directions is None:  # every entry
            analytic, numerical, crossed = g, np.empty(x.shape), np.zeros(x.shape, bool)
            if batched is not None:  # every perturbed loss at once
                f_plus, f_minus, crossed = batched.entries(name, epsilon)
                numerical, count = (f_plus - f_minus) / (2 * epsilon), count + 2 * x.size
            else:  # one evaluation at a time
                for idx in np.ndindex(x.shape):
                    (f_plus, k_plus), (f_minus, k_minus) = at(x, idx, x[idx] + epsilon), at(x, idx, x[idx] - epsilon)
                    numerical[idx], crossed[idx] = (f_plus - f_minus) / (2 * epsilon), k_plus or k_minus
            index_of = lambda i, shape=x.shape: tuple(int(j) for j in np.unravel_index(i, shape))  # noqa: E731
        else:  # k random unit directions within this array
            V = np.empty((directions,) + x.shape)
            for j in range(directions):
                v = rng.standard_normal(x.shape)
                V[j] = v / np.linalg.norm(v)
            analytic, numerical = np.array([float(np.sum(g * v)) for v in V]), np.empty(directions)
            if batched is not None:
                f_plus, f_minus, crossed = batched.along(name, V, epsilon)
                numerical, count = (f_plus - f_minus) / (2 * epsilon), count + 2 * directions
            else:
                crossed = np.zeros(directions, bool)
                for j, v in enumerate(V):
                    (f_plus, k_plus), (f_minus, k_minus) = at(x, ..., x + epsilon * v), at(x, ..., x - epsilon * v)
                    numerical[j], crossed[j] = (f_plus - f_minus) / (2 * epsilon), k_plus or k_minus
            index_of = int
        arrays[name] = score_array(name, x.shape, analytic, numerical, crossed, n_worst, index_of, noise_per_value)
    losses.append(evaluate()[0])
    drift = max(abs(a - base) for a in losses)
    drift = drift if drift > _DRIFT_TOLERANCE * max(1.0, abs(base)) else 0.0
    method = "full" if directions is None else f"directional (k={directions})"
    return GradcheckReport(method, arrays, threshold, epsilon, count + 1, drift)


def check_gradients(loss_fn, params, grads, epsilon=1e-5, threshold=THRESHOLD, n_worst=3, directions=None, seed=0):
    """Check ``grads`` against finite differences of ``loss_fn()``, which reads ``params`` (perturbed in place).

    Args:
        loss_fn: a function of no argument returning the scalar loss at the current ``params``.
        params, grads: dicts of arrays with the same keys; grads are the analytic gradients at ``params``.
        epsilon: the step (> 0). threshold: pass/fail on each array's relative error.
        n_worst: how many worst entries to keep per array.
        directions: None for the full check, or k for the directional check with k directions per array.
        seed: seeds the random directions.
    Returns:
        A ``GradcheckReport``. ``params`` are restored exactly.
    """
    for name, value in params.items() if isinstance(params, dict) else ():
        if np.asarray(value).dtype != np.float64:
            raise TypeError(f"`params[{name!r}]` must be float64 for a gradient check: float32 rounds at 6e-8, which "
                            f"swamps differences of epsilon={epsilon!r}; received dtype {np.asarray(value).dtype}.")

    def evaluate():
        return scalar_value(loss_fn(), "loss_fn"), None

    if directions is not None:
        directions = check_int(directions, "directions", 1)
    return _run_check(evaluate, params, grads, epsilon, threshold, n_worst, directions, seed)


def check_model(net, X, y, epsilon=1e-5, threshold=THRESHOLD, n_worst=3, directions=None, seed=0, fix_mask=True,
                backward=None, vectorized=True):
    """Check ``net.loss_and_grads(X, y)`` (an ``model.MLP`` or subclass) against finite differences of its loss.

    ``backward``: a function to check in place of the net's own backward pass, called as
    ``backward(dZ_L, caches, params, hidden_activation, keep_prob, l2)`` like ``model.backward``.

    The loss is J = cross-entropy + L2 penalty, with dropout when ``net.keep_prob < 1``. With
    ``fix_mask=True`` every evaluation uses a copy of ``net.rng``, so the same dropout masks as the
    analytic gradient (``copy.deepcopy(net)`` would do the same); with ``fix_mask=False`` the masks are
    re-drawn from ``net.rng`` at each evaluation, which the report detects and fails. For ReLU-type
    hidden units, entries whose perturbation flips the sign of a hidden pre-activation (of a unit the dropout mask
    keeps) are set aside.
    ``directions=k`` runs the directional check (see ``directional_check``).

    ``vectorized=True`` evaluates the perturbed losses many at a time from one cached forward pass
    (``batched``), when it can: the net's own loss, fixed masks, float64. ``vectorized=False``
    (or a net it cannot handle) runs one whole forward pass per perturbed loss, the reference the batched
    evaluation is tested against. Both give the same report, up to rounding in the last digits.
    """
    if not isinstance(net, model.MLP):
        raise TypeError(f"`net` must be a model.MLP; received {type(net).__name__}. For another model use "
                        "check_gradients(loss_fn, params, grads).")
    if net.dtype != np.float64:
        raise TypeError(f"`net` must compute in float64 for a gradient check: float32 rounds at 6e-8, which swamps "
                        f"differences of epsilon={epsilon!r}; received a net with dtype={net.dtype.name!r}. Check a "
                        "float64 net with the same weights: MLP(..., dtype='float64'), then net64.params = net.params.")
    X, y = net.check_data(X, y)
    base_rng = copy.deepcopy(net.rng)
    clone = copy.deepcopy(net) if fix_mask else net
    if backward is None:
        _, grads = clone.loss_and_grads(X, y)
    else:
        logits, caches = model.forward(clone.params, X, net.hidden_activation, net.keep_prob, clone.rng)
        grads = backward(net.data_loss_and_grad(logits, y)[1], caches, clone.params, net.hidden_activation,
                         net.keep_prob, net.l2)
    kinks = net.hidden_activation in ("relu", "leaky_relu")

    def evaluate():
        rng = copy.deepcopy(base_rng) if fix_mask else net.rng
        logits, caches = model.forward(net.params, X, net.hidden_activation, net.keep_prob, rng)
        loss = net.data_loss_and_grad(logits, y)[0] + net.l2_penalty(X.shape[0])
        # the sign pattern of the units that reach the loss: a unit dropped by dropout cannot cross a kink that matters
        return loss, [(c.Z > 0) if c.mask is None else (c.Z > 0) & c.mask for c in caches[:-1]] if kinks else None

    if directions is not None:
        directions = check_int(directions, "directions", 1)
    if not (vectorized and fix_mask and _batchable(net, X)):
        return _run_check(evaluate, net.params, grads, epsilon, threshold, n_worst, directions, seed)
    with _one_blas_thread():
        batched = gradcheck_batched.PerturbedLosses(net, X, y, copy.deepcopy(base_rng))
        return _run_check(evaluate, net.params, grads, epsilon, threshold, n_worst, directions, seed, batched)


@functools.lru_cache(maxsize=1)
def _blas_threads():
    return threadpoolctl.ThreadpoolController()


def _one_blas_thread():
    """A context in which NumPy's BLAS uses one thread, as scikit-learn's KMeans does for its small products.

    The batched check makes many products of a few million multiply-adds; BLAS splits each over its threads,
    and when the other cores are busy every product waits for them (on the project's 2-core machine a
    (640, 100) x (100, 32) product took 2.9 ms on 2 threads while the other core was busy, 0.1 ms on one).
    """
    return _blas_threads().limit(limits=1, user_api="blas")


def _batchable(net, X):
    """True when ``batched`` computes the loss ``evaluate()`` computes: float64, the MLP's own loss."""
    methods = ("data_loss_and_grad", "l2_penalty")
    own_loss = all(getattr(type(net), name) is getattr(model.MLP, name) and name not in vars(net) for name in methods)
    return own_loss and X.dtype == np.float64 and all(value.dtype == np.float64 for value in net.params.values())


def directional_check(net, X, y, k=5, epsilon=1e-5, threshold=THRESHOLD, seed=0, fix_mask=True, backward=None,
                      vectorized=True):
    """``check_model`` with k random directions per parameter array: 2 k (number of arrays) + 3 evaluations."""
    return check_model(net, X, y, epsilon, threshold, n_worst=k, directions=check_int(k, "k", 1), seed=seed,
                       fix_mask=fix_mask, backward=backward, vectorized=vectorized)
