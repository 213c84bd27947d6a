"""`securebase`: open the window, or one of the command-line tools."""
from __future__ import annotations

import argparse
import contextlib
import os
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
    from app.core.scripts import ScriptError
    from app.storage.script_files import load_practice
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
        except Exception as exc:  # noqa: BLE001 - one line per file, never a traceback
            print(f"{file}:1: this script could not be checked ({type(exc).__name__})")
            problems += 1
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
    from app.desktop.preflight import display_problem, missing_library_message, plugin_problem
    problem = display_problem() or plugin_problem()
    if problem is None:
        try:
            from app.ui.app import run_app
        except ImportError as exc:  # a Qt library that needs a system library not installed
            problem = missing_library_message(str(exc))
            if problem is None:
                raise
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    return run_app(sys.argv[:1])


def cmd_desktop_entry(args: argparse.Namespace) -> int:
    from app.desktop.entry import install_desktop_entry, uninstall_desktop_entry, xdg_data_home
    menu = xdg_data_home() / "applications"
    if args.install_desktop_entry:
        try:
            install_desktop_entry()
        except OSError as exc:
            print(f"securebase: could not add the menu entry ({exc.strerror or exc}: "
                  f"{exc.filename or menu}).", file=sys.stderr)
            return 1
        print(f"Secure Base is in your applications menu ({menu}).")
    elif uninstall_desktop_entry():
        print("Secure Base's menu entry and icon are removed. Your journal and data are "
              "untouched.")
    else:
        print("Secure Base was not in your applications menu; nothing to remove.")
    return 0


def window_args() -> argparse.Namespace:
    """What build_parser().parse_args([]) gives: open the window."""
    return argparse.Namespace(func=cmd_window, install_desktop_entry=False,
                              uninstall_desktop_entry=False)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="securebase",
        description="Secure Base: gentle, offline, audio-guided parts-work practice.")
    parser.set_defaults(func=cmd_window)
    entry = parser.add_mutually_exclusive_group()
    entry.add_argument("--install-desktop-entry", action="store_true",
                       help="add Secure Base and its icon to your applications menu")
    entry.add_argument("--uninstall-desktop-entry", action="store_true",
                       help="remove them from your applications menu (your data stays)")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    check = sub.add_parser("check", help="validate practice scripts (all, or the files given)")
    check.add_argument("files", nargs="*", help="script files (default: bundled and user scripts)")
    check.set_defaults(func=cmd_check)
    _add_optional_commands(sub)
    return parser


def _add_optional_commands(sub) -> None:
    """Commands whose modules register themselves; each module stays small and separate."""
    import importlib

    for module in ("app.speech.cli", "app.storage.cli", "app.storage.practice_cli",
                   "app.ui.report.cli"):
        try:
            importlib.import_module(module).add_commands(sub)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def main(argv: list[str] | None = None) -> int:
    from app.storage.errors import JournalError
    from app.storage.privacy import private_process
    private_process()           # every file this process writes is owner-only
    plain_streams()
    given = sys.argv[1:] if argv is None else argv
    # No arguments is the window, the common case: building every command's parser would
    # import the speech pipeline, the reports and the practice tools first (~250 ms).
    args = build_parser().parse_args(given) if given else window_args()
    if args.install_desktop_entry or args.uninstall_desktop_entry:
        args.func = cmd_desktop_entry
    try:
        code = args.func(args)
        sys.stdout.flush()              # here, where a closed pipe can be answered (below)
        return code
    except BrokenPipeError:
        # The reader stopped reading (`securebase voices | head -3`): it has what it wanted.
        # Nothing more to say; the interpreter's own last flush must not print a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141                      # as a command ended by SIGPIPE reports it
    except JournalError as exc:         # e.g. the data folder is a file or read-only
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130


# What an ASCII-only terminal (LC_ALL=C without UTF-8 mode) shows for the few non-ASCII
# characters in our own messages; anything else becomes "?". Without this, printing "…" or a
# file name like café.toml raised UnicodeEncodeError: `check` crashed and the PDF export said
# it had failed although the PDF was written.
_ASCII = {"…": "...", "–": "-", "—": "-", "→": "->", "←": "<-", "·": "-", "“": '"', "”": '"',
          "‘": "'", "’": "'", "×": "x", "−": "-", "•": "*", "\u00a0": " "}


def _to_ascii(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start:error.end]
    return "".join(_ASCII.get(char, "?") for char in bad), error.end


def plain_streams() -> None:
    """Make stdout and stderr print every message, whatever the terminal's encoding."""
    import codecs
    codecs.register_error("securebase-plain", _to_ascii)
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "ascii").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="securebase-plain")


def console() -> int:
    """The `securebase` command itself: what goes wrong unexpectedly is logged (see app.log)
    and told in one line; tests call main() and keep Python's own hooks."""
    from app.log import install_excepthook, print_calm_line, setup_logging
    setup_logging()
    install_excepthook(notify=print_calm_line)
    with contextlib.ExitStack() as stack:
        try:    # temporary files of this process and its helpers stay in the data folder
            from app import paths
            from app.storage.privacy import private_temp
            stack.enter_context(private_temp(paths.data_dir()))
        except OSError:
            pass                # a data folder that cannot be used: main() says so plainly
        return main()


if __name__ == "__main__":
    sys.exit(console())
