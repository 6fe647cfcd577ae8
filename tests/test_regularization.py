"""Tests for course_utils.regularization: the L2 penalty and gradient, dropout masks, image augmentation."""

import copy

import numpy as np
import pytest
import scipy.ndimage
from numpy.testing import assert_allclose, assert_array_equal

from course_utils import activations, datasets, gradcheck, model, regularization


def some_params(rng, dims=(3, 5, 4, 1)):
    return {key: value for l in range(1, len(dims))
            for key, value in ((f"W{l}", rng.standard_normal((dims[l - 1], dims[l]))),
                               (f"b{l}", rng.standard_normal(dims[l])))}


# ---------------------------------------------------------------- L2


def test_l2_penalty_by_hand():
    """W1 = [[1, 2]], W2 = [[3], [4]]: sum of squares 1 + 4 + 9 + 16 = 30; the biases are ignored."""
    params = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([100.0, 100.0]), "W2": np.array([[3.0], [4.0]]),
              "b2": np.array([-7.0])}
    assert regularization.l2_penalty(params, l2=0.5, m=10) == pytest.approx(0.5 / 20 * 30)
    assert regularization.l2_penalty(params, l2=0.0, m=10) == 0.0


def test_l2_gradient_matches_numerical(rng):
    params = some_params(rng)
    l2, m = 0.7, 13
    for key in ("W1", "W2", "W3"):
        def penalty(W, key=key):
            return regularization.l2_penalty({**params, key: W}, l2, m)
        numerical = gradcheck.numerical_gradient(penalty, params[key].copy())
        analytic = regularization.l2_gradient(params[key], l2, m)
        assert gradcheck.relative_error(analytic, numerical) < 1e-7, key


def test_l2_penalty_equals_keras_kernel_regularizer(keras, rng):
    """Keras's L2(c) adds c * sum(W**2) per kernel; with c = lambda / (2m) that is our penalty."""
    dims, l2, m = [3, 5, 4, 1], 0.7, 211
    params = some_params(rng, dims)
    layers = [keras.layers.Dense(n, kernel_regularizer=keras.regularizers.L2(l2 / (2 * m))) for n in dims[1:]]
    net = keras.Sequential([keras.Input((dims[0],)), *layers])
    for l, layer in enumerate(layers, start=1):
        layer.set_weights([params[f"W{l}"], params[f"b{l}"]])
    net(np.zeros((1, dims[0]), dtype=np.float32))
    keras_penalty = float(sum(np.asarray(loss) for loss in net.losses))
    assert len(net.losses) == 3
    assert keras_penalty == pytest.approx(regularization.l2_penalty(params, l2, m), rel=1e-5)  # Keras is float32


def test_model_uses_the_module_penalty_and_gradient(rng):
    X, y = rng.standard_normal((10, 3)), rng.integers(0, 2, 10)
    plain, reg = model.MLP([3, 5, 1], seed=1), model.MLP([3, 5, 1], l2=0.4, seed=1)
    loss0, grads0 = plain.loss_and_grads(X, y)
    loss, grads = reg.loss_and_grads(X, y)
    assert loss == loss0 + regularization.l2_penalty(reg.params, 0.4, 10)
    for key in grads:
        extra = regularization.l2_gradient(reg.params[key], 0.4, 10) if key[0] == "W" else 0.0
        assert_array_equal(grads[key], grads0[key] + extra)


@pytest.mark.parametrize("l2, error", [(-0.1, ValueError), (float("nan"), ValueError), ("0.1", TypeError)])
def test_bad_l2(l2, error):
    with pytest.raises(error, match="l2"):
        regularization.l2_penalty({"W1": np.ones((2, 2))}, l2, 4)
    with pytest.raises(error, match="l2"):
        model.MLP([2, 3, 1], l2=l2)


def test_l2_penalty_rejects_bad_m():
    with pytest.raises(ValueError, match="`m`"):
        regularization.l2_penalty({"W1": np.ones((2, 2))}, 0.1, 0)


# ---------------------------------------------------------------- dropout


def test_dropout_mask_keeps_keep_prob_of_the_units_and_is_seeded():
    a = regularization.dropout_mask((400, 500), 0.8, np.random.default_rng(3))
    b = regularization.dropout_mask((400, 500), 0.8, np.random.default_rng(3))
    assert a.dtype == bool and a.shape == (400, 500)
    assert a.mean() == pytest.approx(0.8, abs=0.005)
    assert_array_equal(a, b)


@pytest.mark.parametrize("keep_prob", [0.5, 0.8, 0.95])
def test_inverted_dropout_keeps_the_mean_within_2_percent(rng, keep_prob):
    A = rng.uniform(0.0, 2.0, size=(1000, 200))  # activations with mean 1
    mask = regularization.dropout_mask(A.shape, keep_prob, rng)
    dropped = regularization.apply_dropout(A, mask, keep_prob)
    assert abs(dropped.mean() - A.mean()) < 0.02 * A.mean()
    assert abs((A * mask).mean() - keep_prob * A.mean()) < 0.02 * A.mean()  # without the 1/keep_prob: too small
    assert_array_equal(dropped[~mask], 0.0)
    assert_allclose(dropped[mask], A[mask] / keep_prob)


