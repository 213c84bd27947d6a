"""How well the spoken guidance can be understood, measured by an offline speech recogniser.

Renders every bundled practice with both voices (the natural voice, Piper joe, and the standard
voice, espeak-ng), transcribes every step's WAV (split on silence) with Whisper tiny.en, and
prints the word error rate per practice and voice against the script text, with the steps whose
first or last word is missing. The baseline is the recogniser itself: what it hears in the
natural voice is the reference point for the standard voice.

Goals: natural voice <= 4 % overall and no step above 10 %; standard voice <= 9 %; no first or
last word lost by either.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/intelligibility.py [--check] [--voice piper|espeak] [--practice ID]
        [--show] [--words N]

--show prints what was heard in every step; --words N the N words misheard most often, with
what was heard instead (where the errors come from: one word's pronunciation, or the
recogniser's noise spread over small words).

Rendering is cached in bench/out/intelligibility (a second run only transcribes).
"""
from __future__ import annotations

import os
import sys
import time
from collections import Counter, defaultdict

from _common import ROOT, finish, parser

OUT = ROOT / "bench" / "out" / "intelligibility"
os.environ["SECUREBASE_HOME"] = str(OUT / "home")

from _speech import Score, alignment, score, transcribe, words  # noqa: E402

from app.storage.script_files import load_all  # noqa: E402
from app.speech.audio import load_wav  # noqa: E402
from app.speech.render import render_practices  # noqa: E402
from app.speech.voices import STANDARD_VOICE, NATURAL_VOICE, audio_dir_for, settings_for  # noqa: E402

VOICES = {"piper": NATURAL_VOICE, "espeak": STANDARD_VOICE}
GOALS = {"piper": 0.04, "espeak": 0.09}
STEP_GOAL = {"piper": 0.10}


Results = dict[str, list[tuple[str, Score, str, str]]]  # practice -> (unit, score, heard, said)


def measure(voice_name: str, practices, rate: int) -> Results:
    settings = settings_for(VOICES[voice_name], rate)
    out = audio_dir_for(OUT / "audio", settings)
    started = time.perf_counter()
    report = render_practices(practices, out, settings, jobs=2)
    print(f"{voice_name}: rendered {report.steps_rendered} steps "
          f"({report.steps_up_to_date} up to date) in {time.perf_counter() - started:.0f} s",
          flush=True)
    results: Results = defaultdict(list)
    for practice in practices:
        for step in practice.steps:
            # a step with [listen N] marks is several files, one per spoken segment
            for segment in step.segments:
                heard = transcribe(load_wav(out / practice.id / f"{segment.audio_id}.wav"))
                results[practice.id].append((segment.audio_id,
                                             score(words(segment.say), words(heard)), heard,
                                             segment.say))
    return results


def misheard(results: Results, top: int) -> None:
    """The words said that were heard wrong (or not at all) most often, and as what."""
    said_count: Counter[str] = Counter()
    wrong: dict[str, Counter[str]] = defaultdict(Counter)
    for steps in results.values():
        for _unit, _score, heard, say in steps:
            for said, got in alignment(words(say), words(heard)):
                if said is not None:
                    said_count[said] += 1
                    if got != said:
                        wrong[said][got or "-"] += 1
    ranked = sorted(wrong, key=lambda w: -sum(wrong[w].values()))[:top]
    for word in ranked:
        heard_as = ", ".join(f"{h} {n}" for h, n in wrong[word].most_common(3))
        print(f"      {word:<16} {sum(wrong[word].values()):>3} of {said_count[word]:<4} "
              f"heard as: {heard_as}")


def total(scores: list[Score]) -> float:
    return sum(s.errors for s in scores) / max(1, sum(s.reference_words for s in scores))


def main() -> int:
    p = parser(__doc__)
    p.add_argument("--voice", choices=sorted(VOICES), action="append")
    p.add_argument("--practice", action="append")
    p.add_argument("--rate", type=int, default=140)
    p.add_argument("--show", action="store_true", help="print what was heard in each step")
    p.add_argument("--words", type=int, default=0, metavar="N",
                   help="print the N words misheard most often")
    args = p.parse_args()
    practices, _broken = load_all()
    if args.practice:
        practices = [pr for pr in practices if pr.id in args.practice]
    goals = []
    for voice_name in args.voice or ["piper", "espeak"]:
        started = time.perf_counter()
        results = measure(voice_name, practices, args.rate)
        everything: list[Score] = []
        flagged: list[str] = []
        worst = 0.0
        for practice_id, steps in results.items():
            scores = [s for _, s, _, _ in steps]
            everything += scores
            print(f"  {voice_name:<7} {practice_id:<36} WER {100 * total(scores):5.1f} %  "
                  f"({sum(s.reference_words for s in scores)} words)")
            for step_id, s, heard, _ in steps:
                worst = max(worst, s.wer)
                lost = [edge for edge, gone in (("first", s.first_lost), ("last", s.last_lost))
                        if gone]
                if lost or args.show:
                    print(f"      {step_id:<24} WER {100 * s.wer:5.1f} %"
                          f"{'  lost ' + ' and '.join(lost) + ' word' if lost else ''}"
                          f"{'  heard: ' + heard if args.show or lost else ''}")
                if lost:
                    flagged.append(f"{practice_id}/{step_id}")
        if args.words:
            print(f"  {voice_name}: the words misheard most often (said, heard wrong of said)")
            misheard(results, args.words)
        overall = total(everything)
        print(f"{voice_name}: WER {100 * overall:.2f} % over {len(everything)} steps, worst step "
              f"{100 * worst:.1f} %, {len(flagged)} steps missing a first or last word "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
        goals.append((f"{voice_name} WER overall", overall, f"<= {GOALS[voice_name]:.2f}",
                      overall <= GOALS[voice_name]))
        if voice_name in STEP_GOAL:
            goals.append((f"{voice_name} worst step WER", worst, f"<= {STEP_GOAL[voice_name]:.2f}",
                          worst <= STEP_GOAL[voice_name]))
        goals.append((f"{voice_name} steps losing first/last word", float(len(flagged)), "= 0",
                      not flagged))
    return finish(args.check, goals)


if __name__ == "__main__":
    sys.exit(main())
