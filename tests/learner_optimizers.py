"""Optimizers written as a learner writes them, for the tests of the package's stacked training."""

import numpy as np

from course_utils import optimizers


class PlainAdam(optimizers.Optimizer):
    """Adam as a learner writes it: not marked elementwise, so the base class calls it array by array."""

    def update(self, name, param, grad, learning_rate):
        m, v = self.slot("m", name, param), self.slot("v", name, param)
        t = self.iterations + 1
        m[...] = 0.9 * m + 0.1 * grad
        v[...] = 0.999 * v + 0.001 * grad ** 2
        param[...] = param - learning_rate * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
