"""Training-step throughput: dlkit vs PyTorch (CPU) on the course's MLPs, and numpy's GEMM peak.

Both frameworks train the same MLP shapes in float32 with SGD, ReLU and softmax cross-entropy, with
the same number of BLAS/intra-op threads, in one process.

The method measures steady state: the frameworks alternate in blocks (so both see the same machine),
every step is timed on its own, the first steps of every block are dropped (after the other
framework's block, BLAS/OpenMP threads and caches wake up: PyTorch's first two large steps took
40-65 ms against 19 ms later), each block gives the median of its remaining steps, and the table
reports the median over the blocks with their min and max. ``block_method`` is the method used
before (whole blocks timed, warm-up included), kept to show what it measured.

Two yardsticks for dlkit's speed besides PyTorch:
- numpy's float32 GEMM peak (a large square product), the physical limit of one core pair here;
- the step's own matrix products run alone (same shapes, nothing else): the time no numpy MLP
  can beat, so ``matmuls alone / dlkit`` is the share of dlkit's step spent on unavoidable work.

    python benchmarks/training_speed.py [--threads 2] [--blocks 7] [--old-method]
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

import dlkit


@dataclass
class Case:
    name: str
    sizes: tuple[int, ...]  # input, hidden..., classes
    batch: int
    steps: int  # timed training steps per block
    warmup: int  # steps at the start of every block, run and not counted


CASES = [
    Case("tiny", (64, 32, 10), 32, 400, 20),
    Case("digits", (64, 128, 10), 64, 300, 20),
    Case("large", (784, 1024, 1024, 10), 512, 10, 2),
]


def step_flops(sizes: tuple[int, ...], batch: int) -> int:
    """Multiply-adds ×2 of one training step: forward, weight gradients, and input gradients of
    every layer but the first (which Sequential.backward_parameters skips)."""
    products = [a * b for a, b in zip(sizes[:-1], sizes[1:])]
    return 2 * batch * (3 * sum(products) - products[0])


def dlkit_setup(case: Case, rng: np.random.Generator):
    """The benchmark's dlkit MLP (float32, ReLU), its loss and SGD, and one random batch."""
    layers = []
    for i, (n_in, n_out) in enumerate(zip(case.sizes[:-1], case.sizes[1:])):
        layers.append(dlkit.Dense(n_in, n_out, rng=i, dtype=np.float32))
        if i < len(case.sizes) - 2:
            layers.append(dlkit.ReLU())
    model = dlkit.Sequential(*layers)
    loss = dlkit.CrossEntropyLoss()
    optimizer = dlkit.SGD(model.parameters(), lr=0.01)
    X = rng.standard_normal((case.batch, case.sizes[0])).astype(np.float32)
    y = rng.integers(0, case.sizes[-1], case.batch)
    return model, loss, optimizer, X, y


def dlkit_runner(case: Case, rng: np.random.Generator):
    model, loss, optimizer, X, y = dlkit_setup(case, rng)

    def run(steps: int) -> None:
        for _ in range(steps):
            optimizer.zero_grad()
            loss(model(X), y)
            model.backward_parameters(loss.backward())  # as fit does
            optimizer.step()

    return run


