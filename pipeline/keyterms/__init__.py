"""Key terms of one document: rule-based patterns over its sentences, clause by clause.

`extract_terms(seg)` reads a segmented document and returns a `DocumentTerms` with a `Term` for
each value it recognizes, for every field in `pipeline.terms.FIELDS`. Each term keeps the
sentence it rests on: `quote == doc.text[start:end]` (a window of the sentence when the sentence
is very long), `text` is the phrase inside the quote that states the value, and `page` the
printed label of the page where the quote starts. Within a field, terms come best first.

Why rules and not the model: key terms must be exact (a notice period that is off by a digit is
worse than none) and traceable to words on a page. Patterns over clause-level text do that, and
the clause a sentence sits in (its section headings: "Governing Law", "Term", "Payment") tells
the patterns which reading of an ambiguous number is meant. A clause classifier
(`pipeline.clauses`) can add sentences that carry no helpful heading; it is off by default, as
on CUAD's train split it cost renewal-term accuracy 4.5 points and gained no field.

The package has one module per group of fields: `parties`, `dates` (agreement and effective
dates), `term` (initial and renewal terms, non-renewal notice, expiration date), `convenience`
(termination for convenience), `law` (governing law, venue, arbitration), `money` (payment
terms, fees, late interest, liability cap), `covenants` (confidentiality, non-compete and
warranty periods) and `precedence` (order of precedence, `DOC_KINDS`). They read the `Context`
of `context`, share the helpers of `patterns`, and `extract` runs them all.
"""

from pipeline.keyterms.extract import extract_terms
from pipeline.keyterms.precedence import DOC_KINDS
from pipeline.terms import terms_to_json

__all__ = ["DOC_KINDS", "extract_terms", "terms_to_json"]
