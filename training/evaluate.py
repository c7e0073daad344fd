"""`longbrief eval summaries`: ROUGE and number faithfulness of the summarizer beside baselines.

Documents come from a JSON Lines file (`.jsonl` or `.jsonl.gz`, fields id/text/summary, the
shared/data format) and are built exactly as the pipeline builds them (`clean_pages` of the text
as one page, then `Document`). Every system writes one summary per document with the same word
budget: with `--words auto` the reference summary's length, counted with
`pipeline.extractive.words`. The systems:

- the summarizer's modes (`extractive`, `hybrid`, `abstractive`) through `summarize_documents`
  with one engine loaded once; a mode the checkpoint cannot run is reported as not available;
- Lead and TextRank over the pipeline's sentences (`training.baselines`);
- the document-blind baseline: the training summary with the highest mean ROUGE-1 F against the
  other training summaries (a deterministic sample of at most 200), output for every document,
  cut to the same budget as the others (its first sentences up to the budget, as Lead cuts a
  document), so no system wins or loses on length alone.

Metrics, per system:

- ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 (`rouge-score`, Porter stemmer), mean over documents, x100.
  For Lsum a system summary has one sentence per line, and a reference one line per sentence of
  each of its lines (shared/data summaries are written one sentence per line);
- number faithfulness: numbers, dates and amounts of the summary found in its source
  (`pipeline.faithfulness.number_faithfulness`), micro-averaged over documents; n/a when the
  system wrote no number at all;
- number recall: the reference's numbers that the summary reproduces, counted as multisets (a
  number the reference states twice must be written twice to count twice), micro-averaged; n/a
  when no reference holds a number;
- mean summary words and wall seconds spent producing the summaries (the engine's include its
  own segmentation; the baselines' exclude the shared segmentation, reported separately).

The validation split is deterministic by id and the same as training's (`training.splits`): a
record is in it when sha1(id) mod 1000 is below `--val-permille` (default 100, about 10%).
`--all` evaluates every record (for a file that is already a validation split, such as
ECTSum's); the training summaries of the document-blind baseline then come from `--train-data`,
by default the sibling file named `..._train...`.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import hashlib
import json
import os
import platform
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch

from pipeline.document import Document
from pipeline.engine import Engine, EngineConfig
from pipeline.extractive import words
from pipeline.faithfulness import number_faithfulness, numbers
from pipeline.ingest import clean_pages
from pipeline.segment import segment, split_sentences
from pipeline.summarize import ModeUnavailable, SummaryOptions, summarize_documents
from training.baselines import document_blind, lead, textrank
from training.splits import DEFAULT_VAL_PERMILLE, is_validation

BLIND_SAMPLE = 200
MODES = ("extractive", "hybrid", "abstractive")
ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")
# Salt of the document-blind sample's order, so the sample does not follow the split's hash.
BLIND_SALT = "document-blind:"
_VAL_PART = re.compile(r"(?<=[_.-])val(?:idation)?(?=[_.-])")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Record:
    """One line of a summarization data file."""

    doc_id: str
    text: str
    summary: str


@dataclass(frozen=True)
class Split:
    """Which records are evaluated: a validation split by id (or all records), maybe limited."""

    permille: int | None = DEFAULT_VAL_PERMILLE
    limit: int | None = None

    def contains(self, doc_id: str) -> bool:
        """Whether a record with this id is in the split (before the limit)."""
        return self.permille is None or is_validation(doc_id, self.permille)

    def describe(self) -> str:
        base = (
            "all records"
            if self.permille is None
            else f"validation (sha1(id) mod 1000 < {self.permille})"
        )
        return base if self.limit is None else f"{base}, first {self.limit} by id"

    def select(self, records: Iterable[Record]) -> list[Record]:
        """The split's records in id order, at most `limit` of them."""
        chosen = sorted((r for r in records if self.contains(r.doc_id)), key=lambda r: r.doc_id)
        return chosen if self.limit is None else chosen[: self.limit]


