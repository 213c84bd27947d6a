"""`securebase`: open the window, or one of the command-line tools."""
from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

# pydub warns about audioop and ffmpeg on import; we only ever read and write WAV.
warnings.filterwarnings("ignore", message=".*audioop.*", category=DeprecationWarning)
warnings.filterwarnings("ignore", message="Couldn't find ffmpeg", category=RuntimeWarning)


def cmd_check(args: argparse.Namespace) -> int:
    """Errors (the script cannot be used) exit 1; pacing warnings are printed but exit 0."""
    from app.storage.library_cache import script_files
    from app.core.pacing import lint
    from app.core.scripts import ScriptError, load_practice
    from app import paths

    files = [Path(f) for f in args.files] or script_files()
    bundled = paths.BUNDLED_SCRIPTS_DIR.resolve()
    problems = warnings = 0
    for file in files:
        try:
            practice = load_practice(file, bundled=file.resolve().parent == bundled)
        except ScriptError as exc:
            for problem in exc.problems:
                print(problem)
            problems += len(exc.problems)
            continue
        for warning in lint(practice):
            print(warning)
            warnings += 1
    scripts = _count(len(files), "script")
    if problems:
        print(f"{_count(problems, 'problem')} and {_count(warnings, 'warning')} in {scripts}.",
              file=sys.stderr)
        return 1
    if warnings:
        print(f"{_count(warnings, 'pacing warning')} in {scripts}; the scripts work, but "
              "have a look.")
        return 0
    print("The practice script looks good." if len(files) == 1 else
          f"All {len(files)} practice scripts look good.")
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def cmd_window(args: argparse.Namespace) -> int:
    from app.ui.app import run_app
    return run_app(sys.argv[:1])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="securebase",
        description="Secure Base: gentle, offline, audio-guided parts-work practice.")
    parser.set_defaults(func=cmd_window)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    check = sub.add_parser("check", help="validate practice scripts (all, or the files given)")
    check.add_argument("files", nargs="*", help="script files (default: bundled and user scripts)")
    check.set_defaults(func=cmd_check)
    _add_optional_commands(sub)
    return parser


def _add_optional_commands(sub) -> None:
    """Commands whose modules register themselves; each module stays small and separate."""
    import importlib

    for module in ("app.speech.cli", "app.storage.cli", "app.ui.report.cli"):
        try:
            importlib.import_module(module).add_commands(sub)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
