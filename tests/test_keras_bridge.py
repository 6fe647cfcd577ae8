"""The Keras twin of an MLP: same outputs, loss, gradients and optimizer steps; TensorFlow only imported here."""

import json
import os
import pkgutil
import subprocess
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose

import course_utils
from course_utils import model, optimizers


@pytest.fixture(scope="module")
def bridge(tf):
    from course_utils import keras_bridge

    return keras_bridge


OUTPUTS = {"sigmoid": [5, 4, 3, 1], "softmax": [5, 6, 4]}  # 1 sigmoid unit; K = 4 softmax units
ACTIVATIONS = ["relu", "tanh"]


def make_case(dims, activation, l2=0.0, m=16, seed=3):
    """A net with random (non-zero) biases, and data (X, y) that fits it."""
    rng = np.random.default_rng(seed)
    net = model.MLP(dims, hidden_activation=activation, l2=l2, seed=seed)
    for key in net.params:
        if key.startswith("b"):
            net.params[key][...] = 0.5 * rng.standard_normal(net.params[key].shape)
    X = rng.standard_normal((m, dims[0]))
    y = rng.integers(0, max(2, dims[-1]), size=m)
    return net, X, y


@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_twin_gives_the_same_outputs_loss_and_gradients(bridge, activation, output):
    net, X, y = make_case(OUTPUTS[output], activation)
    twin = bridge.to_keras(net)
    probabilities = np.asarray(twin(X, training=False))
    assert_allclose(probabilities.reshape(net.predict_proba(X).shape), net.predict_proba(X), rtol=0, atol=1e-14)
    loss, grads = net.loss_and_grads(X, y)
    tf_loss, tf_grads = bridge.loss_and_grads(twin, X, y)
    assert tf_loss == pytest.approx(loss, rel=1e-13)
    assert list(tf_grads) == list(grads)
    for key in grads:
        assert_allclose(tf_grads[key], grads[key], rtol=1e-10, atol=1e-15, err_msg=key)
    # the compiled Keras loss (what fit reports) is the same number
    assert float(bridge.keras_loss(twin)(y[:, None] if output == "sigmoid" else y, probabilities)) == \
        pytest.approx(loss, rel=1e-12)


@pytest.mark.parametrize("output", OUTPUTS)
def test_a_logits_twin_gives_the_same_probabilities_loss_and_gradients(bridge, keras, output):
    """to_keras(net, logits=True): the last layer has no activation, and keras_loss takes logits."""
    net, X, y = make_case(OUTPUTS[output], "relu")
    twin = bridge.to_keras(net, logits=True)
    assert twin.layers[-1].activation is keras.activations.linear
    logits = np.asarray(twin(X, training=False))
    probabilities = 1 / (1 + np.exp(-logits)) if output == "sigmoid" else \
        np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert_allclose(probabilities.reshape(net.predict_proba(X).shape), net.predict_proba(X), rtol=0, atol=1e-14)
    assert bridge.keras_loss(twin).get_config()["from_logits"] is True
    assert bridge.keras_loss(bridge.to_keras(net)).get_config()["from_logits"] is False
    loss, grads = net.loss_and_grads(X, y)
    tf_loss, tf_grads = bridge.loss_and_grads(twin, X, y)
    assert tf_loss == pytest.approx(loss, rel=1e-13)
    for key in grads:
        assert_allclose(tf_grads[key], grads[key], rtol=1e-10, atol=1e-15, err_msg=key)
    # from the logits as a plain array too (no softmax output for Keras to recover them from)
    assert float(bridge.keras_loss(twin)(y[:, None] if output == "sigmoid" else y, logits)) == \
        pytest.approx(loss, rel=1e-12)


def test_a_softmax_output_keeps_its_logits_for_the_loss_but_an_array_does_not(bridge, keras):
    """Why the softmax twin's loss is exact: Keras keeps the logits on the output tensor (TF backend)."""
    far = keras.Sequential([keras.Input((1,)), keras.layers.Dense(2, activation="softmax")])
    far.layers[-1].kernel.assign([[1000.0, -1000.0]])
    x, y = np.ones((1, 1), dtype="float32"), np.array([1])
    loss = keras.losses.SparseCategoricalCrossentropy()
    assert float(loss(y, far(x))) == pytest.approx(2000.0)
    assert float(loss(y, np.asarray(far(x)))) == pytest.approx(-np.log(1e-7), rel=1e-3)  # clipped probabilities


