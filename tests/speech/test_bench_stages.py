"""bench/render_stages.py runs: it names the pipeline's functions, which move when the
pipeline is reworked (K-weighting moved to k_weighting.py and the bench broke unnoticed)."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.speech.test_worker_processes import ROOT, short_home  # noqa: F401 - a fixture


def test_the_stage_bench_prints_every_stage_of_one_practice(short_home) -> None:  # noqa: F811
    out = subprocess.run([sys.executable, "bench/render_stages.py", "--practices", "1",
                          "--rounds", "1"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT),
                                               "TMPDIR": str(short_home)})
    assert out.returncode == 0, out.stderr[-2000:]
    assert "of which K-weighting" in out.stdout
    assert "pipeline own work" in out.stdout


def test_the_stage_bench_times_k_weighting_as_the_pipeline_runs_it(monkeypatch) -> None:
    """Fast, on single-precision samples (normalise_measured's way): it timed the exact way in
    double, twice the CPU, so K-weighting looked like 0.9-1.0 ms of a sentence's 1.6."""
    import numpy as np

    from app.speech import loudness
    from bench import render_stages

    seen = []

    def k_filter(samples, rate, tail=0, fast=False):  # type: ignore[no-untyped-def]
        seen.append((samples.dtype, fast))
        return np.zeros(len(samples) + tail, dtype=samples.dtype)

    monkeypatch.setattr(loudness, "k_filter", k_filter)
    render_stages.loudness_parts(render_stages.Stages(), np.zeros(1000))
    assert seen == [(np.float32, True)]
