"""Tests for course_utils.fastpath.blas_threads: one BLAS thread for small nets, inside the block only."""

import os

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from course_utils import model, optimizers, training
from course_utils.fastpath import blas_threads


def blas_threads_now():
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_flops_per_step_by_hand():
    params = {"W1": np.zeros((2, 10)), "b1": np.zeros(10), "W2": np.zeros((10, 1)), "b2": np.zeros(1)}
    assert blas_threads.flops_per_step(params, 300) == 6 * (20 + 10) * 300


def test_a_small_net_runs_on_one_thread_and_the_setting_comes_back():
    # make test runs OpenBLAS on one thread per process (see the Makefile): start from two threads here
    with threadpool_limits(limits=2, user_api="blas"):
        before = blas_threads_now()
        if max(before) == 1:
            pytest.skip("BLAS cannot run two threads here: nothing to limit")
        params = model.MLP([64, 128, 64, 10]).params  # 6.5 MFLOP per step at batch 64
        with blas_threads.threads_for(params, 64):
            assert blas_threads_now() == [1] * len(before)
        assert blas_threads_now() == before


def test_a_large_net_keeps_every_thread():
    before = blas_threads_now()
    params = {"W1": np.zeros((1024, 1024))}  # 6 * 1M * 256 = 1.6 GFLOP per step
    with blas_threads.threads_for(params, 256):
        assert blas_threads_now() == before


def test_train_restores_the_setting_even_when_training_diverges():
    before = blas_threads_now()
    X = np.random.default_rng(0).standard_normal((20, 3)) * 100
    net = model.MLP([3, 4, 1], init="random", init_scale=1e3)
    try:
        training.train(net, X, np.arange(20) % 2, optimizers.GD(1e30), epochs=50)
    except training.TrainingDivergedError:
        pass
    else:
        raise AssertionError("expected the run to diverge")
    assert blas_threads_now() == before


def _cpu_has_avx2():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            return " avx2 " in cpuinfo.read().replace("\n", " ")
    except OSError:
        return False


@pytest.mark.skipif(not (os.environ.get("MAKELEVEL") and _cpu_has_avx2()),
                    reason="the Makefile pins OpenBLAS's kernels only on CPUs with AVX2; run under make test")
def test_make_test_runs_openblas_with_the_pinned_kernels():
    # `make test` exports OPENBLAS_CORETYPE=Haswell on AVX2 CPUs so that AVX512 and AVX2 machines print the
    # same digits (see the Makefile); the notebooks' kernels inherit it, as this process does
    assert os.environ.get("OPENBLAS_CORETYPE"), "make test did not export OPENBLAS_CORETYPE"
    kernels = {lib["architecture"].lower() for lib in threadpool_info() if lib["internal_api"] == "openblas"}
    assert kernels == {os.environ["OPENBLAS_CORETYPE"].lower()}
