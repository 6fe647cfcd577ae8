"""The Keras twin of a ``model.MLP``, with weights copied both ways. The only module that imports TensorFlow.

``import course_utils`` and every other module stay free of TensorFlow (its import takes seconds);
this module imports it when it is itself imported. Set ``TF_CPP_MIN_LOG_LEVEL=3`` and
``TF_ENABLE_ONEDNN_OPTS=0`` in ``os.environ`` first to keep TensorFlow's C++ log lines out of the output.

The twin of ``MLP([n_0, ..., n_L], hidden_activation=g, l2=lambda, keep_prob=p)`` is::

    keras.Sequential([Input((n_0,)),
                      Dense(n_1, activation=g, kernel_regularizer=L2(lambda / (2m))), Dropout(1 - p),
                      ...,
                      Dense(n_L, activation="sigmoid" if n_L == 1 else "softmax")])

with the loss ``BinaryCrossentropy`` (1 output unit) or ``SparseCategoricalCrossentropy`` (K units).
``to_keras(net, logits=True)`` leaves the last layer without activation: the twin then outputs the
logits, and its loss takes them with ``from_logits=True`` (``keras_loss`` reads which from the layer).
Keras's ``Dense`` computes ``A_prev @ kernel + bias`` with ``kernel`` of shape (n_{l-1}, n_l), exactly
this course's ``A_prev @ W_l + b_l``, so the weights copy over without a transpose. Keras's L2 adds
``l2 * sum(W**2)`` per layer to every batch's loss. On all N training examples the lecture's cost adds
``lambda / (2N) * sum ||W_l||^2``, which is ``L2(lambda / (2N))`` on every batch. The course's ``MLP``
divides instead by the size m of the batch it is given, which is ``L2(lambda / (2m))`` on batches of m
examples (``to_keras``'s ``batch_size``), N / m times the lecture's penalty; on a smaller last batch of m'
examples the MLP's penalty is m / m' times Keras's. With a
sigmoid or softmax output, the TensorFlow backend recovers the logits from the output tensor (Keras keeps
them on it) and computes the cross-entropy from them, so in float64 the twin's outputs, loss and gradients
equal the course's to rounding error (about 1e-15), with two exceptions from Keras itself: ``L2`` and
``LeakyReLU`` pass their factor (lambda / (2m), the slope 0.01) through float32, which moves the penalty and
the leaky slope by a relative 1e-8 or so.
"""

import functools
import inspect
import textwrap
import unicodedata

import keras
import numpy as np
import tensorflow as tf

from . import model as course_model
from ._validation import as_float_array, check_int

# (course name, Keras object, its argument, how to set it): the course's names on Keras's.
# ``keras_argument_exists`` checks each row (the tests and the notebook call it).
NAMES = [
    ("MLP(layer_dims)", "keras.layers.Dense", "units", "one per layer, after Input(shape=(n_0,))"),
    ("hidden_activation", "keras.layers.Dense", "activation", '"relu", "tanh", "sigmoid" by name'),
    ('"leaky_relu" (slope 0.01)', "keras.layers.LeakyReLU", "negative_slope", "negative_slope=0.01"),
    ("1 output unit", "keras.losses.BinaryCrossentropy", "from_logits", "from_logits=True after Dense(1)"),
    ("K output units", "keras.losses.SparseCategoricalCrossentropy", "from_logits", "from_logits=True after Dense(K)"),
    ('init="he"', "keras.layers.Dense", "kernel_initializer", '"he_normal" *'),
    ('init="he_uniform"', "keras.layers.Dense", "kernel_initializer", '"he_uniform"'),
    ('init="xavier" / "xavier_uniform"', "keras.layers.Dense", "kernel_initializer",
     '"glorot_normal" / "glorot_uniform" *'),
    ('init="lecun"', "keras.layers.Dense", "kernel_initializer", '"lecun_normal" *'),
    ("l2 = lambda", "keras.regularizers.L2", "l2",
     "L2(l2=lambda / (2N)), N the training-set size (the MLP's per-batch penalty: lambda / (2m))"),
    ("keep_prob", "keras.layers.Dropout", "rate", "rate = 1 - keep_prob"),
    ("GD(learning_rate)", "keras.optimizers.SGD", "learning_rate", "momentum=0 (the default)"),
    ("Momentum(beta)", "keras.optimizers.SGD", "momentum", "momentum=beta, learning_rate*(1 - beta)"),
    ("SGD(momentum, nesterov)", "keras.optimizers.SGD", "nesterov", "the same form and names"),
    ("RMSprop(rho, epsilon)", "keras.optimizers.RMSprop", "epsilon",
     "epsilon=1e-7 inside the sqrt, as the course's default"),
    ("Adam(beta_1, beta_2, epsilon)", "keras.optimizers.Adam", "epsilon",
     "epsilon=1e-7 (course: 1e-8), added before the bias correction"),
    ("AdamW(weight_decay)", "keras.optimizers.AdamW", "weight_decay", "the same form and names"),
    ("train(epochs, batch_size)", "keras.Model.fit", "batch_size", "fit(X, y, epochs, batch_size)"),
]
NAMES_FOOTNOTE = ("* Keras's *_normal initializers draw from a normal cut at 2 of its standard deviations and widened so "
                  "that the variance is the rule's: the cut falls at 2.27 times the rule's standard deviation.")


