"""Batch jobs: many files, each document summarized on its own; resumable and error-isolated.

Every finished document is stored in the output's cache under its content hash (and the options
that shaped it), written atomically. A job killed at any moment and started again skips what is
cached; final outputs are assembled from the cache and written atomically too, so no output file
is ever partial. One unreadable file becomes one error row; the others complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.document import Document, IngestError
from pipeline.engine import Engine, EngineConfig
from pipeline.ingest import DEFAULT_OPTIONS, IngestOptions, expand_inputs, ingest_path
from pipeline.report import Report, to_markdown
from pipeline.summarize import (
    SummaryOptions,
    Timer,
    check_library,
    check_mode,
    library_state,
    summarize_documents,
)

FORMATS = ("jsonl", "json", "md")
CACHE_DIR = ".longbrief-cache"


@dataclass(frozen=True)
class BatchConfig:
    """A batch job: where results go and how each document is summarized."""

    out: Path
    fmt: str = "jsonl"
    summary: SummaryOptions = field(default_factory=SummaryOptions)
    ingest: IngestOptions = DEFAULT_OPTIONS
    engine: EngineConfig = field(default_factory=EngineConfig)
    workers: int = 1

    def __post_init__(self) -> None:
        if self.fmt not in FORMATS:
            raise ValueError(f"unknown format {self.fmt!r}; use one of {FORMATS}")

    def options_key(self, fingerprint: str) -> str:
        """Hash of everything that shapes a result besides the document: summary options, the
        ingest options that pick text and ids, the model's weights (`fingerprint`) and the
        contents of the library that summaries read, if any."""
        ingest = [self.ingest.text_field, self.ingest.id_field]
        library = library_state(self.summary)
        data = json.dumps([asdict(self.summary), ingest, fingerprint, library], sort_keys=True)
        return hashlib.sha256(data.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class BatchSummary:
    """What a job did: documents summarized now, taken from the cache, and files that failed."""

    done: int
    cached: int
    errors: int
    outputs: tuple[Path, ...]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file and a rename: never a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp creates 0600; give the file the mode a plain open() would.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def document_row(report: Report) -> dict:
    """The JSON row of one summarized document: `id`, `summary`, citations, and the report."""
    doc = report.documents[0]
    return {
        "id": doc.doc_id,
        "source": doc.source,
        "sha256": doc.sha256,
        "summary": doc.text,
        "citations": [[asdict(c) for c in s.citations] for s in doc.sentences],
        # A one-document batch row has no bundle brief: it would repeat the summary.
        "report": {k: v for k, v in report.to_dict().items() if k not in ("brief", "brief_text")},
        # Kept for `--format md` (cached rows included); left out of the JSON Lines output.
        "markdown": to_markdown(report),
    }


def error_row(error: IngestError) -> dict:
    """The JSON row of an input that could not be read."""
    return {
        "id": Path(error.source).name,
        "source": error.source,
        "error": error.reason,
        "kind": error.kind,
    }


class Worker:
    """Summarizes one file's documents with an engine loaded once (per process or Ray actor)."""

    def __init__(self, cfg: BatchConfig, engine: Engine | None = None):
        self.cfg = cfg
        self.engine = engine or Engine.load(cfg.engine)
        self.cache = cfg.out / CACHE_DIR
        self.key = cfg.options_key(self.engine.fingerprint)

    def cache_path(self, doc: Document) -> Path:
        """Content hash plus name: a copy under another name gets its own row (its own id)."""
        name = hashlib.sha256(f"{doc.doc_id}\0{doc.source}".encode()).hexdigest()[:12]
        return self.cache / f"{doc.sha256}-{name}-{self.key}.json"

    def __call__(self, path: str) -> list[tuple[str, dict]]:
        """Rows for every document of `path`, each tagged "done", "cached" or "error"."""
        result = ingest_path(path, self.cfg.ingest)
        rows: list[tuple[str, dict]] = [("error", error_row(e)) for e in result.errors]
        for doc in result.documents:
            cached = self.cache_path(doc)
            if cached.is_file():
                rows.append(("cached", json.loads(cached.read_text(encoding="utf-8"))))
                continue
            report = summarize_documents(self.engine, [doc], self.cfg.summary, timer=Timer())
            row = document_row(report)
            atomic_write(cached, json.dumps(row, ensure_ascii=False))
            rows.append(("done", row))
        return rows


