"""Autograde a class: every submission graded or reported, student code sandboxed, nothing lost.

``autograde`` finds every ``submitted/<student>/<chapter>/`` folder of the course and gives each one a row
of ``grades.csv``, whatever it holds:

1. In this process: read the notebook (not JSON, not a notebook → a row saying so), restore graded cells
   the student deleted or changed from the release (:mod:`tools.course.repair`), and make a private
   copy of the course for it in a temporary folder: a copy of the gradebook and of this one submission.
2. In parallel, up to ``jobs`` at a time: a worker process (:mod:`tools.course.worker`) runs nbgrader's
   ``autograde`` and ``generate_feedback`` on that private copy, with the kernel in a bubblewrap sandbox
   (:mod:`tools.course.sandbox`) and a per-cell time limit. A worker that runs past the limit for the
   whole submission is killed; its row says so.
3. Back here, one at a time: the private gradebook's scores are merged into the course's (hand grades
   given in the formgrader are kept), the graded notebook and the feedback are moved into
   ``autograded/`` and ``feedback/``, and a line of progress is printed.

Then ``results.json`` (every row, also those of chapters not graded in this run), ``grades.csv`` (one
row per student and chapter) and ``grades_by_student.csv`` (one row per student, one column per
chapter: the shape a learning platform's gradebook imports) are written, each atomically, and a summary
is printed. Nothing under ``submitted/`` is ever written.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from difflib import get_close_matches
from pathlib import Path

import nbformat

from tools.course.common import COURSE_ID, replace_dir_atomic, tool_env, write_atomic
from tools.course.repair import NotANotebook, read_notebook, restore_graded_cells
from tools.course.sandbox import find_sandbox

DEFAULT_TIMEOUT = 30
# What each status means; the first four were graded (score from the check cells), the rest were not.
STATUSES = {
    "graded": "graded",
    "restored": "graded, after restoring graded cells the student deleted or changed from the release",
    "timed-out": "graded; a cell was stopped at the time limit",
    "kernel-died": "graded; a cell that stopped the kernel was skipped",
    "invalid-notebook": "not graded: the file is not a notebook",
    "missing-notebook": "not graded: the folder holds no notebook",
    "unknown-chapter": "not graded: the folder's name is not a released chapter",
    "error": "not graded: nbgrader failed (see the detail)",
}
GRADED = ("graded", "restored", "timed-out", "kernel-died")
CSV_FIELDS = ["student", "chapter", "status", "score", "max_score", "to_grade_by_hand", "detail"]


@dataclass
class Row:
    student: str
    chapter: str
    status: str
    score: float = 0.0
    max_score: float = 0.0
    to_grade_by_hand: int = 0
    detail: str = ""


@dataclass
class Job:
    student: str
    chapter: str
    folder: Path
    notes: list[str] = field(default_factory=list)
    private: Path | None = None


def _fail(message: str) -> SystemExit:
    return SystemExit(f"autograde: {message}")


def released_chapters(course_dir: Path) -> list[str]:
    """The chapters released in ``course_dir`` (with a gradebook), or a clear error."""
    if not course_dir.is_dir():
        raise _fail(f"there is no course folder {course_dir}. Release the chapters into it first "
                    f"(python -m tools.course release --course-dir {course_dir}), or pass the --course-dir "
                    "you released into.")
    release = course_dir / "release"
    chapters = sorted(p.name for p in release.iterdir() if (p / f"{p.name}.ipynb").is_file()) \
        if release.is_dir() else []
    if not chapters or not (course_dir / "gradebook.db").is_file():
        raise _fail(f"nothing has been released in {course_dir} (no release/ or gradebook.db). Run "
                    f"`python -m tools.course release --course-dir {course_dir}` first, then collect the "
                    "students' notebooks into submitted/<student>/<chapter>/.")
    return chapters


def find_submissions(course_dir: Path, chapters: list[str], names: list[str]) -> tuple[list[Job], list[Row]]:
    """Submissions to grade (of the chapters ``names``, default all released), and rows for folders that
    cannot be graded at all (a wrong chapter name, a notebook outside a chapter folder)."""
    wanted = {Path(n).stem for n in names} or set(chapters)
    unreleased = wanted - set(chapters)
    if unreleased:
        raise _fail(f"{', '.join(sorted(unreleased))} has not been released in {course_dir} (released: "
                    f"{', '.join(chapters)}). Release it first: python -m tools.course release "
                    f"--course-dir {course_dir} {' '.join(sorted(unreleased))}")
    submitted = course_dir / "submitted"
    students = sorted(p for p in submitted.iterdir() if p.is_dir() and not p.name.startswith(".")) \
        if submitted.is_dir() else []
    if not students:
        raise _fail(f"no submissions in {submitted}: put each student's notebook in "
                    "submitted/<student>/<chapter>/<chapter>.ipynb (e.g. submitted/ada/01_neurons/"
                    "01_neurons.ipynb).")
    jobs, rows = [], []
    for student in students:
        for entry in sorted(student.iterdir()):
            if entry.name.startswith("."):
                continue
            if entry.is_dir() and entry.name in chapters:
                if entry.name in wanted:
                    jobs.append(Job(student.name, entry.name, entry))
            elif entry.is_dir() or entry.suffix == ".ipynb":
                name = entry.name if entry.is_dir() else entry.stem
                guess = get_close_matches(name, chapters, n=1)
                if guess and guess[0] not in wanted:
                    continue
                hint = f" Did you mean {guess[0]}?" if guess else ""
                where = f"submitted/{student.name}/{guess[0] if guess else '<chapter>'}/"
                what = "folder" if entry.is_dir() else "notebook outside a chapter folder"
                rows.append(Row(student.name, entry.name, "unknown-chapter",
                                detail=f"{what} submitted/{student.name}/{entry.name} is not a released "
                                       f"chapter.{hint} Move it to {where} and grade again."))
    return jobs, rows


def _notebook_path(job: Job) -> tuple[Path | None, str]:
    expected = job.folder / f"{job.chapter}.ipynb"
    if expected.is_file():
        return expected, ""
    others = sorted(job.folder.glob("*.ipynb"))
    if len(others) == 1:
        return others[0], f"graded {others[0].name} as {expected.name}"
    return None, (f"no {expected.name} in submitted/{job.student}/{job.chapter}/"
                  + (f" (it holds {', '.join(p.name for p in others)})" if others else ""))


def prepare(job: Job, course_dir: Path, release: nbformat.NotebookNode, scratch: Path) -> Row | None:
    """Check and copy one submission into a private course folder; a Row if it cannot be graded."""
    path, note = _notebook_path(job)
    if path is None:
        return Row(job.student, job.chapter, "missing-notebook", detail=note)
    if note:
        job.notes.append(note)
    try:
        notebook = read_notebook(path.read_bytes())
    except NotANotebook as error:
        return Row(job.student, job.chapter, "invalid-notebook", detail=f"{path.name}: {error}")
    job.notes += restore_graded_cells(notebook, release)
    job.private = Path(tempfile.mkdtemp(prefix=f"{job.student}-{job.chapter}-", dir=scratch))
    target = job.private / "submitted" / job.student / job.chapter
    shutil.copytree(job.folder, target, symlinks=True,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.ipynb"))
    nbformat.write(notebook, target / f"{job.chapter}.ipynb")
    return None


# The course's gradebook is read (copied for a worker) and written (merged) from several threads.
_GRADEBOOK = threading.Lock()
# Workers running now, so that an interrupted run (Ctrl-C) stops them too.
_RUNNING: set[subprocess.Popen] = set()


def _copy_gradebook(course_dir: Path, private: Path) -> None:
    with _GRADEBOOK, sqlite3.connect(course_dir / "gradebook.db") as source, \
            sqlite3.connect(private / "gradebook.db") as copy:
        source.backup(copy)


def _run_worker(job: Job, course_dir: Path, timeout: int, limit: float,
                bwrap: str | None) -> tuple[dict, float]:
    """Run the worker on ``job``'s private copy; returns (its result, seconds)."""
    assert job.private is not None
    start = time.monotonic()
    _copy_gradebook(course_dir, job.private)
    job_file = job.private / "job.json"
    job_file.write_text(json.dumps({"root": str(job.private), "chapter": job.chapter,
                                    "student": job.student, "timeout": timeout, "bwrap": bwrap}))
    process = subprocess.Popen([sys.executable, "-m", "tools.course.worker", str(job_file)],
                               cwd=job.private, env=tool_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    _RUNNING.add(process)
    try:
        output, _ = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _kill(process)
        process.communicate()
        return {"success": False, "limit": True}, time.monotonic() - start
    finally:
        _RUNNING.discard(process)
    seconds = time.monotonic() - start
    result_file = job.private / "result.json"
    if result_file.is_file():
        return json.loads(result_file.read_text()), seconds
    last = output.decode("utf-8", "replace").strip().splitlines()[-3:]
    return {"success": False, "error": "\n".join(last) or f"the worker exited with {process.returncode}"}, \
        seconds


def _kill(process: subprocess.Popen) -> None:
    """Kill a worker and everything it started (the sandbox dies with its parent)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _event_sentence(event: dict, timeout: int) -> str:
    cell = f"cell {event['cell']}" + (f" ({event['grade_id']})" if event.get("grade_id") else "")
    return {"timeout": f"{cell} was stopped at the {timeout} s time limit",
            "unresponsive": f"{cell} ran past the {timeout} s time limit and ignored the interrupt: "
                            "graded without it",
            "kernel-died": f"{cell} stopped the kernel: graded without it"}[event["kind"]]


def _status(job: Job, result: dict, timeout: int, limit: float, private: Path) -> tuple[str, list[str], bool]:
    """(status, details, whether nbgrader graded it) of a finished worker."""
    events = result.get("events", [])
    if result.get("limit"):
        return "timed-out", [f"grading took longer than {limit:g} s and was stopped; not graded",
                             *job.notes], False
    if not result.get("success"):
        error = result.get("error", "").replace(str(private), "<course>")
        return "error", [error or "nbgrader failed", *job.notes], False
    details = [_event_sentence(e, timeout) for e in events] + job.notes
    kinds = {e["kind"] for e in events}
    status = ("kernel-died" if "kernel-died" in kinds else
              "timed-out" if kinds else
              "restored" if any("restored" in n for n in job.notes) else "graded")
    if result.get("feedback") is False:
        details.append("no feedback file: "
                       + result.get("feedback_error", "").replace(str(private), "<course>"))
    return status, details, True


def _merge(course_dir: Path, job: Job) -> tuple[float, float, int]:
    """Copy the private gradebook's automatic scores for ``job`` into the course's gradebook (hand
    grades there are kept); returns (score, max score, answers still to grade by hand)."""
    from nbgrader.api import Gradebook

    assert job.private is not None
    with Gradebook(f"sqlite:///{job.private / 'gradebook.db'}", COURSE_ID) as private, \
            Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}", COURSE_ID) as main, \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy's autoflush warnings from nbgrader's API
        source = private.find_submission(job.chapter, job.student)
        main.update_or_create_student(job.student)
        target = main.update_or_create_submission(job.chapter, job.student, timestamp=source.timestamp)
        for notebook in source.notebooks:
            into = main.find_submission_notebook(notebook.name, job.chapter, job.student)
            into.late_submission_penalty = notebook.late_submission_penalty
            for grade in notebook.grades:
                main_grade = main.find_grade(grade.name, notebook.name, job.chapter, job.student)
                main_grade.auto_score = grade.auto_score
                main_grade.needs_manual_grade = (main_grade.manual_score is not None
                                                 or grade.auto_score is None)
            for comment in notebook.comments:
                main.find_comment(comment.name, notebook.name, job.chapter, job.student).auto_comment = \
                    comment.auto_comment
        main.db.commit()
        to_grade = sum(1 for n in target.notebooks for g in n.grades if g.needs_manual_grade)
        return float(target.score), float(target.max_score), to_grade


def _record_zero(course_dir: Path, student: str, chapter: str) -> float:
    """A submission that could not be graded scores 0 in the gradebook too (as nbgrader does for a
    missing notebook), so an older score does not linger; returns the chapter's max score."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}", COURSE_ID) as main, warnings.catch_warnings():
        # nbgrader's update_or_create_submission makes SQLAlchemy warn about its autoflush; harmless.
        warnings.simplefilter("ignore")
        main.update_or_create_student(student)
        submission = main.update_or_create_submission(chapter, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if grade.manual_score is None:
                    grade.auto_score = 0
                    grade.needs_manual_grade = False
        main.db.commit()
        return float(submission.max_score)


def _finish(course_dir: Path, job: Job, result: dict, timeout: int, limit: float) -> Row:
    """The row of a finished worker; its scores merged into the course's gradebook, its graded notebook
    and feedback moved into the course folder."""
    assert job.private is not None
    status, details, graded = _status(job, result, timeout, limit, job.private)
    row = Row(job.student, job.chapter, status, detail="; ".join(details))
    if graded:
        try:
            row.score, row.max_score, row.to_grade_by_hand = _merge(course_dir, job)
        except Exception as error:  # a gradebook without this submission: report, never stop the class
            row.status, row.detail = "error", f"no grades recorded ({type(error).__name__}: {error})"
            graded = False
    if graded:
        _publish(course_dir, job)
    else:
        row.max_score = _record_zero(course_dir, job.student, job.chapter)
        write_atomic(course_dir / "feedback" / job.student / job.chapter / f"{job.chapter}.html",
                     _feedback_page(row))
    shutil.rmtree(job.private, ignore_errors=True)
    return row


def _feedback_page(row: Row) -> str:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(row.chapter)}"
            f"</title></head><body><h1>{html.escape(row.chapter)}: not graded</h1>"
            f"<p>{html.escape(STATUSES[row.status])}.</p><p>{html.escape(row.detail)}</p>"
            "<p>Ask your instructor, fix the notebook, and submit it again.</p></body></html>\n")


