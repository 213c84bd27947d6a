"""`securebase render` and `securebase voices`: the speech pipeline from a terminal.

Every failure ends as one plain line on stderr and exit code 1, never a traceback: the people
running this are practising, not debugging.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from app import paths
from app.core.practice import Practice
from app.core.problems import BrokenScript
from app.speech.engine import EngineUnavailable
from app.speech.render import (RenderError, RenderProgress, RenderReport, RenderSettings,
                               render_practices)
from app.speech.voices import all_voices, audio_dir_for, settings_for, with_fallback

MIN_RATE, MAX_RATE = 80, 260  # words a minute; outside this guidance is a drone or a rush


def add_commands(subparsers: Any) -> None:
    """Register `render` and `voices` on the app's argparse subparsers."""
    render = subparsers.add_parser(
        "render", help="turn the practice scripts into spoken audio",
        description="Render each practice step to a WAV file. Unchanged steps are skipped and "
                    "unchanged sentences come from the cache, so re-rendering is quick.")
    render.add_argument("--practice", dest="practices", metavar="ID", action="extend",
                        nargs="+", help="render only these practices (default: all)")
    render.add_argument("--out", type=Path, metavar="DIR",
                        help="where the audio goes (default: the audio folder in your data "
                             "folder, where the window finds it)")
    render.add_argument("--jobs", type=int, metavar="N",
                        help="worker processes (default: one per core; 0: no workers)")
    render.add_argument("--voice", metavar="V",
                        help="a voice id from `securebase voices`, of any installed engine "
                             "(e.g. piper:en_US-joe-medium); audio for a voice other than the "
                             "default goes in its own folder under the audio folder")
    render.add_argument("--rate", type=int, default=RenderSettings.rate, metavar="WPM",
                        help=f"speaking rate in words a minute (default {RenderSettings.rate})")
    render.set_defaults(func=run_render)

    voices = subparsers.add_parser("voices", help="list the voices audio can be rendered with")
    voices.add_argument("--language", metavar="CODE", help="only voices for this language, "
                                                           "e.g. en")
    voices.set_defaults(func=run_voices)


def run_render(args: argparse.Namespace) -> int:
    if not MIN_RATE <= args.rate <= MAX_RATE:
        return _fail(f"--rate must be between {MIN_RATE} and {MAX_RATE} words a minute.")
    if args.jobs is not None and args.jobs < 0:
        return _fail("--jobs cannot be negative.")
    try:
        every = _load_practices()
        practices = _select(every, args.practices)
    except LookupError as exc:
        return _fail(str(exc.args[0]))
    settings = settings_for(args.voice, args.rate)
    base: Path = paths.audio_dir() if args.out is None else args.out
    line = _ProgressLine(sys.stderr)

    used: list[RenderSettings] = []     # its sentences are kept when the cache is tidied

    def attempt(chosen: RenderSettings) -> tuple[RenderReport, Path]:
        used.append(chosen)
        # Without --out, each voice has its own folder: switching back finds it up to date.
        out = base if args.out is not None else audio_dir_for(base, chosen)
        return render_practices(practices, out, chosen, jobs=args.jobs, progress=line), out

    try:
        report, out_dir = with_fallback(settings, attempt, lambda text: _say(text, line))
    except (RenderError, EngineUnavailable) as exc:
        return _fail(str(exc), line)
    except KeyboardInterrupt:
        return _fail("Stopped. Steps already finished are kept.", line)
    except OSError as exc:
        return _fail(f"Could not write the audio ({exc.strerror or exc}: "
                     f"{exc.filename or base}).", line)
    line.clear()
    print(_summary(report, len(practices), out_dir))
    freed = _tidy_cache(every, used)
    if freed:
        print(freed)
    return 0


