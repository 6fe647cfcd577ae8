"""Datasets generated in code or shipped inside scikit-learn: nothing is downloaded.

Every function returns ``X_train, y_train, X_test, y_test`` with one example per row
(``X`` of shape (m, n_features), float64) and integer labels ``y`` of shape (m,), and every
one is seeded: the same ``seed`` gives the same arrays, bit for bit.
"""

import numpy as np
import sklearn.datasets
import sklearn.model_selection

from ._validation import as_float_array, as_labels, check_int, check_positive, check_seed, make_rng


def train_test_split(X, y, n_test, seed=0, stratify=True):
    """Split (X, y) into train and test sets with ``n_test`` test rows.

    With ``stratify`` each class keeps its share in both sets, so on a balanced set the
    majority-class rate (the accuracy of a constant prediction) is exactly 50% in each.
    """
    X = as_float_array(X, "X", ndim=2)
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"`y` must have shape ({X.shape[0]},), one label per row of X; received {y.shape}.")
    y = as_labels(y, "y", X.shape[0], n_classes=np.iinfo(np.int64).max)  # integers >= 0
    n_test = check_int(n_test, "n_test", 1)
    seed = check_seed(seed)
    if n_test >= X.shape[0]:
        raise ValueError(f"`n_test` must be smaller than the {X.shape[0]} examples; received n_test={n_test}.")
    X_train, X_test, y_train, y_test = sklearn.model_selection.train_test_split(
        X, y, test_size=n_test, random_state=seed, stratify=y if stratify else None
    )
    return X_train, y_train.astype(np.int64), X_test, y_test.astype(np.int64)


def circles(n_train=300, n_test=100, noise=0.05, factor=0.8, seed=1):
    """Two noisy concentric circles (sklearn's ``make_circles``), outer = 0 and inner = 1.

    With factor 0.8 the circles have radii 1 and 0.8: no line separates them, so a net must
    learn a round boundary. Shapes: X (n, 2), y (n,); the split is stratified (50% chance level).
    """
    n = check_int(n_train, "n_train", 2) + check_int(n_test, "n_test", 2)
    seed = check_seed(seed)
    X, y = sklearn.datasets.make_circles(n_samples=n, noise=check_positive(noise, "noise", allow_zero=True),
                                         factor=factor, random_state=seed)
    return train_test_split(X, y, n_test, seed=seed)


def moons(n_train=300, n_test=100, noise=0.2, seed=1):
    """Two interleaving half-moons (sklearn's ``make_moons``); X (n, 2), y (n,), stratified split."""
    n = check_int(n_train, "n_train", 2) + check_int(n_test, "n_test", 2)
    seed = check_seed(seed)
    X, y = sklearn.datasets.make_moons(n_samples=n, noise=check_positive(noise, "noise", allow_zero=True),
                                       random_state=seed)
    return train_test_split(X, y, n_test, seed=seed)


def noisy_boundary(n_train=200, n_test=1000, flip=0.12, seed=1):
    """A 2-D set with a wavy true boundary and flipped labels, on which an unregularized net overfits.

    Points are uniform on [-1, 1]^2; the true class is whether x_2 > 0.5 sin(pi x_1) - 0.1. A
    fraction ``flip`` of the labels is then flipped at random, so no boundary gets them all right:
    a net that fits the training set perfectly has learned the noise. The test set has the same
    noise. A label is flipped independently of where its point lies, so on new points the true boundary
    (``noisy_boundary_truth``) is right with probability exactly ``1 - flip``, and no classifier can
    expect more: a classifier right on a share c of the true classes scores flip + (1 - 2 flip) c.
    """
    n_train, n_test = check_int(n_train, "n_train", 2), check_int(n_test, "n_test", 2)
    flip = check_positive(flip, "flip", allow_zero=True)
    if flip >= 0.5:
        raise ValueError(f"`flip` must be in [0, 0.5) so labels still carry signal; received flip={flip!r}.")
    rng = make_rng(seed=check_seed(seed))
    X = rng.uniform(-1.0, 1.0, size=(n_train + n_test, 2))
    y = (X[:, 1] > 0.5 * np.sin(np.pi * X[:, 0]) - 0.1).astype(np.int64)
    y = np.where(rng.random(y.shape) < flip, 1 - y, y)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def noisy_boundary_truth(X):
    """The true (noise-free) class of each point of ``noisy_boundary``: 1 where x_2 > 0.5 sin(pi x_1) - 0.1."""
    X = as_float_array(X, "X", ndim=2)
    return (X[:, 1] > 0.5 * np.sin(np.pi * X[:, 0]) - 0.1).astype(np.int64)


