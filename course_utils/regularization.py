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
