"""Initialization.ipynb: initialize_zeros, initialize_random, initialize_he, initialize_xavier."""
import numpy as np

from . import Case

ZEROS, RANDOM, HE, XAVIER = ("check_zeros_initialization", "check_random_initialization",
                             "check_he_initialization", "check_xavier_initialization")


# ---------------------------------------------------------------- zeros: correct

def zeros_dict_comprehension(layer_dims, rng):
    # Two dict comprehensions merged, then put in W1, b1, W2, ... order.
    L = len(layer_dims) - 1
    Ws = {f"W{l}": np.zeros((layer_dims[l - 1], layer_dims[l])) for l in range(1, L + 1)}
    bs = {f"b{l}": np.zeros((layer_dims[l],)) for l in range(1, L + 1)}
    return {k: d[k] for l in range(1, L + 1) for d, k in ((Ws, f"W{l}"), (bs, f"b{l}"))}


def zeros_full_zip(layer_dims, rng):
    # np.full over zipped (fan_in, fan_out) pairs.
    params = {}
    for l, (n_in, n_out) in enumerate(zip(layer_dims[:-1], layer_dims[1:]), start=1):
        params["W" + str(l)] = np.full((n_in, n_out), 0.0)
        params["b" + str(l)] = np.full(n_out, 0.0)
    return params


def zeros_float32(layer_dims, rng):
    # float32 zeros (the course accepts either dtype).
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = np.zeros((layer_dims[l - 1], layer_dims[l]), dtype=np.float32)
        params[f"b{l}"] = np.zeros(layer_dims[l], dtype=np.float32)
    return params


def zeros_while_loop(layer_dims, rng):
    # A while loop and zeros_like of a weight row for the bias.
    params, l = {}, 1
    while l < len(layer_dims):
        params[f"W{l}"] = np.zeros([layer_dims[l - 1], layer_dims[l]])
        params[f"b{l}"] = np.zeros_like(params[f"W{l}"][0])
        l += 1
    return params


# ---------------------------------------------------------------- zeros: wrong

def zeros_first_layer_only(layer_dims, rng):
    # Only layer 1: range(1, 2).
    return {"W1": np.zeros((layer_dims[0], layer_dims[1])), "b1": np.zeros(layer_dims[1])}


