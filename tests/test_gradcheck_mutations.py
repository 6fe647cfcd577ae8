"""Mutation suite for the gradient checks: deliberately wrong backward passes must be caught, and blamed.

Each mutant is ``model.MLP`` with one bug planted in its backward pass. Both the full check and the
directional check (k = 5 directions per array) must fail it and name exactly the arrays whose gradient
the bug changes; the correct backward pass must pass both on 20 seeds x 4 architectures.
"""

import numpy as np
import pytest

from course_utils import activations, gradcheck, model

DIMS = [4, 6, 6, 3]  # W2 is square, so the transposition bugs still have the right shape
M = 20  # examples; != 6, so a bias summed over the wrong axis has the wrong shape
ALL = {"W1", "b1", "W2", "b2", "W3", "b3"}
HIDDEN = {"W1", "b1", "W2", "b2"}
WEIGHTS = {"W1", "W2", "W3"}

# bug -> the arrays whose gradient it changes (the culprits a check must name, no more, no fewer)
MUTANTS = {
    "g(Z) instead of g'(Z)": HIDDEN,                      # wrong activation derivative
    "missing 1/m in dZ_L": ALL,                           # dZ_L = P - Y
    "missing 1/m in db3": {"b3"},                         # only the bias forgot to divide
    "W2 transposed": {"W2"},                              # dW2 = (A1^T dZ2)^T, a square layer
    "b1 summed over every axis": {"b1"},                  # db1 = sum of all of dZ1, broadcast
    "b2 summed over axis 1": {"b2"},                      # the lecture's axis with rows as examples: shape (m,)
    "L2 term missing": WEIGHTS,
    "L2 term doubled": WEIGHTS,
    "dropout mask not applied": HIDDEN,                   # dA = dZ W^T, without D / keep_prob
    "dropout mask not rescaled": HIDDEN,                  # dA * D, without / keep_prob
    "g'(Z2) used for layer 1": {"W1", "b1"},              # the wrong layer's cache
    "A1 used as layer 3's input": {"W3"},                 # the wrong layer's cache
    "dA1 = dZ2 W2, not W2^T": {"W1", "b1"},
    "sign error in dW1": {"W1"},
    "sign error in dZ_L": ALL,                            # dZ_L = Y - P
}


def backward_with_bug(bug, dZ, caches, params, hidden_activation, keep_prob, l2):
    """``model.backward`` for the 3-layer nets here, with ``bug`` (a key of MUTANTS, or None) planted."""
    g, g_grad = activations.get(hidden_activation)
    m = dZ.shape[0]
    dZ = {"missing 1/m in dZ_L": m * dZ, "sign error in dZ_L": -dZ}.get(bug, dZ)
    l2_factor = {"L2 term missing": 0.0, "L2 term doubled": 2.0}.get(bug, 1.0) * l2 / m
    grads = {}
    for l in (3, 2, 1):
        A_prev = caches[1 if bug == "A1 used as layer 3's input" and l == 3 else l - 1].A_prev  # A1, not A2
        W = params[f"W{l}"]
        dW = A_prev.T @ dZ + l2_factor * W
        db = dZ.sum(axis=0)
        if l == 3 and bug == "missing 1/m in db3":
            db = m * db
        if l == 2 and bug == "W2 transposed":
            dW = dW.T
        if l == 1 and bug == "b1 summed over every axis":
            db = np.full(db.shape, dZ.sum())
        if l == 2 and bug == "b2 summed over axis 1":
            db = dZ.sum(axis=1)
        if l == 1 and bug == "sign error in dW1":
            dW = -dW
        grads[f"W{l}"], grads[f"b{l}"] = dW, db
        if l > 1:
            _, Z_prev, mask = caches[l - 2]
            dA = dZ @ (W if bug == "dA1 = dZ2 W2, not W2^T" and l == 2 else W.T)
            if mask is not None and bug != "dropout mask not applied":
                dA = dA * mask / (1.0 if bug == "dropout mask not rescaled" else keep_prob)
            Z_for_grad = caches[l - 1].Z if bug == "g'(Z2) used for layer 1" and l == 2 else Z_prev
            dZ = dA * (g if bug == "g(Z) instead of g'(Z)" else g_grad)(Z_for_grad)
    return {key: grads[key] for key in params}


