"""Tests for course_utils.fastpath.cross_entropy: the fused step's losses and R = m dJ/dZ, against ``losses``."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from course_utils import losses
from course_utils.fastpath import cross_entropy
from course_utils.fastpath.workspace import Workspace


def test_stable_at_extreme_logits_and_equal_to_the_losses_module():
    z = np.array([[-1e4, -40.0, -3.0, 0.0, 2.0, 40.0, 1e4]])
    for y in (np.zeros(7, dtype=np.int64), np.ones(7, dtype=np.int64)):
        total, R = cross_entropy.sigmoid_cross_entropy(z.copy(), y)
        loss_ref, grad_ref = losses.sigmoid_cross_entropy_with_grad(z[0], y)
        assert np.isfinite(total).all() and total[0] / 7 == pytest.approx(loss_ref, rel=1e-14)
        assert_allclose(R[0, 0] / 7, grad_ref, rtol=1e-14, atol=1e-17)  # sigma(40) - 1 = -4e-18 here, 0 there
    assert cross_entropy.sigmoid_cross_entropy(np.zeros((1, 2)), np.array([0, 1]))[1][0, 0].tolist() == [0.5, -0.5]
    Z = np.array([[[1e4, -1e4, 0.0], [0.0, 1e4, 0.0], [-1e4, 0.0, 1.0]]])  # (S, K, m): logits of 3 examples
    y = np.array([0, 2, 2])
    total, R = cross_entropy.softmax_cross_entropy(Z.copy(), y)
    loss_ref, grad_ref = losses.softmax_cross_entropy_with_grad(Z[0].T, y)
    assert total[0] / 3 == pytest.approx(loss_ref, rel=1e-14)
    assert_allclose(R[0].T / 3, grad_ref, rtol=1e-14, atol=1e-300)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_one_label_vector_or_one_per_net_in_the_dtype_of_the_logits(dtype):
    rng = np.random.default_rng(0)
    z, y = (3 * rng.standard_normal((4, 9))).astype(dtype), rng.integers(0, 2, (4, 9))
    per_net, R = cross_entropy.sigmoid_cross_entropy(z, y, Workspace())
    assert per_net.dtype == R.dtype == dtype and R.shape == (4, 1, 9)
    for s in range(4):
        loss, grad = losses.sigmoid_cross_entropy_with_grad(z[s], y[s])
        assert per_net[s] / 9 == pytest.approx(loss, rel=1e-5 if dtype == "float32" else 1e-13)
        assert_allclose(R[s, 0] / 9, grad, rtol=1e-5 if dtype == "float32" else 1e-13, atol=1e-7)
    shared, _ = cross_entropy.sigmoid_cross_entropy(z, y[0])
    assert shared[0] == per_net[0] and shared[1] != per_net[1]
    Z, labels = rng.standard_normal((2, 3, 5)).astype(dtype), rng.integers(0, 3, (2, 5))
    per_net, R = cross_entropy.softmax_cross_entropy(Z.copy(), labels)
    for s in range(2):
        loss, grad = losses.softmax_cross_entropy_with_grad(Z[s].T, labels[s])
        assert per_net[s] / 5 == pytest.approx(loss, rel=1e-5 if dtype == "float32" else 1e-13)
        assert_allclose(R[s].T / 5, grad, rtol=1e-5 if dtype == "float32" else 1e-13, atol=1e-7)
