"""Planning a render (app/speech/plan.py): what the window does for every sentence before any
worker starts, so its cost is paid in the window's CPU on every render."""
from __future__ import annotations

from pathlib import Path

import pytest

from app import paths
from app.core.practice import Practice, Step
from app.speech import plan
from app.speech.plan import RenderSettings, cache_path, plan_all

SAY = "One breath. Two breaths. [pause 1] Three breaths. Four breaths. Five breaths."


def test_the_cache_folder_is_looked_up_once_per_render(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding it checks every level of the data folder on disk; it was looked up for every
    sentence (three times, with the render's own look-ups)."""
    lookups: list[Path] = []
    real = paths.chunk_cache_dir

    def counting() -> Path:
        lookups.append(real())
        return lookups[-1]

    monkeypatch.setattr(plan.paths, "chunk_cache_dir", counting)
    steps = tuple(Step(f"s{index}", f"S{index}", f"{SAY} Step {index}.") for index in range(4))
    plans = plan_all([Practice("calm", "Calm", "", 2.0, steps)], tmp_path / "out",
                     RenderSettings())
    assert len(lookups) == 1
    files = [file for step in plans for file in step.cache_files]
    assert len(files) == 4 * 6
    assert files == [cache_path(key, lookups[0]) for step in plans for key in step.keys]
    assert all(file.parent.parent == real() for file in files)


def test_sentences_levelled_another_way_are_new_to_the_standard_voices_cache() -> None:
    """In single precision (post-1), gain and limiter as one product (post-2): their bytes
    differ (by 1 LSB at most), so espeak's cached sentences are made again
    (seconds); the natural voice's keep their keys (minutes of rendering for nothing heard)."""
    assert "+post-2" in plan.pipeline_version("espeak")
    assert "post-" not in plan.pipeline_version("piper")
