"""`longbrief eval conflicts`: conflict flags against the truth of generated dev bundles.

Each bundle folder (written by `training.conflict_bundles`) holds `.txt` documents and a
`truth.json`. The documents are read as the pipeline reads text files
(`pipeline.ingest.ingest_path`, ids = file names, in file-name order), segmented, their key
terms extracted (`pipeline.keyterms.extract_terms`) and compared
(`pipeline.conflicts.detect_conflicts`).

A predicted flag matches a planted one when the field and the unordered pair of documents are
equal (each planted item matches at most one flag). Reported: precision, recall and F1 overall
and per field; false flags on restated-equal terms (a flag whose field and documents are those
of a restatement: the documents say the same thing in other words; target 0); over the matched
flags, the accuracy of the kind ("conflict" / "amended_by") and of which document governs; and
bundles without a planted conflict that still got a flag. Each miss and false flag is listed
with the values and quotes the pipeline extracted, so extraction errors can be traced.

`--via pdf` sets each document on pages first (`training.pdf_render`: wrapped lines, running
header, page footer, hyphenation) and reads the PDF back through ingest, as an upload is read.

    longbrief eval conflicts --bundles runs/conflict_bundles [--via pdf] [--out F] [--md F]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pipeline.conflicts import ConflictFlag, detect_conflicts
from pipeline.ingest import IngestResult, ingest_bytes, ingest_path
from pipeline.keyterms import extract_terms
from pipeline.segment import segment
from pipeline.terms import DocumentTerms
from training.conflict_bundles import BundleTruth, TruthConflict, load_truth
from training.eval_terms import machine
from training.evaluate import append_markdown, write_text
from training.pdf_render import render_pdf

TARGETS = {"precision": 0.95, "recall": 0.90, "restated_false_flags": 0}


@dataclass(frozen=True)
class BundleRun:
    """The pipeline's output for one bundle: every document's terms and the flags."""

    terms: tuple[DocumentTerms, ...]
    flags: tuple[ConflictFlag, ...]
    errors: tuple[str, ...] = ()


def run_bundle(folder: Path, via: str = "text") -> BundleRun:
    """Ingest, segment, extract and compare the `.txt` documents of one bundle folder.

    `via="pdf"` sets each document on pages first (`training.pdf_render`) and ingests the PDF,
    as an upload is read; the document keeps its file name as its id.
    """
    docs, errors = [], []
    for path in sorted(folder.glob("*.txt")):
        result = ingest_path(path) if via == "text" else _ingest_as_pdf(path)
        docs.extend(result.documents)
        errors.extend(str(e) for e in result.errors)
    segs = [segment(d) for d in docs]
    terms = tuple(extract_terms(s) for s in segs)
    return BundleRun(terms, detect_conflicts(terms, segs), tuple(errors))


def _ingest_as_pdf(path: Path) -> IngestResult:
    data = render_pdf(path.read_text(encoding="utf-8"), path.stem.replace("_", " "))
    result = ingest_bytes(f"{path.stem}.pdf", data)
    docs = tuple(dataclasses.replace(d, doc_id=path.name) for d in result.documents)
    return IngestResult(docs, result.errors)


@dataclass
class Counts:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def summary(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        f1 = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": _round(p),
            "recall": _round(r),
            "f1": _round(f1),
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


@dataclass
class Score:
    """Everything counted over the bundles."""

    overall: Counts = field(default_factory=Counts)
    fields: dict[str, Counts] = field(default_factory=dict)
    kind_right: int = 0
    governs_right: int = 0
    matched: int = 0
    styles: dict[str, list[int]] = field(default_factory=dict)
    restated_flags: int = 0
    clean_bundles: int = 0
    clean_flagged: int = 0
    misses: list[dict] = field(default_factory=list)
    false_flags: list[dict] = field(default_factory=list)
    wrong: list[dict] = field(default_factory=list)

    def count(self, name: str) -> Counts:
        return self.fields.setdefault(name, Counts())


def _flag_docs(flag: ConflictFlag) -> frozenset[str]:
    return frozenset((flag.a.doc_id, flag.b.doc_id))


def _extracted(terms: Iterable[DocumentTerms], name: str) -> dict[str, list[dict]]:
    """What the pipeline extracted for `name` in each document (best first), for error lists."""
    out = {}
    for dt in terms:
        out[dt.doc_id] = [
            {
                "value": str(t.value),
                "text": " ".join(t.text.split()),
                "quote": " ".join(t.quote.split())[:300],
            }
            for t in dt.get(name)[:3]
        ]
    return out


def _flag_json(flag: ConflictFlag) -> dict:
    return {
        "field": flag.field,
        "kind": flag.kind,
        "governs": flag.governs,
        "a": {
            "doc": flag.a.doc_id,
            "kind": flag.a.kind,
            "value": flag.a.value,
            "quote": flag.a.quote[:300],
        },
        "b": {
            "doc": flag.b.doc_id,
            "kind": flag.b.kind,
            "value": flag.b.value,
            "quote": flag.b.quote[:300],
        },
        "rule": flag.rule,
    }


def _truth_json(item: TruthConflict) -> dict:
    return {
        "field": item.field,
        "kind": item.kind,
        "governs": item.governs,
        "style": item.style,
        "a": {"doc": item.a.doc_id, "value": item.a.value, "text": item.a.text},
        "b": {"doc": item.b.doc_id, "value": item.b.value, "text": item.b.text},
    }


def score_bundle(truth: BundleTruth, run: BundleRun, score: Score) -> None:
    """Match one bundle's flags to its truth and add the counts to `score`."""
    unmatched = list(run.flags)
    for item in truth.conflicts:
        hit = next(
            (f for f in unmatched if f.field == item.field and _flag_docs(f) == item.docs), None
        )
        style = score.styles.setdefault(f"{item.kind}/{item.style}", [0, 0])
        style[0] += hit is not None
        style[1] += 1
        if hit is None:
            score.overall.fn += 1
            score.count(item.field).fn += 1
            score.misses.append(
                {
                    "bundle": truth.bundle_id,
                    "truth": _truth_json(item),
                    "extracted": _extracted(run.terms, item.field),
                }
            )
            continue
        unmatched.remove(hit)
        score.overall.tp += 1
        score.count(item.field).tp += 1
        score.matched += 1
        kind_ok, governs_ok = hit.kind == item.kind, hit.governs == item.governs
        score.kind_right += kind_ok
        score.governs_right += governs_ok
        if not (kind_ok and governs_ok):
            score.wrong.append(
                {"bundle": truth.bundle_id, "truth": _truth_json(item), "flag": _flag_json(hit)}
            )
    restated = {(r.field, r.docs) for r in truth.restated}
    for flag in unmatched:
        score.overall.fp += 1
        score.count(flag.field).fp += 1
        on_restated = any(f == flag.field and _flag_docs(flag) <= docs for f, docs in restated)
        score.restated_flags += on_restated
        score.false_flags.append(
            {
                "bundle": truth.bundle_id,
                "on_restated": on_restated,
                "flag": _flag_json(flag),
                "extracted": _extracted(run.terms, flag.field),
            }
        )
    if not truth.conflicts:
        score.clean_bundles += 1
        score.clean_flagged += bool(run.flags)


