"""The standard voice reads a sentence the same whatever it said before: same text and settings,
same bytes (espeak-ng 1.51 carries its pitch flutter and voicing counts from one sentence to the
next; app/speech/espeak_engine.py speaks each sentence in a fresh fork). Until voice8 one engine
said a sentence a few hundred samples differently after another sentence, so two renders of a
practice differed and the chunk cache kept whichever read the pool's order made first."""
from __future__ import annotations

import hashlib
from pathlib import Path

from app.speech import espeak_engine, plan
from app.speech.plan import PIPELINE_VERSION
from app.speech.engine import get_engine
from app.speech.espeak_pace import PACE_DIGEST
from app.speech.speech_base import ESPEAK_PRONUNCIATION_DIGEST

SENTENCE = "Now find a place where you can sit or lie down, and let your body settle."
BEFORE = {
    "a long sentence": ("To stop, press Pause and ground, at the top of the screen, or the "
                        "Escape key, and take all the time you need."),
    "a question": "What does this part want you to know?",
    "itself": SENTENCE,
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_sentence_is_the_same_to_the_bit_whatever_came_before(tmp_path: Path) -> None:
    engine = get_engine("espeak")
    out = tmp_path / "s.wav"
    engine.synthesize(SENTENCE, out, voice=None, rate=140)
    alone = digest(out)
    for name, before in BEFORE.items():
        engine.synthesize(before, tmp_path / "before.wav", voice=None, rate=140)
        engine.synthesize(SENTENCE, out, voice=None, rate=140)
        assert digest(out) == alone, f"read differently after {name}"
    # Another pace and voice in between: settings are set again, the read is unchanged.
    engine.synthesize(BEFORE["a question"], tmp_path / "before.wav", voice="gmw/en", rate=180)
    engine.synthesize(SENTENCE, out, voice=None, rate=140)
    assert digest(out) == alone, "read differently after another voice and pace"


def test_chunks_read_the_old_way_are_not_reused() -> None:
    """The read changed the bytes, so espeak's cache key changed with it: a chunk cached by the
    history-dependent read re-renders instead of sitting beside fresh ones in one step."""
    old_key = f"{PIPELINE_VERSION}+{ESPEAK_PRONUNCIATION_DIGEST}+{PACE_DIGEST}"
    assert plan.pipeline_version("espeak") != old_key
    assert espeak_engine.ESPEAK_READ in plan.pipeline_version("espeak")
    assert espeak_engine.ESPEAK_READ not in plan.pipeline_version("piper")