FRESH_SAMPLE_KINDS = ("circles", "moons", "noisy_boundary")


def fresh_sample(kind, n, seed, **options):
    """``n`` new points ``(X, y)`` from the generator of ``circles``, ``moons`` or ``noisy_boundary``.

    For measuring test accuracy on a large sample. A test set of m independent points has a standard
    error of sqrt(p (1 - p) / m): 3 points of accuracy at m = 200, 0.3 at m = 20,000. ``moons`` and
    ``circles`` space their points evenly along the curves and draw only the noise, so for them it is an
    upper bound. ``options`` are the generator's own (``noise``, ``factor``, ``flip``), with the same
    defaults; use a seed that no training set uses, so the points are new.
    """
    n = check_int(n, "n", 1)
    seed = check_seed(seed)
    if kind == "circles":
        noise, factor = options.pop("noise", 0.05), options.pop("factor", 0.8)
        X, y = sklearn.datasets.make_circles(n_samples=n, noise=check_positive(noise, "noise", allow_zero=True),
                                             factor=factor, random_state=seed)
    elif kind == "moons":
        noise = options.pop("noise", 0.2)
        X, y = sklearn.datasets.make_moons(n_samples=n, noise=check_positive(noise, "noise", allow_zero=True),
                                           random_state=seed)
    elif kind == "noisy_boundary":
        X, y, _, _ = noisy_boundary(n_train=max(n, 2), n_test=2, flip=options.pop("flip", 0.12), seed=seed)
        X, y = X[:n], y[:n]
    else:
        raise ValueError(f"Unknown kind {kind!r}; expected one of {list(FRESH_SAMPLE_KINDS)}.")
    if options:
        raise TypeError(f"fresh_sample({kind!r}) got unexpected options {sorted(options)}.")
    return X, y.astype(np.int64)


def spirals(n_per_class=100, n_classes=3, noise=0.2, n_test=60, seed=1):
    """``n_classes`` interleaved spiral arms in 2-D; labels 0..n_classes-1, stratified split."""
    n_per_class = check_int(n_per_class, "n_per_class", 2)
    n_classes = check_int(n_classes, "n_classes", 2)
    rng = make_rng(seed=check_seed(seed))
    t = np.linspace(0.0, 1.0, n_per_class)  # position along the arm
    X, y = [], []
    for k in range(n_classes):
        angle = 4.0 * t + 2.0 * np.pi * k / n_classes + noise * rng.standard_normal(n_per_class)
        X.append(np.column_stack([t * np.sin(angle), t * np.cos(angle)]))
        y.append(np.full(n_per_class, k))
    return train_test_split(np.vstack(X), np.concatenate(y), n_test, seed=seed)


def digits(n_test=360, seed=0, images=False):
    """scikit-learn's bundled handwritten digits: 1,797 images of 8x8 pixels, 10 classes.

    Pixels are scaled from 0..16 to [0, 1]. ``X`` is (m, 64), or (m, 8, 8) with ``images=True``
    (for augmentation); the split is stratified by class.
    """
    data = sklearn.datasets.load_digits()
    X = data.data / 16.0  # (1797, 64) in [0, 1]
    X_train, y_train, X_test, y_test = train_test_split(X, data.target, n_test, seed=seed)
    if images:
        X_train, X_test = X_train.reshape(-1, 8, 8), X_test.reshape(-1, 8, 8)
    return X_train, y_train, X_test, y_test


def one_hot(y, n_classes):
    """Integer labels (m,) -> one-hot rows (m, n_classes) of 0.0 and 1.0."""
    n_classes = check_int(n_classes, "n_classes", 1)
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"`y` must be a 1-D array of integer labels; received shape {y.shape}, dtype {y.dtype}.")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"`y` must hold labels in [0, {n_classes - 1}]; received values from {y.min()} to {y.max()}.")
    return np.eye(n_classes)[y]