def read_records(path: Path) -> tuple[list[Record], int]:
    """Records of a `.jsonl` / `.jsonl.gz` file and how many lines were skipped.

    A line is skipped when it is not a JSON object or lacks a non-blank string text or summary.
    An id that is missing (or not a string or integer) becomes "<file name>:<line number>".
    """
    opener = gzip.open if path.name.endswith(".gz") else open
    records: list[Record] = []
    skipped = 0
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            record = _parse_record(line, f"{path.name}:{number}")
            if record is None:
                skipped += 1
            else:
                records.append(record)
    return records, skipped


def _parse_record(line: str, fallback_id: str) -> Record | None:
    try:
        row = json.loads(line)
    except json.JSONDecodeError:
        return None
    if not isinstance(row, dict):
        return None
    text, summary = row.get("text"), row.get("summary")
    if not (isinstance(text, str) and text.strip() and isinstance(summary, str)):
        return None
    if not summary.strip():
        return None
    return Record(_record_id(row.get("id"), fallback_id), text, summary)


def _record_id(value: object, fallback: str) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return fallback


def dataset_name(path: Path) -> str:
    """The file name without `.jsonl` / `.jsonl.gz`."""
    name = path.name
    for suffix in (".gz", ".jsonl"):
        name = name.removesuffix(suffix)
    return name


def sibling_training_file(path: Path) -> Path | None:
    """`ectsum_val.jsonl.gz` -> `ectsum_train.jsonl.gz` when that file exists, else None."""
    name = _VAL_PART.sub("train", path.name, count=1)
    candidate = path.with_name(name)
    return candidate if name != path.name and candidate.is_file() else None


def blind_sample(records: Sequence[Record], size: int = BLIND_SAMPLE) -> list[Record]:
    """A deterministic sample of training records: the first `size` by a salted sha1 of the id."""

    def key(record: Record) -> str:
        return hashlib.sha1((BLIND_SALT + record.doc_id).encode("utf-8")).hexdigest()

    return sorted(records, key=key)[:size]


def to_document(record: Record, source: str) -> Document:
    """The record's text as the pipeline's one-page `Document` (cleaned as ingest cleans)."""
    text, pages = clean_pages([record.text], ["1"])
    sha256 = hashlib.sha256(record.text.encode("utf-8")).hexdigest()
    return Document(record.doc_id, source, text, pages, sha256)


def flat(text: str) -> str:
    """Line breaks and runs of spaces folded into single spaces."""
    return " ".join(text.split())


def summary_sentences(text: str) -> list[str]:
    """A reference summary as flat sentences: each line, split by the pipeline's splitter."""
    out: list[str] = []
    for line in text.splitlines():
        out += [flat(line[a:b]) for a, b in split_sentences(line)]
    return [s for s in out if s]


def count_words(text: str) -> int:
    """Words as the pipeline's selection counts them (alphanumeric runs)."""
    return len(words(text))


@dataclass(frozen=True)
class RougeScores:
    """ROUGE F1 of one summary (or a mean over documents), x100."""

    rouge1: float
    rouge2: float
    rouge_lsum: float


class Rouge:
    """`rouge-score` with the Porter stemmer; summaries are given as lists of sentences."""

    def __init__(self) -> None:
        try:
            from rouge_score.rouge_scorer import RougeScorer
            from rouge_score.tokenizers import DefaultTokenizer
        except ImportError as exc:
            raise SystemExit(
                "longbrief eval needs the rouge-score package: pip install -e '.[dev]'"
            ) from exc
        self.scorer = RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
        self.tokenizer = DefaultTokenizer(use_stemmer=True)

    def score(self, prediction: Sequence[str], reference: Sequence[str]) -> RougeScores:
        """ROUGE of `prediction` against `reference`, one sentence per line for Lsum."""
        scores = self.scorer.score(
            "\n".join(flat(s) for s in reference), "\n".join(flat(s) for s in prediction)
        )
        return RougeScores(
            *(round(100 * scores[t].fmeasure, 4) for t in ("rouge1", "rouge2", "rougeLsum"))
        )

    def tokenize(self, text: str) -> list[str]:
        """ROUGE's own tokens (lower case, stemmed), as ROUGE-1 counts them."""
        return self.tokenizer.tokenize(text)


