"""`longbrief eval terms`: key-term accuracy per field against the CUAD answers.

Each held-out contract of `contracts/cuad_dev.jsonl.gz` (sha1(id) mod 1000 < 200, the clause
classifier's held-out rule, so neither saw these contracts in training) is built as the pipeline
builds a text (`clean_pages` of the text as one page), segmented, and run through
`pipeline.keyterms.extract_terms`. The best (first) value of each field is compared with the
CUAD answer:

- dates (agreement, effective, expiration): CUAD writes m/d/yyyy with "[]" for blanks in the
  execution copy; the prediction is right when every known part matches. An answer with no
  known part ("[]/[]/[]", "[]/[]/19[]": the copy leaves the whole date blank) states no date,
  so it is scored like an empty answer. "perpetual" is a value of its own for the expiration
  date; an answer with several values ("09/05/2019; perpetual") accepts any;
- renewal term and notice period: both sides parsed to a `Duration` ("successive 1 year" and
  "12 months" are equal); an answer with several values ("60 days; 180 days") accepts any;
- governing law: both sides canonicalized with `normalize_jurisdiction`; any of several answers;
- an empty answer means the contract states no such term: right only when nothing is
  extracted. Accuracy counts every contract; "answered" is the accuracy on contracts whose
  answer is not empty (recall-like), "empty" on those whose answer is empty;
- parties: the answer's names and quoted aliases against the extracted names and aliases
  (generic "Party"/"Parties" left out on both sides, and so is the answer's sentence that only
  defines them: 'individually as "Party" and collectively as the "Parties"'), matched after
  folding case, punctuation and corporate suffixes (a name that is only a suffix, such as the
  alias "Company", is kept as it is), a name matching when one holds the other's words or
  when the two differ only by spacing or one typed slip in a name of six letters or more
  ("Pifzer Inc" for "Pfizer Inc.", "AizuFujitsu" for "Aizu Fujitsu"); what is left of a
  defining sentence once its quoted words are gone ("individually as a and collectively as
  the", "a Party") and two listed parties named jointly ("Stryker and Conformis") are no
  parties; precision, recall and F1 are micro-averaged over contracts;
- presence of terms that CUAD answers Yes/No (termination for convenience, cap on liability,
  non-compete, warranty duration): right when a term is extracted exactly when the answer is Yes.

`--via pdf` reads each contract the way a user's upload is read: `training.pdf_render` sets the
text on Letter pages (wrapped justified lines, a running header, a page footer, long words
hyphenated at line ends) and `pipeline.ingest` reads the PDF back with pypdf. The result then
also has `pdf_fidelity`: per field, the contracts whose values differ from the text's reading,
each difference listed with both readings. It costs about seven times the text run.

`--out FILE` writes, with the scores, every miss per field: contract id, CUAD answer, the
prediction and its quote, and the clause text CUAD's annotators marked (`evidence`), so misses
can be read one by one. Develop on `--split train`; `heldout` is for the final measurement.

    longbrief eval terms --data ../shared/data/contracts/cuad_dev.jsonl.gz [--md RESULTS.md]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import platform
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pipeline.document import Document
from pipeline.ingest import clean_pages, ingest_bytes
from pipeline.keyterms import extract_terms
from pipeline.normalize import normalize_jurisdiction, parse_duration
from pipeline.segment import segment
from pipeline.terms import FIELDS, DocumentTerms, Duration, Party
from training.evaluate import append_markdown, machine_info, write_text
from training.pdf_render import DEFAULT_LAYOUT, Layout, font_used, render_pdf
from training.splits import bucket, is_validation

HELD_OUT_PERMILLE = 200
DATE_FIELDS = {
    "agreement_date": "Agreement Date",
    "effective_date": "Effective Date",
    "expiration_date": "Expiration Date",
}
DURATION_FIELDS = {
    "renewal_term": "Renewal Term",
    "non_renewal_notice": "Notice Period to Terminate Renewal",
}
PRESENCE_FIELDS = {
    "termination_for_convenience": "Termination for Convenience",
    "liability_cap": "Cap on Liability",
    "non_compete_duration": "Non-Compete",
    "warranty_duration": "Warranty Duration",
}
TARGETS = {
    "governing_law": 0.95,
    "agreement_date": 0.90,
    "effective_date": 0.90,
    "expiration_date": 0.90,
    "renewal_term": 0.85,
    "non_renewal_notice": 0.85,
    "parties_f1": 0.90,
}


@dataclass
class FieldScore:
    """Counts for one field: all contracts, those with an answer, those without."""

    name: str
    cuad: str
    n: int = 0
    correct: int = 0
    answered: int = 0
    answered_correct: int = 0
    empty_correct: int = 0
    errors: list[dict] = field(default_factory=list)

    def add(
        self,
        ok: bool,
        gold: str,
        pred: object,
        doc_id: str,
        quote: str = "",
        evidence: Sequence[str] = (),
    ) -> None:
        self.n += 1
        self.correct += ok
        if gold.strip():
            self.answered += 1
            self.answered_correct += ok
        else:
            self.empty_correct += ok
        if not ok:
            self.errors.append(
                {
                    "id": doc_id,
                    "gold": gold,
                    "pred": _show(pred),
                    "quote": quote,
                    "evidence": [" ".join(e.split())[:300] for e in evidence[:3]],
                }
            )

    def summary(self) -> dict:
        empty = self.n - self.answered
        return {
            "field": self.name,
            "cuad": self.cuad,
            "n": self.n,
            "accuracy": _ratio(self.correct, self.n),
            "answered": self.answered,
            "accuracy_answered": _ratio(self.answered_correct, self.answered),
            "accuracy_empty": _ratio(self.empty_correct, empty),
            "target": TARGETS.get(self.name),
        }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _show(value: object) -> object:
    if isinstance(value, Duration | Party):
        return str(value) if isinstance(value, Duration) else f"{value.name} ({value.alias})"
    return value


def gold_date(answer: str) -> tuple[str | None, str | None, str | None] | None:
    """(year, month, day) of a CUAD m/d/yyyy answer, None for a blank part; None if no date."""
    m = re.fullmatch(r"\s*([^/]*)/([^/]*)/([^/;]*)\s*", answer)
    if not m:
        return None

    def part(s: str, width: int) -> str | None:
        digits = re.sub(r"\D", "", s)
        return digits.zfill(width) if digits and "[" not in s else None

    month, day, year = part(m.group(1), 2), part(m.group(2), 2), part(m.group(3), 4)
    if month and day and int(month) > 12 >= int(day):
        # A few answers are day/month (a non-US contract); accept the only reading that parses.
        month, day = day, month
    return year, month, day


def date_matches(answer: str, predicted: object) -> bool:
    """Whether a predicted ISO (or reduced) date agrees with every known part of the answer,
    or of one of its values ("09/05/2019; perpetual" accepts either)."""
    return any(_one_date_matches(part, predicted) for part in answer.split(";"))


def _one_date_matches(answer: str, predicted: object) -> bool:
    if answer.strip().lower() == "perpetual":
        return predicted == "perpetual"
    gold = gold_date(answer)
    if gold is None or not isinstance(predicted, str) or predicted == "perpetual":
        return False
    parts = [*predicted.split("-"), None, None][:3]
    return all(g is None or g == p for g, p in zip(gold, parts, strict=True))


def duration_matches(answer: str, predicted: object) -> bool:
    """Whether the predicted Duration equals one of the answer's durations."""
    if not isinstance(predicted, Duration):
        return False
    for part in answer.split(";"):
        cleaned = re.sub(r"[()]", " ", part)
        cleaned = re.sub(r"\bsucc\w*", "", cleaned, flags=re.I)
        gold = parse_duration(cleaned)
        if gold is not None and _same_length(gold, predicted):
            return True
    return False