def test_importing_the_bridge_makes_rich_skip_empty_jupyter_displays(bridge, monkeypatch):
    """summary(print_fn=...) leaves rich an empty buffer, which it would display in Jupyter as a blank box."""
    import rich.jupyter

    assert rich.jupyter.display.skips_empty  # installed when the bridge was imported
    shown = []
    fake_display = lambda segments, text: shown.append(text)  # noqa: E731
    monkeypatch.setattr(rich.jupyter, "display", fake_display)
    bridge._skip_empty_rich_displays()
    bridge._skip_empty_rich_displays()  # idempotent: wrapped once
    assert rich.jupyter.display.__wrapped__ is fake_display
    rich.jupyter.display([], "")
    rich.jupyter.display([], "Model")
    assert shown == ["Model"]


@pytest.mark.parametrize("output", OUTPUTS)
def test_l2_maps_to_kernel_regularizer(bridge, output):
    """lambda/(2m) sum ||W||^2 == Keras L2(lambda/(2m)) on each kernel; Keras rounds the factor to float32."""
    net, X, y = make_case(OUTPUTS[output], "relu", l2=0.7, m=16)
    twin = bridge.to_keras(net, batch_size=16)
    assert sum(float(p) for p in twin.losses) == pytest.approx(net.l2_penalty(16), rel=1e-7)
    loss, grads = net.loss_and_grads(X, y)
    tf_loss, tf_grads = bridge.loss_and_grads(twin, X, y)
    assert tf_loss == pytest.approx(loss, rel=1e-7)
    for key in grads:
        assert_allclose(tf_grads[key], grads[key], rtol=1e-7, atol=1e-9, err_msg=key)  # the factor is off by ~1e-8


def test_l2_over_the_training_set_size_gives_the_full_batch_cost_on_every_batch(bridge):
    """L2(lambda/(2N)) adds the same penalty to every batch; the lecture's cost on all N examples is reproduced."""
    net, X, y = make_case(OUTPUTS["softmax"], "relu", l2=0.7, m=24)
    twin = bridge.to_keras(net, batch_size=len(X))
    assert bridge.loss_and_grads(twin, X, y)[0] == pytest.approx(net.loss(X, y), rel=1e-7)
    penalty = sum(float(p) for p in twin.losses)
    assert penalty == pytest.approx(net.l2_penalty(len(X)), rel=1e-7)
    assert net.l2_penalty(8) == pytest.approx(3 * penalty, rel=1e-7)  # the MLP's own penalty on a batch of N/3


def test_leaky_relu_twin_agrees_to_float32_slope(bridge):
    net, X, y = make_case([5, 6, 3], "leaky_relu")
    twin = bridge.to_keras(net)
    assert_allclose(np.asarray(twin(X)), net.predict_proba(X), atol=1e-8)  # TF keeps the slope 0.01 in float32
    assert bridge.loss_and_grads(twin, X, y)[0] == pytest.approx(net.loss(X, y), rel=1e-7)


def test_dropout_maps_to_rate(bridge):
    net = model.MLP([4, 8, 8, 3], keep_prob=0.8)
    twin = bridge.to_keras(net)
    rates = [layer.rate for layer in twin.layers if layer.__class__.__name__ == "Dropout"]
    assert rates == pytest.approx([0.2, 0.2])
    X = np.random.default_rng(0).standard_normal((5, 4))
    assert_allclose(np.asarray(twin(X, training=False)), net.predict_proba(X), atol=1e-14)  # off at inference


