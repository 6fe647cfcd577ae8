"""The checks of the Optimization_methods notebook's update rules: Momentum, RMSprop and Adam.

The lecture's (textbook) forms, on arrays of any shape::

    Momentum: v <- beta v + (1 - beta) dW,                     W <- W - alpha v
    RMSprop:  s <- rho s + (1 - rho) dW^2,                      W <- W - alpha dW / (sqrt(s) + epsilon)
    Adam:     m <- beta_1 m + (1 - beta_1) dW,  v <- beta_2 v + (1 - beta_2) dW^2,
              W <- W - alpha m_hat / (sqrt(v_hat) + epsilon),  m_hat = m / (1 - beta_1^t), v_hat = v / (1 - beta_2^t)

``update_rules.run_rule`` runs each (four steps from zero with two settings, then one step from a random
state); this module says what each rule is, and what its usual wrong versions do, so that a wrong
step is named from what was measured.
"""

import numpy as np

from .harness import exercise
from .update_rules import Rule, average_message, implied_constant, implied_factor, run_rule


def _course_momentum(W, dW, v, beta, learning_rate):
    v = beta * v + (1 - beta) * dW
    return W - learning_rate * v, v


def _course_rmsprop(W, dW, s, rho, learning_rate, epsilon):
    s = rho * s + (1 - rho) * dW ** 2
    return W - learning_rate * dW / (np.sqrt(s) + epsilon), s


