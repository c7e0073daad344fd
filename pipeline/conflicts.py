"""Cross-document conflict flags: where the documents of a bundle disagree, and which governs.

For every comparable field, the normalized values of each document are compared; equal values in
different words are no conflict. When two documents disagree, the governing one is decided, in
order, by: a later-dated amendment (reported as "amended by", not as a conflict); a provision of
the lower-ranked document that expressly overrides the other ("overrides Section 5.2 of the
Agreement", as an order-of-precedence clause may allow); the bundle's order-of-precedence clause;
otherwise the flag says "unresolved".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.keyterms import DOC_KINDS
from pipeline.keyterms.money import parse_cap
from pipeline.normalize import parse_date, parse_duration, parse_money
from pipeline.segment import Segmented
from pipeline.terms import DocumentTerms, Duration, Money, Term

SEVERITY = {
    "governing_law": "high",
    "venue": "high",
    "arbitration": "high",
    "liability_cap": "high",
    "payment_terms": "high",
    "initial_term": "medium",
    "renewal_term": "medium",
    "non_renewal_notice": "medium",
    "expiration_date": "medium",
    "termination_for_convenience": "medium",
    "late_interest": "medium",
    "non_compete_duration": "medium",
    "confidentiality_period": "low",
    "warranty_duration": "low",
}
LABELS = {
    "governing_law": "governing law",
    "venue": "venue",
    "arbitration": "arbitration",
    "liability_cap": "liability cap",
    "payment_terms": "payment terms",
    "initial_term": "initial term",
    "renewal_term": "renewal term",
    "non_renewal_notice": "notice to prevent renewal",
    "expiration_date": "expiration date",
    "termination_for_convenience": "termination for convenience",
    "late_interest": "late-payment interest",
    "non_compete_duration": "non-compete duration",
    "confidentiality_period": "confidentiality period",
    "warranty_duration": "warranty duration",
}
_KINDS = [(re.compile(rf"\b(?:{pattern})\b", re.I), label) for pattern, label in DOC_KINDS]
_OVERRIDE = re.compile(
    r"\b(?:overrides?|supersedes?|notwithstanding|shall\s+prevail|prevails?)\b[^.]{0,160}?"
    r"\b(?:agreement|msa|section)\b",
    re.I,
)
# Amending verbs only: the noun "Amendment" (as in "This Amendment shall...") amends nothing.
_AMENDS = re.compile(
    r"\b(?:amended|amends|amending|deleted|deleting|replaced|replacing|restated|modified|"
    r"extended|superseded|inserting)\b",
    re.I,
)
# Lines above a title that say nothing about the document's kind (SEC exhibit numbers, legends
# such as "[*] Certain information ... has been omitted from this exhibit").
_PREAMBLE = re.compile(
    r"^(?:exhibit\s+[\d.]+\S*|execution\s+(?:version|copy)|.*(?:confidential|omitted|redacted).*)$",
    re.I,
)
# The SEC exhibit number a filed contract opens with, on the title's own line: "EXHIBIT 4.1
# CONSULTING AGREEMENT", "Exhibit 99(h)(3) WHOLESALE MARKETING AGREEMENT".
_EXHIBIT_NUMBER = re.compile(r"^(?:exhibit|ex-?)\s*\d[\w.()\-]*\s+", re.I)
# A document's own defined name: (this "Order Form"), (the "Amendment").
_DEFINED_AS = re.compile(r"\(\s*(?:this|the)\s+[\"\u201c]([^\"\u201d]{2,40})[\"\u201d]", re.I)
# Documents that an order-of-precedence clause lets expressly override the agreement.
_SUBORDINATE = {"SOW", "Order Form", "Purchase Order"}


@dataclass(frozen=True)
class Evidence:
    """One side of a flag: what a document says, where."""

    doc_id: str
    title: str
    kind: str
    value: str
    text: str
    quote: str
    page: str
    start: int
    end: int


@dataclass(frozen=True)
class ConflictFlag:
    """Two documents disagree on `field`.

    `kind` is "conflict" (a real contradiction) or "amended_by" (a later amendment changed the
    term: `b` amends `a`). `governs` is the doc_id of the governing document or "unresolved";
    `rule` says why.
    """

    field: str
    kind: str
    severity: str
    a: Evidence
    b: Evidence
    explanation: str
    governs: str
    rule: str


@dataclass(frozen=True)
class _Doc:
    terms: DocumentTerms
    seg: Segmented
    kind: str
    date: str


def _earliest_kind(text: str) -> str | None:
    found = [(m.start(), label) for pattern, label in _KINDS for m in [pattern.search(text)] if m]
    return min(found)[1] if found else None


def document_kind(seg: Segmented) -> str:
    """ "Amendment", "SOW", "Order Form", ..., or "Agreement".

    From the document's defined name (this "Order Form") if it gives one, else the earliest kind
    named in its title lines, skipping exhibit numbers and legends above the title.
    """
    defined = _DEFINED_AS.search(seg.doc.text[:1500])
    if defined and (kind := _earliest_kind(defined.group(1))):
        return kind
    lines = [line.strip() for line in seg.doc.text[:1500].splitlines() if line.strip()]
    lines = [_EXHIBIT_NUMBER.sub("", line, count=1) for line in lines]
    title_lines = [line for line in lines[:6] if not _PREAMBLE.match(line)][:2]
    return _earliest_kind(" ".join([seg.doc.title, *title_lines])) or "Agreement"


def _date(terms: DocumentTerms) -> str:
    for field in ("effective_date", "agreement_date"):
        found = terms.get(field)
        if found:
            return str(found[0].value)
    return ""


def _evidence(doc: _Doc, term: Term) -> Evidence:
    return Evidence(
        term.doc_id,
        doc.seg.doc.title or term.doc_id,
        doc.kind,
        str(term.value),
        " ".join(term.text.split()),
        " ".join(term.quote.split()),
        term.page,
        term.start,
        term.end,
    )


@dataclass(frozen=True)
class Precedence:
    """Which document kinds prevail over which: the edges of every order-of-precedence clause.

    A clause valued "Amendment > Agreement > SOW, Exhibit" gives Amendment over Agreement and
    Agreement over SOW and Exhibit; clauses of several documents are merged, and precedence is
    transitive.
    """

    edges: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, docs: Sequence[_Doc]) -> Precedence:
        edges = set()
        for doc in docs:
            for term in doc.terms.get("order_of_precedence"):
                groups = [
                    [k.strip() for k in g.split(",") if k.strip()]
                    for g in str(term.value).split(">")
                ]
                for high, low in itertools.pairwise(groups):
                    edges.update((h, lo) for h in high for lo in low)
        return cls(frozenset(edges))

    def prevails(self, high: str, low: str) -> bool:
        """Whether kind `high` prevails over kind `low` (directly or through others)."""
        seen, frontier = set(), [high]
        while frontier:
            kind = frontier.pop()
            for a, b in self.edges:
                if a == kind and b not in seen:
                    if b == low:
                        return True
                    seen.add(b)
                    frontier.append(b)
        return False


def _section_text(seg: Segmented, term: Term) -> str:
    """The clause holding a term: the innermost numbered section around its span."""
    best = None
    for section in seg.sections:
        if section.start <= term.start < section.end and (
            best is None or section.end - section.start <= best.end - best.start
        ):
            best = section
    if best is None:
        return term.quote
    # Numbered items "(a)" are too narrow: climb to the clause they belong to.
    while best.parent is not None and best.number and best.number.startswith("("):
        best = seg.sections[best.parent]
    return seg.doc.text[best.start : best.end]


def _decide(a: tuple[_Doc, Term], b: tuple[_Doc, Term], order: Precedence) -> tuple[str, str, str]:
    """(kind, governs doc_id, rule) for two disagreeing terms."""
    for (x, tx), (y, _) in ((a, b), (b, a)):
        # An amendment post-dates what it amends, whatever dates the extraction found.
        if x.kind == "Amendment" != y.kind and _AMENDS.search(_section_text(x.seg, tx)):
            rule = f"{x.seg.doc.doc_id} is a later amendment and changes this term"
            return "amended_by", tx.doc_id, rule
    for (x, tx), (y, _) in ((a, b), (b, a)):
        subordinate = x.kind in _SUBORDINATE and order.prevails(y.kind, x.kind)
        if subordinate and _OVERRIDE.search(_section_text(x.seg, tx)):
            rule = f"{x.kind} {tx.doc_id} expressly overrides the {y.kind} for this provision"
            return "conflict", tx.doc_id, rule
    for (x, tx), (y, _) in ((a, b), (b, a)):
        if x.kind != y.kind and order.prevails(x.kind, y.kind):
            return "conflict", tx.doc_id, f"order of precedence: {x.kind} prevails over {y.kind}"
    return "conflict", "unresolved", "no order-of-precedence rule decides between these documents"


def _aspect(field: str, value: object) -> str | None:
    """Which provision of `field` a value states: values of different aspects never conflict.

    A liability cap is an amount (money, or a multiple of fees), a time limit to bring claims
    ("claims within 12 months") or a measure of damages ("direct damages only"): a contract may
    state all three, and a time limit does not contradict an amount. None for a value compared
    with nothing: a cap whose amount the filed copy redacts may equal any other.
    """
    if field != "liability_cap" or not isinstance(value, str):
        return ""
    if value == "redacted amount":
        return None
    if value.startswith("claims within"):
        return "claims"
    return "damages" if value == "direct damages only" else ""


def _operative(doc: _Doc, field: str, aspect: str = "") -> Term:
    """The term of an aspect that a document puts in force: its first statement, except in an
    amendment, which often recites the old value ("currently provides one (1) year") beside the
    new one: there the last statement that recites nothing."""
    terms = [t for t in doc.terms.get(field) if _aspect(field, t.value) == aspect]
    if doc.kind != "Amendment":
        return terms[0]
    stated = [t for t in terms if not _RECITES.search(t.quote)]
    return (stated or terms)[-1]


# 'Section 5 is amended by replacing "thirty" with "sixty"', '... by deleting the words "twelve
# (12) months" and inserting in their place the words "sixty (60) months"'. New words may run
# long: "three (3) times the fees paid by Company under the Agreement in the one year preceding
# the event giving rise to the claim" replaces a cap's measure.
_WORD_REPLACEMENT = re.compile(
    r"\bamend\w*\b[^.]{0,80}?\b(?:deleting|replacing|striking|substituting)\s+"
    r"(?:the\s+(?:words?|number|figure|phrase)\s+)?[\"\u201c](?P<old>[^\"\u201d]{1,80})[\"\u201d]"
    r"\s*,?\s*(?:(?:and\s+)?(?:inserting|substituting)\s+(?:in\s+(?:its|their)\s+place\s+)?"
    r"(?:therefor\s+)?|with\s+|by\s+)(?:the\s+(?:words?|number|figure|phrase)\s+)?"
    r"[\"\u201c](?P<new>[^\"\u201d]{1,250})[\"\u201d]",
    re.I,
)
# A recital of what the amended agreement says now, not what the amendment puts in force.
# "The parties confirm that the Initial Term ... expires on 31 May 2016" beside a clause that
# extends the term restates the original, like a recital.
_RECITES = re.compile(
    r"\b(?:currently|presently|previously|now)\s+(?:provides?|states?|reads?|sets?)\b|^\W*WHEREAS\b"
    r"|\bwish(?:es)?\s+to\s+(?:amend|change)|\b(?:confirms?|acknowledges?)\s+that\b",
    re.I,
)
# Bracketed digits that restate the words they follow: "thirty (30)" with "thirty" replaced.
_RESTATED_DIGITS = re.compile(r"\s*\(\s*\d[\d,.]*\s*%?\s*\)")


def _with_word_replacements(doc: _Doc, docs: Sequence[_Doc]) -> _Doc:
    """An amendment's terms plus those its word replacements set.

    "Section 5 is amended by replacing "thirty" with "sixty"" states no term of its own: the
    replaced words are found in a term of another document of the bundle, and the term's text
    with the words replaced is read again as that field's new value.
    """
    if doc.kind != "Amendment":
        return doc
    text = doc.seg.doc.text
    added: list[Term] = []
    for m in _WORD_REPLACEMENT.finditer(text):
        old, new = " ".join(m.group("old").split()), " ".join(m.group("new").split())
        base = _replaced_term(old, [d for d in docs if d is not doc])
        if base is None:
            continue
        words = " ".join(base.text.split())
        replaced = (
            re.sub(re.escape(old), new, words, flags=re.I) if old.lower() in words.lower() else new
        )
        if not re.search(r"\d", old):
            replaced = _RESTATED_DIGITS.sub("", replaced)
        value = _reparse(base.field, base.value, replaced)
        if value is None or value == base.value:
            continue
        start, end = _sentence_around(doc.seg, m.start(), m.end())
        page = doc.seg.doc.page_at(start).label if doc.seg.doc.pages else ""
        said = m.group("new")
        term = Term(base.field, value, said, text[start:end], doc.seg.doc.doc_id, page, start, end)
        added.append(term)
    if not added:
        return doc
    terms = DocumentTerms(doc.terms.doc_id, doc.terms.title, (*doc.terms.terms, *added))
    return _Doc(terms, doc.seg, doc.kind, doc.date)


def _replaced_term(old: str, others: Sequence[_Doc]) -> Term | None:
    """The first term of a compared field, in another document, whose words hold `old`."""
    needle = old.lower()
    for other in others:
        for term in other.terms.terms:
            if term.field in SEVERITY and needle in " ".join(term.text.split()).lower():
                return term
    return None


def _reparse(field: str, like: object, text: str) -> object | None:
    """`text` read as a value of `field` of the same type as `like` (None when it does not read
    so)."""
    if field == "liability_cap" and _aspect(field, like) == "":
        # A cap on an amount may be money or a multiple of fees ("3x fees paid in 12 months"),
        # and an amendment may turn one into the other.
        return parse_cap(text)
    if isinstance(like, Duration):
        return parse_duration(text)
    if isinstance(like, Money):
        return parse_money(text)
    if isinstance(like, str) and re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", like):
        return parse_date(text)
    return None


def _sentence_around(seg: Segmented, start: int, end: int) -> tuple[int, int]:
    for sentence in seg.sentences:
        if sentence.start <= start < sentence.end:
            return sentence.start, max(end, sentence.end)
    return start, end


def detect_conflicts(
    terms: Sequence[DocumentTerms], segs: Sequence[Segmented]
) -> tuple[ConflictFlag, ...]:
    """Flags for every field on which two documents of the bundle state different values.

    One flag per field and distinct pair of values (the first pair of documents in bundle order
    that shows it), so a third document repeating a value adds no flag.
    """
    docs = [_Doc(t, s, document_kind(s), _date(t)) for t, s in zip(terms, segs, strict=True)]
    docs = [_with_word_replacements(d, docs) for d in docs]
    order = Precedence.of(docs)
    flags: list[ConflictFlag] = []
    for field, severity in SEVERITY.items():
        seen: set[frozenset[str]] = set()
        # Each document's operative term of each aspect it states, in bundle order.
        firsts = [
            (d, aspect, _operative(d, field, aspect))
            for d in docs
            for aspect in dict.fromkeys(_aspect(field, t.value) for t in d.terms.get(field))
            if aspect is not None
        ]
        for i, (da, aspect_a, ta) in enumerate(firsts):
            for db, aspect_b, tb in firsts[i + 1 :]:
                if ta.value == tb.value or aspect_a != aspect_b:
                    continue
                pair = frozenset((repr(ta.value), repr(tb.value)))
                if pair in seen:
                    continue
                seen.add(pair)
                kind, governs, rule = _decide((da, ta), (db, tb), order)
                ea, eb = _evidence(da, ta), _evidence(db, tb)
                if kind == "amended_by" and governs == ea.doc_id:
                    ea, eb = eb, ea
                label = LABELS[field]
                explanation = (
                    f"{ea.title} sets the {label} to {ea.value}; {eb.title} sets it to {eb.value}."
                )
                flags.append(
                    ConflictFlag(
                        field,
                        kind,
                        "info" if kind == "amended_by" else severity,
                        ea,
                        eb,
                        explanation,
                        governs,
                        rule,
                    )
                )
    return tuple(flags)
