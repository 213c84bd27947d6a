"""espeak-ng's pace, mapped by measurement: the rate setting and the gap between words that make
the standard voice speak the pace a person asked for, as heard inside sentences (and keep its
words apart, which makes it far easier to understand: see MIN_GAP).

espeak-ng's own scale is off (set to 140, it speaks ~171 words a minute), it goes no slower than
a setting of 80 (~106 words a minute heard), and below that only a gap between words slows it.
The tables are measured with `bench/delivery.py --calibrate` on all 730 sentences of the bundled
practices: words a minute over each sentence as the pipeline prepares it (edge silence trimmed,
comma pauses included). A 48-sentence sample read 4-5 % slower than all of them, which is how an
earlier, smaller measurement came to suggest a wrong factor: calibrate on everything.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache

MIN_SETTING = 80   # espeak-ng's floor for its rate setting
MAX_SETTING = 220
# (rate setting, words a minute heard) with no word gap. Between 80 and 85 espeak barely moves.
HEARD: tuple[tuple[int, float], ...] = (
    (80, 106.3), (85, 107.0), (90, 112.6), (95, 118.6), (100, 124.1), (110, 135.5),
    (120, 146.7), (140, 171.2), (160, 194.6), (180, 219.0), (200, 242.4), (220, 266.0))
# espeak's word gap (espeakWORDGAP, "units of 10 ms"), measured at setting 80: the first unit
# adds 67 ms to every word (it also stops espeak running words together), each further unit
# 23.5 ms (95.0, 91.7, 88.5, 85.5 and 79.9 words a minute with 1, 2, 3, 4 and 6 units). espeak
# scales the gap with its speed: the first unit adds 54 ms at setting 100 (111.6 heard).
FIRST_GAP_S = 0.0671
NEXT_GAP_S = 0.0235
# Always at least one unit, at every pace: espeak then keeps its words apart instead of running
# them together, and is understood far better at the same pace heard (bench/intelligibility.py,
# Whisper tiny.en, 1,235 words of 25 step pieces at 140: 12.4 % of words misheard without a
# gap, 7.0 % with one, setting 126 instead of 114). The model holds at faster settings within
# 2 % (measured with one unit: 139.0, 154.2, 200.0 and 222.4 words a minute at 126, 140, 180
# and 200, every sixth sentence).
MIN_GAP = 1
MAX_GAP = 12
# Slower paces take the next gap only when this one cannot get within 1 % of them.
_GAP_SLACK = 1.01
# Part of the standard voice's cache version: new tables re-render its audio.
PACE_DIGEST = hashlib.sha256(
    repr((HEARD, FIRST_GAP_S, NEXT_GAP_S, MIN_GAP)).encode()).hexdigest()[:12]


def heard_wpm(setting: int, gap: int = 0) -> float:
    """Words a minute heard at espeak's `setting` with `gap` units between words."""
    seconds = 60.0 / _no_gap_wpm(setting)
    if gap > 0:
        seconds += (FIRST_GAP_S + NEXT_GAP_S * (gap - 1)) * MIN_SETTING / setting
    return 60.0 / seconds


@lru_cache(maxsize=256)
def espeak_pace(rate: int) -> tuple[int, int]:
    """(rate setting, word gap units) that make espeak speak `rate` words a minute."""
    gap = MIN_GAP
    while gap < MAX_GAP and heard_wpm(MIN_SETTING, gap) > rate * _GAP_SLACK:
        gap += 1
    setting = min(range(MIN_SETTING, MAX_SETTING + 1),
                  key=lambda s: abs(heard_wpm(s, gap) - rate))
    return setting, gap


def _no_gap_wpm(setting: int) -> float:
    """HEARD interpolated (straight lines between measured settings, held beyond its ends)."""
    setting = min(max(setting, HEARD[0][0]), HEARD[-1][0])
    for (s0, w0), (s1, w1) in zip(HEARD, HEARD[1:]):
        if setting <= s1:
            return w0 + (w1 - w0) * (setting - s0) / (s1 - s0)
    return HEARD[-1][1]