def _course_adam(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    m = beta_1 * m + (1 - beta_1) * dW
    v = beta_2 * v + (1 - beta_2) * dW ** 2
    m_hat, v_hat = m / (1 - beta_1 ** t), v / (1 - beta_2 ** t)
    return W - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v


_SYMBOLS = {"dW2": "dW²"}
_LECTURE = "({} is the lecture's value, not the `{}` argument.)"


def _uphill(step):
    return "W moved up the gradient (the step has the opposite sign): subtract it, " + step + "."


def _learning_rate(x, h, new, got_W, rtol, step_words):
    """A message when W moved by k times the right step (k != 1): the learning rate it implies."""
    k = implied_factor(x["W"] - got_W, x["W"] - new["W"], rtol)
    if k is None or k <= 0 or abs(k - 1) < 1e-3:
        return None
    return f"learning_rate {k:.4g}", (f"W moved by {k:.3g}× {step_words}: that is a learning rate of "
                             f"{k * h['learning_rate']:.3g}, not the learning_rate = {h['learning_rate']} passed.")


# ---------------------------------------------------------------- Momentum

MOMENTUM = Rule(
    inputs=("W", "dW", "v"), outputs=("W", "v"), hyper=("beta", "learning_rate"),
    expected=lambda x, h, t: dict(zip(("W", "v"), _course_momentum(x["W"], x["dW"], x["v"], *h.values()))),
    averages=lambda x, h, t, g, rtol: average_message(
        "v", g["v"], {"v": x["v"], "dW": x["dW"]}, {"v": h["beta"], "dW": 1 - h["beta"]}, {}, "beta", h["beta"],
        rtol, defaults=[({"v": 0.9, "dW": 0.1}, _LECTURE.format(0.9, "beta"))] if h["beta"] != 0.9 else []),
    steps=lambda x, h, t, new: [
        ("sign", x["W"] + h["learning_rate"] * new["v"], _uphill("W - learning_rate * v")),
        ("dW", x["W"] - h["learning_rate"] * x["dW"], "W moved by learning_rate * dW; it moves by learning_rate * v, "
                                                  "the new velocity.")],
    implied=lambda x, h, t, new, got_W, rtol: _learning_rate(x, h, new, got_W, rtol, "learning_rate * v"),
)


@exercise("momentum_update", reference=_course_momentum)
def check_momentum_update(momentum_update):
    """``momentum_update(W, dW, v, beta, learning_rate) -> (W, v)``, one step of the lecture's Momentum."""
    run_rule(momentum_update, "momentum_update", MOMENTUM, [
        dict(seed=0, dtype=np.float64, shape=(5, 3), beta=0.9, learning_rate=0.1),
        dict(seed=1, dtype=np.float32, shape=(4, 7), beta=0.75, learning_rate=0.3)])
    return "steps from v = 0 and from a random state correct in float32 and float64; inputs left unchanged."


# ---------------------------------------------------------------- RMSprop

def _rms_steps(x, h, t, new):
    lr, eps, dW, s, W = h["learning_rate"], h["epsilon"], x["dW"], new["s"], x["W"]
    return [
        ("sign", W + lr * dW / (np.sqrt(s) + eps), _uphill("W - learning_rate * dW / (sqrt(s) + epsilon)")),
        ("inside", W - lr * dW / np.sqrt(s + eps),
         "epsilon is inside the square root, sqrt(s + epsilon) (Keras's form); the lecture's form adds it outside: "
         "sqrt(s) + epsilon."),
        ("added", W - lr * dW / np.sqrt(s) + eps,
         "epsilon was added to W, outside the fraction; it belongs in the denominator, sqrt(s) + epsilon."),
        ("no sqrt", W - lr * dW / (s + eps),
         "W moved by learning_rate * dW / (s + epsilon): divide by the square root of s, sqrt(s) + epsilon."),
        ("old s", W - lr * dW / (np.sqrt(x["s"]) + eps),
         "the step used the s you were given, not the new s computed from this dW.")]


def _epsilon(eps, given, root):
    """``(key, message)`` when the step implies another epsilon than the ``given`` one (None if it is the same)."""
    if eps is None or abs(eps - given) <= 1e-3 * given:
        return None
    return f"epsilon {eps:.4g}", (f"your step divides by {root} + {eps:.2g}: that is epsilon = {eps:.2g}, not the "
                                  f"epsilon = {given} passed" + (" (no epsilon at all)." if abs(eps) < 1e-12 else "."))


def _rms_implied(x, h, t, new, got_W, rtol):
    eps = implied_constant(x["W"], got_W, h["learning_rate"] * x["dW"], np.sqrt(new["s"]), rtol)
    return (_epsilon(eps, h["epsilon"], "sqrt(s)")
            or _learning_rate(x, h, new, got_W, rtol, "learning_rate * dW / (sqrt(s) + epsilon)"))


RMSPROP = Rule(
    inputs=("W", "dW", "s"), outputs=("W", "s"), hyper=("rho", "learning_rate", "epsilon"),
    expected=lambda x, h, t: dict(zip(("W", "s"), _course_rmsprop(x["W"], x["dW"], x["s"], *h.values()))),
    averages=lambda x, h, t, g, rtol: average_message(
        "s", g["s"], {"s": x["s"], "dW2": x["dW"] ** 2, "dW": x["dW"]}, {"s": h["rho"], "dW2": 1 - h["rho"]},
        _SYMBOLS, "rho", h["rho"], rtol,
        defaults=[({"s": h["rho"], "dW": 1 - h["rho"]}, "s averages the squared gradients dW**2, not dW."),
                  ({"dW": 1 - h["rho"]}, "s averages the squared gradients dW**2, not dW.")]
        + ([({"s": 0.9, "dW2": 0.1}, _LECTURE.format(0.9, "rho"))] if h["rho"] != 0.9 else [])),
    steps=_rms_steps, implied=_rms_implied,
)


@exercise("rmsprop_update", reference=_course_rmsprop)
def check_rmsprop_update(rmsprop_update):
    """``rmsprop_update(W, dW, s, rho, learning_rate, epsilon) -> (W, s)``, one RMSprop step."""
    run_rule(rmsprop_update, "rmsprop_update", RMSPROP, [
        dict(seed=2, dtype=np.float64, shape=(5, 3), rho=0.9, learning_rate=0.01, epsilon=1e-8),
        dict(seed=3, dtype=np.float32, shape=(4, 7), rho=0.75, learning_rate=0.1, epsilon=0.1, grad_scale=0.05)])
    return ("steps from s = 0 and from a random state correct in float32 and float64, epsilon as the lecture "
            "places it; inputs left unchanged.")


# ---------------------------------------------------------------- Adam

def _adam_step(lr, m, v, c1, c2, eps, inside=False):
    """W's change learning_rate * (m / c1) / (sqrt(v / c2) + eps), or with epsilon inside the root."""
    return lr * (m / c1) / (np.sqrt(v / c2 + eps) if inside else np.sqrt(v / c2) + eps)


def _adam_averages(x, h, t, g, rtol):
    b1, b2 = h["beta_1"], h["beta_2"]
    m = b1 * x["m"] + (1 - b1) * x["dW"]
    v = b2 * x["v"] + (1 - b2) * x["dW"] ** 2
    scale = max(np.max(np.abs(m)), np.max(np.abs(v)))
    if not np.allclose(g["m"], m, rtol=rtol, atol=rtol * scale) and \
            np.allclose(g["m"], m / (1 - b1 ** t), rtol=rtol, atol=rtol * scale):
        return ("the m (and v) you returned are the bias-corrected m_hat = m / (1 - beta_1**t) and v_hat: return "
                "the uncorrected averages; the correction only enters the step.")
    for key, terms, right, beta, other in [
            ("m", {"m": x["m"], "dW": x["dW"]}, {"m": b1, "dW": 1 - b1}, "beta_1", b2),
            ("v", {"v": x["v"], "dW2": x["dW"] ** 2, "dW": x["dW"]}, {"v": b2, "dW2": 1 - b2}, "beta_2", b1)]:
        wrong_square = [({key: b2, "dW": 1 - b2}, "v averages the squared gradients dW**2, not dW."),
                        ({"dW": 1 - b2}, "v averages the squared gradients dW**2, not dW.")] if key == "v" else []
        swapped = {key: other, ("dW" if key == "m" else "dW2"): 1 - other}
        message = average_message(key, g[key], terms, right, _SYMBOLS, beta, h[beta], rtol, defaults=wrong_square + [
            (swapped, "Those are the other beta's weights: beta_1 goes with m, beta_2 with v."),
            ({key: {"m": 0.9, "v": 0.999}[key], ("dW" if key == "m" else "dW2"): {"m": 0.1, "v": 0.001}[key]},
             f"(Those are the default's weights, not the `{beta}` argument.)")])
        if message:
            return message
    return None


def _adam_steps(x, h, t, new):
    lr, b1, b2, eps, m, v, W = h["learning_rate"], h["beta_1"], h["beta_2"], h["epsilon"], new["m"], new["v"], x["W"]
    c1, c2 = 1 - b1 ** t, 1 - b2 ** t
    none = _adam_step(lr, m, v, 1, 1, eps)
    moved = x["dW"] != 0
    ratio = float(np.median(np.abs(none[moved])) / lr) if t == 1 and moved.any() else None
    first = (f"the first Adam step moved W by {ratio:.2g}× the learning rate, but with bias correction every entry "
             f"moves by about 1× on step 1: " if ratio is not None else "")
    steps = [
        ("sign", W + _adam_step(lr, m, v, c1, c2, eps), _uphill("W - learning_rate * m_hat / (sqrt(v_hat) + epsilon)")),
        ("no correction", W - none, first + "your steps match Adam without bias correction: m_hat = m / (1 - beta_1**t) "
                                            "and v_hat = v / (1 - beta_2**t) enter the step."),
        ("only m", W - _adam_step(lr, m, v, c1, 1, eps),
         "only m is bias-corrected in your step; v_hat = v / (1 - beta_2**t) needs its correction too."),
        ("only v", W - _adam_step(lr, m, v, 1, c2, eps),
         "only v is bias-corrected in your step; m_hat = m / (1 - beta_1**t) needs its correction too."),
        ("t + 1", W - _adam_step(lr, m, v, 1 - b1 ** (t + 1), 1 - b2 ** (t + 1), eps),
         f"your step matches bias correction with t + 1 = {t + 1}: t is the step number as passed, 1 on the first step."),
        ("no power", W - _adam_step(lr, m, v, 1 - b1, 1 - b2, eps),
         "your corrections divide by 1 - beta_1 and 1 - beta_2 at every step; they are 1 - beta_1**t and "
         "1 - beta_2**t, with t the step number."),
        ("keras", W - lr * np.sqrt(c2) / c1 * m / (np.sqrt(v) + eps),
         "epsilon is added to sqrt(v) before the bias correction (Keras's form); the lecture's form adds it to "
         "sqrt(v_hat): m_hat / (sqrt(v_hat) + epsilon)."),
        ("inside", W - _adam_step(lr, m, v, c1, c2, eps, inside=True),
         "epsilon is inside the square root, sqrt(v_hat + epsilon); the lecture's form adds it outside: "
         "sqrt(v_hat) + epsilon.")]
    if t > 1:
        steps.append(("t - 1", W - _adam_step(lr, m, v, 1 - b1 ** (t - 1), 1 - b2 ** (t - 1), eps),
                      f"your step matches bias correction with t - 1 = {t - 1}: t is the step number as passed."))
    return steps


def _adam_implied(x, h, t, new, got_W, rtol):
    c1, c2 = 1 - h["beta_1"] ** t, 1 - h["beta_2"] ** t
    eps = implied_constant(x["W"], got_W, h["learning_rate"] * new["m"] / c1, np.sqrt(new["v"] / c2), rtol)
    return (_epsilon(eps, h["epsilon"], "sqrt(v_hat)")
            or _learning_rate(x, h, new, got_W, rtol, "learning_rate * m_hat / (sqrt(v_hat) + epsilon)"))


ADAM = Rule(
    inputs=("W", "dW", "m", "v"), outputs=("W", "m", "v"), hyper=("learning_rate", "beta_1", "beta_2", "epsilon"),
    expected=lambda x, h, t: dict(zip(("W", "m", "v"), _course_adam(x["W"], x["dW"], x["m"], x["v"], t, *h.values()))),
    averages=_adam_averages, steps=_adam_steps, implied=_adam_implied, takes_t=True,
)


@exercise("adam_update", reference=_course_adam)
def check_adam_update(adam_update):
    """``adam_update(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon) -> (W, m, v)``; t = 1, 2, ..."""
    run_rule(adam_update, "adam_update", ADAM, [
        dict(seed=4, dtype=np.float64, shape=(5, 3), learning_rate=0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-8),
        dict(seed=5, dtype=np.float32, shape=(4, 7), learning_rate=0.05, beta_1=0.8, beta_2=0.95, epsilon=0.05,
             grad_scale=0.05)])
    return ("bias-corrected steps from zero and from a random state correct in float32 and float64; inputs "
            "left unchanged.")
