"""Render workers run numpy's BLAS on one thread: the pool already has a worker per core."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.speech.test_worker_processes import ROOT, short_home  # noqa: F401 - a fixture

BLAS = """
import os
from concurrent.futures import ProcessPoolExecutor
from app.speech.isolated import worker_context
with ProcessPoolExecutor(1, mp_context=worker_context("espeak")) as pool:
    in_worker = pool.submit(os.getenv, "OPENBLAS_NUM_THREADS").result(timeout=60)
print(in_worker, os.getenv("OPENBLAS_NUM_THREADS"))
"""


def test_workers_run_blas_on_one_thread_and_the_window_keeps_its_environment(
        short_home) -> None:  # noqa: F811 - the fixture
    """BLAS threads of a worker's own spin beside it: K-weighting's matrix products
    (app/speech/k_weighting.py) cost ~4x the CPU with a BLAS thread per core."""
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", BLAS], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, env={**env, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["1", "None"]