def _same_length(a: Duration, b: Duration) -> bool:
    # "1 year" and "365 days" are one length in two units; months count as 30 days here only
    # for that comparison, never in the extracted values.
    return a == b or (a.days + 30 * a.months) == (b.days + 30 * b.months)


def law_matches(answer: str, predicted: object) -> bool:
    """Whether the predicted jurisdiction is one of the answer's, both canonicalized."""
    if not isinstance(predicted, str):
        return False
    for part in answer.split(";"):
        gold = normalize_jurisdiction(part) or part.strip()
        if gold.lower() == predicted.lower():
            return True
    return False


GENERIC = re.compile(r"^(?:the\s+)?part(?:y|ies)$", re.I)
SUFFIXES = re.compile(
    r"\b(?:inc|incorporated|ltd|limited|llc|l\s?l\s?c|corp|corporation|co|company|lp|l\s?p|"
    r"llp|plc|s\s?a|n\s?v|b\s?v|gmbh|ag|pte|pty|the)\b"
)


def fold(name: str) -> str:
    """A name reduced for matching: lower case, no punctuation or corporate suffixes.

    A name that is nothing but a suffix (the alias "Company") stays itself: folded to nothing
    it could never match, and would count as a miss on both sides.
    """
    text = re.sub(r"[^\w\s]", " ", name.lower())
    return " ".join(SUFFIXES.sub(" ", text).split()) or " ".join(text.split())