def _publish(course_dir: Path, job: Job) -> None:
    """Move the graded notebook and the feedback of ``job`` into the course folder, atomically."""
    assert job.private is not None
    for kind in ("autograded", "feedback"):
        made = job.private / kind / job.student / job.chapter
        if made.is_dir():
            replace_dir_atomic(made, course_dir / kind / job.student / job.chapter)


def _fmt(number: float) -> str:
    return f"{number:g}"


def write_reports(course_dir: Path, rows: list[Row]) -> tuple[Path, Path]:
    """``grades.csv`` (a row per student and chapter) and ``grades_by_student.csv`` (a row per student, a
    column per chapter, the total last), both written atomically."""
    rows = sorted(rows, key=lambda r: (r.student, r.chapter))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for row in rows:
        writer.writerow([row.student, row.chapter, row.status, _fmt(row.score), _fmt(row.max_score),
                         row.to_grade_by_hand, row.detail])
    grades = course_dir / "grades.csv"
    write_atomic(grades, out.getvalue())

    chapters = sorted({r.chapter for r in rows if r.status != "unknown-chapter"})
    table: dict[str, dict[str, float]] = {}
    for row in rows:
        if row.status != "unknown-chapter":
            table.setdefault(row.student, {})[row.chapter] = row.score
    table.update({r.student: table.get(r.student, {}) for r in rows})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", *chapters, "total"])
    for student in sorted(table):
        scores = table[student]
        writer.writerow([student, *(_fmt(scores[c]) if c in scores else "" for c in chapters),
                         _fmt(sum(scores.values()))])
    by_student = course_dir / "grades_by_student.csv"
    write_atomic(by_student, out.getvalue())
    return grades, by_student