def bundle_folders(root: Path) -> list[Path]:
    """The bundle folders under `root` (those with a truth.json), or `root` itself if it is one."""
    if (root / "truth.json").is_file():
        return [root]
    return sorted(p.parent for p in root.glob("*/truth.json"))


def evaluate(
    folders: Sequence[Path], progress: Callable[[str], None] = lambda _: None, via: str = "text"
) -> dict:
    """Run the pipeline on every bundle and score it; the result is JSON-ready.

    `via` is "text" (the bundle's files as they are) or "pdf" (each set as a PDF first).
    """
    if via not in ("text", "pdf"):
        raise ValueError(f"via must be 'text' or 'pdf', not {via!r}")
    score = Score()
    started = time.perf_counter()
    n_truth = n_restated = 0
    ingest_errors: list[str] = []
    for i, folder in enumerate(folders, 1):
        truth = load_truth(folder)
        run = run_bundle(folder, via)
        score_bundle(truth, run, score)
        ingest_errors.extend(f"{folder.name}: {e}" for e in run.errors)
        n_truth += len(truth.conflicts)
        n_restated += len(truth.restated)
        if i % 10 == 0:
            progress(f"{i}/{len(folders)} bundles")
    m = score.matched
    overall = score.overall.summary()
    return {
        "n_bundles": len(folders),
        "via": via,
        "n_planted": n_truth,
        "n_restated": n_restated,
        "n_clean_bundles": score.clean_bundles,
        "seconds": round(time.perf_counter() - started, 1),
        "overall": overall,
        "fields": {k: v.summary() for k, v in sorted(score.fields.items())},
        "recall_by_style": {
            k: {"found": v[0], "planted": v[1], "recall": _round(v[0] / v[1])}
            for k, v in sorted(score.styles.items())
        },
        "restated_false_flags": score.restated_flags,
        "clean_bundles_flagged": score.clean_flagged,
        "kind_accuracy": _round(score.kind_right / m) if m else None,
        "governs_accuracy": _round(score.governs_right / m) if m else None,
        "targets": TARGETS,
        "meets_targets": bool(
            (overall["precision"] or 0) >= TARGETS["precision"]
            and (overall["recall"] or 0) >= TARGETS["recall"]
            and score.restated_flags == TARGETS["restated_false_flags"]
        ),
        "ingest_errors": ingest_errors,
        "misses": score.misses,
        "false_flags": score.false_flags,
        "wrong_kind_or_governs": score.wrong,
    }


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def to_markdown(result: dict) -> str:
    """A dated table of the overall and per-field figures (the Markdown that `--md` appends)."""
    m = result["machine"]
    o = result["overall"]
    lines = [
        f"### Conflict detection on generated bundles, {result['date'][:10]}",
        "",
        f"{result['n_bundles']} bundles of `{result['bundles']}` ({result['n_planted']} planted "
        f"differences, {result['n_restated']} restated terms, {result['n_clean_bundles']} bundles "
        f"without a conflict); read via {result.get('via', 'text')}; {m['cpu']}, {m['cores']} "
        f"cores, host {m['host']}; "
        f"{result['seconds']} s.",
        "",
        "| | precision | recall | F1 | tp | fp | fn |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| **all fields** | {_pct(o['precision'])} | {_pct(o['recall'])} | {_pct(o['f1'])} | "
        f"{o['tp']} | {o['fp']} | {o['fn']} |",
    ]
    for name, f in result["fields"].items():
        lines.append(
            f"| {name} | {_pct(f['precision'])} | {_pct(f['recall'])} | {_pct(f['f1'])} | "
            f"{f['tp']} | {f['fp']} | {f['fn']} |"
        )
    styles = ", ".join(
        f"{k} {v['found']}/{v['planted']}" for k, v in result["recall_by_style"].items()
    )
    t = result["targets"]
    lines += [
        "",
        f"Found by drafting style (kind/style found/planted): {styles}.",
        "",
        f"False flags on restated-equal terms: {result['restated_false_flags']} (target "
        f"{t['restated_false_flags']}); bundles without a conflict that got a flag: "
        f"{result['clean_bundles_flagged']} of {result['n_clean_bundles']}; kind accuracy "
        f"{_pct(result['kind_accuracy'])}, governs accuracy {_pct(result['governs_accuracy'])} "
        f"(over matched flags). Targets: precision >= {t['precision']:.2f}, recall >= "
        f"{t['recall']:.2f}: {'met' if result['meets_targets'] else 'not met'}.",
    ]
    return "\n".join(lines) + "\n"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="longbrief eval conflicts",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--bundles",
        type=Path,
        default=Path("runs/conflict_bundles"),
        help="a folder of bundle folders (or one bundle folder)",
    )
    p.add_argument(
        "--via",
        choices=("text", "pdf"),
        default="text",
        help="read each document as it is (default) or set as a PDF first, as an upload is read",
    )
    p.add_argument("--out", type=Path, help="write the JSON result here (default: stdout only)")
    p.add_argument("--md", type=Path, help="append the Markdown table to this file")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """`longbrief eval conflicts ...` (a leading "eval conflicts" or "conflicts" is skipped)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    while argv[:1] in (["eval"], ["conflicts"]):
        argv = argv[1:]
    args = build_parser().parse_args(argv)
    folders = bundle_folders(args.bundles)
    if not folders:
        raise SystemExit(f"{args.bundles}: no bundle folders with a truth.json")
    result = evaluate(folders, progress=lambda s: print(s, file=sys.stderr), via=args.via)
    result.update(
        bundles=str(args.bundles),
        date=datetime.now(UTC).isoformat(timespec="seconds"),
        machine=machine(),
    )
    table = to_markdown(result)
    if args.out:
        write_text(args.out, json.dumps(result, indent=2, default=str) + "\n")
    lists = ("misses", "false_flags", "wrong_kind_or_governs")
    print(json.dumps({k: v for k, v in result.items() if k not in lists}, indent=2))
    print(table, end="")
    if args.md:
        append_markdown(args.md, table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