def torch_runner(case: Case, rng: np.random.Generator):
    import torch

    layers = []
    for i, (n_in, n_out) in enumerate(zip(case.sizes[:-1], case.sizes[1:])):
        layers.append(torch.nn.Linear(n_in, n_out))
        if i < len(case.sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    loss = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    X = torch.from_numpy(rng.standard_normal((case.batch, case.sizes[0])).astype(np.float32))
    y = torch.from_numpy(rng.integers(0, case.sizes[-1], case.batch))

    def run(steps: int) -> None:
        for _ in range(steps):
            optimizer.zero_grad()
            loss(model(X), y).backward()
            optimizer.step()

    return run


def matmul_runner(case: Case, rng: np.random.Generator):
    """Only the matrix products of one training step, with the step's shapes (and a fresh output
    array each, as in dlkit): x @ W forward, x.T @ g for the weights, g @ W.T for the inputs."""
    f32 = np.float32
    widths = case.sizes
    xs = [rng.standard_normal((case.batch, n)).astype(f32) for n in widths[:-1]]
    gs = [rng.standard_normal((case.batch, n)).astype(f32) for n in widths[1:]]
    ws = [rng.standard_normal((a, b)).astype(f32) for a, b in zip(widths[:-1], widths[1:])]

    def run(steps: int) -> None:
        for _ in range(steps):
            for i, (x, g, w) in enumerate(zip(xs, gs, ws)):
                x @ w
                x.T @ g
                if i > 0:
                    g @ w.T

    return run


def handwritten_step(weights: list[np.ndarray], biases: list[np.ndarray], X: np.ndarray,
                     y: np.ndarray, lr: float, buffers: dict) -> None:
    """One SGD step of the ReLU MLP ``weights``/``biases`` on ``(X, y)``, written as plain numpy in
    one function: the same maths as dlkit's step, with the layers' outputs and the gradients
    preallocated in ``buffers``, updates in place, and no classes, checks or bookkeeping. It is the
    fastest numpy version of the step we could write; dlkit's gap to it is what its layers cost.
    """
    batch = len(X)
    if not buffers:
        dtype = weights[0].dtype
        buffers["out"] = [np.empty((batch, w.shape[1]), dtype) for w in weights]
        buffers["relu"] = [np.empty((batch, w.shape[1]), dtype) for w in weights[:-1]]
        buffers["weight_grads"] = [np.empty_like(w) for w in weights]
        buffers["bias_grads"] = [np.empty_like(b) for b in biases]
        buffers["scaled"] = np.empty(1 << 18, dtype)
        buffers["rows"] = np.arange(batch)
    inputs = [X]  # the input of every layer: X, then each hidden layer's ReLU output
    for i, (w, b) in enumerate(zip(weights, biases)):
        z = np.matmul(inputs[-1], w, out=buffers["out"][i])
        z += b
        if i < len(weights) - 1:
            inputs.append(np.maximum(z, 0, out=buffers["relu"][i]))
    grad = np.exp(z - z.max(axis=1, keepdims=True))  # softmax cross-entropy: (p - onehot) / batch
    grad /= grad.sum(axis=1, keepdims=True)
    grad[buffers["rows"], y] -= 1
    grad /= batch
    for i in range(len(weights) - 1, -1, -1):
        np.matmul(inputs[i].T, grad, out=buffers["weight_grads"][i])
        np.sum(grad, axis=0, out=buffers["bias_grads"][i])
        if i > 0:
            grad = grad @ weights[i].T
            grad *= inputs[i] > 0
    scaled = buffers["scaled"]
    for p, g in zip(weights + biases, buffers["weight_grads"] + buffers["bias_grads"]):
        flat_p, flat_g = p.reshape(-1), g.reshape(-1)
        for start in range(0, flat_p.size, scaled.size):  # p -= lr * g, slice by slice in cache
            part = flat_p[start:start + scaled.size]
            part -= np.multiply(flat_g[start:start + scaled.size], lr, out=scaled[:part.size])


def handwritten_runner(case: Case, rng: np.random.Generator):
    """:func:`handwritten_step` on the benchmark's MLP (the same starting weights as dlkit's)."""
    model, _, optimizer, X, y = dlkit_setup(case, rng)
    dense = [layer for layer in model if isinstance(layer, dlkit.Dense)]
    weights = [layer.weight.data for layer in dense]
    biases = [layer.bias.data for layer in dense]
    lr, buffers = np.float32(optimizer.lr), {}

    def run(steps: int) -> None:
        for _ in range(steps):
            handwritten_step(weights, biases, X, y, lr, buffers)

    return run


def timed(run, steps: int) -> float:
    start = time.perf_counter()
    run(steps)
    return (time.perf_counter() - start) / steps


def steady_block(run, case: Case) -> float:
    """One block: ``case.warmup`` steps not counted, then the median of ``case.steps`` steps each
    timed on its own."""
    run(case.warmup)
    clock, times = time.perf_counter, []
    for _ in range(case.steps):
        start = clock()
        run(1)
        times.append(clock() - start)
    return statistics.median(times)


def gemm_peak(threads: int, n: int = 2048, repeats: int = 10) -> float:
    """numpy's float32 matrix-multiply speed in GFLOP/s (best of ``repeats``)."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n)).astype(np.float32)
    b = rng.standard_normal((n, n)).astype(np.float32)
    with threadpool_limits(threads):
        a @ b
        best = min(timed(lambda _: a @ b, 1) for _ in range(repeats))
    return 2 * n**3 / best / 1e9


def _set_torch_threads(threads: int) -> bool:
    try:
        import torch
    except ImportError:
        return False
    torch.set_num_threads(threads)
    return True


def _runners(case: Case, rng: np.random.Generator, have_torch: bool) -> dict:
    runners = {"dlkit": dlkit_runner(case, rng), "matmuls": matmul_runner(case, rng),
               "by hand": handwritten_runner(case, rng)}
    if have_torch:
        runners["torch"] = torch_runner(case, rng)
    return runners


def _spread(times: list[float]) -> dict[str, float]:
    return {"min": min(times), "median": statistics.median(times), "max": max(times)}


def measure(threads: int, blocks: int = 7) -> dict:
    """Steady-state seconds per step (min, median, max over ``blocks`` alternating blocks, each
    block's median step after its warm-up) for dlkit, PyTorch and the matrix products alone."""
    have_torch = _set_torch_threads(threads)
    rng = np.random.default_rng(0)
    peak_before = gemm_peak(threads)
    rows = []
    for case in CASES:
        runners = _runners(case, rng, have_torch)
        times: dict[str, list[float]] = {name: [] for name in runners}
        with threadpool_limits(threads):
            for run in runners.values():
                run(case.warmup)  # first contact: allocator, caches, thread pools
            for _ in range(blocks):
                for name, run in runners.items():  # alternate, so all see the same machine
                    times[name].append(steady_block(run, case))
        spread = {name: _spread(t) for name, t in times.items()}
        median = {name: s["median"] for name, s in spread.items()}
        rows.append({
            "case": case.name,
            "shape": "-".join(map(str, case.sizes)),
            "batch": case.batch,
            "spread_ms": {name: {k: v * 1e3 for k, v in s.items()} for name, s in spread.items()},
            "dlkit_ms": median["dlkit"] * 1e3,
            "torch_ms": median.get("torch", float("nan")) * 1e3,
            "ratio": median["torch"] / median["dlkit"] if have_torch else float("nan"),
            "gflops": step_flops(case.sizes, case.batch) / median["dlkit"] / 1e9,
            "matmul_ms": median["matmuls"] * 1e3,
            "matmul_share": median["matmuls"] / median["dlkit"],
            "by_hand_ms": median["by hand"] * 1e3,
        })
    # A peak is a best case: measured before and after the models, the higher one counts (a busy
    # machine only ever lowers it).
    peak = max(peak_before, gemm_peak(threads))
    for row in rows:
        row["peak_fraction"] = row["gflops"] / peak
    return {"threads": threads, "blocks": blocks, "peak_gflops": peak, "rows": rows,
            "torch": have_torch}


def block_method(threads: int, blocks: int = 7) -> list[dict]:
    """The method used before: each block of ``case.steps`` steps timed as a whole, right after the
    other framework's block (so its first steps, which pay for waking up, are included); the
    median over blocks."""
    have_torch = _set_torch_threads(threads)
    rng = np.random.default_rng(0)
    rows = []
    for case in CASES:
        runners = _runners(case, rng, have_torch)
        whole: dict[str, list[float]] = {name: [] for name in runners}
        with threadpool_limits(threads):
            for run in runners.values():
                run(max(1, case.steps // 2))
            for _ in range(blocks):
                for name, run in runners.items():
                    whole[name].append(timed(run, case.steps))
        median = {name: statistics.median(t) for name, t in whole.items()}
        rows.append({"case": case.name, **{f"{name}_ms": m * 1e3 for name, m in median.items()},
                     "ratio": median["torch"] / median["dlkit"] if have_torch else float("nan")})
    return rows


def block_table(old: list[dict], steady: dict) -> str:
    """The old block method next to the steady-state figures of the same run."""
    by_case = {r["case"]: r for r in steady["rows"]}
    lines = ["| model | block method: dlkit ms | torch ms | torch/dlkit | steady state: dlkit ms "
             "| torch ms | torch/dlkit |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in old:
        s = by_case[r["case"]]
        lines.append(f"| {r['case']} | {r['dlkit_ms']:.3f} | {r.get('torch_ms', float('nan')):.3f} "
                     f"| {r['ratio']:.2f} | {s['dlkit_ms']:.3f} | {s['torch_ms']:.3f} "
                     f"| {s['ratio']:.2f} |")
    return "\n".join(lines)


def table(result: dict) -> str:
    lines = [
        f"numpy float32 GEMM peak ({result['threads']} threads, 2048×2048, best of 2 × 10): "
        f"{result['peak_gflops']:.0f} GFLOP/s",
        "",
        "| model | batch | dlkit ms/step | torch ms/step | torch/dlkit | dlkit GFLOP/s "
        "| of GEMM peak | its matmuls alone: ms (of GEMM peak) | matmuls' share of dlkit's step |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in result["rows"]:
        lines.append(
            f"| {r['case']} ({r['shape']}) | {r['batch']} | {r['dlkit_ms']:.3f} | {r['torch_ms']:.3f} "
            f"| {r['ratio']:.2f} | {r['gflops']:.1f} | {r['peak_fraction']:.0%} "
            f"| {r['matmul_ms']:.3f} ({r['peak_fraction'] / r['matmul_share']:.0%}) "
            f"| {r['matmul_share']:.0%} |"
        )
    lines += ["", f"Spread over the {result['blocks']} blocks (ms per step, min / median / max), and "
              "the ratios of the fastest blocks (the least disturbed by other work on the machine):",
              "", "| model | dlkit | torch | matmuls alone | numpy by hand | torch/dlkit, fastest blocks "
              "| matmuls' share, fastest blocks |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in result["rows"]:
        cells, spread = [], r["spread_ms"]
        for name in ("dlkit", "torch", "matmuls", "by hand"):
            s = spread.get(name)
            cells.append("–" if s is None else f"{s['min']:.3f} / {s['median']:.3f} / {s['max']:.3f}")
        best_ratio = spread["torch"]["min"] / spread["dlkit"]["min"] if "torch" in spread else float("nan")
        cells += [f"{best_ratio:.2f}", f"{spread['matmuls']['min'] / spread['dlkit']['min']:.0%}"]
        lines.append(f"| {r['case']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def by_hand_table(result: dict) -> str:
    """dlkit and PyTorch against :func:`handwritten_step`, the fastest plain-numpy step."""
    lines = ["| model | its matmuls alone (ms) | numpy by hand (ms) | dlkit (ms) | torch (ms) "
             "| by hand over its matmuls | dlkit over by hand | torch/by hand |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in result["rows"]:
        by_hand = r["by_hand_ms"]
        lines.append(
            f"| {r['case']} | {r['matmul_ms']:.3f} | {by_hand:.3f} | {r['dlkit_ms']:.3f} "
            f"| {r['torch_ms']:.3f} | {by_hand / r['matmul_ms'] - 1:+.1%} "
            f"| {r['dlkit_ms'] / by_hand - 1:+.1%} | {r['torch_ms'] / by_hand:.2f} |"
        )
    return "\n".join(lines)


def measure_threads(repeats: int = 5, thread_counts: tuple[int, ...] = (1, 2)) -> list[dict]:
    """dlkit's steady-state step time with the BLAS limited to 1 or 2 threads (alternating blocks,
    median of the blocks' medians):
    does splitting small products over two threads cost time here?"""
    rng = np.random.default_rng(0)
    rows = []
    for case in CASES:
        run = dlkit_runner(case, rng)
        times: dict[int, list[float]] = {n: [] for n in thread_counts}
        for _ in range(repeats):
            for n in thread_counts:
                with threadpool_limits(n):
                    times[n].append(steady_block(run, case))
        rows.append({"case": case.name, **{n: statistics.median(t) * 1e3 for n, t in times.items()}})
    return rows


def threads_table(rows: list[dict]) -> str:
    counts = [k for k in rows[0] if k != "case"]
    lines = ["| model | " + " | ".join(f"{n} BLAS thread{'s' * (n > 1)} (ms/step)" for n in counts)
             + " |", "| --- |" + " ---: |" * len(counts)]
    for r in rows:
        lines.append(f"| {r['case']} | " + " | ".join(f"{r[n]:.3f}" for n in counts) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--blocks", type=int, default=7)
    parser.add_argument("--old-method", action="store_true",
                        help="also time whole blocks, warm-up included (the method used before)")
    parser.add_argument("--thread-study", action="store_true",
                        help="also time dlkit with 1 and 2 BLAS threads")
    args = parser.parse_args()
    steady = measure(args.threads, args.blocks)
    print(table(steady))
    print()
    print(by_hand_table(steady))
    if args.old_method:
        print()
        print(block_table(block_method(args.threads, args.blocks), steady))
    if args.thread_study:
        print()
        print(threads_table(measure_threads()))


if __name__ == "__main__":
    main()
