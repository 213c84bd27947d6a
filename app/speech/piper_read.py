"""How the natural voice (Piper) reads: its pace mapping and its variation settings, and one
digest of them for the render cache.

Apart from piper_engine.py (which imports numpy and runs the model) so that the render plan,
which imports no numpy, can key every Piper sentence by these settings: a change to any of
them must re-render a person's cached natural-voice audio, as a change to espeak's pace
tables does for the standard voice (plan._ENGINE_VERSIONS).
"""
from __future__ import annotations

import hashlib

# Piper's pace is not proportional to length_scale. Measured on 24 sentences of the bundled
# practices as the pipeline leaves them (edge silence trimmed, inner pauses capped, noise then
# 0.4/0.5): 110.7, 156.9 and 204.8 words a minute at length_scale 2.589, 1.682 and 1.219, fitted
# by wpm = 240.4 * length_scale ** -0.817 (bench/delivery.py --calibrate). Inverting it makes
# "140" mean 140 words a minute heard inside sentences.
NATURAL_WPM = 240.4
PACE_EXPONENT = 0.817
LENGTH_SCALE_LIMITS = (0.5, 4.0)
# Variation: noise_scale (voice) and noise_w (timing); the voice's own defaults are 0.667 and
# 0.8. Off: Piper samples no noise, so a sentence reads to the same samples in every render
# (bit for bit in a worker, whose onnxruntime runs one thread; +-1 of 32,767 between thread
# counts), and the full render bench/intelligibility.py checks is the render a person hears.
# With noise on, about 1 piece in 119 came out slurred at an edge, a different one each render.
# What noise added was not warmth: bench/piper_settings.py (40 sentences x 3 rounds, figures in
# the README) measured the same pitch movement within sentences (5.10 st against 5.26 at the
# default), the same pace, pace spread and comma pauses, and the same word errors (2.04 %).
# The pace fit above was made at 0.4/0.5; at 0/0 the same sentences read 135 against 134 wpm.
NOISE_SCALE = 0.0
NOISE_W = 0.0
# Piper splits its input at sentence ends and returns each sentence separately; a short gap
# between them keeps "Rest. Breathe." from running together (our chunks are mostly one sentence).
SENTENCE_GAP_SECONDS = 0.25


def settings_digest() -> str:
    """Every setting above that changes what Piper says: a new one belongs in this tuple."""
    settings = (NATURAL_WPM, PACE_EXPONENT, LENGTH_SCALE_LIMITS, NOISE_SCALE, NOISE_W,
                SENTENCE_GAP_SECONDS)
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:12]


PIPER_VERSION = settings_digest()


def length_scale(rate: int) -> float:
    low, high = LENGTH_SCALE_LIMITS
    scale = float((NATURAL_WPM / max(rate, 1)) ** (1 / PACE_EXPONENT))
    return min(high, max(low, scale))