@dataclass(frozen=True)
class NumberCounts:
    """Number counts of one summary, or summed over documents.

    `supported` of the `generated` numbers of the summary occur in its source; `recalled` of the
    `reference` numbers of the reference summary occur in the summary (multiset counts).
    """

    supported: int = 0
    generated: int = 0
    recalled: int = 0
    reference: int = 0

    def __add__(self, other: NumberCounts) -> NumberCounts:
        return NumberCounts(
            self.supported + other.supported,
            self.generated + other.generated,
            self.recalled + other.recalled,
            self.reference + other.reference,
        )

    @property
    def faithfulness(self) -> float | None:
        """Share of generated numbers found in the source, %; None when none was generated."""
        return 100 * self.supported / self.generated if self.generated else None

    @property
    def recall(self) -> float | None:
        """Share of reference numbers reproduced, %; None when the reference has none."""
        return 100 * self.recalled / self.reference if self.reference else None


def number_counts(summary: str, source: str, reference: str) -> NumberCounts:
    """Faithfulness counts of `summary` against `source`, recall counts against `reference`."""
    supported, generated = number_faithfulness(summary, source)
    recalled = sum((Counter(numbers(reference)) & Counter(numbers(summary))).values())
    return NumberCounts(supported, generated, recalled, len(numbers(reference)))


@dataclass(frozen=True)
class DocumentScore:
    """One system's scores on one document."""

    doc_id: str
    rouge: RougeScores
    numbers: NumberCounts
    words: int


@dataclass(frozen=True)
class SystemResult:
    """One system's scores over the evaluated documents (None where not measurable)."""

    name: str
    kind: str
    available: bool
    reason: str
    rouge1: float | None
    rouge2: float | None
    rouge_lsum: float | None
    number_faithfulness: float | None
    number_recall: float | None
    numbers: NumberCounts
    mean_words: float | None
    seconds: float
    documents: tuple[DocumentScore, ...] = ()

    @classmethod
    def unavailable(cls, name: str, kind: str, reason: str) -> SystemResult:
        """A system that could not run, and why."""
        return cls(name, kind, False, reason, None, None, None, None, None, NumberCounts(), None, 0)

    @classmethod
    def of(
        cls, name: str, kind: str, scores: Sequence[DocumentScore], seconds: float
    ) -> SystemResult:
        """Means over documents (ROUGE, words) and micro-averaged number shares."""
        n = max(len(scores), 1)
        counts = sum((s.numbers for s in scores), NumberCounts())

        def mean(values: Iterable[float]) -> float:
            return round(sum(values) / n, 4)

        return cls(
            name=name,
            kind=kind,
            available=True,
            reason="",
            rouge1=mean(s.rouge.rouge1 for s in scores),
            rouge2=mean(s.rouge.rouge2 for s in scores),
            rouge_lsum=mean(s.rouge.rouge_lsum for s in scores),
            number_faithfulness=_rounded(counts.faithfulness),
            number_recall=_rounded(counts.recall),
            numbers=counts,
            mean_words=mean(s.words for s in scores),
            seconds=round(seconds, 3),
            documents=tuple(scores),
        )


@dataclass(frozen=True)
class BlindChoice:
    """The document-blind baseline's summary and where it was chosen from."""

    doc_id: str
    summary: str
    train_data: str
    pool: int
    sample: int
    seconds: float


@dataclass(frozen=True)
class Machine:
    """Where the evaluation ran."""

    platform: str
    cpu: str
    cores: int
    torch: str
    torch_threads: int
    python: str


