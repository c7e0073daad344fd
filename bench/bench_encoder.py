"""The whole encoder at N = 1k … 64k tokens: the hybrid model vs its full-softmax twin.

    python -m bench.bench_encoder [--sizes 1024,...,65536] [--dtype bf16|fp32] [--repeats 3]

`hybrid` is the `minilm` preset (2 block-local softmax layers, 4 window + linear layers); `softmax`
is the same weights with exact attention over all N tokens in every layer (`minilm-softmax`).
Weights are MiniLM's (warm start) when installed. Forward only, batch 1, under
`torch.inference_mode`; with `--dtype bf16` (the pipeline's default) both models' encoder weights
are cast to bf16 once, as the engine does. Each measurement runs in a fresh process, so peak RSS
is that measurement's own.

FLOPs per layer (multiply-add = 2): projections 8·N·d², feed-forward 4·N·d·d_ff, plus attention:
local 4·N·b·d; softmax 4·N²·d; window + linear 12·N·w·d (window scores and values against 3w
keys) + 4·N·d·P (Hedgehog projections of queries and keys, P = `feature_dim` per head)
+ 4·N·F·d (φ(K)ᵀV and φ(Q)S, F = 2P features per head, summed over heads) + 3·N·F·H
(normalizers); linear alone drops the window term. "% of peak" divides by the measured matmul
rate.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool

import torch

from bench.common import (
    DTYPES,
    MachineInfo,
    append_results,
    format_mib,
    format_seconds,
    machine_info,
    markdown_table,
    matmul_peak,
    run_isolated,
    time_median,
)
from lm.config import ModelConfig
from lm.model import LongBriefModel
from lm.runtime import keep_freed_memory
from lm.weights import minilm_available

PRESETS = {"hybrid": "minilm", "softmax": "minilm-softmax"}
SIZES = (1024, 2048, 4096, 8192, 16384, 32768, 50_000, 65536)


def build_model(variant: str) -> LongBriefModel:
    """The encoder to time, warm-started when MiniLM is installed (weights do not change speed)."""
    cfg = ModelConfig.from_name(PRESETS[variant], n_decoder_layers=0, copy=False)
    if minilm_available():
        from lm.warmstart import from_minilm

        return from_minilm(cfg).eval()
    return LongBriefModel(cfg).eval()


def encoder_flops(cfg: ModelConfig, n: int) -> float:
    """Analytic FLOPs of one encoder forward over n tokens (see the module docstring)."""
    d, total = cfg.d_model, 0.0
    p, f = cfg.feature_dim, 2 * cfg.feature_dim
    linear = 4 * n * d * p + 4 * n * f * d + 3 * n * f * cfg.n_heads
    for kind in cfg.encoder_layers:
        total += 8 * n * d * d + 4 * n * d * cfg.d_ff
        if kind == "local":
            total += 4 * n * min(cfg.block_size, n) * d
        elif kind == "hybrid":
            total += 12 * n * cfg.window * d + linear
        elif kind == "linear":
            total += linear
        else:
            total += 4 * n * n * d
    return total


def measure(variant: str, n: int, dtype: str, repeats: int) -> float:
    """Median seconds of one encoder forward (runs inside the spawned process)."""
    keep_freed_memory()  # as the pipeline's engine does
    model = build_model(variant)
    if dtype == "bf16":
        # As the pipeline's engine runs it: bf16 weights, cast once (not autocast per call).
        model.cast_encoder(torch.bfloat16)
    ids = torch.randint(1000, 29000, (1, n), generator=torch.Generator().manual_seed(n))

    def call() -> torch.Tensor:
        with torch.inference_mode():
            return model.encode(ids)

    return time_median(call, repeats).median_s


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--dtype", choices=sorted(DTYPES), default="bf16")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--softmax-repeats", type=int, default=1, help="the twin is slow")
    parser.add_argument("--max-softmax", type=int, default=32768)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--pairs",
        type=int,
        default=0,
        help="instead of the sweep: N rounds of hybrid then twin at the largest size, one ratio "
        "per round (a shared machine drifts over minutes; adjacent runs compare fairly)",
    )
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    info = machine_info()
    if args.pairs:
        paired_ratios(max(sizes), args, info)
        return
    peak = matmul_peak(DTYPES[args.dtype])
    times: dict[tuple[str, int], float] = {}
    rows = []
    for variant in ("hybrid", "softmax"):
        cfg = ModelConfig.from_name(PRESETS[variant])
        for n in sizes:
            if variant == "softmax" and n > args.max_softmax:
                rows.append([variant, n, "not run", "", "", "", ""])
                continue
            repeats = args.softmax_repeats if variant == "softmax" else args.repeats
            try:
                result = run_isolated(measure, variant, n, args.dtype, repeats)
            except (BrokenProcessPool, RuntimeError, MemoryError) as exc:
                rows.append([variant, n, f"failed: {type(exc).__name__}", "", "", "", ""])
                continue
            seconds = result.value
            times[(variant, n)] = seconds
            rate = encoder_flops(cfg, n) / seconds
            print(
                f"{variant} N={n}: {seconds:.3f} s, {format_mib(result.peak_rss_bytes)} MiB",
                file=sys.stderr,
                flush=True,
            )
            rows.append(
                [
                    variant,
                    n,
                    format_seconds(seconds),
                    "",
                    format_mib(result.peak_rss_bytes),
                    f"{rate / 1e9:.3g}",
                    f"{100 * rate / peak:.1f}",
                ]
            )
    for row in rows:
        soft = times.get(("softmax", row[1]))
        mine = times.get((row[0], row[1]))
        if row[0] == "hybrid" and soft and mine:
            row[3] = f"{soft / mine:.1f}x"
    headers = [
        "model",
        "N",
        "time (s)",
        "softmax twin / hybrid",
        "peak RSS (MiB)",
        "GFLOP/s",
        "% of peak",
    ]
    table = markdown_table(headers, rows)
    checks = target_lines(times)
    body = "\n".join(
        [
            info.describe(),
            f"dtype {args.dtype}; matmul peak {peak / 1e9:.1f} GFLOP/s; hybrid median of "
            f"{args.repeats}, softmax twin {args.softmax_repeats} run(s).",
            "",
            table,
            "",
            *checks,
        ]
    )
    print(body)
    if not args.no_write:
        append_results("## Encoder (hybrid vs full-softmax twin)", body)


def paired_ratios(n: int, args: argparse.Namespace, info: MachineInfo) -> None:
    """Twin / hybrid at `n` tokens from `args.pairs` adjacent (hybrid, twin) measurements."""
    rows, ratios = [], []
    for i in range(args.pairs):
        hybrid = run_isolated(measure, "hybrid", n, args.dtype, args.repeats).value
        twin = run_isolated(measure, "softmax", n, args.dtype, args.softmax_repeats).value
        ratios.append(twin / hybrid)
        rows.append([i + 1, f"{hybrid:.2f}", f"{twin:.1f}", f"{twin / hybrid:.1f}x"])
        print(f"round {i + 1}: {rows[-1][1:]}", file=sys.stderr, flush=True)
    body = "\n".join(
        [
            info.describe(),
            f"dtype {args.dtype}; N = {n}; {args.pairs} rounds, each the hybrid (median of "
            f"{args.repeats}) then the twin ({args.softmax_repeats} run), each in a fresh process.",
            "",
            markdown_table(["round", "hybrid (s)", "twin (s)", "twin / hybrid"], rows),
            "",
            f"- median twin / hybrid at {n}: {statistics.median(ratios):.1f}x (target >= 20x)",
        ]
    )
    print(body)
    if not args.no_write:
        append_results("## Encoder (hybrid vs full-softmax twin)", body)


def target_lines(times: dict[tuple[str, int], float]) -> list[str]:
    """The issue's targets, checked against what ran."""
    lines = []
    h32, s32 = times.get(("hybrid", 32768)), times.get(("softmax", 32768))
    if h32 and s32:
        lines.append(f"- 32k: softmax twin / hybrid = {s32 / h32:.1f}x (target >= 20x)")
    if h32 and times.get(("hybrid", 65536)):
        lines.append(f"- t(64k) / t(32k) = {times[('hybrid', 65536)] / h32:.2f} (target <= 2.2)")
    if times.get(("hybrid", 50_000)):
        lines.append(f"- 50k tokens: {times[('hybrid', 50_000)]:.1f} s (target <= 20 s)")
    return lines


if __name__ == "__main__":
    main()
