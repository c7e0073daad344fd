"""One attention call at MiniLM's shape (B=1, 12 heads × head dim 32) for N = 1k … 64k tokens.

    python -m bench.bench_attention [--sizes 1024,2048,...] [--repeats 3] [--dtype fp32|bf16]

The ops, each timed as the model would call it (forward only, under `torch.inference_mode`; with
`--dtype bf16` on bf16 inputs and feature maps, as the engine's bf16 encoder calls them):

- `softmax`: `scaled_dot_product_attention` over all N keys (PyTorch's CPU flash kernel); sizes
  above `--max-softmax` are reported as not run.
- `linear`: non-causal linear attention with Hedgehog feature maps (projection 32 -> 64, F = 128),
  the feature maps included.
- `window`: `window_linear_attention`, an exact ±64-token window plus global linear attention,
  Hedgehog feature maps included.
- `block`: `block_softmax_attention`, exact softmax inside blocks of 512.
- `causal`: `causal_linear_attention`, chunks of 64, Hedgehog feature maps included.
- `naive_loop`: `naive_recurrent_linear_attention`, the token-by-token Python loop, Hedgehog
  feature maps included; only up to `--max-naive` tokens, for reference.

FLOPs are counted analytically: a multiply-add is 2 FLOPs; softmax, exp, masks, casts and
reshapes are not counted. Per head, with N tokens, head dim D, Hedgehog projection P (F = 2P
features), window w, block b, chunk C (the total is H times this):

- feature maps (both q and k): 2 · 2·N·D·P = 2·N·D·F
- softmax: QKᵀ 2·N²·D + AV 2·N²·D = 4·N²·D
- linear: maps + φ(K)ᵀV 2·N·F·D + Σφ(K) N·F + φ(Q)S 2·N·F·D + φ(Q)·z 2·N·F
  = 2·N·D·F + 4·N·F·D + 3·N·F
- window: linear + window scores against the 3w neighbourhood of each block of w queries,
  2·N·3w·D, and their values, 2·N·3w·D: 2·N·D·F + 4·N·F·D + 3·N·F + 12·N·w·D
- block: 2·N·b·D + 2·N·b·D = 4·N·b·D
- causal: maps + chunk states 2·N·F·D + Σφ(K) N·F + inter-chunk readout 2·N·F·D + 2·N·F
  + intra-chunk scores 2·N·C·F + their values 2·N·C·D + row sums N·C
  = 2·N·D·F + 4·N·F·D + 3·N·F + 2·N·C·(F + D) + N·C
- naive_loop: maps + per token φ(k)vᵀ and its accumulation 2·F·D, readout 2·F·D, z and its
  readout 3·F: 2·N·D·F + 4·N·F·D + 3·N·F

"% of peak" is achieved FLOP/s over the matmul rate `bench.common.matmul_peak` measures in the
same run and dtype. Each measurement runs in a fresh spawned process, so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from bench.common import (
    DTYPES,
    RESULTS_PATH,
    Timing,
    append_results,
    bare_process_rss,
    cpu_pressure,
    format_mib,
    format_seconds,
    machine_info,
    markdown_table,
    matmul_peak,
    run_isolated,
    time_median,
)
from lm.ops import (
    FeatureMaps,
    block_softmax_attention,
    causal_linear_attention,
    linear_attention,
    window_linear_attention,
)
from lm.ops.naive import naive_recurrent_linear_attention
from lm.runtime import keep_freed_memory

HEADS = 12
HEAD_DIM = 32
PROJECTION = 64
FEATURES = 2 * PROJECTION
WINDOW = 64
BLOCK = 512
CHUNK = 64
DEFAULT_SIZES = (1024, 2048, 4096, 8192, 16384, 32768, 65536)
SECTION = "## Attention op"
MIN_TOTAL_S = 1.0


def _maps_flops(n: int) -> float:
    return 2 * n * HEAD_DIM * FEATURES


def _linear_flops(n: int) -> float:
    return _maps_flops(n) + 4 * n * FEATURES * HEAD_DIM + 3 * n * FEATURES


FLOPS_PER_HEAD: dict[str, Callable[[int], float]] = {
    "softmax": lambda n: 4 * n * n * HEAD_DIM,
    "linear": _linear_flops,
    "window": lambda n: _linear_flops(n) + 12 * n * WINDOW * HEAD_DIM,
    "block": lambda n: 4 * n * BLOCK * HEAD_DIM,
    "causal": lambda n: _linear_flops(n) + 2 * n * CHUNK * (FEATURES + HEAD_DIM) + n * CHUNK,
    "naive_loop": _linear_flops,
}
OPS = tuple(FLOPS_PER_HEAD)


def attention_flops(op: str, n: int) -> float:
    """Analytic FLOPs of one call of `op` over `n` tokens, all heads (see the module docstring)."""
    return HEADS * FLOPS_PER_HEAD[op](n)


def build_call(op: str, n: int, dtype: str) -> Callable[[], torch.Tensor]:
    """Inputs for `op` at `n` tokens (fixed seed) and a closure that makes the one timed call."""
    gen = torch.Generator().manual_seed(0)
    torch_dtype = DTYPES[dtype]
    q, k, v = (torch.randn(1, HEADS, n, HEAD_DIM, generator=gen).to(torch_dtype) for _ in range(3))
    maps = FeatureMaps("hedgehog", HEADS, HEAD_DIM, PROJECTION).eval().to(torch_dtype)
    log_scale = torch.zeros(HEADS)

    calls: dict[str, Callable[[], torch.Tensor]] = {
        "softmax": lambda: F.scaled_dot_product_attention(q, k, v),
        "linear": lambda: linear_attention(maps.query(q), maps.key(k), v),
        "window": lambda: window_linear_attention(
            q, k, v, maps.query(q), maps.key(k), log_scale, WINDOW
        ),
        "block": lambda: block_softmax_attention(q, k, v, BLOCK),
        "causal": lambda: causal_linear_attention(maps.query(q), maps.key(k), v, CHUNK),
        "naive_loop": lambda: naive_recurrent_linear_attention(maps.query(q), maps.key(k), v),
    }
    call = calls[op]

    def timed() -> torch.Tensor:
        with torch.inference_mode():
            return call()

    return timed


def measure_call(op: str, n: int, dtype: str, repeats: int) -> Timing:
    """Build `op` at `n` tokens and time it (run inside the spawned measurement process).

    At least `repeats` calls, and more for short calls, until they add up to `MIN_TOTAL_S`.
    """
    keep_freed_memory()  # as the pipeline's engine does
    return time_median(build_call(op, n, dtype), repeats, min_total_s=MIN_TOTAL_S)


@dataclass(frozen=True)
class Row:
    """One (op, N) result; `seconds` is None when the case did not run, with `note` saying why."""

    op: str
    n: int
    seconds: float | None = None
    peak_rss_bytes: int | None = None
    note: str = ""


def run_cases(
    ops: Sequence[str],
    sizes: Sequence[int],
    dtype: str,
    repeats: int,
    max_softmax: int,
    max_naive: int,
    threads: int | None = None,
) -> list[Row]:
    """Measure every (op, size) case, each in its own process, reporting progress on stderr.

    `threads` sets torch's thread count in those processes (default: torch's own, one per core).
    """
    rows = []
    for op in ops:
        for n in sizes:
            if op == "naive_loop" and n > max_naive:
                continue
            if op == "softmax" and n > max_softmax:
                rows.append(Row(op, n, note="not run (N > --max-softmax)"))
                continue
            try:
                result = run_isolated(measure_call, op, n, dtype, repeats, threads=threads)
            except (BrokenProcessPool, RuntimeError, MemoryError) as exc:
                rows.append(Row(op, n, note=f"failed: {type(exc).__name__}"))
                print(f"{op:>10} N={n:>6}: failed ({exc})", file=sys.stderr, flush=True)
                continue
            timing: Timing = result.value
            rows.append(Row(op, n, timing.median_s, result.peak_rss_bytes))
            samples = timing.samples_s
            print(
                f"{op:>10} N={n:>6}: {timing.median_s:.4g} s "
                f"({len(samples)} calls, {min(samples):.4g} to {max(samples):.4g} s), "
                f"peak RSS {format_mib(result.peak_rss_bytes)} MiB",
                file=sys.stderr,
                flush=True,
            )
    return rows


def results_table(rows: Sequence[Row], peak_flops: float) -> str:
    """The Markdown table: time, speed-up over full softmax, scaling, memory, FLOP/s."""
    seconds = {(r.op, r.n): r.seconds for r in rows if r.seconds is not None}
    table = []
    for r in rows:
        if r.seconds is None:
            table.append([r.op, r.n, r.note, "", "", "", "", "", ""])
            continue
        softmax = seconds.get(("softmax", r.n))
        half = seconds.get((r.op, r.n // 2))
        flops = attention_flops(r.op, r.n)
        rate = flops / r.seconds
        table.append(
            [
                r.op,
                r.n,
                format_seconds(r.seconds),
                f"{softmax / r.seconds:.1f}" if softmax else "",
                f"{r.seconds / half:.2f}" if half else "",
                format_mib(r.peak_rss_bytes or 0),
                f"{flops / 1e9:.3g}",
                f"{rate / 1e9:.3g}",
                f"{100 * rate / peak_flops:.1f}",
            ]
        )
    headers = [
        "op",
        "N",
        "time (s)",
        "softmax time / time",
        "t(N) / t(N/2)",
        "peak RSS (MiB)",
        "GFLOP",
        "GFLOP/s",
        "% of peak",
    ]
    return markdown_table(headers, table)


def _int_list(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=_int_list, default=list(DEFAULT_SIZES))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--dtype", choices=sorted(DTYPES), default="fp32")
    parser.add_argument("--ops", type=lambda s: s.split(","), default=list(OPS))
    parser.add_argument("--max-softmax", type=int, default=32768)
    parser.add_argument("--max-naive", type=int, default=2048)
    parser.add_argument("--threads", type=int, default=None, help="torch threads per measurement")
    parser.add_argument("--results", default=str(RESULTS_PATH), help="Markdown file to append to")
    parser.add_argument("--no-write", action="store_true", help="print only, do not append")
    args = parser.parse_args(argv)
    unknown = set(args.ops) - set(OPS)
    if unknown:
        parser.error(f"unknown ops {sorted(unknown)}; choose from {', '.join(OPS)}")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark, print the table, and append it to the results file."""
    args = parse_args(argv)
    info = machine_info()
    peak = matmul_peak(DTYPES[args.dtype])
    bare = bare_process_rss()
    print(f"matmul peak ({args.dtype}): {peak / 1e9:.1f} GFLOP/s", file=sys.stderr, flush=True)
    rows = run_cases(
        args.ops,
        args.sizes,
        args.dtype,
        args.repeats,
        args.max_softmax,
        args.max_naive,
        args.threads,
    )
    threads = args.threads or torch.get_num_threads()
    load_after = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    pressure = cpu_pressure()
    if pressure is not None:
        load_after += f", CPU pressure {pressure:.0f}%"
    body = "\n".join(
        [
            f"### {args.dtype}, {info.date}",
            "",
            f"Machine: {info.describe()}; at the end: load average {load_after}.",
            "",
            f"One call, B=1, {HEADS} heads × {HEAD_DIM}, forward only; Hedgehog features "
            f"F={FEATURES}, window {WINDOW}, block {BLOCK}, chunk {CHUNK}. Median of "
            f"{args.repeats} calls or more (short calls repeat until they add up to "
            f"{MIN_TOTAL_S:g} s); each case in a fresh process with {threads} torch threads "
            "(a bare one peaks at "
            f"{format_mib(bare)} MiB RSS). Measured {args.dtype} matmul peak "
            f"(4096², {args.dtype} operands): {peak / 1e9:.1f} GFLOP/s. FLOPs counted "
            "analytically (formulas in `bench/bench_attention.py`).",
            "",
            results_table(rows, peak),
        ]
    )
    print(body)
    if not args.no_write:
        append_results(SECTION, body, args.results)


if __name__ == "__main__":
    main()
