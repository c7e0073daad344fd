"""`extract_terms`: every field's extractor run over one document.

It builds the `Context`, asks the optional clause classifier which sections hold which fields'
clauses (`HINT_CATEGORIES`), runs each extractor of `EXTRACTORS` in the order of
`pipeline.terms.FIELDS`, drops duplicate terms and lets `pipeline.date_select` choose among the
dates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pipeline.date_select import select_dates
from pipeline.keyterms.context import Clause, Context, build_context
from pipeline.keyterms.convenience import termination_for_convenience
from pipeline.keyterms.covenants import (
    confidentiality_period,
    non_compete_duration,
    warranty_duration,
)
from pipeline.keyterms.dates import agreement_date, effective_date
from pipeline.keyterms.law import arbitration, governing_law, venue
from pipeline.keyterms.money import fees, late_interest, liability_cap, payment_terms
from pipeline.keyterms.parties import parties
from pipeline.keyterms.precedence import order_of_precedence
from pipeline.keyterms.term import (
    expiration_date,
    initial_term,
    non_renewal_notice,
    renewal_term,
)
from pipeline.segment import Segmented
from pipeline.terms import FIELDS, DocumentTerms, Term

CLASSIFIED_CHARS = 1500


def extract_terms(seg: Segmented, classifier: object | None = None) -> DocumentTerms:
    """Every key term the document states, field by field (see the package docstring).

    `classifier` is an optional `pipeline.clauses.ClauseClassifier`: sentences it labels with a
    CUAD category are searched for that category's fields even without a matching heading.
    """
    ctx = build_context(seg)
    hints = _classifier_hints(ctx, classifier) if classifier is not None else {}
    terms: list[Term] = []
    for name in FIELDS:
        extractor = EXTRACTORS[name]
        found = extractor(ctx, hints) if name in HINTED else extractor(ctx)
        terms.extend(_dedupe(found))
    return DocumentTerms(seg.doc.doc_id, seg.doc.title, tuple(select_dates(seg, terms)))


def _dedupe(terms: Iterable[Term]) -> list[Term]:
    seen: set[tuple[object, int]] = set()
    out = []
    for t in terms:
        key = (t.value, t.start)
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


# CUAD categories whose sentences feed a field's search when a classifier is given.
HINT_CATEGORIES = {
    "governing_law": ("Governing Law",),
    "renewal_term": ("Renewal Term", "Notice Period to Terminate Renewal"),
    "non_renewal_notice": ("Notice Period to Terminate Renewal", "Renewal Term"),
    "expiration_date": ("Expiration Date",),
    "initial_term": ("Expiration Date",),
}
HINTED = frozenset(HINT_CATEGORIES)


def _classifier_hints(ctx: Context, classifier: object) -> dict[str, frozenset[int]]:
    """Sentence indices per field, from the clause type the classifier gives each section.

    Sections, not sentences, are classified: a contract has a few hundred sentences but far
    fewer clauses, and MiniLM on two CPU cores embeds about a hundred texts a second.
    """
    by_section: dict[int, list[Clause]] = {}
    for clause in ctx.clauses:
        by_section.setdefault(clause.sentence.section, []).append(clause)
    sections = sorted(by_section)
    texts = [" ".join(c.text for c in by_section[i])[:CLASSIFIED_CHARS] for i in sections]
    labels = classifier.predict(texts) if texts else []  # type: ignore[attr-defined]
    hints: dict[str, set[int]] = {}
    for section, pred in zip(sections, labels, strict=True):
        for name, cats in HINT_CATEGORIES.items():
            if pred.label in cats:
                hints.setdefault(name, set()).update(c.index for c in by_section[section])
    return {k: frozenset(v) for k, v in hints.items()}


EXTRACTORS: dict[str, Callable[..., list[Term]]] = {
    "parties": parties,
    "agreement_date": agreement_date,
    "effective_date": effective_date,
    "expiration_date": expiration_date,
    "initial_term": initial_term,
    "renewal_term": renewal_term,
    "non_renewal_notice": non_renewal_notice,
    "governing_law": governing_law,
    "venue": venue,
    "arbitration": arbitration,
    "payment_terms": payment_terms,
    "fees": fees,
    "late_interest": late_interest,
    "liability_cap": liability_cap,
    "confidentiality_period": confidentiality_period,
    "non_compete_duration": non_compete_duration,
    "warranty_duration": warranty_duration,
    "termination_for_convenience": termination_for_convenience,
    "order_of_precedence": order_of_precedence,
}