@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_one_gd_step_equals_one_keras_sgd_step(bridge, activation, output):
    net, X, y = make_case(OUTPUTS[output], activation)
    twin = bridge.to_keras(net)
    opt = optimizers.GD(learning_rate=0.125)  # a power of 2: Keras's float32 learning rate is exact
    keras_opt = bridge.keras_optimizer(opt)
    _, grads = net.loss_and_grads(X, y)
    opt.step(net.params, grads)
    _, tf_grads = bridge.loss_and_grads(twin, X, y)
    variables = [v for layer in twin.layers for v in (layer.kernel, layer.bias)]
    keras_opt.apply_gradients(zip([tf_grads[k] for k in net.params], variables))
    after = bridge.params_from_keras(twin)
    for key in net.params:
        assert_allclose(after[key], net.params[key], rtol=1e-12, atol=1e-15, err_msg=key)


def test_weights_round_trip_exactly(bridge, keras):
    net, _, _ = make_case([5, 4, 3, 1], "tanh")
    twin = bridge.to_keras(net)
    assert all(np.array_equal(a, b) for a, b in zip(bridge.params_from_keras(twin).values(), net.params.values()))
    # and back: a Keras model with its own random weights copied into a fresh MLP
    other = bridge.to_keras(model.MLP([5, 4, 3, 1], hidden_activation="tanh", seed=99))
    other.layers[0].kernel.assign(np.full((5, 4), 0.375))
    before = {key: id(value) for key, value in net.params.items()}
    bridge.copy_to_mlp(other, net)
    assert np.all(net.params["W1"] == 0.375)
    assert {key: id(value) for key, value in net.params.items()} == before  # updated in place
    assert all(np.array_equal(a, b) for a, b in zip(bridge.params_from_keras(other).values(), net.params.values()))


def test_a_keras_model_built_by_hand_is_read_in_order(bridge, keras):
    hand = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="relu"), keras.layers.Dense(1)])
    params = bridge.params_from_keras(hand)
    assert {k: v.shape for k, v in params.items()} == {"W1": (3, 2), "b1": (2,), "W2": (2, 1), "b2": (1,)}
    assert params["W1"].dtype == np.float64


def test_names_table_uses_real_keras_arguments(bridge):
    for course, keras_path, argument, _ in bridge.NAMES:
        assert bridge.keras_argument_exists(keras_path, argument), (course, keras_path, argument)
    assert not bridge.keras_argument_exists("keras.optimizers.Adam", "beta1")  # the check can fail


def _skip_connection_model(keras):
    inputs = keras.Input((4,))
    hidden = keras.layers.Dense(4, activation="relu")(inputs)
    outputs = keras.layers.Dense(3, activation="softmax")(keras.layers.Add()([inputs, hidden]))
    return keras.Model(inputs, outputs)


BAD = {
    "not a Keras model": (lambda b, k: b.params_from_keras(model.MLP([2, 3, 1])), TypeError, "keras_model"),
    "skip connection": (lambda b, k: b.params_from_keras(_skip_connection_model(k)), ValueError, "keras_model"),
    "not an MLP": (lambda b, k: b.to_keras("mlp"), TypeError, "net"),
    "l2 without batch_size": (lambda b, k: b.to_keras(model.MLP([2, 3, 1], l2=0.1)), ValueError, "batch_size"),
    "dtype": (lambda b, k: b.to_keras(model.MLP([2, 3, 1]), dtype="int32"), ValueError, "dtype"),
    "wrong keys": (lambda b, k: b.params_to_keras({"W1": np.zeros((2, 3))}, b.to_keras(model.MLP([2, 3, 1]))),
                   ValueError, "params"),
    "wrong shape": (lambda b, k: b.params_to_keras(model.MLP([2, 4, 1]).params, b.to_keras(model.MLP([2, 3, 1]))),
                    ValueError, "params"),
    "sizes differ": (lambda b, k: b.copy_to_mlp(b.to_keras(model.MLP([2, 4, 1])), model.MLP([2, 3, 1])),
                     ValueError, "keras_model"),
    "y shape": (lambda b, k: b.loss_and_grads(b.to_keras(model.MLP([2, 3, 1])), np.zeros((4, 2)), np.zeros(3)),
                ValueError, "y"),
    "optimizer": (lambda b, k: b.keras_optimizer(optimizers.GD(lambda step: 0.1)), ValueError, "optimizer"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_gives_a_clear_error(bridge, keras, case):
    call, error, argument = BAD[case]
    with pytest.raises(error, match=f"`{argument}"):
        call(bridge, keras)


def test_only_the_bridge_imports_tensorflow(tmp_path):
    """In a fresh interpreter (other tests' imports don't count), import every module but keras_bridge."""
    modules = [f"course_utils.{info.name}" for info in pkgutil.iter_modules(course_utils.__path__)]
    assert "course_utils.keras_bridge" in modules and len(modules) > 5
    others = [name for name in modules if name != "course_utils.keras_bridge"]
    code = (f"import importlib, json, sys\nimport course_utils\nfor name in {others!r}: importlib.import_module(name)\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'tensorflow', 'keras'})))")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert json.loads(result.stdout) == []
    # and the check can fail: a module that imports TensorFlow is seen (a stand-in package, not the 3-second import;
    # that the bridge itself imports TensorFlow is what tests/test_package_layout.py reads from the source)
    (tmp_path / "tensorflow").mkdir()
    (tmp_path / "tensorflow" / "__init__.py").write_text("")
    (tmp_path / "uses_tensorflow.py").write_text("import tensorflow\n")
    code = code.replace(f"for name in {others!r}", "for name in ['uses_tensorflow']")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**env, "PYTHONPATH": str(tmp_path)})
    assert json.loads(result.stdout) == ["tensorflow"]