def test_forward_mask_is_the_one_backward_uses(rng):
    """One hidden layer: dW1 = X^T ((dZ2 W2^T) * D1 / keep_prob * relu'(Z1)) with D1 from the forward cache."""
    keep_prob = 0.6
    net = model.MLP([3, 8, 1], keep_prob=keep_prob, seed=2)
    X = rng.standard_normal((50, 3))
    expected_mask = regularization.dropout_mask((50, 8), keep_prob, copy.deepcopy(net.rng))
    _, caches = net.forward(X, training=True)
    assert_array_equal(caches[0].mask, expected_mask)
    assert_array_equal(caches[1].A_prev, np.maximum(caches[0].Z, 0) * expected_mask / keep_prob)
    dZ = rng.standard_normal((50, 1))
    grads = net.backward(dZ, caches)
    _, relu_grad = activations.get("relu")
    dZ1 = (dZ @ net.params["W2"].T) * expected_mask / keep_prob * relu_grad(caches[0].Z)
    assert_allclose(grads["W1"], X.T @ dZ1, rtol=1e-12)
    assert_allclose(grads["b1"], dZ1.sum(axis=0), rtol=1e-12, atol=1e-15)


def test_predict_never_applies_dropout(rng):
    X = rng.standard_normal((40, 3))
    dropout, plain = model.MLP([3, 8, 8, 1], keep_prob=0.5, seed=0), model.MLP([3, 8, 8, 1], seed=0)
    state = copy.deepcopy(dropout.rng.bit_generator.state)
    assert_array_equal(dropout.predict_proba(X), plain.predict_proba(X))
    assert_array_equal(dropout.predict(X), dropout.predict(X))
    y = rng.integers(0, 2, 40)
    assert dropout.loss(X, y) == plain.loss(X, y)  # the reported cost is computed without dropout too
    assert dropout.rng.bit_generator.state == state, "prediction must not draw masks"


def test_keep_prob_one_is_exactly_the_model_without_dropout(rng):
    X, y = rng.standard_normal((30, 3)), rng.integers(0, 2, 30)
    net = model.MLP([3, 6, 5, 1], keep_prob=1.0, seed=3)
    state = copy.deepcopy(net.rng.bit_generator.state)
    loss, grads = net.loss_and_grads_unfused(X, y)  # the readable step, exactly; the fused one draws no masks either
    fused_loss, fused_grads = net.loss_and_grads(X, y)
    assert fused_loss == pytest.approx(loss, rel=1e-13)
    assert all(np.allclose(fused_grads[k], grads[k], rtol=1e-12, atol=1e-16) for k in grads)
    logits, caches = model.forward(net.params, X)  # the no-dropout path: no rng, no masks
    assert all(cache.mask is None for cache in caches)
    loss_plain, dlogits = net.data_loss_and_grad(logits, y)
    assert loss == loss_plain
    grads_plain = model.backward(dlogits, caches, net.params)
    assert all(np.array_equal(grads[k], grads_plain[k]) for k in grads)
    assert net.rng.bit_generator.state == state, "keep_prob = 1 draws no masks"


@pytest.mark.parametrize("keep_prob, error", [
    (0, ValueError), (0.0, ValueError), (-0.2, ValueError), (1.5, ValueError), (float("nan"), ValueError),
    ("0.5", TypeError), (True, TypeError), (None, TypeError),
])
def test_bad_keep_prob(keep_prob, error):
    with pytest.raises(error, match="keep_prob"):
        regularization.check_keep_prob(keep_prob)
    with pytest.raises(error, match="keep_prob"):
        model.MLP([2, 3, 1], keep_prob=keep_prob)


def test_dropout_mask_needs_a_generator():
    with pytest.raises(TypeError, match="rng"):
        regularization.dropout_mask((2, 3), 0.5, rng=0)


# ---------------------------------------------------------------- augmentation


@pytest.fixture(scope="module")
def digit_images():
    X_train, y_train, _, _ = datasets.digits(images=True)
    return X_train[:60], y_train[:60]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("noise_std", [0.0, 0.3])
def test_augmentation_keeps_shape_dtype_range_and_labels(digit_images, dtype, noise_std):
    images, labels = digit_images[0].astype(dtype), digit_images[1]
    new_images, new_labels = regularization.augment_dataset(images, labels, copies=2, seed=0, noise_std=noise_std)
    assert new_images.shape == (180, 8, 8) and new_images.dtype == dtype
    assert new_images.min() >= 0.0 and new_images.max() <= 1.0
    assert_array_equal(new_labels, np.tile(labels, 3))
    assert_array_equal(new_images[:60], images)  # the originals come first, unchanged
    assert not np.array_equal(new_images[60:120], images)