def zeros_skips_last_layer(layer_dims, rng):
    # Off by one: range(1, len(layer_dims) - 1) misses the output layer.
    params = {}
    for l in range(1, len(layer_dims) - 1):
        params[f"W{l}"] = np.zeros((layer_dims[l - 1], layer_dims[l]))
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def zeros_transposed(layer_dims, rng):
    # The lecture's (n_l, n_{l-1}) shapes.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = np.zeros((layer_dims[l], layer_dims[l - 1]))
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def zeros_bias_column(layer_dims, rng):
    # The lecture's (n_l, 1) bias column.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = np.zeros((layer_dims[l - 1], layer_dims[l]))
        params[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return params


def zeros_keys_from_zero(layer_dims, rng):
    # Keys W0, b0, W1, ...: enumerate starts at 0.
    params = {}
    for l, (n_in, n_out) in enumerate(zip(layer_dims[:-1], layer_dims[1:])):
        params[f"W{l}"] = np.zeros((n_in, n_out))
        params[f"b{l}"] = np.zeros(n_out)
    return params


def zeros_no_biases(layer_dims, rng):
    # Forgot the biases.
    return {f"W{l}": np.zeros((layer_dims[l - 1], layer_dims[l])) for l in range(1, len(layer_dims))}


def zeros_int_dtype(layer_dims, rng):
    # Integer zeros: W -= learning_rate * dW then fails (or truncates) in training.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = np.zeros((layer_dims[l - 1], layer_dims[l]), dtype=int)
        params[f"b{l}"] = np.zeros(layer_dims[l], dtype=int)
    return params


def zeros_scalar_bias(layer_dims, rng):
    # b_l = 0, a Python number (it broadcasts, but it is not an (n_l,) array).
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = np.zeros((layer_dims[l - 1], layer_dims[l]))
        params[f"b{l}"] = 0.0
    return params


def zeros_returns_list(layer_dims, rng):
    # Wrong kind: a list [W1, b1, W2, b2, ...] instead of a dict.
    out = []
    for l in range(1, len(layer_dims)):
        out += [np.zeros((layer_dims[l - 1], layer_dims[l])), np.zeros(layer_dims[l])]
    return out


def zeros_forgets_return(layer_dims, rng):
    # Wrong kind: builds the dict and never returns it (None).
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = np.zeros((layer_dims[l - 1], layer_dims[l]))
        params[f"b{l}"] = np.zeros(layer_dims[l])


# ---------------------------------------------------------------- random ×scale: correct

def random_normal_loc_scale(layer_dims, rng, scale):
    # rng.normal(0, scale, size): the same draws as standard_normal * scale.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.normal(0.0, scale, size=(layer_dims[l - 1], layer_dims[l]))
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def random_row_loop(layer_dims, rng, scale):
    # Fills each weight matrix row by row.
    params = {}
    for l in range(1, len(layer_dims)):
        W = np.empty((layer_dims[l - 1], layer_dims[l]))
        for i in range(W.shape[0]):
            W[i] = scale * rng.standard_normal(W.shape[1])
        params[f"W{l}"], params[f"b{l}"] = W, np.zeros(W.shape[1])
    return params


def random_float32(layer_dims, rng, scale):
    # float32 draws (rng.standard_normal(..., dtype=np.float32)): other numbers than the spec's float64 draws.
    params = {}
    for l in range(1, len(layer_dims)):
        z = rng.standard_normal((layer_dims[l - 1], layer_dims[l]), dtype=np.float32)
        params[f"W{l}"] = z * np.float32(scale)
        params[f"b{l}"] = np.zeros(layer_dims[l], dtype=np.float32)
    return params


def random_transposed_draw(layer_dims, rng, scale):
    # Draws in the lecture's (n_l, n_{l-1}) layout, then transposes: the right distribution, not the spec's draws.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = (rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * scale).T
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def random_cast_to_float32(layer_dims, rng, scale):
    # The spec's float64 draws, stored as float32.
    params = {}
    for l in range(1, len(layer_dims)):
        W = scale * rng.standard_normal(size=(layer_dims[l - 1], layer_dims[l]))
        params[f"W{l}"], params[f"b{l}"] = W.astype(np.float32), np.zeros(layer_dims[l], np.float32)
    return params


# ---------------------------------------------------------------- random ×scale: wrong

def random_global_randn(layer_dims, rng, scale):
    # The old API: np.random.randn ignores rng.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = np.random.randn(layer_dims[l - 1], layer_dims[l]) * scale
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def random_seeds_global(layer_dims, rng, scale):
    # Copied from the lecture: np.random.seed(3) and global draws.
    np.random.seed(3)
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = np.random.standard_normal((layer_dims[l - 1], layer_dims[l])) * scale
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def random_scale_first_layer_only(layer_dims, rng, scale):
    # `scale` applied to W1 only.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * (scale if l == 1 else 1.0)
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def random_scale_squared(layer_dims, rng, scale):
    # Multiplies by the variance scale**2 instead of the std.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * scale ** 2
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def random_sqrt_scale(layer_dims, rng, scale):
    # Takes scale for the variance: multiplies by sqrt(scale).
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * np.sqrt(scale)
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def random_hardcoded_10(layer_dims, rng, scale):
    # The lecture's 10, not the argument.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * 10
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def random_uniform_draws(layer_dims, rng, scale):
    # rand, not randn: rng.random gives U[0, 1), mean 0.5 and the wrong variance.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.random((layer_dims[l - 1], layer_dims[l])) * scale
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def random_biases_drawn(layer_dims, rng, scale):
    # Biases drawn like the weights.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * scale
        params[f"b{l}"] = rng.standard_normal(layer_dims[l]) * scale
    return params


def random_transposed(layer_dims, rng, scale):
    # The lecture's (n_l, n_{l-1}) shapes.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * scale
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def random_returns_pair(layer_dims, rng, scale):
    # Wrong kind: returns (params, rng), as a helper it copied did.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * scale
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params, rng


# ---------------------------------------------------------------- He: correct

def he_normal_call(layer_dims, rng):
    # rng.normal with the standard deviation as `scale`.
    params = {}
    for l in range(1, len(layer_dims)):
        n_in, n_out = layer_dims[l - 1], layer_dims[l]
        params[f"W{l}"] = rng.normal(loc=0.0, scale=np.sqrt(2 / n_in), size=(n_in, n_out))
        params[f"b{l}"] = np.zeros(n_out)
    return params


def he_row_loop(layer_dims, rng):
    # Row by row, with sqrt(2) / sqrt(n_in).
    params = {}
    for l in range(1, len(layer_dims)):
        W = np.zeros((layer_dims[l - 1], layer_dims[l]))
        for i in range(layer_dims[l - 1]):
            W[i, :] = rng.standard_normal(layer_dims[l]) * np.sqrt(2.0) / np.sqrt(layer_dims[l - 1])
        params[f"W{l}"], params[f"b{l}"] = W, np.zeros(layer_dims[l])
    return params


def he_float32(layer_dims, rng):
    # float32 draws (rng.standard_normal(..., dtype=np.float32)): other numbers than the spec's float64 draws.
    params = {}
    for l in range(1, len(layer_dims)):
        std = np.float32(np.sqrt(2.0 / layer_dims[l - 1]))
        params[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l]), dtype=np.float32) * std
        params[f"b{l}"] = np.zeros(layer_dims[l], dtype=np.float32)
    return params


