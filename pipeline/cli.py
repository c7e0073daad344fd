"""`longbrief` pipeline commands: demo, summarize (batch jobs), bundle.

Training and evaluation (`longbrief train|eval`) and the web app (`longbrief app`) are dispatched
by `longbrief.cli`, so this module imports neither.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from pathlib import Path

from pipeline.batch import FORMATS, BatchConfig, atomic_write, run_batch
from pipeline.engine import Engine, EngineConfig
from pipeline.ingest import IngestOptions
from pipeline.report import to_markdown
from pipeline.summarize import MODES, ModeUnavailable, SummaryOptions, summarize

SAMPLE_BUNDLE = Path(__file__).resolve().parent.parent / "examples" / "bundle"


def _add_model_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mode", choices=MODES, default="extractive", help="summary mode")
    p.add_argument(
        "--checkpoint", type=Path, help="checkpoint directory (default: the committed one)"
    )
    p.add_argument("--summary-words", type=int, default=120, help="words per document summary")
    p.add_argument("--brief-words", type=int, default=220, help="words in the bundle brief")
    p.add_argument("--no-bf16", action="store_true", help="run the model in float32")
    retrieval = p.add_mutually_exclusive_group()
    retrieval.add_argument(
        "--library",
        type=Path,
        help="hybrid/abstractive: the decoder also reads this library's chunks (index add)",
    )
    retrieval.add_argument(
        "--no-retrieval",
        action="store_true",
        help="hybrid/abstractive: read only the extracted sentences, no retrieved chunks",
    )


def _add_ingest_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--password", help="password for encrypted PDFs")
    p.add_argument("--max-mb", type=float, default=100.0, help="skip files larger than this")
    p.add_argument("--text-field", default="text", help="JSON Lines field holding the text")
    p.add_argument("--id-field", default="id", help="JSON Lines field holding the id")


def _ingest_options(args: argparse.Namespace) -> IngestOptions:
    return IngestOptions(
        password=args.password,
        max_bytes=int(args.max_mb * 2**20),
        text_field=args.text_field,
        id_field=args.id_field,
    )


def _summary_options(args: argparse.Namespace) -> SummaryOptions:
    return SummaryOptions(
        mode=args.mode,
        summary_words=args.summary_words,
        brief_words=args.brief_words,
        retrieve=not args.no_retrieval,
        library=args.library,
    )


def _engine_config(args: argparse.Namespace) -> EngineConfig:
    return EngineConfig(checkpoint=args.checkpoint, bf16=not args.no_bf16)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="longbrief", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="summarize the sample contract bundle (embedded defaults)")
    demo.add_argument(
        "--out", type=Path, default=Path("out/demo"), help="where to write the report"
    )
    _add_model_options(demo)

    bundle = sub.add_parser("bundle", help="one report for a bundle of files")
    bundle.add_argument("inputs", nargs="+", help="files, directories or globs")
    bundle.add_argument("--out", type=Path, required=True, help="report JSON path")
    bundle.add_argument("--md", type=Path, help="also write the report as Markdown here")
    _add_model_options(bundle)
    _add_ingest_options(bundle)

    terms = sub.add_parser("terms", help="key terms of each document, one JSON line each")
    terms.add_argument("inputs", nargs="+", help="files, directories or globs")
    terms.add_argument("--out", type=Path, required=True, help="terms.jsonl path")
    _add_ingest_options(terms)

    index = sub.add_parser("index", help="the persistent library index (FAISS + SQLite)")
    index_sub = index.add_subparsers(dest="index_command", required=True)
    add = index_sub.add_parser("add", help="add documents (unchanged content is skipped)")
    add.add_argument("inputs", nargs="+", help="files, directories or globs")
    _add_ingest_options(add)
    remove = index_sub.add_parser("remove", help="remove documents by id or sha256")
    remove.add_argument("ids", nargs="+")
    stats = index_sub.add_parser("stats", help="what the library holds")
    for p in (add, remove, stats):
        p.add_argument("--library", type=Path, help="library directory (default ~/.longbrief)")

    find = sub.add_parser("search", help="semantic search over the library index")
    find.add_argument("query")
    find.add_argument("-k", type=int, default=5, help="number of results")
    find.add_argument("--library", type=Path, help="library directory (default ~/.longbrief)")

    batch = sub.add_parser("summarize", help="batch job: summarize every document of the inputs")
    batch.add_argument("inputs", nargs="+", help="files, directories or globs")
    batch.add_argument("--out", type=Path, required=True, help="output directory")
    batch.add_argument("--format", choices=FORMATS, default="jsonl", dest="fmt")
    batch.add_argument("--workers", type=int, default=1, help="processes (or Ray actors)")
    batch.add_argument("--engine", choices=("local", "ray"), default="local")
    batch.add_argument("--address", help="Ray cluster address (with --engine ray)")
    batch.add_argument("--no-progress", action="store_true")
    _add_model_options(batch)
    _add_ingest_options(batch)
    return parser


def _bundle_report(inputs: list[str], args: argparse.Namespace, ingest: IngestOptions):
    from pipeline.ingest import expand_inputs

    files, missing = expand_inputs(inputs)
    engine = Engine.load(_engine_config(args))
    report = summarize(files, engine=engine, ingest_options=ingest, options=_summary_options(args))
    if missing:
        report = dataclasses.replace(report, errors=tuple(missing) + report.errors)
    return report


def _print_errors(report) -> None:
    for e in report.errors:
        print(f"error: {e.source}: {e.reason}", file=sys.stderr)


def _library_command(args: argparse.Namespace) -> None:
    """`longbrief index add|remove|stats` and `longbrief search`."""
    from pipeline.ingest import expand_inputs, ingest_paths
    from pipeline.search import index_documents, search
    from pipeline.segment import segment
    from retrieval.library import Library

    read_only = args.command == "search" or args.index_command == "stats"
    with Library.open(args.library, read_only=read_only) as library:
        if args.command == "search":
            for hit in search(library, args.query, k=args.k):
                text = " ".join(hit.text.split())
                print(f"{hit.score:.3f}  {hit.doc_id}, p. {hit.page}  {text}")
        elif args.index_command == "add":
            files, missing = expand_inputs(args.inputs)
            result = ingest_paths(files, _ingest_options(args))
            for r in index_documents(library, [segment(d) for d in result.documents]):
                print(f"{r.status}: {r.doc_id} ({r.n_chunks} chunks)")
            for e in (*missing, *result.errors):
                print(f"error: {e.source}: {e.reason}", file=sys.stderr)
        elif args.index_command == "remove":
            for key in args.ids:
                gone = library.remove(key)
                print(f"removed: {gone.doc_id}" if gone else f"not found: {key}")
        else:
            print(library.stats())


def _terms_command(args: argparse.Namespace) -> None:
    """`longbrief terms`: no model needed; unreadable files become error lines."""
    import json

    from pipeline.ingest import expand_inputs, ingest_paths
    from pipeline.keyterms import extract_terms
    from pipeline.segment import segment
    from pipeline.terms import terms_to_json

    files, missing = expand_inputs(args.inputs)
    result = ingest_paths(files, _ingest_options(args))
    rows = [terms_to_json(extract_terms(segment(d)), display=True) for d in result.documents]
    rows += [
        {"id": Path(e.source).name, "error": e.reason, "kind": e.kind}
        for e in (*missing, *result.errors)
    ]
    atomic_write(args.out, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    for e in (*missing, *result.errors):
        print(f"error: {e.source}: {e.reason}", file=sys.stderr)
    print(f"wrote {len(result.documents)} documents' terms to {args.out}", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    """Run one pipeline command; exit status 2 on bad usage, 1 when nothing could be done."""
    args = build_parser().parse_args(argv)
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        if args.command == "demo":
            inputs = [str(p) for p in sorted(SAMPLE_BUNDLE.glob("*.pdf"))]
            report = _bundle_report(inputs, args, IngestOptions())
            atomic_write(args.out / "report.json", report.to_json())
            atomic_write(args.out / "report.md", to_markdown(report))
            print(to_markdown(report))
            print(f"wrote {args.out / 'report.json'} and {args.out / 'report.md'}", file=sys.stderr)
        elif args.command == "terms":
            _terms_command(args)
        elif args.command in ("index", "search"):
            _library_command(args)
        elif args.command == "bundle":
            report = _bundle_report(args.inputs, args, _ingest_options(args))
            atomic_write(args.out, report.to_json())
            if args.md:
                atomic_write(args.md, to_markdown(report))
            _print_errors(report)
            if not report.documents:
                sys.exit(1)
        else:
            cfg = BatchConfig(
                out=args.out,
                fmt=args.fmt,
                summary=_summary_options(args),
                ingest=_ingest_options(args),
                engine=_engine_config(args),
                workers=args.workers,
            )
            result = run_batch(cfg, args.inputs, args.engine, args.address, not args.no_progress)
            print(
                f"{result.done} summarized, {result.cached} from cache, {result.errors} errors; "
                f"wrote {', '.join(str(p) for p in result.outputs)}",
                file=sys.stderr,
            )
            if result.done + result.cached == 0 and result.errors:
                sys.exit(1)
    except ModeUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    except FileNotFoundError as exc:
        # A missing checkpoint or library: say which, without a traceback.
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
