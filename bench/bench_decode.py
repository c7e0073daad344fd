"""Decoder time per generated token with 1k vs 50k tokens of encoder memory.

    python -m bench.bench_decode [--memory 1024,50000] [--steps 32] [--dtype bf16|fp32]

`linear` is longbrief's decoder: causal linear self-attention, linear cross-attention over the
whole memory (its state precomputed once by `prepare`) plus exact softmax and copying over 256
passage tokens. `softmax` is the reference a standard decoder would be: every step attends with
exact softmax to all N memory keys in each of the 6 layers (keys and values projected once,
attention by SDPA per step). A step is `decode_step` for one token, batch 1, after warm-up;
`prepare` (the one-off cost per input) is timed apart.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import torch
import torch.nn.functional as F

from bench.common import (
    DTYPES,
    append_results,
    format_mib,
    machine_info,
    markdown_table,
    run_isolated,
    time_median,
)
from lm.config import ModelConfig
from lm.model import LongBriefModel, Passages

PASSAGE_TOKENS = 256


def _model() -> LongBriefModel:
    torch.manual_seed(0)
    return LongBriefModel(ModelConfig.from_name("minilm", dropout=0.0)).eval()


def measure_linear(n: int, steps: int, dtype: str) -> tuple[float, float]:
    """(median seconds per decode step, seconds of `prepare`) for n tokens of memory."""
    model = _model()
    d = model.cfg.d_model
    memory = torch.randn(1, n, d)
    ids = torch.randint(1000, 29000, (1, n))
    passages = Passages(
        torch.arange(PASSAGE_TOKENS)[None], torch.ones(1, PASSAGE_TOKENS, dtype=torch.bool)
    )
    autocast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=dtype == "bf16")
    with torch.inference_mode(), autocast:
        prep = time_median(lambda: model.prepare(memory, None, ids, passages), 1).median_s
        inputs = model.prepare(memory, None, ids, passages)
        state = model.start(inputs)
        token = torch.tensor([model.cfg.bos_id])
        for _ in range(4):
            _, state = model.decode_step(token, state)
        holder = {"state": state}

        def step() -> None:
            _, holder["state"] = model.decode_step(token, holder["state"])

        return time_median(step, steps).median_s, prep


def measure_softmax(n: int, steps: int, dtype: str) -> tuple[float, float]:
    """The same per-step work with exact softmax cross-attention over all n memory keys."""
    model = _model()
    d = model.cfg.d_model
    memory = torch.randn(1, n, d)
    autocast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=dtype == "bf16")
    with torch.inference_mode(), autocast:

        def project() -> list[tuple[torch.Tensor, torch.Tensor]]:
            return [
                (
                    layer.cross_attn.proj.split(layer.cross_attn.proj.key(memory)),
                    layer.cross_attn.proj.split(layer.cross_attn.proj.value(memory)),
                )
                for layer in model.decoder
            ]

        prep = time_median(project, 1).median_s
        kv = project()
        x = torch.randn(1, 1, d)

        def step() -> None:
            y = x
            for layer, (k, v) in zip(model.decoder, kv, strict=True):
                q = layer.cross_attn.proj.split(layer.cross_attn.proj.query(y))
                attn = F.scaled_dot_product_attention(q, k, v)
                y = layer.cross_res(y, layer.cross_attn.proj.merge(attn))
                y = layer.ffn_res(y, layer.ffn(y))
            model.lm_head(y, model.embeddings.word.weight)

        return time_median(step, steps).median_s, prep


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory", default="1024,50000")
    parser.add_argument("--steps", type=int, default=32)
    parser.add_argument("--dtype", choices=sorted(DTYPES), default="bf16")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.memory.split(",")]
    info = machine_info()
    per_step: dict[tuple[str, int], float] = {}
    rows = []
    for name, fn in (
        ("linear (longbrief)", measure_linear),
        ("softmax cross-attention", measure_softmax),
    ):
        for n in sizes:
            result = run_isolated(fn, n, args.steps, args.dtype)
            step_s, prep_s = result.value
            per_step[(name, n)] = step_s
            print(f"{name} N={n}: {1e3 * step_s:.2f} ms/token", file=sys.stderr, flush=True)
            rows.append(
                [name, n, f"{1e3 * step_s:.2f}", f"{prep_s:.3f}", format_mib(result.peak_rss_bytes)]
            )
    lines = []
    lo, hi = min(sizes), max(sizes)
    for name in ("linear (longbrief)", "softmax cross-attention"):
        if (name, lo) in per_step and (name, hi) in per_step:
            ratio = per_step[(name, hi)] / per_step[(name, lo)]
            lines.append(f"- {name}: step at {hi} / step at {lo} = {ratio:.3f}")
    headers = ["decoder", "memory tokens", "ms per token (median)", "prepare (s)", "peak RSS (MiB)"]
    body = "\n".join(
        [
            info.describe(),
            f"dtype {args.dtype}; {args.steps} steps per case; batch 1; "
            f"{PASSAGE_TOKENS} passage tokens.",
            "",
            markdown_table(headers, rows),
            "",
            *lines,
            "- target: longbrief's step at 50k within 10% of its step at 1k",
        ]
    )
    print(body)
    if not args.no_write:
        append_results("## Decoder step (memory length)", body)


if __name__ == "__main__":
    main()