def he_transposed_draw(layer_dims, rng):
    # Lecture layout (n_l, n_{l-1}) drawn, then transposed: the right distribution, not the spec's draws.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])).T * np.sqrt(2 / layer_dims[l - 1])
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def he_cast_to_float32(layer_dims, rng):
    # The spec's float64 draws, stored as float32.
    params = {}
    for l in range(1, len(layer_dims)):
        W = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * np.sqrt(2 / layer_dims[l - 1])
        params[f"W{l}"], params[f"b{l}"] = W.astype(np.float32), np.zeros(layer_dims[l], np.float32)
    return params


# ---------------------------------------------------------------- He: wrong

def he_global_randn(layer_dims, rng):
    # np.random.randn, not rng.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = np.random.randn(layer_dims[l - 1], layer_dims[l]) * np.sqrt(2 / layer_dims[l - 1])
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def he_new_generator_per_layer(layer_dims, rng):
    # A fresh np.random.default_rng(l) per layer: the same numbers whatever rng is.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = np.random.default_rng(l).standard_normal((layer_dims[l - 1], layer_dims[l])) \
            * np.sqrt(2 / layer_dims[l - 1])
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def he_fan_of_layer_0(layer_dims, rng):
    # sqrt(2 / layer_dims[0]) for every layer.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * np.sqrt(2 / layer_dims[0])
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def he_fan_out(layer_dims, rng):
    # Divides by n_l (fan-out) instead of n_{l-1}.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * np.sqrt(2 / layer_dims[l])
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def he_lecun_factor(layer_dims, rng):
    # sqrt(1 / n) (LeCun) instead of sqrt(2 / n).
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * np.sqrt(1 / layer_dims[l - 1])
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def he_no_sqrt(layer_dims, rng):
    # Multiplies by the variance 2 / n, not its square root.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * 2 / layer_dims[l - 1]
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def he_transposed(layer_dims, rng):
    # The lecture's (n_l, n_{l-1}) shapes, kept.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def he_biases_drawn(layer_dims, rng):
    # Biases drawn with He's scale too.
    params = {}
    for l in range(1, len(layer_dims)):
        std = np.sqrt(2 / layer_dims[l - 1])
        params[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * std
        params[f"b{l}"] = rng.standard_normal(layer_dims[l]) * std
    return params


def he_returns_weights_list(layer_dims, rng):
    # Wrong kind: a list of the weight matrices.
    return [rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * np.sqrt(2 / layer_dims[l - 1])
            for l in range(1, len(layer_dims))]


# ---------------------------------------------------------------- Xavier: correct

def xavier_fan_avg(layer_dims, rng):
    # Var = 1 / fan_avg with fan_avg = (n_in + n_out) / 2, via rng.normal.
    params = {}
    for l in range(1, len(layer_dims)):
        fan_avg = (layer_dims[l - 1] + layer_dims[l]) / 2
        params[f"W{l}"] = rng.normal(0, 1 / np.sqrt(fan_avg), (layer_dims[l - 1], layer_dims[l]))
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def xavier_row_loop(layer_dims, rng):
    # Row by row.
    params = {}
    for l in range(1, len(layer_dims)):
        n_in, n_out = layer_dims[l - 1], layer_dims[l]
        params[f"W{l}"] = np.array([rng.standard_normal(n_out) * (2 / (n_in + n_out)) ** 0.5 for _ in range(n_in)])
        params[f"b{l}"] = np.zeros(n_out)
    return params


def xavier_float32(layer_dims, rng):
    # float32 draws (rng.standard_normal(..., dtype=np.float32)): other numbers than the spec's float64 draws.
    params = {}
    for l in range(1, len(layer_dims)):
        n_in, n_out = layer_dims[l - 1], layer_dims[l]
        params[f"W{l}"] = rng.standard_normal((n_in, n_out), dtype=np.float32) * np.float32(np.sqrt(2 / (n_in + n_out)))
        params[f"b{l}"] = np.zeros(n_out, dtype=np.float32)
    return params


def xavier_transposed_draw(layer_dims, rng):
    # Lecture layout drawn, then transposed: the right distribution, not the spec's draws.
    params = {}
    for l in range(1, len(layer_dims)):
        n_in, n_out = layer_dims[l - 1], layer_dims[l]
        params[f"W{l}"] = np.sqrt(2 / (n_in + n_out)) * rng.standard_normal((n_out, n_in)).T
        params[f"b{l}"] = np.zeros(n_out)
    return params


def xavier_cast_to_float32(layer_dims, rng):
    # The spec's float64 draws, stored as float32.
    params = {}
    for l, (n_in, n_out) in enumerate(zip(layer_dims[:-1], layer_dims[1:]), start=1):
        W = rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / (n_in + n_out))
        params[f"W{l}"], params[f"b{l}"] = np.float32(W), np.zeros(n_out, dtype="float32")
    return params


