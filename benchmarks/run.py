"""Run every benchmark and write benchmarks/RESULTS.md (machine, date, command, tables).

    python benchmarks/run.py          # or: make bench
    python benchmarks/run.py --no-course   # skip the course-level jobs (a few minutes)
    python benchmarks/run.py --make-test   # also time the whole make test (make bench BENCH_ARGS=--make-test)

Run it as a script, as above: its folder is then first on ``sys.path``, and the benchmarks import
each other by name. What the numbers mean, what was profiled and why dlkit is written the way it
is: benchmarks/NOTES.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
from pathlib import Path

import course_speed
import digits_speed
import numpy as np
import profile_step
import training_speed
from threadpoolctl import threadpool_info


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import torch

        torch_version = torch.__version__
    except ImportError:
        torch_version = "not installed"
    blas = next((f"{lib['internal_api']} {lib['version']} ({lib.get('architecture', '?')} kernels)"
                 for lib in threadpool_info() if lib["user_api"] == "blas"), "unknown BLAS")
    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, "
            f"numpy {np.__version__} with {blas}, torch {torch_version}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-course", action="store_true", help="skip the course-level jobs")
    parser.add_argument("--make-test", action="store_true",
                        help="also time the whole make test (about ten minutes more)")
    parser.add_argument("--note", default="", help="a remark to print under the header, e.g. how "
                        "busy the machine was")
    args = parser.parse_args()

    training = training_speed.measure(threads=args.threads, blocks=7)
    old_method = training_speed.block_method(threads=args.threads, blocks=7)
    thread_study = training_speed.measure_threads()
    profile = profile_step.measure(threads=args.threads)
    digits = digits_speed.measure(threads=args.threads)
    sections = [
        "# Benchmark results",
        "",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Machine: {machine()}",
        f"- Command: `make bench` (`python benchmarks/run.py`), {args.threads} threads",
        "- Written by `benchmarks/run.py`; what the numbers mean, the profile before and after the",
        "  optimisation and the reasons behind dlkit's choices are in `benchmarks/NOTES.md`.",
        *([f"- Note: {args.note}"] if args.note else []),
        "",
        "## Training-step throughput (float32, SGD, ReLU, softmax cross-entropy)",
        "",
        "Steady state: PyTorch, dlkit and the matrix products alone alternate in 7 blocks in one",
        "process with the same thread count; in every block the first steps are run and dropped",
        "(they pay for the other framework's threads and caches), every other step is timed on its",
        "own, and the block gives its median. The table shows the median over the blocks, then the",
        "spread (min / median / max of the blocks). Targets: torch/dlkit ≥ 3.0 on tiny, ≥ 2.0 on",
        "digits, ≥ 1.05 on large; dlkit's large step within 10 % of its matmuls alone. *Its",
        "matmuls alone*: the step's matrix products with the same shapes and nothing else, the",
        "floor for any numpy implementation (their share of dlkit's step is how close it is).",
        "",
        training_speed.table(training),
        "",
        "### The fastest numpy step we could write",
        "",
        "*numpy by hand* (`handwritten_step`) is the same step as plain numpy in one function: the",
        "layers' outputs and the gradients preallocated, updates in place, no classes or checks",
        "(a test checks it trains exactly like dlkit). It is what any numpy library could reach:",
        "its gap to the matmuls is numpy's own elementwise work, on one core; dlkit's gap to it is",
        "what dlkit's layers cost; torch/by hand bounds torch/dlkit for any numpy implementation.",
        "",
        training_speed.by_hand_table(training),
        "",
        "### The same run timed the old way",
        "",
        "Whole blocks timed, the first steps after the other framework's block included (the",
        "method of earlier results): it charges PyTorch for waking up its threads after numpy's",
        "block, so its large figure is too slow.",
        "",
        training_speed.block_table(old_method, training),
        "",
        "## BLAS threads on small matrices",
        "",
        "dlkit's steady-state step with OpenBLAS limited to 1 and to 2 threads (median of 5",
        "alternating blocks).",
        "",
        training_speed.threads_table(thread_study),
        "",
        "## Where a dlkit step spends its time",
        "",
        profile_step.table(profile),
        "",
        "## Digits: >= 97 % test accuracy in <= 1 s",
        "",
        digits_speed.table(digits),
        "",
    ]
    if not args.no_course:
        sections += [
            "## The course",
            "",
            "Each job once, in its own process. Targets (on 2 cores): each chapter < 20 s, the nbval",
            "suite < 90 s, a clean book build < 120 s.",
            "",
            course_speed.table(course_speed.measure(make_test=args.make_test)),
            "",
        ]
    text = "\n".join(sections)
    out = Path(__file__).resolve().parent / "RESULTS.md"
    out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