def test_names_table_fits_its_width_and_keeps_each_note_whole(bridge):
    for width in (100, 90):
        lines = bridge.names_table(width=width).splitlines()
        assert all(len(line) <= width for line in lines), [line for line in lines if len(line) > width]
        for course, keras_path, argument, note in bridge.NAMES:
            start = next(i for i, line in enumerate(lines) if line.startswith(course + "  "))
            assert f"{keras_path.removeprefix('keras.')}({argument}):" in lines[start]
            # the note follows on the same line or, whole, on the next (indented) lines: never split mid-phrase
            rest = [lines[start].split(f"({argument}):", 1)[1]] + lines[start + 1:start + 3]
            assert note in " ".join(part.strip() for part in rest if part.strip()) or note in lines[start]
        assert " ".join(line.strip() for line in lines[-2:]).endswith(bridge.NAMES_FOOTNOTE[-30:])
    with pytest.raises(ValueError, match="`width`"):
        bridge.names_table(width=40)


def test_names_table_shows_the_rows_asked_for_and_their_footnote_only_when_needed(bridge):
    text = bridge.names_table(rows=["keep_prob", 'init="he"'])
    lines = text.splitlines()
    assert [line.split("  ")[0] for line in lines[1:3]] == ['init="he"', "keep_prob"]  # in NAMES's order
    assert "Dropout(rate)" in text and "2.27" in text  # the he_normal row refers to the footnote
    assert "*" not in bridge.names_table(rows=["keep_prob"])
    with pytest.raises(ValueError, match="`rows`"):
        bridge.names_table(rows=["no such row"])


def test_print_plain_shows_the_real_summary_without_box_drawing_characters(bridge, keras, capsys):
    sequential = keras.Sequential([keras.Input((64,)), keras.layers.Dense(25, name="hidden"),
                                   keras.layers.Dropout(0.2, name="drop"), keras.layers.Dense(10, name="out")],
                                  name="tiny")
    sequential.summary(print_fn=bridge.print_plain, line_length=80)
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0] == 'Model: "tiny"' and all(len(line) <= 80 for line in lines)
    assert not any("\u2500" <= c <= "\u257f" for c in text)  # no box-drawing characters are left
    rows = {line.split()[1]: line for line in lines if line.startswith("| ")}
    assert "(None, 25)" in rows["hidden"] and rows["hidden"].rstrip(" |").endswith("1,625")
    assert "(None, 10)" in rows["out"] and rows["out"].rstrip(" |").endswith("260")
    assert any(line.strip() == "Total params: 1,885 (7.36 KB)" for line in lines)
    assert lines[1].startswith("+-") and lines[1].endswith("-+")
