"""How the Optimization_methods checks run a learner's update rule, and tell what a wrong step did.

An update rule takes ``(W, dW, *state, *hyperparameters)`` and returns ``(W, *state)``. ``run_rule``
calls it the way the checks' specs say:

* four steps from a zero state, with two settings of the hyperparameters: one in float64 with the
  lecture's values, one in float32 with other values (an epsilon as large as the gradients, so that
  where epsilon goes shows); about a quarter of the gradient's entries are exactly zero, so that a
  division without epsilon turns into 0/0 there;
* then one step from a random state (the averages no longer zero), per setting.

Each call must return a sequence of the right length holding arrays of W's shape, leave its inputs as
they were, and agree with the rule in the learner's precision. A wrong result is diagnosed from what
was measured: the coefficients of a wrong average (fitted on the inputs), and which of the known
wrong steps (``Rule.steps``) the learner's W matches; nothing is said that was not tested.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .harness import call, fail
from .probes import agree, as_float, copies, items, ndarray, tolerance, unchanged


@dataclass(frozen=True)
class Rule:
    """One update rule: its names, its math (float64) and what its wrong versions look like.

    ``expected(x, h, t)`` gives the right outputs ``{name: array}`` for inputs ``x`` and hyperparameters
    ``h``; ``averages(x, h, t, got, rtol)`` returns a message when a returned average is wrong (or None);
    ``steps(x, h, t, new)`` lists ``(key, predicted W, message)`` of the known wrong steps, given the
    right new averages ``new``; ``implied(x, h, t, new, got_W, rtol)`` returns ``(key, message)`` for a
    step that is the right one with another constant (epsilon, learning rate), or None.
    """

    inputs: tuple          # ("W", "dW", "v"): the arrays, in the call's order
    outputs: tuple         # ("W", "v")
    hyper: tuple           # ("beta", "learning_rate"): the hyperparameters, in the call's order
    expected: Callable
    averages: Callable
    steps: Callable
    implied: Callable
    takes_t: bool = False  # Adam's step number, passed between the arrays and the hyperparameters


def run_rule(fn, name, rule, settings):
    """Run ``fn`` four steps from zero and one step from a random state for each of ``settings``.

    A wrong W that more than one known mistake explains is followed to the next steps until one
    explanation is left (or the run ends, and the message names those that are).
    """
    for setting in settings:
        rng = np.random.default_rng(setting["seed"])
        shape, scale = setting["shape"], setting.get("grad_scale", 1.0)
        zero = rng.random(shape) < 0.25
        W0 = rng.standard_normal(shape)
        grads = [np.where(zero, 0.0, rng.standard_normal(shape) * scale) for _ in range(4)]
        W, state, pending = W0, {k: np.zeros(shape) for k in rule.inputs[2:]}, None
        for t, dW in enumerate(grads, start=1):
            W, state, found = _step(fn, name, rule, setting, t, W, dW, state)
            pending = _narrow(pending, found, last=t == len(grads))
        random_state = {k: (rng.random(shape) * scale ** 2 if k in ("s", "v") else rng.standard_normal(shape) * scale)
                        for k in rule.inputs[2:]}
        dW = rng.standard_normal(shape) * scale
        _narrow(None, _step(fn, name, rule, setting, 3 if rule.takes_t else 1, W0, dW, random_state, True)[2], True)


def _narrow(pending, found, last):
    """Keep the explanations of a wrong W that every wrong step so far shares; fail once one is left."""
    if found is None and pending is None:
        return None
    if found is not None:
        shared = {k: v for k, v in (pending or found).items() if k in found}
        pending = shared or found
        if len(pending) > 1 and not last:
            return pending
    where = next(iter(pending.values()))[0]
    texts = list(dict.fromkeys(text for _, text in pending.values()))
    if len(texts) == 1:
        fail(f"{where}, {texts[0]}")
    fail(f"{where}, your W fits {len(texts)} of the usual mistakes: " + " Or: ".join(texts))


def _step(fn, name, rule, setting, t, W, dW, state, random=False):
    """One call of the learner's rule, checked: its (W, state) for the next step, and, when W alone is wrong,
    ``{key: (where, message)}`` of the known mistakes it matches (None when right)."""
    dtype = setting["dtype"]
    arrays = [np.asarray(a, dtype=dtype) for a in (W, dW, *[state[k] for k in rule.inputs[2:]])]
    before = copies(*arrays)
    h = {k: setting[k] for k in rule.hyper}
    args = arrays + ([t] if rule.takes_t else []) + [h[k] for k in rule.hyper]
    out = call(fn, name, *args)
    for key, original, now in zip(rule.inputs, before, arrays):
        unchanged(name, key, original, now)
    expected_words = "the " + {2: "pair", 3: "triple"}[len(rule.outputs)] + f" ({', '.join(rule.outputs)})"
    got = dict(zip(rule.outputs, items(out, len(rule.outputs), name, expected_words)))
    for key in rule.outputs:
        ndarray(got[key], name, np.shape(W), key, "the shape of W.")
    x = {k: as_float(a) for k, a in zip(rule.inputs, arrays)}
    new = rule.expected(x, h, t)
    rtol = tolerance(*arrays, *got.values())
    scales = {k: max(np.max(np.abs(new[k])), np.max(np.abs(x[k]))) for k in rule.outputs}
    if all(agree(got[k], new[k], rtol, scales[k]) for k in rule.outputs):
        return got["W"], {k: got[k] for k in rule.outputs[1:]}, None
    step = f"one step (t={t})" if rule.takes_t else "one step"
    where = (f"In {step} from random {', '.join(rule.outputs[1:])}" if random else f"At step {t} from zero") + \
        f" ({', '.join(f'{k}={v}' for k, v in h.items())}, {np.dtype(dtype).name})"
    g = {k: as_float(v) for k, v in got.items()}
    if agree(g[rule.outputs[0]], new[rule.outputs[1]], rtol, scales["W"]) and \
            agree(g[rule.outputs[1]], new["W"], rtol, scales["W"]):
        fail(f"{where} you returned ({', '.join(reversed(rule.outputs))}): return them in the order "
             f"({', '.join(rule.outputs)}).")
    message = rule.averages(x, h, t, g, rtol)
    if message:
        fail(f"{where}, {message}")
    bad = ~np.isfinite(g["W"])
    if bad.any():
        at_zero = "epsilon" in rule.hyper and bool(np.all(x["dW"][bad] == 0))
        fail(f"{where}, W became NaN or inf in {int(bad.sum())} entries" +
             (", exactly where dW = 0 (so the average of squared gradients is 0 there): the step divides by "
              "sqrt(...) + epsilon, and epsilon is what keeps that division finite." if at_zero else "."))
    found = {key: (where, text) for key, predicted, text in rule.steps(x, h, t, new)
             if agree(g["W"], predicted, rtol, scales["W"])}
    implied = rule.implied(x, h, t, new, g["W"], rtol)
    if implied:
        found[implied[0]] = (where, implied[1])
    if not found:
        fail(f"{where}, W differs from the rule's W by up to {np.max(np.abs(g['W'] - new['W'])):.3g} "
             f"(the returned averages are right).")
    return got["W"], {k: got[k] for k in rule.outputs[1:]}, found


# ---------------------------------------------------------------- measuring a wrong average or step

def fit(target, terms, rtol):
    """``{name: coefficient}`` with ``target = sum coefficient * term`` (terms that are all zero left out), or None."""
    names = [k for k, v in terms.items() if np.any(v != 0)]
    if not names:
        return None
    A = np.stack([terms[k].ravel() for k in names], axis=1)
    coef = np.linalg.lstsq(A, target.ravel(), rcond=None)[0]
    if not agree(target.ravel(), A @ coef, rtol, np.max(np.abs(target)) + np.max(np.abs(A))):
        return None
    return {k: float(c) for k, c in zip(names, coef) if abs(c) > 1e-9}


def describe_fit(coef, symbols):
    """``0.9·v + 0.1·dW`` for ``{"v": 0.9, "dW": 0.1}``; "0" when empty."""
    parts = [f"{c:.3g}·{symbols.get(k, k)}" for k, c in coef.items()]
    return " + ".join(parts).replace("+ -", "- ") if parts else "0"


def average_message(name, got, terms, expected, symbols, hyper_name, hyper, rtol, defaults=()):
    """A message for a wrong running average ``name`` (None when ``got`` is right), from fitted coefficients.

    ``terms`` are the arrays it may be made of, ``expected`` the right coefficients; ``defaults`` lists
    ``(coefficients, words)`` of recognisable wrong ones (another hyperparameter's, the lecture's value).
    """
    right = sum(expected[k] * terms[k] for k in expected)
    if agree(got, right, rtol, max(np.max(np.abs(right)), max(np.max(np.abs(v)) for v in terms.values()))):
        return None
    should = describe_fit(expected, symbols)
    coef = fit(got, terms, rtol)
    if coef is None:
        return (f"your new {name} differs from {should} by up to {np.max(np.abs(got - right)):.3g} "
                f"(with {hyper_name} = {hyper}).")
    present = {k for k, v in terms.items() if np.any(v != 0)}
    note = next((words for values, words in defaults
                 if all(abs(coef.get(k, 0.0) - values.get(k, 0.0)) < 1e-6 for k in present)), "")
    return (f"your new {name} = {describe_fit(coef, symbols)}; with {hyper_name} = {hyper} it should be "
            f"{should}.{' ' + note if note else ''}")


def implied_constant(W, W_new, numerator, base, rtol):
    """The constant c with ``W - W_new = numerator / (base + c)`` in every entry (None if it is not one constant)."""
    moved = (numerator != 0) & (W != W_new)
    if not moved.any():
        return None
    c = numerator[moved] / (W - W_new)[moved] - base[moved]
    middle = float(np.median(c))
    if np.max(np.abs(c - middle)) > 0.1 * rtol * (np.max(np.abs(base[moved])) + abs(middle)):  # rounding only
        return None
    return middle


def implied_factor(step, expected_step, rtol):
    """k with ``step = k * expected_step`` in every entry, or None."""
    coef = fit(step, {"s": expected_step}, rtol)
    return None if coef is None else coef.get("s", 0.0)