class MutantMLP(model.MLP):
    """An MLP whose backward pass has ``bug`` planted (None: the correct pass)."""

    def __init__(self, *args, bug=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.bug = bug

    def backward(self, dlogits, caches):
        return backward_with_bug(self.bug, dlogits, caches, self.params, self.hidden_activation, self.keep_prob,
                                 self.l2)


def make_problem(dims, seed, hidden_activation="relu", l2=0.0, keep_prob=1.0, bug=None):
    """A net with small random biases (zero biases are a special case) and standard normal data."""
    rng = np.random.default_rng(1000 + seed)
    cls = MutantMLP if bug is not None else model.MLP
    extra = {"bug": bug} if bug is not None else {}
    net = cls(dims, hidden_activation=hidden_activation, l2=l2, keep_prob=keep_prob, seed=seed, **extra)
    for key, value in net.params.items():
        if key.startswith("b"):
            value[:] = 0.1 * rng.standard_normal(value.shape)
    n_classes = 2 if dims[-1] == 1 else dims[-1]
    return net, rng.standard_normal((M, dims[0])), np.arange(M) % n_classes


def test_the_harness_without_a_bug_is_model_backward():
    """The mutants differ from the package's backward pass by their bug only."""
    for activation in ("relu", "tanh"):
        net, X, y = make_problem(DIMS, 0, activation, l2=0.3, keep_prob=0.8)
        logits, caches = net.forward(X, training=True)
        _, dZ = net.data_loss_and_grad(logits, y)
        expected = net.backward(dZ, caches)
        mine = backward_with_bug(None, dZ, caches, net.params, activation, 0.8, 0.3)
        assert all(np.array_equal(expected[k], mine[k]) for k in expected)


@pytest.mark.parametrize("bug", list(MUTANTS))
@pytest.mark.parametrize("activation", ["relu", "tanh"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_mutant_is_caught_and_blamed_by_both_checks(bug, activation, seed):
    net, X, y = make_problem(DIMS, seed, activation, l2=0.3, keep_prob=0.8, bug=bug)
    full = gradcheck.check_model(net, X, y)
    directional = gradcheck.directional_check(net, X, y, k=5, seed=seed)
    for report in (full, directional):
        assert not report.passed, f"{bug}: {report.method} check passed\n{report}"
        assert set(report.failed) == MUTANTS[bug], f"{bug}: {report.method} blamed {report.failed}\n{report}"
        # the culprits are clearly wrong, the others clearly right: no borderline verdicts
        assert all(report.arrays[k].verdict() == ("WRONG" if k in MUTANTS[bug] else "ok") for k in ALL), str(report)


CORRECT_NETS = {
    "sigmoid output, relu": ([4, 6, 6, 1], "relu", {}),
    "softmax output, tanh": ([4, 6, 6, 3], "tanh", {}),
    "softmax output, relu, 4 layers": ([4, 8, 8, 5, 3], "relu", {}),
    "sigmoid output, tanh, L2 + dropout": ([4, 6, 6, 1], "tanh", {"l2": 0.5, "keep_prob": 0.8}),
    "softmax output, relu, L2 + dropout": ([4, 6, 6, 4], "relu", {"l2": 0.5, "keep_prob": 0.8}),
}


@pytest.mark.parametrize("name", list(CORRECT_NETS))
def test_the_correct_backward_pass_passes_on_20_seeds(name):
    dims, activation, kwargs = CORRECT_NETS[name]
    false_alarms = []
    for seed in range(20):
        net, X, y = make_problem(dims, seed, activation, **kwargs)
        for report in (gradcheck.check_model(net, X, y), gradcheck.directional_check(net, X, y, k=5, seed=seed)):
            if not report.passed:
                false_alarms.append(f"seed {seed}\n{report}")
    assert not false_alarms, "\n".join(false_alarms)


@pytest.mark.parametrize("bug", ["W2 transposed", "dropout mask not rescaled", None])
def test_a_backward_function_can_be_checked_without_subclassing(bug):
    """check_model(..., backward=f) checks f with the net's forward pass, loss and dropout masks."""
    net, X, y = make_problem(DIMS, 0, "relu", l2=0.3, keep_prob=0.8)

    def backward(*args):
        return backward_with_bug(bug, *args)

    for report in (gradcheck.check_model(net, X, y, backward=backward),
                   gradcheck.directional_check(net, X, y, k=3, backward=backward)):
        assert set(report.failed) == (MUTANTS[bug] if bug else set()), str(report)
