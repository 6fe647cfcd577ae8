"""The losses of many perturbed copies of an ``model.MLP`` at once: what makes ``check_model`` fast.

The full check needs J(theta + eps e_i) and J(theta - eps e_i) for every entry i: 2 P losses. The clear
way, one whole forward pass per loss, is ``check_model(..., vectorized=False)``; it stays as the reference
this module is tested against. Here the unperturbed forward pass is computed once, and each perturbation
recomputes only what it changes (m examples, layers l = 1..L, A_0 = X)::

    W_l[i, j] += d   changes column j of Z_l by  d A_{l-1}[:, i]     (b_l[j] += d: by d in every row)
                     so only unit j of A_l, by  dA[r] = A_l'[r, j] - A_l[r, j], and only in the rows r
                     where dA[r] != 0 (a zero input, a ReLU unit that stays off, a dropped unit: no change)
    Z_{l+1}[r] += dA[r] W_{l+1}[j, :]      a rank-1 change, then layers l+2..L as usual

Entries are taken in chunks; the (entry, row) pairs of a chunk whose A_l moved go through the layers after l
together, one matrix product per layer (``forward_pairs``). For ReLU-type units there is a shortcut: between
kinks the layers after l are linear, so the logits of row r move by dA[r] times a vector U[j, r] computed
once (``linear_map``), for every pair that crosses no kink; the others take the exact path. A perturbed loss
is the mean of the new losses of the changed rows and the cached losses of the others, plus the L2 penalty
with one weight changed: lambda / (2m) (sum_l ||W_l||^2 - w^2 + (w +- eps)^2). It is the same loss as a whole
forward pass up to rounding: the numerical gradients agree to about 1e-10 relative.

The directional check perturbs a whole array of layer l along k directions: its 2k perturbed nets run from
layer l on as one batch of shape (2k, m, n_l), on the cached input A_{l-1}.

Dropout uses the masks of the cached pass (drawn from the ``rng`` given, as ``model.forward`` draws them).
For ReLU-type units a perturbation crossed a kink when it flips the sign of any hidden pre-activation of a unit
the dropout mask keeps, as in the loop. All arrays are float64; a chunk's temporaries stay under about ``CHUNK_BYTES`` each.
"""

import numpy as np

from .. import activations, model, regularization

CHUNK_BYTES = 4 * 2**20  # the largest temporary array of a chunk: small enough to stay in the CPU's cache


