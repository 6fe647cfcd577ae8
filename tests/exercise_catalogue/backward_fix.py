"""Gradient_Checking.ipynb, the bug hunt: ``my_backward(dZ3, caches, params) -> grads``.

The backward pass of a net with two ReLU hidden layers and three weight layers (the notebook's
``buggy_backward`` with its two bugs fixed): ``caches`` is ``[(A0, Z1, mask), (A1, Z2, mask), (A2, Z3, mask)]``
as ``model.forward`` returns them (masks None), ``dZ3 = dJ/dZ3`` of shape (m, n3), rows are examples, and
``W_l`` has shape (n_{l-1}, n_l). The bugs planted in the notebook: ``db1 = dZ1.mean(axis=0)`` and
``dW2 = dZ2.T @ A1``.
"""

import numpy as np

from . import Case

FIX = "check_my_backward"


# ---------------------------------------------------------------- correct

def mb_fixed(dZ3, caches, params):
    # The buggy function with both lines corrected.
    (A0, Z1, _), (A1, Z2, _), (A2, _, _) = caches
    dW3, db3 = A2.T @ dZ3, dZ3.sum(axis=0)
    dZ2 = (dZ3 @ params["W3"].T) * (Z2 > 0)
    dW2, db2 = A1.T @ dZ2, dZ2.sum(axis=0)
    dZ1 = (dZ2 @ params["W2"].T) * (Z1 > 0)
    return {"W1": A0.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": dW2, "b2": db2, "W3": dW3, "b3": db3}


def mb_loop(dZ3, caches, params):
    # A loop over the layers, from the top, with np.where for relu'.
    grads, dZ = {}, dZ3
    for l in (3, 2, 1):
        A_prev, _, _ = caches[l - 1]
        grads[f"W{l}"] = np.dot(A_prev.T, dZ)
        grads[f"b{l}"] = np.sum(dZ, axis=0)
        if l > 1:
            Z_prev = caches[l - 2][1]
            dZ = np.where(Z_prev > 0, dZ @ params[f"W{l}"].T, 0.0)
    return {key: grads[key] for key in ("W1", "b1", "W2", "b2", "W3", "b3")}


def mb_einsum(dZ3, caches, params):
    # einsum for the products, ones @ dZ for the bias sums.
    (A0, Z1, _), (A1, Z2, _), (A2, _, _) = caches
    ones = np.ones(dZ3.shape[0])
    dZ2 = np.einsum("mk,jk->mj", dZ3, params["W3"]) * (Z2 > 0).astype(float)
    dZ1 = np.einsum("mk,jk->mj", dZ2, params["W2"]) * (Z1 > 0).astype(float)
    return {"W1": np.einsum("mi,mj->ij", A0, dZ1), "b1": ones @ dZ1, "W2": np.einsum("mi,mj->ij", A1, dZ2),
            "b2": ones @ dZ2, "W3": np.einsum("mi,mj->ij", A2, dZ3), "b3": ones @ dZ3}


def mb_transpose_of_product(dZ3, caches, params):
    # dW written as (dZ^T A)^T, which is A^T dZ: correct.
    fixed = mb_fixed(dZ3, caches, params)
    (_, _, _), (A1, Z2, _), _ = caches
    dZ2 = (dZ3 @ params["W3"].T) * (Z2 > 0)
    fixed["W2"] = (dZ2.T @ A1).T
    return fixed


# ---------------------------------------------------------------- wrong

def mb_buggy_as_given(dZ3, caches, params):
    # Unchanged: both bugs left in.
    grads = mb_fixed(dZ3, caches, params)
    (A0, Z1, _), (A1, Z2, _), _ = caches
    dZ2 = (dZ3 @ params["W3"].T) * (Z2 > 0)
    grads["W2"] = dZ2.T @ A1
    grads["b1"] = grads["b1"] / dZ3.shape[0]
    return grads


def mb_only_b1_fixed(dZ3, caches, params):
    # Fixed db1 but left dW2 transposed.
    grads = mb_fixed(dZ3, caches, params)
    (_, _, _), (A1, Z2, _), _ = caches
    grads["W2"] = ((dZ3 @ params["W3"].T) * (Z2 > 0)).T @ A1
    return grads


def mb_only_w2_fixed(dZ3, caches, params):
    # Fixed dW2 but kept db1 as a mean.
    grads = mb_fixed(dZ3, caches, params)
    grads["b1"] = grads["b1"] / dZ3.shape[0]
    return grads


def mb_all_means(dZ3, caches, params):
    # "Consistent" fix: every bias gradient made a mean.
    grads = mb_fixed(dZ3, caches, params)
    m = dZ3.shape[0]
    return {k: (v / m if k.startswith("b") else v) for k, v in grads.items()}


def mb_no_relu_mask(dZ3, caches, params):
    # Forgot relu' on layer 2.
    (A0, Z1, _), (A1, _, _), (A2, _, _) = caches
    dZ2 = dZ3 @ params["W3"].T
    dZ1 = (dZ2 @ params["W2"].T) * (Z1 > 0)
    return {"W1": A0.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": A1.T @ dZ2, "b2": dZ2.sum(axis=0),
            "W3": A2.T @ dZ3, "b3": dZ3.sum(axis=0)}


def mb_wrong_activation_for_dW3(dZ3, caches, params):
    # dW3 from Z2 (the pre-activation) instead of A2 (the activation).
    grads = mb_fixed(dZ3, caches, params)
    Z2 = caches[1][1]
    grads["W3"] = Z2.T @ dZ3
    return grads


def mb_scales_dZ3_in_place(dZ3, caches, params):
    # Divides dZ3 by m in place "to be safe": changes the caller's array, and every gradient.
    dZ3 /= dZ3.shape[0]
    return mb_fixed(dZ3, caches, params)


def mb_sign_flipped(dZ3, caches, params):
    # Returns the step direction, -grads.
    return {k: -v for k, v in mb_fixed(dZ3, caches, params).items()}


def mb_calls_the_package(dZ3, caches, params):
    # Hands the work to the package's backward pass instead of fixing buggy_backward.
    from course_utils import model
    return model.backward(dZ3, caches, params, hidden_activation="relu")


def mb_returns_list(dZ3, caches, params):
    # The arrays in a list, not a dict.
    return list(mb_fixed(dZ3, caches, params).values())


def mb_missing_b3(dZ3, caches, params):
    # Forgot the output bias.
    grads = mb_fixed(dZ3, caches, params)
    del grads["b3"]
    return grads


CORRECT = [Case(FIX, name, fn) for name, fn in [
    ("mb_fixed", mb_fixed), ("mb_loop", mb_loop), ("mb_einsum", mb_einsum),
    ("mb_transpose_of_product", mb_transpose_of_product)]]

WRONG = [Case(FIX, name, fn, prop, message) for name, fn, prop, message in [
    ("mb_buggy_as_given", mb_buggy_as_given, "value: both bugs", r"b1.*W2|W2.*b1"),
    ("mb_only_b1_fixed", mb_only_b1_fixed, "value: dW2 transposed", r"W2 differs"),
    ("mb_only_w2_fixed", mb_only_w2_fixed, "value: db1 a mean", r"b1 differs"),
    ("mb_all_means", mb_all_means, "value: bias gradients as means", r"b1 differs.*b2 differs.*b3 differs"),
    ("mb_no_relu_mask", mb_no_relu_mask, "value: relu' of layer 2", r"W2|b2|W1|b1"),
    ("mb_wrong_activation_for_dW3", mb_wrong_activation_for_dW3, "value: dW3 from A2", r"W3"),
    ("mb_scales_dZ3_in_place", mb_scales_dZ3_in_place, "inputs left alone", r"changed|modif|in place"),
    ("mb_sign_flipped", mb_sign_flipped, "sign", r"W1 differs \(relative error 1\)"),
    ("mb_returns_list", mb_returns_list, "wrong kind", r"dict|list|return"),
    ("mb_calls_the_package", mb_calls_the_package, "value: computed by model.backward, not by the learner",
     r"calls `model\.backward`"),
    ("mb_missing_b3", mb_missing_b3, "value: every array", r"b3|keys"),
]]
