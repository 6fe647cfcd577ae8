"""Regularization: the L2 penalty and its gradient, inverted-dropout masks, and image augmentation.

L2 ("weight decay") adds to the cost a penalty on the weights, not the biases::

    J = cross_entropy + lambda / (2m) * sum_l ||W_l||_F^2          dJ/dW_l gains (lambda / m) W_l

so a gradient step is ``W <- (1 - alpha lambda / m) W - alpha dW_data``: every step first shrinks W.

Inverted dropout keeps each hidden unit with probability ``keep_prob`` and divides the kept ones by
``keep_prob``, so the expected activation is unchanged and nothing needs rescaling at test time::

    D ~ Bernoulli(keep_prob)  (m, n_l),   A <- A * D / keep_prob,   dA <- dA * D / keep_prob

Augmentation makes new training images from old ones (small shifts, rotations, zooms and optional
noise) with ``scipy.ndimage.affine_transform``; the labels stay the same.

``model.MLP`` calls these functions, so there is one implementation of each.

``train_on_own_sets`` trains the S nets of a ``stacked.StackedMLP`` together, each on its own training set
(independent runs: a training set and a seed per net), with a lambda per net if asked, and keeps for each
validation set the weights early stopping would keep, while training on to the end.
"""

import numbers

import numpy as np
import scipy.ndimage

from ._validation import check_int, check_positive, make_rng


# ---------------------------------------------------------------- L2


def check_l2(l2):
    """Return lambda as a float, or raise if it is not a finite number >= 0."""
    return check_positive(l2, "l2", allow_zero=True)


def l2_penalty(params, l2, m):
    """lambda / (2m) * sum_l ||W_l||_F^2 over the weights ``"W1"``, ``"W2"``, ... of ``params`` (biases excluded).

    Args:
        params: ``{"W1": (n_0, n_1), "b1": (n_1,), ...}``.
        l2: lambda >= 0.
        m: the number of examples the cross-entropy averages over.
    """
    l2 = check_l2(l2)
    m = check_int(m, "m", 1)
    return l2 / (2 * m) * sum(float(np.sum(W * W)) for k, W in params.items() if k[0] == "W")


def l2_gradient(W, l2, m):
    """The penalty's gradient with respect to one weight matrix: (lambda / m) W, same shape as W."""
    return (l2 / m) * W


# ---------------------------------------------------------------- dropout


def check_keep_prob(keep_prob):
    """Return keep_prob as a float, or raise unless it is a number in (0, 1]."""
    if isinstance(keep_prob, bool) or not isinstance(keep_prob, numbers.Real):
        raise TypeError(f"`keep_prob` must be a number in (0, 1]; received {keep_prob!r}.")
    if not 0.0 < keep_prob <= 1.0:
        raise ValueError(f"`keep_prob` must be in (0, 1]; received keep_prob={keep_prob!r}.")
    return float(keep_prob)


