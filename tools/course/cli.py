"""The command line of ``python -m tools.course`` (see the package's docstring)."""

from __future__ import annotations

import argparse
from pathlib import Path

import tools.course as course
from tools.course.common import DEFAULT_COURSE_DIR, DEFAULT_EDITION_DIR


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m tools.course", description=course.__doc__.splitlines()[0])
    commands = top.add_subparsers(dest="command", required=True, metavar="{release,autograde,edition,clean}")
    # Each command has its own options, so they may come before or after the chapter names.
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--course-dir", type=Path, default=DEFAULT_COURSE_DIR,
                       help=f"the nbgrader course folder (default: {DEFAULT_COURSE_DIR})")
    names = argparse.ArgumentParser(add_help=False)
    names.add_argument("chapters", nargs="*", help="chapter names, e.g. 01_neurons (default: all)")

    commands.add_parser("release", parents=[where, names], help="student versions of the chapters")
    grade = commands.add_parser("autograde", parents=[where, names],
                                help="grade every submitted/<student>/<chapter>/")
    grade.add_argument("--jobs", "-j", type=_positive, default=None,
                       help="submissions graded at once (default: the number of cores)")
    grade.add_argument("--timeout", type=_positive, default=course.DEFAULT_TIMEOUT,
                       help=f"seconds a cell may run (default: {course.DEFAULT_TIMEOUT})")
    grade.add_argument("--limit", type=_positive, default=None,
                       help="seconds a whole submission may take (default: 10 x timeout, at least 120)")
    grade.add_argument("--no-sandbox", action="store_true",
                       help="run student code without bubblewrap (unprotected: trusted notebooks only)")
    edition = commands.add_parser("edition", help="the website without solutions")
    edition.add_argument("--output", type=Path, default=DEFAULT_EDITION_DIR,
                         help=f"where to build it (default: {DEFAULT_EDITION_DIR})")
    clean = commands.add_parser("clean", parents=[where],
                                help="delete the course folder's build output (not submissions or grades)")
    clean.add_argument("--include-grades", action="store_true",
                       help="also delete submitted/, autograded/ and gradebook.db (work and grades)")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "release":
        course.release(args.course_dir.resolve(), args.chapters)
    elif args.command == "autograde":
        course.autograde(args.course_dir, args.chapters, jobs=args.jobs, timeout=args.timeout,
                         limit=args.limit, sandbox=not args.no_sandbox)
    elif args.command == "edition":
        course.build_edition(args.output.resolve())
    else:
        course.clean(args.course_dir, include_grades=args.include_grades)
    return 0