def _load_results(course_dir: Path) -> dict[tuple[str, str], Row]:
    path = course_dir / "results.json"
    if not path.is_file():
        return {}
    try:
        return {(r["student"], r["chapter"]): Row(**r) for r in json.loads(path.read_text())}
    except (ValueError, TypeError, KeyError):
        return {}


def autograde(course_dir: Path, names: list[str], *, jobs: int | None = None,
              timeout: int = DEFAULT_TIMEOUT, limit: float | None = None,
              sandbox: bool = True) -> Path:
    """Grade every submission of the chapters ``names`` (default: every released chapter); returns the
    path of ``grades.csv``. ``jobs``: submissions graded at once (default: the machine's cores);
    ``timeout``: seconds per cell; ``limit``: seconds per submission (default 10 × timeout, at least
    2 minutes); ``sandbox=False`` runs student code unprotected (only for trusted notebooks)."""
    try:
        import nbgrader  # noqa: F401
    except ImportError:
        raise _fail("nbgrader is not installed: pip install -e '.[course]' (or make setup).") from None
    course_dir = course_dir.resolve()
    chapters = released_chapters(course_dir)
    todo, rows = find_submissions(course_dir, chapters, names)
    jobs = max(1, jobs or os.cpu_count() or 1)
    limit = limit or max(120.0, 10.0 * timeout)
    if sandbox:
        box, message = find_sandbox()
    else:
        box, message = None, ("NO SANDBOX (--no-sandbox): student code runs UNPROTECTED with your "
                              "permissions. Use this only for notebooks you trust.")
    print(message, flush=True)
    print(f"Grading {len(todo)} submission(s) of {len({j.chapter for j in todo})} chapter(s), {jobs} at a "
          f"time, {timeout} s per cell.", flush=True)

    releases = {}
    for chapter in {job.chapter for job in todo}:
        try:
            path = course_dir / "release" / chapter / f"{chapter}.ipynb"
            releases[chapter] = read_notebook(path.read_bytes())
        except NotANotebook as error:
            raise _fail(f"the release of {chapter} is damaged ({error}): release it again with "
                        f"python -m tools.course release --course-dir {course_dir} {chapter}") from None
    start = time.monotonic()
    done = 0
    with tempfile.TemporaryDirectory(prefix="grading-") as scratch_name:
        scratch = Path(scratch_name)
        runnable = []
        for job in todo:
            row = prepare(job, course_dir, releases[job.chapter], scratch)
            if row is None:
                runnable.append(job)
                continue
            with _GRADEBOOK:
                row.max_score = _record_zero(course_dir, row.student, row.chapter)
            write_atomic(course_dir / "feedback" / row.student / row.chapter / f"{row.chapter}.html",
                         _feedback_page(row))
            rows.append(row)
        total = len(rows) + len(runnable)
        for row in rows:
            done += 1
            _report(row, done, total, None)
        pool = ThreadPoolExecutor(max_workers=jobs)
        try:
            futures = {pool.submit(_run_worker, job, course_dir, timeout, limit,
                                   box.bwrap if box else None): job for job in runnable}
            for future in as_completed(futures):
                job = futures[future]
                try:
                    result, seconds = future.result()
                except Exception as error:  # this submission's worker could not even start
                    result, seconds = {"success": False, "error": f"{type(error).__name__}: {error}"}, 0.0
                with _GRADEBOOK:
                    row = _finish(course_dir, job, result, timeout, limit)
                rows.append(row)
                done += 1
                _report(row, done, total, seconds)
        except BaseException:  # Ctrl-C: stop the workers instead of waiting for them
            pool.shutdown(wait=False, cancel_futures=True)
            for process in list(_RUNNING):
                _kill(process)
            raise
        pool.shutdown()

    results = _load_results(course_dir)
    graded_now = {(r.student, r.chapter) for r in rows} | {(j.student, j.chapter) for j in todo}
    for key in list(results):
        student, chapter = key
        if key in graded_now or not (course_dir / "submitted" / student / chapter).exists():
            del results[key]
    results.update({(r.student, r.chapter): r for r in rows})
    final = sorted(results.values(), key=lambda r: (r.student, r.chapter))
    write_atomic(course_dir / "results.json", json.dumps([asdict(r) for r in final], indent=1) + "\n")
    grades, by_student = write_reports(course_dir, final)
    _summary(rows, time.monotonic() - start, jobs, message, grades, by_student)
    return grades


def _report(row: Row, done: int | None, total: int | None, seconds: float | None) -> None:
    count = f"[{done}/{total}] " if done and total else ""
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    score = f" {_fmt(row.score)}/{_fmt(row.max_score)}" if row.status in GRADED else ""
    detail = f" ({row.detail})" if row.detail else ""
    print(f"{count}{row.student} {row.chapter}: {row.status}{score}{took}{detail}", flush=True)


def _summary(rows: list[Row], seconds: float, jobs: int, sandbox: str, grades: Path,
             by_student: Path) -> None:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    print(f"\n{len(rows)} submission(s) in {seconds:.1f} s ({jobs} at a time):")
    for status in STATUSES:
        if status in counts:
            print(f"  {counts[status]:4d} {status}: {STATUSES[status]}")
    problems = [r for r in rows if r.status != "graded"]
    if problems:
        print("To look at:")
        for row in sorted(problems, key=lambda r: (r.student, r.chapter)):
            print(f"  {row.student} {row.chapter}: {row.status}: {row.detail}")
    print(f"{sandbox}\nGrades: {grades}\nOne row per student (for a learning platform): {by_student}")
    print(f"Feedback for each student: {grades.parent / 'feedback'}/<student>/<chapter>/<chapter>.html")