def _init_process(cfg: BatchConfig) -> None:
    import torch

    global _PROCESS_WORKER
    torch.set_num_threads(max(1, (os.cpu_count() or 1) // cfg.workers))
    _PROCESS_WORKER = Worker(cfg)


_PROCESS_WORKER: Worker | None = None


def _run_in_process(path: str) -> list[tuple[str, dict]]:
    assert _PROCESS_WORKER is not None
    return _PROCESS_WORKER(path)


def run_local(
    cfg: BatchConfig, paths: Sequence[str], progress: bool = True
) -> Iterator[list[tuple[str, dict]]]:
    """Rows per file, in this process (`workers == 1`) or a pool of processes."""
    from tqdm import tqdm

    bar = tqdm(total=len(paths), unit="file", disable=not progress, desc="summarize")
    if cfg.workers <= 1:
        worker = Worker(cfg)
        for p in paths:
            yield worker(p)
            bar.update()
    else:
        import multiprocessing as mp

        ctx = mp.get_context("spawn")
        with ctx.Pool(cfg.workers, initializer=_init_process, initargs=(cfg,)) as pool:
            for rows in pool.imap(_run_in_process, paths):
                yield rows
                bar.update()
    bar.close()


def write_outputs(cfg: BatchConfig, rows: list[dict]) -> tuple[Path, ...]:
    """Write the job's outputs (each atomically) from all rows, errors included."""
    if cfg.fmt == "jsonl":
        path = cfg.out / "summaries.jsonl"
        lines = (
            json.dumps({k: v for k, v in r.items() if k != "markdown"}, ensure_ascii=False)
            for r in rows
        )
        atomic_write(path, "".join(line + "\n" for line in lines))
        return (path,)
    written = []
    errors = [r for r in rows if "error" in r]
    for r in rows:
        if "error" in r:
            continue
        stem = _safe_stem(r["id"], r["sha256"])
        if cfg.fmt == "json":
            path = cfg.out / f"{stem}.json"
            atomic_write(path, json.dumps(r["report"], indent=2, ensure_ascii=False) + "\n")
        else:
            path = cfg.out / f"{stem}.md"
            atomic_write(path, r["markdown"])
        written.append(path)
    if errors:
        path = cfg.out / "errors.jsonl"
        atomic_write(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in errors))
        written.append(path)
    return tuple(written)


def _safe_stem(doc_id: str, sha: str) -> str:
    # Output names come from document ids, which come from user files: keep them inert.
    stem = "".join(c if c.isalnum() or c in "._-" else "_" for c in Path(doc_id).name)[:80]
    return f"{stem.lstrip('.') or 'document'}-{sha[:8]}"


def run_batch(
    cfg: BatchConfig,
    inputs: Sequence[str],
    engine: str = "local",
    address: str | None = None,
    progress: bool = True,
    runner: Callable[..., Iterator[list[tuple[str, dict]]]] | None = None,
) -> BatchSummary:
    """Expand `inputs`, summarize every document, and write the outputs."""
    check_mode(cfg.summary.mode, *Engine.identify(cfg.engine))
    check_library(cfg.summary)
    files, missing = expand_inputs(list(inputs))
    # Never read the job's own outputs back as inputs (an output folder inside an input one).
    out = cfg.out.resolve()
    paths = [str(p) for p in files if not p.resolve().is_relative_to(out)]
    if runner is None:
        if engine == "ray":
            from pipeline.ray_engine import run_ray

            runner = lambda c, p, progress: run_ray(c, p, address=address, progress=progress)  # noqa: E731
        else:
            runner = run_local
    rows = [error_row(e) for e in missing]
    counts = {"done": 0, "cached": 0, "error": len(missing)}
    for file_rows in runner(cfg, paths, progress=progress):
        for status, row in file_rows:
            counts[status] += 1
            rows.append(row)
    outputs = write_outputs(cfg, rows)
    return BatchSummary(counts["done"], counts["cached"], counts["error"], outputs)