def names_table(width=100, rows=None):
    """``NAMES`` as plain text at most ``width`` characters wide: the course's name, then Keras's.

    Each row reads ``course name   object(argument): how to set it``, the object under ``keras.``; when
    the note does not fit on the row it goes, whole, on the next line, so no phrase is split.

    Args:
        width: the widest line, in characters.
        rows: the course names (first column of ``NAMES``) to show, or None for every row; shown in
            ``NAMES``'s order. The footnote is added when a row shown refers to it (``*``).
    """
    chosen = NAMES if rows is None else [row for row in NAMES if row[0] in rows]
    unknown = sorted(set(rows or ()) - {row[0] for row in NAMES})
    if unknown or not chosen:
        raise ValueError(f"`rows` must name rows of keras_bridge.NAMES; received {rows!r} (unknown: {unknown}).")
    first = max(len(course) for course, _, _, _ in chosen) + 2
    longest = max(len(f"{path}({argument})") - len("keras.") for _, path, argument, _ in chosen)
    if width < first + longest + 1:
        raise ValueError(f"`width` must be at least {first + longest + 1} to fit the names; received width={width!r}.")
    lines = [f"{'course':<{first}}keras.object(argument): how to set it"]
    for course, keras_path, argument, note in chosen:
        keras_name = f"{keras_path.removeprefix('keras.')}({argument})"
        if first + len(keras_name) + 2 + len(note) <= width:
            lines.append(f"{course:<{first}}{keras_name}: {note}")
        else:
            lines += [f"{course:<{first}}{keras_name}:"]
            lines += textwrap.wrap(note, width, initial_indent=" " * (first + 2), subsequent_indent=" " * (first + 2),
                                   break_long_words=False, break_on_hyphens=False)
    if any(note.endswith("*") for _, _, _, note in chosen):
        lines += textwrap.wrap(NAMES_FOOTNOTE, width, subsequent_indent="  ", break_long_words=False)
    return "\n".join(lines)


def print_plain(text):
    """Print ``text`` with its box-drawing characters replaced by ``-``, ``|`` and ``+``.

    Pass it as ``model.summary(print_fn=keras_bridge.print_plain, line_length=80)``: Keras draws the
    summary's table with box-drawing characters, whose vertical lines show gaps in JupyterLab's output
    area; the same table in plain characters reads cleanly everywhere. Trailing spaces are dropped.
    (With a ``print_fn``, Keras captures the table from a ``rich`` console, which in Jupyter would also
    display the empty capture buffer as a blank box; importing this module makes ``rich`` skip empty
    displays, see ``_skip_empty_rich_displays``.)
    """
    lines = ["".join(_plain_character(c) for c in line).rstrip() for line in str(text).splitlines()]
    print("\n".join(lines).rstrip("\n"))


def _skip_empty_rich_displays():
    """Make ``rich`` skip displaying nothing in Jupyter (idempotent; a no-op without ``rich``).

    ``model.summary(print_fn=...)`` captures the table with ``rich.console.Console.begin_capture``;
    ``end_capture`` empties the buffer, and in Jupyter ``rich`` then displays that empty buffer: an empty
    ``<pre>`` block above the printed summary. Only displays with no text are skipped.
    """
    try:
        import rich.jupyter
    except ImportError:  # pragma: no cover - rich comes with Keras 3
        return
    display = rich.jupyter.display
    if getattr(display, "skips_empty", False):
        return

    @functools.wraps(display)
    def display_unless_empty(segments, text):
        if text:
            display(segments, text)

    display_unless_empty.skips_empty = True
    rich.jupyter.display = display_unless_empty


_skip_empty_rich_displays()


