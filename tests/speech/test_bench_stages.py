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