# ---------------------------------------------------------------- Xavier: wrong

def xavier_layer1_fans(layer_dims, rng):
    # Layer 1's fans (layer_dims[0] + layer_dims[1]) for every layer.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) \
            * np.sqrt(2 / (layer_dims[0] + layer_dims[1]))
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def xavier_fan_in_only(layer_dims, rng):
    # sqrt(1 / n_{l-1}): the tanh rule of the lecture, not Glorot's average.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * np.sqrt(1 / layer_dims[l - 1])
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def xavier_missing_2(layer_dims, rng):
    # sqrt(1 / (n_in + n_out)): the 2 forgotten.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) \
            * np.sqrt(1 / (layer_dims[l - 1] + layer_dims[l]))
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def xavier_product_of_fans(layer_dims, rng):
    # sqrt(2 / (n_in * n_out)).
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) \
            * np.sqrt(2 / (layer_dims[l - 1] * layer_dims[l]))
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def xavier_no_sqrt(layer_dims, rng):
    # Multiplies by the variance, not the std.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) \
            * (2 / (layer_dims[l - 1] + layer_dims[l]))
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def xavier_global_normal(layer_dims, rng):
    # np.random.normal, not rng.normal.
    params = {}
    for l in range(1, len(layer_dims)):
        std = np.sqrt(2 / (layer_dims[l - 1] + layer_dims[l]))
        params[f"W{l}"] = np.random.normal(0, std, (layer_dims[l - 1], layer_dims[l]))
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def xavier_transposed(layer_dims, rng):
    # The lecture's (n_l, n_{l-1}) shapes, kept.
    params = {}
    for l in range(1, len(layer_dims)):
        std = np.sqrt(2 / (layer_dims[l - 1] + layer_dims[l]))
        params[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * std
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


def xavier_prints_instead(layer_dims, rng):
    # Wrong kind: prints the shapes and returns nothing (None).
    for l in range(1, len(layer_dims)):
        print("W%d" % l, (layer_dims[l - 1], layer_dims[l]))



# ---------------------------------------------------------------- added with the checks' rewrite (issue 25)

def xavier_fan_out_only(layer_dims, rng):
    # sqrt(1 / n_l): the fan-out alone.
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * np.sqrt(1 / layer_dims[l])
        params[f"b{l}"] = np.zeros(layer_dims[l])
    return params


CORRECT = [
    Case(ZEROS, "zeros_dict_comprehension", zeros_dict_comprehension),
    Case(ZEROS, "zeros_full_zip", zeros_full_zip),
    Case(ZEROS, "zeros_float32", zeros_float32),
    Case(ZEROS, "zeros_while_loop", zeros_while_loop),
    Case(RANDOM, "random_normal_loc_scale", random_normal_loc_scale),
    Case(RANDOM, "random_row_loop", random_row_loop),
    Case(HE, "he_normal_call", he_normal_call),
    Case(RANDOM, "random_cast_to_float32", random_cast_to_float32),
    Case(HE, "he_row_loop", he_row_loop),
    Case(HE, "he_cast_to_float32", he_cast_to_float32),
    Case(XAVIER, "xavier_fan_avg", xavier_fan_avg),
    Case(XAVIER, "xavier_row_loop", xavier_row_loop),
    Case(XAVIER, "xavier_cast_to_float32", xavier_cast_to_float32),
]

WRONG = [
    Case(ZEROS, "zeros_first_layer_only", zeros_first_layer_only, "every layer", r"layer|W2|W\d|missing"),
    Case(ZEROS, "zeros_skips_last_layer", zeros_skips_last_layer, "every layer", r"layer|W\d|missing"),
    Case(ZEROS, "zeros_transposed", zeros_transposed, "value: shape of W", r"shape|transpos"),
    Case(ZEROS, "zeros_bias_column", zeros_bias_column, "value: shape of b", r"shape|b\d"),
    Case(ZEROS, "zeros_keys_from_zero", zeros_keys_from_zero, "value: keys", r"key|W0|W1|missing"),
    Case(ZEROS, "zeros_no_biases", zeros_no_biases, "value: keys (biases)", r"b1|bias|key|missing"),
    Case(ZEROS, "zeros_int_dtype", zeros_int_dtype, "value: float dtype", r"dtype|float|int"),
    Case(ZEROS, "zeros_scalar_bias", zeros_scalar_bias, "value: shape of b", r"shape|b\d|array"),
    Case(ZEROS, "zeros_returns_list", zeros_returns_list, "wrong kind", r"dict|return|expected|got"),
    Case(ZEROS, "zeros_forgets_return", zeros_forgets_return, "wrong kind", r"None|return"),

    Case(RANDOM, "random_global_randn", random_global_randn, "uses rng", r"rng"),
    Case(RANDOM, "random_seeds_global", random_seeds_global, "uses rng", r"rng|seed"),
    Case(RANDOM, "random_scale_first_layer_only", random_scale_first_layer_only, "every layer", r"layer|W\d"),
    Case(RANDOM, "random_scale_squared", random_scale_squared, "value: std = scale",
         r"scale|var|std|standard deviation"),
    Case(RANDOM, "random_sqrt_scale", random_sqrt_scale, "value: std = scale",
         r"scale|var|std|standard deviation"),
    Case(RANDOM, "random_hardcoded_10", random_hardcoded_10, "argument: scale", r"scale"),
    Case(RANDOM, "random_uniform_draws", random_uniform_draws, "value: normal draws (mean 0)",
         r"mean|normal|distribution|rand"),
    Case(RANDOM, "random_biases_drawn", random_biases_drawn, "value: zero biases", r"bias|b\d|zero"),
    Case(RANDOM, "random_transposed", random_transposed, "value: shape of W", r"shape|transpos"),
    Case(RANDOM, "random_returns_pair", random_returns_pair, "wrong kind", r"dict|tuple|return|expected|got"),

    Case(HE, "he_global_randn", he_global_randn, "uses rng", r"rng"),
    Case(HE, "he_new_generator_per_layer", he_new_generator_per_layer, "uses rng", r"rng"),
    Case(HE, "he_fan_of_layer_0", he_fan_of_layer_0, "every layer", r"layer|W2|W\d"),
    Case(HE, "he_fan_out", he_fan_out, "value: variance 2/n_{l-1} (fan-in)", r"fan|var|n_"),
    Case(HE, "he_lecun_factor", he_lecun_factor, "value: variance 2/n_{l-1} (the 2)",
         r"var|std|standard deviation|factor|2 ?/"),
    Case(HE, "he_no_sqrt", he_no_sqrt, "value: std = sqrt(variance)", r"var|sqrt|square root|std"),
    Case(HE, "he_transposed", he_transposed, "value: shape of W", r"shape|transpos"),
    Case(HE, "he_biases_drawn", he_biases_drawn, "value: zero biases", r"bias|b\d|zero"),
    Case(HE, "he_returns_weights_list", he_returns_weights_list, "wrong kind", r"dict|list|return|expected|got"),

    Case(XAVIER, "xavier_layer1_fans", xavier_layer1_fans, "every layer", r"layer|W2|W\d"),
    Case(XAVIER, "xavier_fan_in_only", xavier_fan_in_only, "value: variance 2/(n_{l-1}+n_l)", r"fan|var|n_"),
    Case(XAVIER, "xavier_missing_2", xavier_missing_2, "value: variance 2/(n_{l-1}+n_l)",
         r"var|std|standard deviation|factor|2 ?/"),
    Case(XAVIER, "xavier_product_of_fans", xavier_product_of_fans, "value: variance 2/(n_{l-1}+n_l)",
         r"fan|var|n_"),
    Case(XAVIER, "xavier_no_sqrt", xavier_no_sqrt, "value: std = sqrt(variance)", r"var|sqrt|square root|std"),
    Case(XAVIER, "xavier_global_normal", xavier_global_normal, "uses rng", r"rng"),
    Case(XAVIER, "xavier_transposed", xavier_transposed, "value: shape of W", r"shape|transpos"),
    Case(XAVIER, "xavier_prints_instead", xavier_prints_instead, "wrong kind", r"None|return"),
    Case(XAVIER, "xavier_fan_out_only", xavier_fan_out_only, "value: variance 2/(n_{l-1}+n_l)", r"fan|var|n_"),
    Case(RANDOM, "random_float32", random_float32, "value: the spec's draws, layer by layer",
         r"draw|rng\.standard_normal|order|transpos"),
    Case(RANDOM, "random_transposed_draw", random_transposed_draw, "value: the spec's draws, layer by layer",
         r"draw|rng\.standard_normal|order|transpos"),
    Case(HE, "he_float32", he_float32, "value: the spec's draws, layer by layer",
         r"draw|rng\.standard_normal|order|transpos"),
    Case(HE, "he_transposed_draw", he_transposed_draw, "value: the spec's draws, layer by layer",
         r"draw|rng\.standard_normal|order|transpos"),
    Case(XAVIER, "xavier_float32", xavier_float32, "value: the spec's draws, layer by layer",
         r"draw|rng\.standard_normal|order|transpos"),
    Case(XAVIER, "xavier_transposed_draw", xavier_transposed_draw, "value: the spec's draws, layer by layer",
         r"draw|rng\.standard_normal|order|transpos"),
]