def machine_info() -> Machine:
    """This machine's platform, CPU model, usable cores and torch build."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            models = [ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")]
        cpu = models[0] if models else cpu
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return Machine(
        platform.platform(),
        cpu,
        cores or 1,
        torch.__version__,
        torch.get_num_threads(),
        platform.python_version(),
    )


@dataclass(frozen=True)
class Evaluation:
    """Every system's scores on one dataset split."""

    dataset: str
    data: str
    split: str
    val_permille: int | None
    limit: int | None
    n_docs: int
    skipped_records: int
    checkpoint: str
    trained: tuple[str, ...]
    date: str
    machine: Machine
    words: str
    reference_mean_words: float
    segment_seconds: float
    number_recall_counting: str
    document_blind: BlindChoice | None
    systems: tuple[SystemResult, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the fields above, with systems and their per-document scores."""
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def heading(self) -> str:
        return f"{self.dataset}, {self.split}, {self.date[:10]}"

    def to_markdown(self, level: int = 3) -> str:
        """A heading naming dataset, split and date, one context line, and the systems table."""
        m = self.machine
        budget = "reference length" if self.words == "auto" else f"{self.words} words"
        lines = [
            f"{'#' * level} {self.heading()}",
            "",
            f"{self.n_docs} documents of `{self.data}`; checkpoint `{self.checkpoint}`; "
            f"budget {budget} (reference mean {self.reference_mean_words:.0f} words); "
            f"{m.cpu}, {m.cores} cores, torch {m.torch}.",
            "",
            "| system | R-1 | R-2 | R-Lsum | number faithfulness | number recall | words | s |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        notes = []
        for s in self.systems:
            if not s.available:
                lines.append(f"| {s.name} | n/a | n/a | n/a | n/a | n/a | n/a | n/a |")
                notes.append(f"- {s.name}: not available ({s.reason})")
                continue
            c = s.numbers
            lines.append(
                f"| {s.name} | {s.rouge1:.1f} | {s.rouge2:.1f} | {s.rouge_lsum:.1f} "
                f"| {_share(c.faithfulness, c.supported, c.generated)} "
                f"| {_share(c.recall, c.recalled, c.reference)} "
                f"| {s.mean_words:.0f} | {s.seconds:.1f} |"
            )
        if self.document_blind is not None:
            b = self.document_blind
            notes.append(
                f"- document-blind: the summary of `{b.doc_id}`, cut to the budget ({b.sample} "
                f"of {b.pool} training summaries of `{b.train_data}` compared)"
            )
        if notes:
            lines += ["", *notes]
        return "\n".join(lines) + "\n"


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _share(value: float | None, part: int, whole: int) -> str:
    return "n/a" if value is None else f"{value:.1f}% ({part}/{whole})"


@dataclass(frozen=True)
class EvalOptions:
    """What `evaluate` runs: data file, split, modes, checkpoint and word budget (None: auto)."""

    data: Path
    split: Split = Split()
    modes: tuple[str, ...] = MODES
    checkpoint: Path | None = None
    words: int | None = None
    train_data: Path | None = None
    blind_sample: int = BLIND_SAMPLE


@dataclass(frozen=True)
class _Item:
    """A document prepared for every system: its sentences, reference and word budget."""

    record: Record
    doc: Document
    sentences: tuple[str, ...]
    reference: tuple[str, ...]
    budget: int


def _quiet(_: str) -> None:
    return None


def evaluate(options: EvalOptions, progress: Progress = _quiet) -> Evaluation:
    """Run every system on the split of `options.data` and score it (see the module docstring)."""
    records, skipped = read_records(options.data)
    chosen = options.split.select(records)
    if not chosen:
        raise SystemExit(f"{options.data}: no records in the split ({options.split.describe()})")
    rouge = Rouge()
    source = str(options.data)
    start = time.perf_counter()
    items = [_prepare(r, source, options.words) for r in chosen]
    segment_seconds = time.perf_counter() - start
    progress(f"{len(items)} documents segmented in {segment_seconds:.1f} s")

    engine_name: str = "none"
    trained: tuple[str, ...] = ()
    systems: list[SystemResult] = []
    if options.modes:
        engine = Engine.load(EngineConfig(checkpoint=options.checkpoint))
        engine_name, trained = engine.name, tuple(engine.trained)
        progress(f"engine: {engine_name}")
        for mode in options.modes:
            systems.append(_run_mode(engine, mode, items, rouge, progress))

    for name, pick in (("lead", lead), ("textrank", textrank)):
        systems.append(_run_extractive_baseline(name, pick, items, rouge, progress))

    blind = _choose_blind(options, records, rouge, progress)
    if blind is None:
        systems.append(
            SystemResult.unavailable(
                "document-blind", "baseline", "no training summaries: pass --train-data"
            )
        )
    else:
        sentences = summary_sentences(blind.summary)
        scores = [
            _score(rouge, it, [sentences[i] for i in lead(sentences, it.budget)]) for it in items
        ]
        systems.append(SystemResult.of("document-blind", "baseline", scores, blind.seconds))

    return Evaluation(
        dataset=dataset_name(options.data),
        data=options.data.name,
        split=options.split.describe(),
        val_permille=options.split.permille,
        limit=options.split.limit,
        n_docs=len(items),
        skipped_records=skipped,
        checkpoint=engine_name,
        trained=trained,
        date=datetime.now(UTC).isoformat(timespec="seconds"),
        machine=machine_info(),
        words="auto" if options.words is None else str(options.words),
        reference_mean_words=round(
            sum(count_words(it.record.summary) for it in items) / len(items), 2
        ),
        segment_seconds=round(segment_seconds, 3),
        number_recall_counting="multiset",
        document_blind=blind,
        systems=tuple(systems),
    )


def _prepare(record: Record, source: str, fixed_words: int | None) -> _Item:
    doc = to_document(record, source)
    sentences = tuple(flat(s.text) for s in segment(doc).sentences)
    budget = fixed_words if fixed_words is not None else max(1, count_words(record.summary))
    return _Item(record, doc, sentences, tuple(summary_sentences(record.summary)), budget)


def _score(rouge: Rouge, item: _Item, prediction: Sequence[str]) -> DocumentScore:
    text = " ".join(prediction)
    return DocumentScore(
        item.record.doc_id,
        rouge.score(prediction, item.reference),
        number_counts(text, item.doc.text, item.record.summary),
        count_words(text),
    )


def _run_mode(
    engine: Engine, mode: str, items: Sequence[_Item], rouge: Rouge, progress: Progress
) -> SystemResult:
    """One summarizer mode on every document; not available when the engine cannot run it.

    Key terms and conflict flags are switched off: they are not scored here and would only add
    to the mode's wall time.
    """
    scores: list[DocumentScore] = []
    seconds = 0.0
    for n, item in enumerate(items, start=1):
        options = SummaryOptions(
            mode=mode, terms=False, summary_words=item.budget, brief_words=item.budget
        )
        start = time.perf_counter()
        try:
            report = summarize_documents(engine, [item.doc], options)
        except ModeUnavailable as exc:
            progress(f"{mode}: not available ({exc})")
            return SystemResult.unavailable(mode, "mode", str(exc))
        seconds += time.perf_counter() - start
        scores.append(_score(rouge, item, [s.text for s in report.documents[0].sentences]))
        if n % 10 == 0 or n == len(items):
            progress(f"{mode}: {n}/{len(items)} documents, {seconds:.1f} s")
    return SystemResult.of(mode, "mode", scores, seconds)


def _run_extractive_baseline(
    name: str,
    pick: Callable[[Sequence[str], int], list[int]],
    items: Sequence[_Item],
    rouge: Rouge,
    progress: Progress,
) -> SystemResult:
    scores: list[DocumentScore] = []
    seconds = 0.0
    for item in items:
        start = time.perf_counter()
        chosen = pick(item.sentences, item.budget)
        seconds += time.perf_counter() - start
        scores.append(_score(rouge, item, [item.sentences[i] for i in chosen]))
    progress(f"{name}: {len(items)} documents, {seconds:.1f} s")
    return SystemResult.of(name, "baseline", scores, seconds)


def _choose_blind(
    options: EvalOptions, records: Sequence[Record], rouge: Rouge, progress: Progress
) -> BlindChoice | None:
    """The document-blind summary, or None when there is no training summary to choose from.

    Training records are those of the training file whose ids are not in the evaluated split
    (all of its ids, not only the limited ones): `--train-data`, else the data file itself for a
    validation split, else the sibling `..._train...` file for `--all`.
    """
    train_path = options.train_data
    if train_path is None:
        train_path = options.data if options.split.permille is not None else None
        train_path = train_path or sibling_training_file(options.data)
    if train_path is None:
        return None
    start = time.perf_counter()
    train_records = records if train_path == options.data else read_records(train_path)[0]
    held_out = {r.doc_id for r in records if options.split.contains(r.doc_id)}
    pool = [r for r in train_records if r.doc_id not in held_out]
    if not pool:
        return None
    sample = blind_sample(pool, options.blind_sample)
    best = sample[document_blind([rouge.tokenize(r.summary) for r in sample])]
    seconds = time.perf_counter() - start
    progress(f"document-blind: {best.doc_id} of {len(sample)} sampled, {seconds:.1f} s")
    return BlindChoice(
        best.doc_id, best.summary, train_path.name, len(pool), len(sample), round(seconds, 3)
    )


def _permille(value: str) -> int:
    n = int(value)
    if not 0 < n <= 1000:
        raise argparse.ArgumentTypeError("must be in 1..1000")
    return n


def _positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError("must be a positive integer")
    return n


def _words(value: str) -> int | None:
    return None if value == "auto" else _positive(value)


def _modes(value: str) -> tuple[str, ...]:
    modes = tuple(m.strip() for m in value.split(",") if m.strip())
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown mode(s) {unknown}; use {', '.join(MODES)}")
    return modes


def build_parser() -> argparse.ArgumentParser:
    """The `longbrief eval` argument parser."""
    parser = argparse.ArgumentParser(prog="longbrief eval", description="Evaluate longbrief.")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser(
        "summaries",
        help="ROUGE and number faithfulness of the summary modes beside baselines",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--data", type=Path, required=True, help="JSON Lines file (id, text, summary)")
    p.add_argument("--limit", type=_positive, help="first N records of the split, by id")
    split = p.add_mutually_exclusive_group()
    split.add_argument(
        "--val-permille",
        type=_permille,
        default=DEFAULT_VAL_PERMILLE,
        help="validation split: sha1(id) mod 1000 < P (default %(default)s)",
    )
    split.add_argument("--all", action="store_true", help="evaluate every record of the file")
    p.add_argument(
        "--modes",
        type=_modes,
        default=MODES,
        help="comma-separated summarizer modes (default: extractive,hybrid,abstractive)",
    )
    p.add_argument("--checkpoint", type=Path, help="checkpoint directory (default: the engine's)")
    p.add_argument("--out", type=Path, help="results JSON (default: runs/eval/<dataset>-<time>)")
    p.add_argument("--md", type=Path, help="append the table to this Markdown file")
    p.add_argument(
        "--words",
        type=_words,
        default=None,
        metavar="auto|N",
        help="summary length: auto = each reference's word count (default), or N words",
    )
    p.add_argument(
        "--train-data",
        type=Path,
        help="where the document-blind baseline's training summaries come from",
    )
    p.add_argument(
        "--blind-sample",
        type=_positive,
        default=BLIND_SAMPLE,
        help="training summaries compared for the document-blind baseline (default %(default)s)",
    )
    return parser


def _default_out(evaluation: Evaluation) -> Path:
    stamp = evaluation.date.replace(":", "").replace("-", "").replace("+0000", "")
    return Path("runs") / "eval" / f"{evaluation.dataset}-{stamp}.json"


def write_text(path: Path, text: str) -> None:
    """Write an evaluation's output file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def append_markdown(path: Path, table: str) -> None:
    """Append an evaluation's table to a results file (created if missing), a blank line after
    what the file already holds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(("\n" if f.tell() else "") + table)


def main(argv: list[str]) -> None:
    """`longbrief eval summaries ...` (a leading "eval" is accepted and skipped)."""
    args = build_parser().parse_args(argv[1:] if argv[:1] == ["eval"] else argv)
    if not args.data.is_file():
        raise SystemExit(f"{args.data}: no such file")
    if args.train_data is not None and not args.train_data.is_file():
        raise SystemExit(f"{args.train_data}: no such file")
    options = EvalOptions(
        data=args.data,
        split=Split(None if args.all else args.val_permille, args.limit),
        modes=args.modes,
        checkpoint=args.checkpoint,
        words=args.words,
        train_data=args.train_data,
        blind_sample=args.blind_sample,
    )
    evaluation = evaluate(options, progress=lambda line: print(line, file=sys.stderr, flush=True))
    out = args.out or _default_out(evaluation)
    write_text(out, evaluation.to_json())
    table = evaluation.to_markdown()
    print(table, end="")
    print(f"results: {out}", file=sys.stderr)
    if args.md is not None:
        append_markdown(args.md, table)