class PerturbedLosses:
    """The cached forward pass of ``net`` on (X, y), and the losses of perturbed copies of its ``params``.

    Args:
        net: a ``model.MLP`` (its own loss: cross-entropy plus L2 penalty) with float64 ``params``.
        X, y: checked data, float64 (m, n_0) and int (m,).
        rng: the generator the dropout masks are drawn from (consumed), or None without dropout.
    """

    def __init__(self, net, X, y, rng):
        self.params, self.y, self.m = net.params, y, X.shape[0]
        self.L = len(self.params) // 2
        self.g = activations.get(net.hidden_activation)[0]
        self.kinks = net.hidden_activation in ("relu", "leaky_relu")
        self.sigmoid = net.output == "sigmoid"
        self.keep_prob, self.l2 = net.keep_prob, net.l2
        logits, caches = model.forward(self.params, X, net.hidden_activation, net.keep_prob, rng)
        # layer l = 1..L: input A[l - 1], pre-activation Z[l], dropout mask of its output mask[l] (or None)
        self.A = [c.A_prev for c in caches]
        self.Z = [None] + [c.Z for c in caches]
        self.mask = [None] + [c.mask for c in caches]
        # the same, transposed: row j of Z_T[l] is column j of Z_l (what a perturbation of unit j moves)
        self.A_T, self.Z_T = [A.T.copy() for A in self.A], [None] + [Z.T.copy() for Z in self.Z[1:]]
        self.mask_T = [None if mask is None else mask.T.copy() for mask in self.mask]
        self.rows = self.row_losses(logits.T, np.arange(self.m))
        # the logits, one column per example; for softmax minus each row's max (see `row_losses`)
        self.logits_T = (logits if self.sigmoid else logits - logits.max(axis=1, keepdims=True)).T.copy()
        self.linear = {}  # layer l -> the linear map of a ReLU net from A_l to the logits, see `linear_map`
        self.squares = {key: float(np.sum(W * W)) for key, W in self.params.items() if key[0] == "W"}

    def row_losses(self, logits_T, rows, shifted=False):
        """Cross-entropy of each column of ``logits_T`` (n_L, n), the logits of examples ``rows``; shape (n,).

        The formulas of ``losses`` (stable sigmoid form; log-softmax), one column per example: a batch of
        perturbed rows is stored one column each, so that these sums over n_L classes run along rows.
        ``shifted=True``: softmax logits from which a number per column (not necessarily the max) was
        subtracted already, which log-softmax does not depend on.
        """
        y = self.y[rows]
        if self.sigmoid:
            z = logits_T[0]
            return np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))
        if not shifted:
            logits_T = logits_T - logits_T.max(axis=0)
        return -(logits_T[y, np.arange(len(rows))] - np.log(np.exp(logits_T).sum(axis=0)))

    def loss(self, row_losses, key=None, squares=None):
        """J of each perturbed net from its (n, m) row losses, with ``||params[key]||^2`` replaced by ``squares``."""
        data = row_losses.sum(axis=1) / self.m
        if not self.l2:
            return data
        total = 0  # summed in the order of regularization.l2_penalty
        for name, value in self.squares.items():
            total = total + (squares if name == key else value)
        return data + self.l2 / (2 * self.m) * total

    @staticmethod
    def flips(Z, Z_cached, mask, axis):
        """Whether a pre-activation of a kept unit changed sign: Z against the cached Z_cached, along ``axis``.

        ``mask``: the dropout keep-mask of those units (broadcast against Z), or None without dropout; a
        dropped unit's output is 0 on both sides of its kink, so its sign does not reach the loss.
        """
        changed = (Z > 0) != (Z_cached > 0)
        return np.any(changed if mask is None else changed & mask, axis=axis)

    def activate(self, Z, l, mask):
        """g(Z) for pre-activations of layer l, times ``mask`` / keep_prob under dropout (as ``model.forward``)."""
        A = self.g(Z)
        return A if self.mask[l] is None else regularization.apply_dropout(A, mask, self.keep_prob)

    def entries(self, key, epsilon):
        """J(theta + eps e_i), J(theta - eps e_i) and "crossed a kink?" for every entry i of ``params[key]``.

        Returns three arrays of the shape of ``params[key]``. The step is the one a perturbation in place
        makes: (w + eps) - w in float64.
        """
        x, l = self.params[key], int(key[1:])
        width = max(Z.shape[1] for Z in self.Z[l:])
        chunk = max(1, CHUNK_BYTES // (8 * self.m * width))
        results = []
        for sign in (1.0, -1.0):
            J, crossed = np.empty(x.size), np.zeros(x.size, bool)
            for start in range(0, x.size, chunk):
                index = np.arange(start, min(start + chunk, x.size))
                old = x.flat[index]
                new = old + sign * epsilon
                step = new - old
                if key[0] == "W":  # entry (i, j): column j of Z_l moves by step * A_{l-1}[:, i]
                    i, j = np.divmod(index, x.shape[1])
                    z = self.Z_T[l][j] + step[:, None] * self.A_T[l - 1][i]  # (chunk, m)
                else:  # b_l[j]: column j moves by step in every row
                    j = index
                    z = self.Z_T[l][j] + step[:, None]
                row_losses, crossed_here = self.column_moved(l, j, z)
                crossed[index] = crossed_here
                squares = self.squares[key] - old * old + new * new if key[0] == "W" else None
                J[index] = self.loss(row_losses, key, squares)
            results += [J.reshape(x.shape), crossed.reshape(x.shape)]
        return results[0], results[2], results[1] | results[3]

    def column_moved(self, l, j, z):
        """Row losses (n, m) and "crossed a kink?" (n,) of n nets whose column j[e] of Z_l became z[e] (n, m)."""
        n = len(j)
        row_losses = np.tile(self.rows, (n, 1))  # the cached row losses, then those of the rows that moved
        if l == self.L:  # output logits
            e, r = np.nonzero(z != self.Z_T[l][j])
            logits = self.Z[l][r]
            logits[np.arange(len(r)), j[e]] = z[e, r]
            row_losses[e, r] = self.row_losses(logits.T, r)
            return row_losses, np.zeros(n, bool)
        crossed = self.flips(z, self.Z_T[l][j], None if self.mask[l] is None else self.mask_T[l][j], 1) if self.kinks \
            else np.zeros(n, bool)
        dA = self.activate(z, l, None if self.mask[l] is None else self.mask_T[l][j]) - self.A_T[l][j]
        e, r = np.nonzero(dA)  # the pairs (net e, row r) whose A_l moved
        dA, units = dA[e, r], j[e]
        exact = np.arange(len(r))  # the pairs that take the exact path
        linear = self.linear_map(l)
        if linear is not None:  # the pairs that cross no kink after layer l: the logits move by dA U[j, r]
            U_T, low, high = linear
            at = units * self.m + r  # (j, r) flattened, the column of U_T
            safe = (dA > low.ravel()[at]) & (dA < high.ravel()[at])
            moved = np.nonzero(safe)[0]
            logits_T = self.logits_T[:, r[moved]] + U_T[:, at[moved]] * dA[moved]
            row_losses[e[moved], r[moved]] = self.row_losses(logits_T, r[moved], shifted=True)
            exact = np.nonzero(~safe)[0]
        if len(exact):
            losses, pair_crossed = self.forward_pairs(l, r[exact], units[exact], dA[exact])
            row_losses[e[exact], r[exact]] = losses
            crossed[e[exact[pair_crossed]]] = True
        return row_losses, crossed

    def forward_pairs(self, l, r, j, dA):
        """Row losses and "crossed a kink?" of pairs: row r[p] of a net whose A_l[r[p], j[p]] moved by dA[p]."""
        Z = self.Z[l + 1][r] + dA[:, None] * self.params[f"W{l + 1}"][j]  # the rank-1 change of Z_{l+1}
        crossed = np.zeros(len(r), bool)
        for k in range(l + 1, self.L):
            if self.kinks:
                crossed |= self.flips(Z, self.Z[k][r], None if self.mask[k] is None else self.mask[k][r], 1)
            A = self.activate(Z, k, None if self.mask[k] is None else self.mask[k][r])
            Z = A @ self.params[f"W{k + 1}"] + self.params[f"b{k + 1}"]
        return self.row_losses(Z.T, r), crossed

    def linear_map(self, l):
        """For ReLU-type units, how the logits of row r move when A_l[r, j] moves by t: by t U[:, j, r].

        Between kinks a ReLU net is linear: while no hidden pre-activation after layer l changes sign, Z_k of
        row r moves by t U_k[j, r], with U_{l+1}[j, r] = W_{l+1}[j, :] and U_{k+1} = (U_k * slope_k(Z_k[r])) W_{k+1},
        the slope of g on Z_k's side of 0 (read off g itself: g(1) or -g(-1)) times the dropout scale. A unit
        of Z_k changes sign at t = -Z_k[r, u] / U_k[j, r, u]; ``low`` < 0 < ``high`` (n_l, m) are the nearest
        such t below and above 0: a pair with low < dA < high crosses no kink. Returns
        ``(U_L as (n_L, n_l m), low, high)``; for l = L - 1, U_L[j, r] = W_L[j, :] for any g. None when a hidden
        layer after l has a smooth g, or when U would take more than 16 CHUNK_BYTES.
        """
        if l not in self.linear:
            n, widths = self.Z[l].shape[1], [Z.shape[1] for Z in self.Z[l + 1:]]
            if not (self.kinks or l + 1 == self.L) or 8 * n * self.m * max(widths) > 16 * CHUNK_BYTES:
                self.linear[l] = None  # a smooth g after layer l: no shortcut
                return None
            U = np.broadcast_to(self.params[f"W{l + 1}"][:, None, :], (n, self.m, widths[0]))  # (n_l, m, n_{l+1})
            low, high = np.full((n, self.m), -np.inf), np.full((n, self.m), np.inf)
            for k in range(l + 1, self.L):
                on = self.Z[k] > 0
                with np.errstate(divide="ignore", invalid="ignore"):
                    t = -self.Z[k] / U  # where unit u of Z_k reaches 0
                above = (U > 0) != on  # this unit flips at t > 0 (t = +-0 for Z = 0: it flips for t of U's sign)
                high = np.minimum(high, np.where(above & (U != 0), t, np.inf).min(axis=2))
                low = np.maximum(low, np.where(~above & (U != 0), t, -np.inf).max(axis=2))
                slope = np.where(on, self.g(1.0), -self.g(-1.0))
                if self.mask[k] is not None:
                    slope = regularization.apply_dropout(slope, self.mask[k], self.keep_prob)
                U = (U * slope) @ self.params[f"W{k + 1}"]
            self.linear[l] = (np.ascontiguousarray(U.transpose(2, 0, 1)).reshape(-1, n * self.m), low, high)
        return self.linear[l]

    def along(self, key, V, epsilon):
        """J(theta + eps v), J(theta - eps v) and "crossed a kink?" for each direction v of ``V`` (k, *shape).

        The perturbed arrays are ``params[key] +- epsilon * v``, as a perturbation in place makes them.
        Returns three arrays of shape (k,).
        """
        x, k = self.params[key], len(V)
        l = int(key[1:])
        points = np.concatenate([x + epsilon * V, x - epsilon * V])  # (2k, *shape)
        width = max(Z.shape[1] for Z in self.Z[l:])
        chunk = max(1, CHUNK_BYTES // (8 * self.m * width))
        J, crossed = np.empty(2 * k), np.zeros(2 * k, bool)
        for start in range(0, 2 * k, chunk):
            batch = points[start:start + chunk]  # (n, *shape)
            n = len(batch)
            if key[0] == "W":
                Z = self.A[l - 1] @ batch + self.params[f"b{l}"]  # (n, m, n_l)
            else:
                Z = (self.A[l - 1] @ self.params[f"W{l}"])[None] + batch[:, None, :]
            for layer in range(l, self.L):
                if self.kinks:
                    crossed[start:start + n] |= self.flips(Z, self.Z[layer], self.mask[layer], (1, 2))
                A = self.activate(Z, layer, self.mask[layer]).reshape(n * self.m, -1)
                Z = (A @ self.params[f"W{layer + 1}"] + self.params[f"b{layer + 1}"]).reshape(n, self.m, -1)
            rows = self.row_losses(Z.reshape(n * self.m, -1).T, np.tile(np.arange(self.m), n)).reshape(n, self.m)
            squares = np.sum(batch * batch, axis=(1, 2)) if key[0] == "W" else None
            J[start:start + n] = self.loss(rows, key, squares)
        return J[:k], J[k:], crossed[:k] | crossed[k:]