# The words of a sentence that only defines "Party" ("individually as a Party and collectively
# as the Parties"), left behind in some answers once their quoted words are gone.
DEFINING_WORDS = frozenset(
    re.findall(
        r"\w+",
        "individually collectively each together jointly severally sometimes also hereinafter "
        "herein referred to as a an the and or they are is be being may party parties",
    )
)


PARTY_LETTER = re.compile(r"^part(?:y|ies)\s+(?:[a-z]|\d{1,2})$", re.I)


def gold_parties(answer: str) -> list[str]:
    """Names and quoted aliases of a CUAD parties answer, generic ones left out."""
    items = []
    for part in answer.split(";"):
        aliases = re.findall(r"[\"\u201c\u201d]([^\"\u201c\u201d]+)[\"\u201c\u201d]", part)
        if aliases and all(GENERIC.match(a.strip()) for a in aliases):
            # 'X and Y (each a "Party")': the sentence that defines "Party", not a party.
            continue
        name = re.sub(r"\(.*?\)|\(.*$|[\"\u201c\u201d].*?[\"\u201c\u201d]", " ", part)
        for item in [name, *aliases]:
            item = item.strip(" ()\t\n,.")
            words = fold(item).split()
            # (the alias "Party A" is made of defining words too, yet names one party)
            defining = set(words) <= DEFINING_WORDS and not PARTY_LETTER.match(item)
            if words and not defining and len(item.split()) <= 12:
                items.append(item)
    items = list(dict.fromkeys(items))
    # "Stryker and Conformis" beside "Stryker" and "Conformis": the two parties named together
    # where the answer's sentence defines them jointly, not a third party.
    return [i for i in items if not _joins_two_of(i, items)]


def _joins_two_of(item: str, items: Sequence[str]) -> bool:
    parts = re.split(r"\s+and\s+", item, flags=re.I)
    return len(parts) == 2 and all(p.strip() in items and p.strip() != item for p in parts)


def predicted_parties(terms: Iterable[object]) -> list[str]:
    items = []
    for value in terms:
        if isinstance(value, Party):
            items.extend(v for v in (value.name, value.alias) if v and not GENERIC.match(v))
    return list(dict.fromkeys(items))


