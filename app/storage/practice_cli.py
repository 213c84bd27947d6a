"""`securebase new-practice | export-practice | import-practice`: your own practices from a
terminal, the same files and checks as the window's editor.

Exit codes: 0 done, 1 refused or failed (one plain message on stderr), 2 wrong usage.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any
from collections.abc import Callable

from app import paths
from app.core.practice_template import template_text, title_from_name
from app.core.scripts import SLUG, estimate_seconds
from app.storage import user_practices
from app.storage.files import write_private
from app.storage.practice_share import (
    SUFFIX, NameClash, ShareError, SharedPractice, export_practice, install, read_shared,
)
from app.storage.user_practices import PracticeFileError


def add_commands(subparsers: Any) -> None:
    new = subparsers.add_parser(
        "new-practice", help="write a commented practice script to start from",
        description="Write a commented template for a practice of your own into your scripts "
                    "folder (or --out). It passes `securebase check` as it is.")
    new.add_argument("name", metavar="NAME", help="its id, like evening-rest (or a title)")
    new.add_argument("--out", type=Path, metavar="FILE", help="write here instead")
    new.set_defaults(func=_safely(run_new))

    export = subparsers.add_parser(
        "export-practice", help=f"save a practice (and its recordings) as one {SUFFIX} file")
    export.add_argument("practice_id", metavar="ID")
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    export.add_argument("--no-recordings", action="store_true",
                        help="leave out the steps recorded in a voice")
    export.add_argument("--note", default="", help="a note for the person you give it to")
    export.set_defaults(func=_safely(run_export))

    imp = subparsers.add_parser(
        "import-practice", help=f"add a shared practice ({SUFFIX} or .toml) to yours")
    imp.add_argument("file", type=Path, metavar="FILE")
    clash = imp.add_mutually_exclusive_group()
    clash.add_argument("--keep-both", action="store_true",
                       help="if you have one of that name, add this one beside it")
    clash.add_argument("--replace", action="store_true",
                       help="if you have one of that name, replace yours (it can be restored "
                            "until the app next starts)")
    imp.set_defaults(func=_safely(run_import))


def _safely(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except (ShareError, PracticeFileError) as exc:
            print(f"securebase: {exc}", file=sys.stderr)
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            print(f"securebase: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    return wrapped


def run_new(args: argparse.Namespace) -> int:
    name = args.name.strip()
    if args.out is not None:
        practice_id, target = args.out.stem, args.out
        title = title_from_name(name if not SLUG.match(name) else practice_id)
    else:
        practice_id = name if SLUG.match(name) else _slug_of(name)
        title, target = title_from_name(name), user_practices.script_path(practice_id)
    if not SLUG.match(practice_id):
        print(f"securebase: '{practice_id}' cannot be a practice id: use lowercase letters, "
              "digits, hyphens and underscores, like evening-rest.", file=sys.stderr)
        return 1
    if user_practices.is_bundled_id(practice_id):
        print(f"securebase: '{practice_id}' is a practice that comes with the app; choose "
              "another name.", file=sys.stderr)
        return 1
    if target.exists():
        print(f"securebase: {target} exists already; it was left as it is.", file=sys.stderr)
        return 1
    write_private(target, template_text(practice_id, title, target.name).encode("utf-8"))
    print(f"Wrote {target}.\nEdit it, then check it with: securebase check {target}")
    return 0


def _slug_of(name: str) -> str:
    from app.core.practice_doc import unique_slug
    return unique_slug(name, set(), fallback="my-practice")


def run_export(args: argparse.Namespace) -> int:
    script = _find_script(args.practice_id)
    out = args.out if args.out.suffix else args.out.with_suffix(SUFFIX)
    export_practice(script, out, recordings=not args.no_recordings, note=args.note)
    shared = read_shared(out)                    # what the receiver will see, checked
    recorded = len(shared.recordings)
    with_recordings = f", with {recorded} recorded step{'s' * (recorded != 1)}" \
        if recorded else ""
    print(f"Saved “{shared.practice.title}”{with_recordings} to {out}.")
    return 0


def _find_script(practice_id: str) -> Path:
    for folder in (paths.user_scripts_dir(), paths.BUNDLED_SCRIPTS_DIR):
        candidate = folder / f"{practice_id}.toml"
        if SLUG.match(practice_id) and candidate.is_file():
            return candidate
    raise PracticeFileError(f"there is no practice with the id '{practice_id}' (see the "
                            "library, or the scripts folder)")


def describe(shared: SharedPractice) -> str:
    """What a shared practice is, before anything is written."""
    p = shared.practice
    minutes = estimate_seconds(p.steps) / 60
    lines = [f"“{p.title}”: {len(p.steps)} step{'s' * (len(p.steps) != 1)}, "
             f"about {minutes:.0f} minute{'s' * (round(minutes) != 1)}.", p.summary]
    if shared.recordings:
        lines.append(f"{len(shared.recordings)} of its steps are recorded in a voice.")
    if shared.note:
        lines.append(f"A note from its author: {shared.note}")
    return "\n".join(lines)


def run_import(args: argparse.Namespace) -> int:
    shared = read_shared(args.file)
    print(describe(shared))
    try:
        result = install(shared, keep_both=args.keep_both, replace=args.replace)
    except NameClash as clash:
        choice = _ask_clash(clash)
        if choice is None:
            print("Nothing was added.")
            return 1
        result = install(shared, keep_both=choice == "keep", replace=choice == "replace")
    replaced = " It replaced yours of the same name." if result.replaced else ""
    print(f"Added to your practices as {result.script}.{replaced}")
    return 0


def _ask_clash(clash: NameClash) -> str | None:
    """Ask on a terminal; without one, say which option to use."""
    options = "--keep-both" if clash.bundled else "--keep-both or --replace"
    if not sys.stdin.isatty():
        print(f"securebase: {clash} Run again with {options}.", file=sys.stderr)
        return None
    prompt = "Keep both (k)" + ("" if clash.bundled else ", replace yours (r)") + \
        " or cancel (c)? "
    print(clash)
    answer = input(prompt).strip().lower()[:1]
    if answer == "k":
        return "keep"
    if answer == "r" and not clash.bundled:
        return "replace"
    return None
