"""Where the time of one dlkit training step goes: a phase-by-phase profile of the benchmark MLPs.

The step of ``training_speed.py`` (float32, SGD, ReLU, softmax cross-entropy) written out phase by
phase, each phase timed with ``perf_counter``; the table gives the median time of each kind of phase
per step (summed over the layers of that kind) and its share of the step.

    python benchmarks/profile_step.py [--threads 2]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_limits
from training_speed import CASES, Case, dlkit_setup

PHASES = ["zero_grad", "Dense forward", "ReLU forward", "loss (value and gradient)",
          "Dense backward", "ReLU backward", "SGD step"]


def profile(case: Case, threads: int) -> dict[str, float]:
    """Median seconds per step of each phase."""
    model, loss, optimizer, X, y = dlkit_setup(case, np.random.default_rng(0))
    clock = time.perf_counter
    samples: dict[str, list[float]] = {phase: [] for phase in PHASES}
    with threadpool_limits(threads):
        for step in range(2 * case.steps):  # the first half warms up
            spent = dict.fromkeys(PHASES, 0.0)
            start = clock()
            optimizer.zero_grad()
            spent["zero_grad"] += clock() - start
            out = X
            for layer in model:
                start = clock()
                out = layer.forward(out)
                spent[f"{type(layer).__name__} forward"] += clock() - start
            start = clock()
            loss(out, y)
            grad = loss.backward()
            spent["loss (value and gradient)"] += clock() - start
            for index in range(len(model) - 1, -1, -1):  # as Sequential.backward_parameters does
                layer = model[index]
                start = clock()
                grad = layer.backward_parameters(grad) if index == 0 else layer.backward(grad)
                spent[f"{type(layer).__name__} backward"] += clock() - start
            start = clock()
            optimizer.step()
            spent["SGD step"] += clock() - start
            if step >= case.steps:
                for phase, seconds in spent.items():
                    samples[phase].append(seconds)
    return {phase: statistics.median(s) for phase, s in samples.items()}


def measure(threads: int = 2) -> dict:
    return {"threads": threads, "cases": {case.name: profile(case, threads) for case in CASES}}


def table(result: dict) -> str:
    cases = result["cases"]
    header = "| phase | " + " | ".join(f"{name} (µs) | share" for name in cases) + " |"
    lines = [header, "| --- |" + " ---: | ---: |" * len(cases)]
    totals = {name: sum(phases.values()) for name, phases in cases.items()}
    for phase in PHASES:
        cells = [f"{cases[name][phase] * 1e6:,.1f} | {cases[name][phase] / totals[name]:.0%}"
                 for name in cases]
        lines.append(f"| {phase} | " + " | ".join(cells) + " |")
    lines.append("| **sum of medians** | " + " | ".join(f"**{totals[name] * 1e6:,.1f}** | 100%"
                                                     for name in cases) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    print(table(measure(parser.parse_args().threads)))


if __name__ == "__main__":
    main()
