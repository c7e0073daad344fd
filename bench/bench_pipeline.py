"""A ~50k-token bundle of real contracts as PDFs, end to end: ingest to report, stage by stage.

    python -m bench.bench_pipeline [--tokens 50000] [--repeats 3] [--data PATH]

Contracts from CUAD (`../shared/data/contracts/cuad_dev.jsonl.gz`) are rendered to PDF with the
sample bundle's renderer until the bundle holds `--tokens` word pieces; the PDFs go to
`runs/bench_pipeline/` (not committed). The engine (model + tokenizer) is loaded once, as in a
server or a batch worker, and its load time is reported apart. Each repeat runs
`pipeline.summarize.summarize` (extractive, key terms and conflicts included) on the same files.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from bench.common import append_results, machine_info, markdown_table, peak_rss_bytes

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "contracts" / "cuad_dev.jsonl.gz"
OUT = ROOT / "runs" / "bench_pipeline"


def _renderer():
    spec = importlib.util.spec_from_file_location("render", ROOT / "examples/bundle/render.py")
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the module executes.
    sys.modules["render"] = module
    spec.loader.exec_module(module)
    return module.render


def build_bundle(data: Path, tokens: int) -> list[Path]:
    """Render contracts to PDF until the bundle holds `tokens` word pieces (cached on disk)."""
    from lm.tokenizer import Tokenizer

    tok, render = Tokenizer.minilm(), _renderer()
    OUT.mkdir(parents=True, exist_ok=True)
    paths, total = [], 0
    with gzip.open(data, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            row = json.loads(line)
            blocks = [" ".join(b.split()) for b in row["text"].split("\n\n")]
            body = "\n\n".join(b for b in blocks if b)
            pdf = OUT / f"contract_{n:03d}.pdf"
            if not pdf.is_file():
                src = OUT / f"contract_{n:03d}.txt"
                src.write_text(f"# {row.get('title') or row['id']}\n\n{body}\n", encoding="utf-8")
                render(src, pdf)
            paths.append(pdf)
            total += tok.count(body)
            if total >= tokens:
                break
    return paths


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)

    from pipeline.engine import Engine
    from pipeline.summarize import summarize

    info = machine_info()
    paths = build_bundle(args.data, args.tokens)
    start = time.perf_counter()
    engine = Engine.load()
    load_s = time.perf_counter() - start
    stages: dict[str, list[float]] = defaultdict(list)
    totals, n_tokens, n_pages = [], 0, 0
    for _ in range(args.repeats):
        start = time.perf_counter()
        report = summarize(paths, engine=engine)
        totals.append(time.perf_counter() - start)
        for t in report.timings:
            stages[t.stage].append(t.seconds)
        n_tokens = sum(d.n_tokens for d in report.documents)
        n_pages = sum(d.n_pages for d in report.documents)
    rows = [[stage, f"{statistics.median(v):.2f}"] for stage, v in stages.items()]
    rows.append(["**total (ingest to report)**", f"**{statistics.median(totals):.2f}**"])
    body = "\n".join(
        [
            info.describe(),
            f"{len(paths)} PDFs, {n_pages} pages, {n_tokens} tokens; model {engine.name!r} "
            f"(loaded once in {load_s:.1f} s); median of {args.repeats} runs; peak RSS "
            f"{peak_rss_bytes() / 2**30:.2f} GiB. Target: <= 60 s.",
            "",
            markdown_table(["stage", "seconds"], rows),
        ]
    )
    print(body)
    if not args.no_write:
        append_results("## Pipeline: ~50k-token PDF bundle end to end", body)


if __name__ == "__main__":
    main()