def _name_match(a: str, b: str) -> bool:
    """Whether two party names are one: equal once folded, one's words within the other's, or
    one slip of the annotator's pen apart ("Pifzer Inc" for "Pfizer Inc.", "AizuFujitsu" for
    "Aizu Fujitsu"; see `_one_slip`)."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return False
    wa, wb = set(fa.split()), set(fb.split())
    return fa == fb or wa <= wb or wb <= wa or _one_slip(fa.replace(" ", ""), fb.replace(" ", ""))


def _one_slip(a: str, b: str) -> bool:
    """Whether two names of at least six letters differ only by spacing or by one edit (a
    letter inserted, dropped, changed, or two neighbours swapped): CUAD's answers are typed
    by hand, and a name copied with a typo names the same party. Shorter names must be equal:
    "ABC" and "ABD" are different companies."""
    if a == b:
        return True
    if min(len(a), len(b)) < 6 or abs(len(a) - len(b)) > 1:
        return False
    # The first difference; the rest must then line up after one edit there.
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    if len(a) == len(b):
        swapped = a[i + 1 : i + 2] == b[i : i + 1] and a[i : i + 1] == b[i + 1 : i + 2]
        return a[i + 1 :] == b[i + 1 :] or (swapped and a[i + 2 :] == b[i + 2 :])
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1 :] == shorter[i:]


def party_counts(gold: Sequence[str], pred: Sequence[str]) -> tuple[int, int, int]:
    """(true positives, predicted, gold) under a maximum one-to-one matching.

    Greedy matching can spend a gold name on the wrong prediction ("Acme" taking "Acme Holdings"
    from the "Acme Holdings Inc." that only it matches) and undercount; augmenting paths
    (Kuhn's algorithm; a few names a side) find the largest matching.
    """
    edges = [[g for g, name in enumerate(gold) if _name_match(name, p)] for p in pred]
    owner: dict[int, int] = {}

    def assign(p: int, seen: set[int]) -> bool:
        for g in edges[p]:
            if g not in seen:
                seen.add(g)
                if g not in owner or assign(owner[g], seen):
                    owner[g] = p
                    return True
        return False

    tp = sum(assign(p, set()) for p in range(len(pred)))
    return tp, len(pred), len(gold)


def read_contracts(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def to_document(record: dict) -> Document:
    """The contract text as the pipeline's one-page Document (cleaned as ingest cleans)."""
    text, pages = clean_pages([record["text"]], ["1"])
    sha = hashlib.sha256(record["text"].encode("utf-8")).hexdigest()
    return Document(record["id"], "cuad", text, pages, sha, record.get("title", ""))


def to_pdf_document(record: dict, layout: Layout = DEFAULT_LAYOUT) -> Document:
    """The contract as a user meets it: set on pages as a PDF, then read back by ingest."""
    data = render_pdf(record["text"], record.get("title", ""), layout)
    result = ingest_bytes(f"{_file_name(record['id'])}.pdf", data)
    if not result.documents:
        reasons = "; ".join(e.reason for e in result.errors) or "no text"
        raise ValueError(f"{record['id']}: the rendered PDF was not read back: {reasons}")
    return result.documents[0]


def _file_name(contract_id: str) -> str:
    return re.sub(r"[^\w.-]+", "_", contract_id.rsplit("/", 1)[-1])[:120]


def term_values(dt: DocumentTerms) -> dict[str, tuple[object, ...]]:
    """Every field's values in order, for comparing two readings of one contract."""
    return {name: tuple(t.value for t in dt.get(name)) for name in FIELDS}


def select(records: Sequence[dict], split: str, limit: int | None) -> list[dict]:
    """The contracts of a split; `train-a` / `train-b` halve the train split by id bucket.

    Develop a rule on one half and keep it only when the other half gains too: a rule that fits
    one contract's wording shows no gain there, which is how held-out accuracy is protected.
    """
    held = [r for r in records if is_validation(r["id"], HELD_OUT_PERMILLE)]
    rest = [r for r in records if not is_validation(r["id"], HELD_OUT_PERMILLE)]
    middle = (HELD_OUT_PERMILLE + 1000) // 2
    chosen = {
        "heldout": held,
        "train": rest,
        "train-a": [r for r in rest if bucket(r["id"]) < middle],
        "train-b": [r for r in rest if bucket(r["id"]) >= middle],
        "all": list(records),
    }[split]
    return chosen[:limit] if limit else chosen


def _first(dt: DocumentTerms, name: str) -> object | None:
    terms = dt.get(name)
    return terms[0].value if terms else None


def _quote(dt: DocumentTerms, name: str) -> str:
    terms = dt.get(name)
    return " ".join(terms[0].quote.split())[:300] if terms else ""


Matcher = Callable[[str, object], bool]


@dataclass
class PartyScore:
    """True positives, predicted and gold party names, and the contracts that missed some."""

    counts: list[int] = field(default_factory=lambda: [0, 0, 0])
    errors: list[dict] = field(default_factory=list)


def score_contract(
    record: dict, dt: DocumentTerms, scores: dict[str, FieldScore], parties: PartyScore
) -> None:
    """Add one contract's comparisons to `scores` and its party counts to `parties`."""
    answers = record["answers"]
    checks: list[tuple[str, Matcher]] = [(f, date_matches) for f in DATE_FIELDS]
    checks += [(f, duration_matches) for f in DURATION_FIELDS]
    checks.append(("governing_law", law_matches))
    for name, matcher in checks:
        cuad = scores[name].cuad
        gold = answers.get(cuad, "") or ""
        pred = _first(dt, name)
        if _states_nothing(name, gold):
            ok = pred is None
        else:
            ok = pred is not None and matcher(gold, pred)
        evidence = record.get("clauses", {}).get(cuad, [])
        scores[name].add(ok, gold, pred, record["id"], _quote(dt, name), evidence)
    for name, cuad in PRESENCE_FIELDS.items():
        gold = answers.get(cuad, "") or ""
        pred = _first(dt, name)
        ok = (pred is not None) == (gold.strip().lower() == "yes")
        evidence = record.get("clauses", {}).get(cuad, [])
        scores[f"{name}_present"].add(ok, gold, pred, record["id"], _quote(dt, name), evidence)
    gold = gold_parties(answers.get("Parties", "") or "")
    pred = predicted_parties(t.value for t in dt.get("parties"))
    tp, n_pred, n_gold = party_counts(gold, pred)
    parties.counts[0] += tp
    parties.counts[1] += n_pred
    parties.counts[2] += n_gold
    if tp < max(n_pred, n_gold):
        parties.errors.append({"id": record["id"], "gold": gold, "pred": pred})


def _states_nothing(name: str, gold: str) -> bool:
    """Whether the answer says the contract states no value (empty, or a date left blank)."""
    if not gold.strip():
        return True
    return name in DATE_FIELDS and gold_date(gold) == (None, None, None)


def machine() -> dict:
    """Host, CPU model, usable cores and Python, for the results table."""
    m = machine_info()
    return {"host": platform.node(), "cpu": m.cpu, "cores": m.cores, "python": m.python}


@dataclass
class PdfFidelity:
    """Where reading a contract through its PDF changed a field's values from the text's."""

    differing: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    differences: list[dict] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)

    def add(self, contract_id: str, text_dt: DocumentTerms, pdf_dt: DocumentTerms) -> None:
        text_values, pdf_values = term_values(text_dt), term_values(pdf_dt)
        for name in FIELDS:
            if text_values[name] != pdf_values[name]:
                self.differing[name] += 1
                self.differences.append(
                    {
                        "id": contract_id,
                        "field": name,
                        "text": [_show(v) for v in text_values[name]],
                        "pdf": [_show(v) for v in pdf_values[name]],
                    }
                )

    def summary(self, n_contracts: int) -> dict:
        return {
            "contracts": n_contracts,
            "contracts_differing": len({d["id"] for d in self.differences}),
            "fields_differing": {k: v for k, v in self.differing.items() if v},
            "unread": self.unread,
            "differences": self.differences,
        }


