"""Tests for course_utils.fastpath.packing: arrays that are views into one flat buffer."""

import copy
import pickle

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from course_utils.fastpath.packing import PackedArrays, flat_pair


def make(dtype=np.float64):
    return PackedArrays({"W1": np.arange(6.0).reshape(2, 3), "b1": [10.0, 11.0, 12.0], "W2": [[1.0], [2.0], [3.0]],
                         "b2": [-1.0]}, dtype=dtype)


def test_the_buffer_holds_the_arrays_in_key_order():
    packed = make()
    assert_array_equal(packed.flat, [0, 1, 2, 3, 4, 5, 10, 11, 12, 1, 2, 3, -1])
    assert list(packed) == ["W1", "b1", "W2", "b2"]
    assert packed.layout == (("W1", (2, 3)), ("b1", (3,)), ("W2", (3, 1)), ("b2", (1,)))
    assert all(np.shares_memory(value, packed.flat) for value in packed.values())


def test_updates_through_an_array_and_through_the_buffer_are_the_same():
    packed = make()
    packed["W1"] -= 1.0  # in place, as an optimizer does
    assert packed.flat[0] == -1.0
    packed.flat[6:9] = 0.0
    assert_array_equal(packed["b1"], [0.0, 0.0, 0.0])


def test_assigning_an_array_copies_it_in_and_keeps_the_packing():
    packed = make()
    new = np.full((2, 3), 7.0)
    packed["W1"] = new
    new[0, 0] = 0.0  # the caller's array is not aliased
    assert_array_equal(packed.flat[:6], 7.0)
    assert np.shares_memory(packed["W1"], packed.flat)


def test_wrong_shape_and_unknown_names_are_refused():
    packed = make()
    with pytest.raises(ValueError, match=r"`W1` must have shape \(2, 3\).*received shape \(3, 2\)"):
        packed["W1"] = np.zeros((3, 2))
    with pytest.raises(KeyError, match="'W3' is not one of the packed arrays"):
        packed["W3"] = np.zeros(1)
    for remove in (lambda p: p.__delitem__("W1"), lambda p: p.pop("W1"), lambda p: p.popitem(), lambda p: p.clear()):
        with pytest.raises(TypeError, match="cannot be removed"):
            remove(packed)
    with pytest.raises(KeyError, match="'c1' is not one of the packed arrays"):
        packed.setdefault("c1", np.zeros(1))
    assert list(packed) == ["W1", "b1", "W2", "b2"]


@pytest.mark.parametrize("write", [lambda p, new: p.update(new), lambda p, new: p.update(**new),
                                   lambda p, new: p.__ior__(new)])
def test_update_copies_into_the_buffer(write):
    packed = make()
    write(packed, {"W2": np.full((3, 1), 5.0), "b2": np.array([9.0])})
    assert_array_equal(packed.flat[-4:], [5.0, 5.0, 5.0, 9.0])
    assert all(np.shares_memory(value, packed.flat) for value in packed.values())
    with pytest.raises(ValueError, match="`b2` must have shape"):
        packed.update({"b2": np.zeros(2)})


@pytest.mark.parametrize("shallow", [copy.copy, lambda p: p.copy(), dict])
def test_a_shallow_copy_is_a_plain_dict_of_the_same_arrays(shallow):
    packed = make()
    plain = shallow(packed)
    assert type(plain) is dict and all(plain[name] is packed[name] for name in packed)


@pytest.mark.parametrize("duplicate", [copy.deepcopy, lambda p: pickle.loads(pickle.dumps(p))])
def test_copies_have_their_own_buffer_and_stay_packed(duplicate):
    packed = make(np.float32)
    twin = duplicate(packed)
    assert isinstance(twin, PackedArrays) and twin.layout == packed.layout and twin.flat.dtype == np.float32
    assert_array_equal(twin.flat, packed.flat)
    twin["W1"] += 1.0
    assert packed.flat[0] == 0.0 and twin.flat[0] == 1.0
    assert all(np.shares_memory(value, twin.flat) for value in twin.values())


def test_empty_like_has_the_layout_and_dtype():
    packed = make(np.float32)
    other = PackedArrays.empty_like(packed)
    assert other.layout == packed.layout and other.flat.dtype == np.float32 and other.flat.shape == (13,)
    assert not np.shares_memory(other.flat, packed.flat)
    assert all(other[name].shape == packed[name].shape for name in packed)