def test_augmentation_is_deterministic_per_seed(digit_images):
    images = digit_images[0]
    a = regularization.augment_images(images, seed=5, noise_std=0.05)
    b = regularization.augment_images(images, rng=np.random.default_rng(5), noise_std=0.05)
    c = regularization.augment_images(images, seed=6, noise_std=0.05)
    assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_zero_transform_is_the_identity(digit_images):
    images = digit_images[0]
    same = regularization.augment_images(images, seed=1, max_shift=0, max_rotation=0, max_zoom=0, noise_std=0)
    assert_array_equal(same, images)


def shift_with_zeros(image, dr, dc):
    """Move the content of ``image`` down by dr rows and right by dc columns, filling with zeros."""
    out = np.zeros_like(image)
    h, w = image.shape
    out[max(dr, 0):h + min(dr, 0), max(dc, 0):w + min(dc, 0)] = image[max(-dr, 0):h - max(dr, 0),
                                                                       max(-dc, 0):w - max(dc, 0)]
    return out


def test_shift_only_moves_pixels_by_at_most_max_shift(digit_images):
    images = digit_images[0]
    shifted = regularization.augment_images(images, seed=2, max_shift=2, max_rotation=0, max_zoom=0)
    candidates = [(dr, dc) for dr in range(-2, 3) for dc in range(-2, 3)]
    used = set()
    for original, new in zip(images, shifted):
        matches = [s for s in candidates if np.allclose(new, shift_with_zeros(original, *s), atol=1e-12)]
        assert matches, "each image must be a whole-pixel shift of its original"
        used.update(matches)
    assert len(used) > 10, "shifts should vary over the 25 possibilities"


def test_rotation_by_90_degrees_is_a_quarter_turn(rng):
    image = rng.uniform(0, 1, (7, 7))
    matrix, offset = regularization._affine(image.shape, 90.0, 1.0, (0, 0))
    turned = scipy.ndimage.affine_transform(image, matrix, offset=offset, order=1)
    assert_allclose(turned, np.rot90(image, k=1), atol=1e-12)


def test_zoom_moves_the_ink_towards_or_away_from_the_centre(digit_images):
    """A zoom alone (no shift, no rotation) changes how far each digit's ink sits from the centre."""
    images = digit_images[0]
    rows, cols = np.mgrid[0:8, 0:8] - 3.5
    radius = np.hypot(rows, cols)

    def mean_radius(batch):
        return np.sum(batch * radius, axis=(1, 2)) / np.sum(batch, axis=(1, 2))

    # max_zoom 0.3 draws zooms in [0.7, 1.3]
    zoomed = regularization.augment_images(images, seed=0, max_shift=0, max_rotation=0, max_zoom=0.3)
    changed = np.abs(mean_radius(zoomed) - mean_radius(images))
    assert changed.mean() > 0.05


@pytest.mark.parametrize("images, error, match", [
    pytest.param(np.zeros((5, 64)), ValueError, "shape", id="2-D"),
    pytest.param(np.zeros((5, 8, 8, 1)), ValueError, "shape", id="4-D"),
    pytest.param(np.full((2, 8, 8), 16.0), ValueError, r"\[0, 1\]", id="0..16 pixels"),
    pytest.param(np.full((2, 8, 8), -0.1), ValueError, r"\[0, 1\]", id="negative"),
    pytest.param(np.full((2, 8, 8), np.nan), ValueError, r"\[0, 1\]", id="nan"),
    pytest.param(np.zeros((2, 8, 8), dtype=np.int64), TypeError, "float", id="integers"),
])
def test_augmentation_rejects_bad_images(images, error, match):
    with pytest.raises(error, match=rf"`images`.*{match}"):
        regularization.augment_images(images, seed=0)


@pytest.mark.parametrize("kwargs, error, argument", [
    ({"max_shift": -1}, ValueError, "max_shift"),
    ({"max_shift": 1.5}, TypeError, "max_shift"),
    ({"max_rotation": -5.0}, ValueError, "max_rotation"),
    ({"max_zoom": 1.0}, ValueError, "max_zoom"),
    ({"noise_std": -0.1}, ValueError, "noise_std"),
])
def test_augmentation_rejects_bad_settings(kwargs, error, argument):
    with pytest.raises(error, match=argument):
        regularization.augment_images(np.zeros((2, 8, 8)), seed=0, **kwargs)


def test_augment_dataset_rejects_mismatched_labels_and_bad_copies():
    with pytest.raises(ValueError, match="labels"):
        regularization.augment_dataset(np.zeros((3, 8, 8)), np.zeros(4), seed=0)
    with pytest.raises(ValueError, match="copies"):
        regularization.augment_dataset(np.zeros((3, 8, 8)), np.zeros(3), copies=-1, seed=0)
