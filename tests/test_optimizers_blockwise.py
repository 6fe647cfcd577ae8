"""Tests for course_utils.optimizers.Blockwise: several optimizers in one stack train each block of nets bit for bit
as a stack of its own would, by hand on plain arrays, and with clear errors."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from course_utils import datasets, optimizers, schedules, stacked
from course_utils.fastpath import PackedArrays

from learner_optimizers import PlainAdam

SEEDS = [0, 1, 2]


@pytest.fixture(scope="module")
def moons():
    X, y, _, _ = datasets.moons(n_train=50, n_test=10, seed=2)
    return X, y


def blocks():
    """Fresh optimizers of four kinds, one per block: packed and per-array updates, a schedule and per-net rates."""
    return [optimizers.GD(0.3), optimizers.Momentum(schedules.ExponentialDecay(0.3, decay_steps=5, decay_rate=0.5)),
            optimizers.Adam(np.array([0.01, 0.02, 0.03])), PlainAdam(0.01)]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("batch_size", [None, 16])
def test_each_block_trains_as_its_own_stack_bit_for_bit(moons, dtype, batch_size):
    X, y = moons
    together = stacked.StackedMLP([2, 6, 4, 1], SEEDS * 4, dtype=dtype, keep_prob=0.8)
    history = stacked.train(together, X, y, optimizers.Blockwise(blocks(), sizes=len(SEEDS)), epochs=8,
                            batch_size=batch_size)
    for k, optimizer in enumerate(blocks()):
        alone = stacked.StackedMLP([2, 6, 4, 1], SEEDS, dtype=dtype, keep_prob=0.8)
        alone_history = stacked.train(alone, X, y, optimizer, epochs=8, batch_size=batch_size)
        rows = slice(k * len(SEEDS), (k + 1) * len(SEEDS))
        assert_array_equal(together.theta[rows], alone.theta)
        assert_array_equal(history.loss[:, rows], alone_history.loss)
        for s in range(len(SEEDS)):
            assert history[k * len(SEEDS) + s].learning_rate == alone_history[s].learning_rate
    assert len({tuple(row) for row in together.theta}) == len(together.theta), "every net moved its own way"


def test_blocks_of_different_sizes_and_the_rate_of_every_net():
    opt = optimizers.Blockwise([optimizers.GD(0.5), optimizers.Adam(np.array([0.1, 0.2]))], sizes=[1, 2])
    assert_array_equal(opt.current_learning_rate(), [0.5, 0.1, 0.2])
    params = {"W": np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])}
    opt.step(params, {"W": np.array([[2.0, -2.0], [1.0, -4.0], [0.5, 0.0]])})
    # GD: row 0 minus 0.5 g. Adam's first step: m_hat = g, v_hat = g^2, so minus rate * sign(g) (0 where g = 0)
    assert_array_equal(params["W"][0], [0.0, 3.0])
    np.testing.assert_allclose(params["W"][1:], [[2.9, 4.1], [4.8, 6.0]], rtol=1e-7)
    assert opt.iterations == 1 and [o.iterations for o in opt.optimizers] == [1, 1]
    assert opt.optimizers[1].slots["m"]["W"].shape == (2, 2), "each block's state has its block's rows"


def test_a_packed_stack_keeps_each_block_packed():
    theta = PackedArrays({"theta": np.arange(12.0).reshape(4, 3)})
    block = theta.row_block(1, 3)
    assert block.layout == (("theta", (2, 3)),) and np.shares_memory(block.flat, theta.flat)
    block["theta"][0, 0] = -1.0
    assert theta["theta"][1, 0] == -1.0
    with pytest.raises(ValueError, match=r"rows \[3, 5\).*4 rows"):
        theta.row_block(3, 5)
    with pytest.raises(ValueError, match="one array"):
        PackedArrays({"W": np.zeros((2, 2)), "b": np.zeros(2)}).row_block(0, 1)


def test_repr_names_the_blocks():
    opt = optimizers.Blockwise([optimizers.GD(0.1), optimizers.Momentum(0.2)], sizes=3)
    assert repr(opt) == "Blockwise(optimizers=[GD(learning_rate=0.1), Momentum(learning_rate=0.2, beta=0.9)], sizes=[3, 3])"


@pytest.mark.parametrize("args, error, match", [
    (([], 2), TypeError, "`optimizers` must be a non-empty list"),
    (([0.1], 2), TypeError, "`optimizers` must be a non-empty list"),
    (([optimizers.GD(0.1)], 0), ValueError, r"`sizes` must be a positive int.*received 0"),
    (([optimizers.GD(0.1), optimizers.GD(0.2)], [2]), ValueError, r"one positive int per optimizer \(2\)"),
    (([optimizers.GD(0.1)], 2.0), ValueError, "`sizes`"),
])
def test_bad_arguments_get_clear_errors(args, error, match):
    with pytest.raises(error, match=match):
        optimizers.Blockwise(*args)


def test_the_same_optimizer_twice_is_refused():
    gd = optimizers.GD(0.1)
    with pytest.raises(ValueError, match="same optimizer object twice"):
        optimizers.Blockwise([gd, gd], 2)
    with pytest.raises(TypeError, match="must not hold a Blockwise"):
        optimizers.Blockwise([optimizers.Blockwise([gd], 1)], 1)


def test_a_stack_of_another_size_is_refused(moons):
    opt = optimizers.Blockwise([optimizers.GD(0.1), optimizers.GD(0.2)], sizes=2)
    with pytest.raises(ValueError, match=r"sizes \[2, 2\] updates a stack of 4 nets.*`params\['W'\]` has shape \(3, 2\)"):
        opt.step({"W": np.zeros((3, 2))}, {"W": np.zeros((3, 2))})
    with pytest.raises(ValueError, match="one rate per net"):
        stacked.train(stacked.StackedMLP([2, 3, 1], SEEDS), *moons, opt, epochs=1)


def test_a_block_rate_array_of_another_size_is_refused():
    opt = optimizers.Blockwise([optimizers.GD(0.1), optimizers.GD(np.array([0.1, 0.2, 0.3]))], sizes=2)
    with pytest.raises(ValueError, match=r"block 1 \(GD\) has 2 nets but its `learning_rate` array holds 3 rates"):
        opt.current_learning_rate()