def dropout_mask(shape, keep_prob, rng):
    """A boolean keep-mask of ``shape`` (m, n_l): each entry is True with probability ``keep_prob``.

    ``rng`` must be a ``np.random.Generator``; the same generator state gives the same mask.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"`rng` must be a np.random.Generator; received {type(rng).__name__}.")
    return rng.random(shape) < keep_prob


def apply_dropout(A, mask, keep_prob):
    """Inverted dropout: ``A * mask / keep_prob``, so E[result] = A. Used on A forward and on dA backward."""
    return A * mask / keep_prob


# ---------------------------------------------------------------- augmentation


def check_images(images, name="images"):
    """Raise unless ``images`` is a float array (m, height, width) with values in [0, 1]; return it."""
    images = np.asarray(images)
    if images.dtype.kind != "f":
        raise TypeError(f"`{name}` must be a float array with values in [0, 1]; received dtype {images.dtype}.")
    if images.ndim != 3 or min(images.shape) < 1:
        raise ValueError(f"`{name}` must have shape (m, height, width); received shape {images.shape}.")
    if not np.isfinite(images).all() or images.min() < 0.0 or images.max() > 1.0:
        raise ValueError(f"`{name}` must hold values in [0, 1]; received values from {images.min()} to "
                         f"{images.max()}.")
    return images


def _affine(shape, angle_deg, zoom, shift):
    """``(matrix, offset)`` that map an output pixel to the input pixel it reads from.

    The image is rotated by ``angle_deg`` and zoomed by ``zoom`` about its centre, then moved by
    ``shift`` = (rows, cols) pixels: input = M^-1 (output - centre - shift) + centre.
    """
    theta = np.deg2rad(angle_deg)
    inverse = np.array([[np.cos(theta), np.sin(theta)], [-np.sin(theta), np.cos(theta)]]) / zoom  # (2, 2)
    centre = (np.asarray(shape, dtype=np.float64) - 1.0) / 2.0
    return inverse, centre - inverse @ (centre + np.asarray(shift, dtype=np.float64))


def augment_images(images, rng=None, seed=None, max_shift=2, max_rotation=10.0, max_zoom=0.1, noise_std=0.0):
    """Return one randomly transformed copy of each image; shape, dtype and the [0, 1] range are kept.

    For each image independently: a shift of an integer number of pixels in [-max_shift, max_shift]
    along each axis, a rotation by an angle uniform in [-max_rotation, max_rotation] degrees and a
    zoom uniform in [1 - max_zoom, 1 + max_zoom], both about the centre (bilinear interpolation,
    zeros brought in at the borders), then Gaussian noise of std ``noise_std``, clipped to [0, 1].
    With every argument 0 the result equals the input exactly.

    Args:
        images: (m, height, width) floats in [0, 1].
        rng / seed: the random source (pass one); the same seed gives the same images.
    """
    images = check_images(images)
    max_shift = check_int(max_shift, "max_shift", 0)
    max_rotation = check_positive(max_rotation, "max_rotation", allow_zero=True)
    max_zoom = check_positive(max_zoom, "max_zoom", allow_zero=True)
    if max_zoom >= 1.0:
        raise ValueError(f"`max_zoom` must be in [0, 1); received max_zoom={max_zoom!r}.")
    noise_std = check_positive(noise_std, "noise_std", allow_zero=True)
    rng = make_rng(rng, seed)
    m = images.shape[0]
    shifts = rng.integers(-max_shift, max_shift + 1, size=(m, 2))  # (m, 2) pixels along rows, cols
    angles = rng.uniform(-max_rotation, max_rotation, size=m)        # (m,) degrees
    zooms = rng.uniform(1.0 - max_zoom, 1.0 + max_zoom, size=m)      # (m,)
    out = np.empty_like(images)
    for i in range(m):
        matrix, offset = _affine(images.shape[1:], angles[i], zooms[i], shifts[i])
        out[i] = scipy.ndimage.affine_transform(images[i], matrix, offset=offset, order=1, mode="constant",
                                                cval=0.0)
    if noise_std:
        out += rng.normal(0.0, noise_std, size=out.shape).astype(out.dtype)
    return np.clip(out, 0.0, 1.0, out=out)


def augment_dataset(images, labels, copies=1, rng=None, seed=None, **transform):
    """The originals followed by ``copies`` augmented versions of each, with the labels repeated.

    Args:
        images: (m, height, width) floats in [0, 1]. labels: (m,) anything.
        copies: augmented copies per image (>= 0).
        transform: ``max_shift``, ``max_rotation``, ``max_zoom``, ``noise_std`` (see ``augment_images``).
    Returns:
        ``(images (m * (1 + copies), height, width), labels (m * (1 + copies),))``.
    """
    images = check_images(images)
    labels = np.asarray(labels)
    if labels.shape[:1] != images.shape[:1]:
        raise ValueError(f"`labels` must have one entry per image ({images.shape[0]}); received shape "
                         f"{labels.shape}.")
    copies = check_int(copies, "copies", 0)
    rng = make_rng(rng, seed)
    new = [augment_images(images, rng=rng, **transform) for _ in range(copies)]
    return np.concatenate([images, *new]), np.concatenate([labels] * (1 + copies))


# ---------------------------------------------------------------- many nets, each on its own training set


class PerSetRecord:
    """What ``train_on_own_sets`` records: each net's training cost, and for each validation set (a stopping rule)
    the validation cost, the best epoch and the weights of that epoch.

    Attributes:
        loss: (epochs, S) each net's training cost per epoch (under dropout: with that step's masks; without the
            per-net ``l2`` penalty).
        val_loss: ``{name: (epochs, S)}`` the cost on that validation set after each epoch, NaN once the net stopped.
        best_epoch: ``{name: (S,)}`` each net's epoch (1-based) of lowest validation cost, before it stopped.
        best_theta: ``{name: (S, P)}`` each net's parameters at that epoch (the stack's ``theta`` layout).
    """

    def __init__(self, loss, val_loss, best_epoch, best_theta):
        self.loss, self.val_loss, self.best_epoch, self.best_theta = loss, val_loss, best_epoch, best_theta

    def best_nets(self, stack, name):
        """The S nets of ``stack`` as ``model.MLP``, each with its weights of ``best_epoch[name]``."""
        theta = stack.theta.copy()
        stack.theta[...] = self.best_theta[name]
        try:
            return stack.nets()
        finally:
            stack.theta[...] = theta


def train_on_own_sets(stack, X, y, optimizer, epochs, batch_size=None, l2=None, validation=None, patience=None):
    """Train net s of ``stack`` on its own training set ``(X[s], y[s])``, all S nets at once.

    Net s trains exactly as ``stacked.train_nets(layer_dims, [seed_s], X[s], y[s], ...)`` trains it alone (the same
    steps, mini-batch shuffles and dropout masks), so S nets on S training sets cost one stacked step per batch.
    Each entry of ``validation`` is an early-stopping rule: for each net, its epoch of lowest cost on that
    validation set, and the weights of that epoch, as long as the net has not gone ``patience`` epochs without
    a new lowest cost (``stacked.train_nets(..., X_val, y_val, patience)`` gives it those weights back). Unlike
    ``train_nets``, training goes on to the last epoch: one run gives the net trained to the end and, for every
    rule, the net that rule keeps.

    Args:
        stack: a ``stacked.StackedMLP`` of S nets with a sigmoid output (one unit) or a softmax output.
        X: (S, m, n_0) one training set per net. y: (S, m) integer labels.
        optimizer: a fresh optimizer; epochs: passes over each training set; batch_size: None for full batch.
        l2: None, or (S,) a lambda per net, added to each dW as (lambda / b) W (``l2_gradient``; keep the
            stack's own ``l2`` at 0).
        validation: ``{name: (X_val, y_val)}``: X_val (S, m_v, n_0), one validation set per net, or (m_v, n_0),
            one for all; y_val (S, m_v) or (m_v,). patience: epochs without a new lowest cost before a net's
            rule stops watching it (None: never).
    Returns:
        A ``PerSetRecord``.
    """
    from .fastpath import backprop, blas_threads, cross_entropy  # here: fastpath imports nothing of this module

    X, y = np.asarray(X, dtype=stack.dtype), np.asarray(y)
    S = stack.n_nets
    if X.ndim != 3 or X.shape[0] != S or X.shape[2] != stack.layer_dims[0] or y.shape != X.shape[:2]:
        raise ValueError(f"`X` and `y` must have shapes ({S}, m, {stack.layer_dims[0]}) and ({S}, m), one training "
                         f"set per net; received {X.shape} and {y.shape}.")
    y = np.stack([stack.check_data(x, labels)[1] for x, labels in zip(X, y)])
    epochs, m = check_int(epochs, "epochs", 1), y.shape[1]
    batch = m if batch_size is None else min(check_int(batch_size, "batch_size", 1), m)
    lambdas = None if l2 is None else np.array([check_l2(value) for value in np.ravel(l2)])
    if lambdas is not None and (lambdas.shape != (S,) or stack.l2):
        raise ValueError(f"`l2` must give one lambda per net ({S}) to a stack whose own l2 is 0; received "
                         f"{np.shape(l2)} with stack.l2={stack.l2!r}.")
    rules = {}
    for name, (X_val, y_val) in (validation or {}).items():
        X_val, y_val = np.asarray(X_val, dtype=stack.dtype), np.asarray(y_val)
        checked = [stack.check_data(x, labels, "X_val", "y_val")[1]
                   for x, labels in (zip(X_val, y_val) if X_val.ndim == 3 else [(X_val, y_val)])]
        if X_val.ndim == 3 and len(checked) != S:
            raise ValueError(f"`X_val` must have one validation set per net ({S}); received {X_val.shape[0]}.")
        rules[name] = (backprop.with_ones(X_val.swapaxes(-1, -2)), np.stack(checked) if X_val.ndim == 3 else checked[0])
    val_loss = {name: np.full((epochs, S), np.nan) for name in rules}
    best_epoch = {name: np.zeros(S, dtype=np.int64) for name in rules}
    best_theta = {name: stack.theta.copy() for name in rules}
    watching = {name: np.ones(S, dtype=bool) for name in rules}
    loss = np.zeros((epochs, S))
    Xa = backprop.with_ones(X.swapaxes(1, 2))  # (S, n_0 + 1, m)
    shufflers = [np.random.default_rng(seed) for seed in stack.seeds]  # as stacked.train_nets shuffles
    with blas_threads.threads_for({key: value[0] for key, value in stack.params.items()}, batch):
        for epoch in range(epochs):
            if batch < m:
                order = np.empty((S, m), dtype=np.int64)
                for row, rng in zip(order, shufflers):
                    row[...] = np.arange(m)
                    rng.shuffle(row)
                inputs, labels = np.take_along_axis(Xa, order[:, None, :], axis=2), np.take_along_axis(y, order, 1)
            else:
                inputs, labels = Xa, y
            total = np.zeros(S)
            for start in range(0, m, batch):
                cost = stack.step(inputs[:, :, start:start + batch], labels[:, start:start + batch])
                if lambdas is not None:
                    b = labels[:, start:start + batch].shape[1]
                    for key, W in stack.params.items():
                        if key[0] == "W":
                            stack.grads[key] += (lambdas / b)[:, None, None] * W
                stack.update(optimizer)
                total += min(batch, m - start) * cost.astype(np.float64, copy=False)  # as stacked.train: float64 sums
            loss[epoch] = total / m
            for name, (Xa_val, y_val) in rules.items():
                on = np.flatnonzero(watching[name])  # only the nets this rule still watches
                if not len(on):
                    continue
                blocks = stack.blocks if len(on) == S else [block[on] for block in stack.blocks]
                Xa_on, y_on = (Xa_val[on], y_val[on]) if y_val.ndim == 2 and len(on) < S else (Xa_val, y_val)
                Z = backprop.forward(blocks, Xa_on, stack.hidden_activation)[0]  # (watched, n_L, m_v)
                costs = (cross_entropy.sigmoid_cross_entropy(Z[:, 0], y_on)[0] if Z.shape[1] == 1
                         else cross_entropy.softmax_cross_entropy(Z, y_on)[0]) / Xa_val.shape[-1]
                costs = costs + stack.l2_penalty(Xa_val.shape[-1])[on]
                val_loss[name][epoch, on] = costs
                best = best_epoch[name]
                improved = on[(best[on] == 0) | (costs < val_loss[name][np.maximum(best[on], 1) - 1, on])]
                best[improved] = epoch + 1
                best_theta[name][improved] = stack.theta[improved]
                if patience is not None:
                    watching[name][on] = epoch + 1 - best[on] < patience
    if not np.isfinite(stack.theta).all():
        raise FloatingPointError("training diverged: a parameter became NaN or inf; try a smaller learning rate.")
    return PerSetRecord(loss, val_loss, best_epoch, best_theta)