def _plain_character(c):
    if not "\u2500" <= c <= "\u257f":  # the Unicode block "Box Drawing"
        return c
    name = unicodedata.name(c, "")
    if "HORIZONTAL" in name and "VERTICAL" not in name:
        return "-"
    if "VERTICAL" in name and "HORIZONTAL" not in name:
        return "|"
    return "+"


_LAYER_TYPES = (keras.layers.Dense, keras.layers.Dropout, keras.layers.LeakyReLU, keras.layers.Activation,
                keras.layers.InputLayer)


def keras_argument_exists(keras_path, argument):
    """True when ``keras_path`` (e.g. ``"keras.optimizers.Adam"``) takes an argument named ``argument``."""
    obj = keras
    for part in keras_path.split(".")[1:]:
        obj = getattr(obj, part)
    return argument in inspect.signature(obj).parameters


def to_keras(net, batch_size=None, dtype="float64", logits=False):
    """The Keras twin of ``net`` (a ``model.MLP``), holding a copy of ``net.params``.

    Args:
        net: the course model.
        batch_size: m in the L2 term lambda / (2m); required when ``net.l2 > 0``.
        dtype: ``"float64"`` (the course's precision, for exact comparisons) or ``"float32"``.
        logits: if True, the last layer has no activation and the twin outputs logits (their sigmoid or
            softmax is ``net.predict_proba``); ``keras_loss`` then gives a loss with ``from_logits=True``.
    Returns:
        A built ``keras.Sequential``: Dense layers (with Dropout after each hidden layer when
        ``net.keep_prob < 1``). Compile it with ``keras_loss(twin)``.
    """
    if not isinstance(net, course_model.MLP):
        raise TypeError(f"`net` must be a course_utils.model.MLP; received {type(net).__name__}.")
    if dtype not in ("float32", "float64"):
        raise ValueError(f'`dtype` must be "float32" or "float64"; received {dtype!r}.')
    regularizer = None
    if net.l2:
        if batch_size is None:
            raise ValueError(f"`batch_size` is needed to turn l2={net.l2:g} into Keras's L2(l2 / (2 * batch_size)); "
                             "received None.")
        regularizer = keras.regularizers.L2(net.l2 / (2 * check_int(batch_size, "batch_size", 1)))
    dims = net.layer_dims
    layers = [keras.Input(shape=(dims[0],), dtype=dtype)]
    for l in range(1, len(dims)):
        hidden = l < len(dims) - 1
        if hidden:
            activation = None if net.hidden_activation == "leaky_relu" else net.hidden_activation
        elif logits:
            activation = None
        else:
            activation = "sigmoid" if dims[l] == 1 else "softmax"
        layers.append(keras.layers.Dense(dims[l], activation=activation, kernel_regularizer=regularizer, dtype=dtype,
                                         name=f"dense_{l}"))
        if hidden and net.hidden_activation == "leaky_relu":
            layers.append(keras.layers.LeakyReLU(negative_slope=0.01, dtype=dtype, name=f"leaky_relu_{l}"))
        if hidden and net.keep_prob < 1.0:
            layers.append(keras.layers.Dropout(rate=1.0 - net.keep_prob, dtype=dtype, name=f"dropout_{l}"))
    twin = keras.Sequential(layers, name="mlp_twin")
    params_to_keras(net.params, twin)
    return twin


def _dense_layers(keras_model):
    """The Dense layers of a plain stack (an MLP), or a ValueError saying why it is not one."""
    if not isinstance(keras_model, keras.Model):
        raise TypeError(f"`keras_model` must be a keras.Model; received {type(keras_model).__name__}.")
    others = [layer.name for layer in keras_model.layers if not isinstance(layer, _LAYER_TYPES)]
    inputs = keras_model.inputs if keras_model.built else [None]
    if others or len(inputs) != 1:
        raise ValueError(f"`keras_model` must be a plain stack of Dense layers (an MLP) with one input; received "
                         f"{len(inputs)} input(s) and the layer(s) {others}.")
    dense = [layer for layer in keras_model.layers if isinstance(layer, keras.layers.Dense)]
    if not dense or not all(layer.built and layer.use_bias for layer in dense):
        raise ValueError("`keras_model` must have built Dense layers with biases; received "
                         f"{[(layer.name, layer.built) for layer in dense]} (name, built).")
    for prev, layer in zip(dense, dense[1:]):
        if prev.kernel.shape[1] != layer.kernel.shape[0]:
            raise ValueError(f"`keras_model`'s Dense layers must chain: {prev.name} has {prev.kernel.shape[1]} units "
                             f"but {layer.name} expects {layer.kernel.shape[0]} inputs.")
    return dense