def test_flat_pair_needs_two_packings_of_one_layout_and_dtype():
    packed = make()
    grads = PackedArrays.empty_like(packed)
    theta, dtheta = flat_pair(packed, grads)
    assert theta is packed.flat and dtheta is grads.flat
    assert flat_pair(packed, dict(grads)) is None  # a plain dict
    assert flat_pair(packed, make(np.float32)) is None  # another dtype
    assert flat_pair(packed, PackedArrays({"W1": np.zeros((2, 3))})) is None  # another layout


# ---------------------------------------------------------------- a dict of arrays, as a learner expects


def test_an_assignment_leaves_arrays_obtained_earlier_alone():
    packed = make()
    old_b1, old_w1 = packed["b1"], packed["W1"]
    before_b1, before_w1 = old_b1.copy(), old_w1.copy()
    packed["b1"] = old_b1 + 1.0
    assert_array_equal(old_b1, before_b1)  # as with a plain dict: `old_b1` is not the dict's any more
    assert_array_equal(old_w1, before_w1)
    assert_array_equal(packed["b1"], before_b1 + 1.0)
    assert all(np.shares_memory(value, packed.flat) for value in packed.values())  # still one buffer


def test_save_perturb_restore_gives_back_the_same_bits():
    packed = make()
    flat_before = packed.flat.copy()
    for name in list(packed):
        old = packed[name]
        packed[name] = old + 1e-5
        assert not np.array_equal(packed[name], old)
        packed[name] = old
    assert_array_equal(packed.flat, flat_before)
    assert packed.flat.tobytes() == flat_before.tobytes()


def test_in_place_updates_still_reach_the_buffer_and_every_holder():
    packed = make()
    w1 = packed["W1"]
    packed["W1"] -= 1.0  # __isub__ then __setitem__ with the same array: no new buffer
    assert packed["W1"] is w1 and np.shares_memory(w1, packed.flat)
    assert_array_equal(w1, np.arange(6.0).reshape(2, 3) - 1.0)
    packed["b1"][0] = 99.0
    assert packed.flat[6] == 99.0


def test_a_hand_written_gradient_check_with_the_dict_idiom_passes_and_leaves_the_net_as_it_was():
    from course_utils import model  # a real net, whose params are PackedArrays

    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20, 3)), rng.integers(0, 2, 20)
    net = model.MLP([3, 4, 1], hidden_activation="tanh", seed=1)
    flat_before = net.params.flat.copy()
    _, grads = net.loss_and_grads(X, y)
    grads = {name: value.copy() for name, value in grads.items()}
    eps, errors = 1e-6, {}
    for name in list(net.params):
        numeric = np.zeros_like(grads[name])
        for index in np.ndindex(numeric.shape):
            old = net.params[name]  # the learner's save / perturb / restore, by assignment
            plus, minus = old.copy(), old.copy()
            plus[index] += eps
            minus[index] -= eps
            net.params[name] = plus
            j_plus = net.loss(X, y)
            net.params[name] = minus
            j_minus = net.loss(X, y)
            net.params[name] = old
            numeric[index] = (j_plus - j_minus) / (2 * eps)
        errors[name] = np.linalg.norm(numeric - grads[name]) / (np.linalg.norm(numeric) + np.linalg.norm(grads[name]))
    assert max(errors.values()) < 1e-8, errors
    assert net.params.flat.tobytes() == flat_before.tobytes()


def test_train_still_takes_the_packed_optimizer_path(monkeypatch):
    from course_utils import model, optimizers, training

    names = []
    original = optimizers.Adam.update

    def spy(self, name, param, grad, learning_rate):
        names.append(name)
        return original(self, name, param, grad, learning_rate)

    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((30, 2)), rng.integers(0, 2, 30)
    net = model.MLP([2, 5, 1], seed=0)
    net.params["b1"] = np.full(5, 0.1)  # an assignment on the way: the net stays packed
    monkeypatch.setattr(optimizers.base, "_ELEMENTWISE_UPDATES", optimizers.base._ELEMENTWISE_UPDATES | {spy})
    monkeypatch.setattr(optimizers.Adam, "update", spy)
    training.train(net, X, y, optimizers.Adam(1e-2), epochs=3)
    assert len(names) == 3 and all(isinstance(name, slice) for name in names)  # one packed call per step