def _read_terms(
    record: dict, via: str, classifier: object | None, fidelity: PdfFidelity
) -> DocumentTerms:
    """The contract's terms read from its text, or through a rendered PDF (compared with the
    text's reading in `fidelity`)."""
    text_dt = extract_terms(segment(to_document(record)), classifier=classifier)
    if via == "text":
        return text_dt
    try:
        pdf_doc = to_pdf_document(record)
    except ValueError as exc:
        fidelity.unread.append(str(exc))
        pdf_dt = DocumentTerms(record["id"], record.get("title", ""), ())
    else:
        pdf_dt = extract_terms(segment(pdf_doc), classifier=classifier)
    fidelity.add(record["id"], text_dt, pdf_dt)
    return pdf_dt


def evaluate(
    records: Sequence[dict],
    classifier: object | None = None,
    progress: Callable[[str], None] = lambda _: None,
    via: str = "text",
) -> dict:
    """Extract every contract's terms and score them; the result is JSON-ready.

    `via="pdf"` reads each contract through a rendered PDF (`to_pdf_document`) and adds
    `pdf_fidelity`: per field, the contracts whose values differ from the text's reading.
    """
    if via not in ("text", "pdf"):
        raise ValueError(f"via must be 'text' or 'pdf', not {via!r}")
    fidelity = PdfFidelity()
    scores = {n: FieldScore(n, c) for n, c in {**DATE_FIELDS, **DURATION_FIELDS}.items()}
    scores["governing_law"] = FieldScore("governing_law", "Governing Law")
    for n, c in PRESENCE_FIELDS.items():
        scores[f"{n}_present"] = FieldScore(f"{n}_present", c)
    parties = PartyScore()
    started = time.perf_counter()
    for i, record in enumerate(records, 1):
        dt = _read_terms(record, via, classifier, fidelity)
        score_contract(record, dt, scores, parties)
        if i % 10 == 0:
            progress(f"{i}/{len(records)} contracts")
    tp, n_pred, n_gold = parties.counts
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    result = {
        "n_contracts": len(records),
        "via": via,
        "seconds": round(time.perf_counter() - started, 1),
        "fields": [s.summary() for s in scores.values()],
        "parties": {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "target_f1": TARGETS["parties_f1"],
        },
        "errors": {**{n: s.errors for n, s in scores.items()}, "parties": parties.errors},
    }
    if via == "pdf":
        result["pdf_fidelity"] = {"font": font_used(), **fidelity.summary(len(records))}
    return result


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def to_markdown(result: dict) -> str:
    """A dated table of the per-field accuracies (the Markdown that `--md` appends)."""
    m = result["machine"]
    lines = [
        f"### CUAD key terms, {result['split']}, {result['date'][:10]}",
        "",
        f"{result['n_contracts']} contracts of `{result['data']}` ({result['split_rule']}); "
        f"read via {result.get('via', 'text')}; classifier: {result['classifier']}; "
        f"{m['cpu']}, {m['cores']} cores, host {m['host']}; "
        f"{result['seconds']} s.",
        "",
        "| field | CUAD answer | accuracy | answered (n) | empty | target |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for f in result["fields"]:
        target = f"{100 * f['target']:.0f}%" if f["target"] else ""
        lines.append(
            f"| {f['field']} | {f['cuad']} | {_pct(f['accuracy'])} | "
            f"{_pct(f['accuracy_answered'])} ({f['answered']}) | {_pct(f['accuracy_empty'])} | "
            f"{target} |"
        )
    p = result["parties"]
    lines.append(
        f"| parties (F1; P {_pct(p['precision'])}, R {_pct(p['recall'])}) | Parties | "
        f"{_pct(p['f1'])} | | | {100 * p['target_f1']:.0f}% |"
    )
    return "\n".join(lines) + "\n"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="longbrief eval terms",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--data", type=Path, default=Path("../shared/data/contracts/cuad_dev.jsonl.gz"))
    p.add_argument(
        "--split",
        choices=("heldout", "train", "train-a", "train-b", "all"),
        default="heldout",
        help="held-out contracts (default), the others (or either half of them), or all",
    )
    p.add_argument("--limit", type=int, help="only the first N contracts of the split")
    p.add_argument(
        "--classifier",
        action="store_true",
        help="let the clause classifier add candidate sentences (slower)",
    )
    p.add_argument(
        "--via",
        choices=("text", "pdf"),
        default="text",
        help="read each contract from its text (default) or through a rendered PDF, as a user's "
        "upload is read; pdf also counts the values that differ from the text's reading",
    )
    p.add_argument("--out", type=Path, help="write the JSON result here (default: stdout only)")
    p.add_argument("--md", type=Path, help="append the Markdown table to this file")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """`longbrief eval terms ...` (a leading "eval terms" or "terms" is accepted and skipped)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    while argv[:1] in (["eval"], ["terms"]):
        argv = argv[1:]
    args = build_parser().parse_args(argv)
    if not args.data.is_file():
        raise SystemExit(f"{args.data}: no such file")
    records = select(read_contracts(args.data), args.split, args.limit)
    classifier = None
    if args.classifier:
        from pipeline.clauses import ClauseClassifier

        classifier = ClauseClassifier.load()
    result = evaluate(
        records, classifier, progress=lambda s: print(s, file=sys.stderr), via=args.via
    )
    result.update(
        data=args.data.name,
        split=args.split,
        split_rule=f"held out: sha1(id) mod 1000 < {HELD_OUT_PERMILLE}",
        classifier="on" if classifier else "off",
        date=datetime.now(UTC).isoformat(timespec="seconds"),
        machine=machine(),
    )
    table = to_markdown(result)
    if args.out:
        write_text(args.out, json.dumps(result, indent=2, default=str) + "\n")
    brief = {k: v for k, v in result.items() if k not in ("errors", "pdf_fidelity")}
    if "pdf_fidelity" in result:
        brief["pdf_fidelity"] = {
            k: v for k, v in result["pdf_fidelity"].items() if k != "differences"
        }
    print(json.dumps(brief, indent=2))
    print(table, end="")
    if args.md:
        append_markdown(args.md, table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