def params_from_keras(keras_model):
    """``{"W1": kernel_1, "b1": bias_1, ...}`` as float64 NumPy copies of the Dense layers' weights."""
    params = {}
    for l, layer in enumerate(_dense_layers(keras_model), start=1):
        params[f"W{l}"] = np.array(layer.kernel.numpy(), dtype=np.float64)  # (n_{l-1}, n_l)
        params[f"b{l}"] = np.array(layer.bias.numpy(), dtype=np.float64)  # (n_l,)
    return params


def params_to_keras(params, keras_model):
    """Copy ``params`` (``{"W1": ..., "b1": ...}``) into the Dense layers of ``keras_model``, in order."""
    dense = _dense_layers(keras_model)
    expected = [key for l in range(1, len(dense) + 1) for key in (f"W{l}", f"b{l}")]
    if sorted(params) != sorted(expected):
        raise ValueError(f"`params` must have the keys {expected} for this {len(dense)}-layer model; "
                         f"received {list(params)}.")
    for l, layer in enumerate(dense, start=1):
        for key, variable in ((f"W{l}", layer.kernel), (f"b{l}", layer.bias)):
            if np.shape(params[key]) != tuple(variable.shape):
                raise ValueError(f"`params[{key!r}]` must have shape {tuple(variable.shape)} to fit {layer.name}; "
                                 f"received {np.shape(params[key])}.")
            variable.assign(np.asarray(params[key], dtype=variable.dtype))


def copy_to_mlp(keras_model, net):
    """Overwrite ``net.params`` in place with the weights of ``keras_model`` (the way back)."""
    theirs = params_from_keras(keras_model)
    sizes = [theirs["W1"].shape[0]] + [b.shape[0] for k, b in theirs.items() if k[0] == "b"]
    if sizes != net.layer_dims:
        raise ValueError(f"`keras_model` must have the layer sizes of `net`, {net.layer_dims}; received {sizes}.")
    for key, value in theirs.items():
        net.params[key][...] = value


def keras_loss(keras_model):
    """The twin's loss, in its dtype: ``BinaryCrossentropy`` for 1 output unit, else ``SparseCategoricalCrossentropy``.

    With ``from_logits=True`` when the last Dense layer has no activation (the model outputs logits).
    """
    last = _dense_layers(keras_model)[-1]
    from_logits = last.activation is keras.activations.linear
    if last.units == 1:
        return keras.losses.BinaryCrossentropy(from_logits=from_logits, dtype=last.compute_dtype)
    return keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits, dtype=last.compute_dtype)


def loss_and_grads(keras_model, X, y, training=True):
    """The cost and its gradients by ``tf.GradientTape``, in the course's format.

    The cost is the mean cross-entropy plus the layers' regularization losses (``keras_model.losses``),
    with Dropout active when ``training`` is True.

    Returns:
        ``(loss, grads)``: a float and ``{"W1": (n_0, n_1), "b1": (n_1,), ...}`` as NumPy arrays.
    """
    dense = _dense_layers(keras_model)
    X = as_float_array(X, "X", ndim=2)
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"`y` must have shape ({X.shape[0]},), one label per row of X; received {y.shape}.")
    loss_fn = keras_loss(keras_model)
    targets = y[:, None].astype(X.dtype) if dense[-1].units == 1 else y  # (m, 1) for the sigmoid output
    variables = [v for layer in dense for v in (layer.kernel, layer.bias)]
    with tf.GradientTape() as tape:
        output = keras_model(X, training=training)
        loss = loss_fn(targets, output)
        if keras_model.losses:
            loss = loss + tf.add_n(keras_model.losses)
    gradients = tape.gradient(loss, variables)
    keys = [key for l in range(1, len(dense) + 1) for key in (f"W{l}", f"b{l}")]
    return float(loss), {key: np.asarray(g, dtype=np.float64) for key, g in zip(keys, gradients)}


def keras_optimizer(optimizer):
    """The Keras optimizer that takes the same steps as a course optimizer (so far ``GD`` -> ``SGD``)."""
    name = type(optimizer).__name__
    if name != "GD" or callable(optimizer.learning_rate):
        raise ValueError(f"`optimizer` must be a course GD with a constant learning rate; received {optimizer!r}. "
                         "For the others, see the table keras_bridge.NAMES.")
    return keras.optimizers.SGD(learning_rate=optimizer.learning_rate)