def _tidy_cache(practices: list[Practice], rendered: list[RenderSettings]) -> str:
    """After a render, the cache back within its bounds (speech_cache): what the window's
    voice and pace use is kept, and what this command rendered with. A failure to tidy is no
    failure of the render: said in one line, the audio is there."""
    from app.speech.speech_cache import described, tidy
    from app.storage.preferences import load_preferences
    try:
        prefs = load_preferences()
        return described(tidy(practices, prefs.voice, prefs.rate,
                              also=rendered))
    except OSError as exc:
        return f"The prepared speech could not be tidied ({exc.strerror or exc})."


def run_voices(args: argparse.Namespace) -> int:
    voices, problems = all_voices()
    for problem in problems:  # a missing optional engine is worth a line, not a failure
        print(problem, file=sys.stderr)
    if not voices:
        return _fail(problems[0] if problems else "No speech engine is available.")
    if args.language:
        wanted = args.language.lower()
        voices = [v for v in voices if v.language.lower().split("-")[0] == wanted.split("-")[0]]
    if not voices:
        return _fail(f"No voices for the language {args.language!r}.")
    width, lang = max(len(v.id) for v in voices), max(len(v.language) for v in voices)
    for voice in sorted(voices, key=lambda v: (v.engine != "piper", v.language, v.id)):
        print(f"{voice.id:<{width}}  {voice.language:<{lang}}  {voice.engine:<6}  {voice.name}")
    licences = {v.engine: v.licence for v in voices}
    print("; ".join(f"{_count(sum(v.engine == engine for v in voices), 'voice')} from "
                    f"{engine} ({licence})" for engine, licence in licences.items()) + ".")
    return 0


def _load_practices() -> list[Practice]:
    try:
        from app.storage.script_files import load_all  # the script loader, loaded late
    except ImportError:
        raise LookupError("The practice script loader (app.core.scripts) is missing.") from None
    practices, broken = load_all()
    for script in broken:
        _warn_broken(script)
    return list(practices)


def _warn_broken(script: BrokenScript) -> None:
    first = f": {script.problems[0]}" if script.problems else ""
    more = f" (and {len(script.problems) - 1} more)" if len(script.problems) > 1 else ""
    print(f"Skipped {script.path}, it has problems{first}{more}", file=sys.stderr)


def _select(practices: list[Practice], wanted: Sequence[str] | None) -> list[Practice]:
    if not practices:
        raise LookupError("There are no practice scripts to render.")
    if not wanted:
        return practices
    by_id = {practice.id: practice for practice in practices}
    unknown = [name for name in wanted if name not in by_id]
    if unknown:
        raise LookupError(f"No practice called {', '.join(map(repr, unknown))}; "
                          f"there are: {', '.join(sorted(by_id))}.")
    return [by_id[name] for name in dict.fromkeys(wanted)]


def _summary(report: RenderReport, practices: int, out_dir: Path) -> str:
    steps = report.steps_rendered + report.steps_up_to_date
    spoken = _count(report.chunks_synthesized, "sentence")
    return (f"{_count(steps, 'step')} from {_count(practices, 'practice')} "
            f"({report.steps_rendered} rendered, {report.steps_up_to_date} already up to date): "
            f"{report.audio_seconds:.0f} s of audio, {spoken} spoken, {report.chunks_cached} "
            f"from cache, in {report.wall_seconds:.1f} s. Audio is in {out_dir}")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _say(message: str, line: _ProgressLine) -> None:
    line.clear()
    print(f"securebase: {message}", file=sys.stderr)


def _fail(message: str, line: _ProgressLine | None = None) -> int:
    if line is not None:
        line.clear()
    print(f"securebase: {message}", file=sys.stderr)
    return 1


class _ProgressLine:
    """One self-overwriting status line, only when stderr is a terminal (logs stay clean)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.steps = 0
        self.shown = False
        self.last = 0.0

    def __call__(self, progress: RenderProgress) -> None:
        if progress.step_id is not None:
            self.steps += 1
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.1 and progress.done < progress.total):
            return  # a terminal needs no more than ten updates a second
        self.last = now
        text = (f"Rendering: {progress.done}/{progress.total} sentences, "
                f"{_count(self.steps, 'step')} ready")
        self.stream.write(f"\r{text}\033[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False
