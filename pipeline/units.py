"""Clause units: sentences split at ; : , and coordinating conjunctions, verbatim from the source.

Earnings-call summaries are ~49 words of terse facts, while a transcript sentence often carries
two or three facts and the talk around them, so at such a budget only two whole sentences fit.
Selecting clause units instead fills the budget with more facts. A unit is a tight span of the
document text (`doc.text[start:end]`), so an extract of units is still a quote of the source and
every number in it occurs there.

A sentence is cut only where both sides keep at least `min_words` words: short pieces ("In Q2,",
"As a reminder,") stay attached to their neighbour. Separators and a leading conjunction are left
out of the unit's span ("... of 5.8%, and adjusted margin of 11.4%" gives "... of 5.8%" and
"adjusted margin of 11.4%"): both are still verbatim substrings of the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

import torch

from pipeline.segment import Segmented, Sentence
from pipeline.sentence_features import sentence_features
from pipeline.words import words

MIN_UNIT_WORDS = 6
# A budget that fits fewer than this many typical sentences is filled with clause units. Why 4,
# not more: a unit can drop a qualifier that carries the term ("shall not exceed US$500,000",
# "or less"), so budgets that hold a few whole sentences keep them; the sample contract bundle's
# 120-word summaries (typical sentences 25-30 words) read as sentences, while 90 of the first
# 100 ECTSum validation calls (49-word references) still get units.
UNIT_BUDGET_SENTENCES = 4.0

# A separator followed by white space (so "1,234" and "10:30" are never cut), or white space
# before a coordinating conjunction.
_CUT = re.compile(r"[;:,](?=\s)|(?<=\s)(?=(?:and|but|while|whereas|or|yet)\s)", re.IGNORECASE)
_LEADING_CONJUNCTION = re.compile(r"(?:and|but|while|whereas|or|yet)\s+", re.IGNORECASE)
_TRAILING_SEPARATOR = re.compile(r"[\s;:,]+$")
_LAST_WORD = re.compile(r"(\S+?)[\s;:,]*$")
_FIRST_WORD = re.compile(r"\s*(?:(?:and|or)\s+)?(\S+)", re.IGNORECASE)
# A cut after one of these would leave it dangling: "by and between", "of and in".
_BINDING = frozenset(("a", "an", "the", "by", "of", "to", "in", "for", "from", "with", "on", "at"))
# A comma before a verb closes a subject, not a clause: "the total liability of each Party
# arising out of this Agreement, shall not exceed USD 250,000" stays one unit.
_PREDICATE = re.compile(
    r"\s*(?:shall|will|may|must|is|are|was|were|has|have|had|should|would|can|could|does|do|"
    r"did)\b",
    re.IGNORECASE,
)
# Operative contract language: a duty, a right or a definition stated with its conditions and
# limits in one sentence ("If Customer does not object ..., the Deliverable shall be deemed
# accepted"; "... arising out of this Agreement, whether in contract or tort, shall not exceed
# US$500,000"). Any cut can drop the part that carries the term, so such a sentence stays whole.
# The sentence that makes an agreement ("... is entered into as of ... by and between A and B")
# is operative too: a cut there parts the parties.
_OPERATIVE = re.compile(
    r"\b(?:shall|must|hereby|hereunder|means|agrees?|entered\s+into|by\s+and\s+between)\b",
    re.IGNORECASE,
)
_OPENING = "([\u201c"
_CLOSING = ")]\u201d"
_FIGURE = re.compile(
    r"[(\[$£€]*\d[\d.,%)]*|one|two|three|four|five|six|seven|eight|nine|ten|half|"
    r"one-half|one-quarter|one-third",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class UnitView:
    """A document seen as selection units: `seg.sentences` are the units (their `index` is the
    unit's index) and `parent[i]` is the index of unit i's sentence in the original segmentation.
    `split` says whether any sentence was cut (False: the units are the sentences)."""

    seg: Segmented
    parent: tuple[int, ...]
    split: bool
    parent_text: tuple[str, ...]

    def features(self, names: Sequence[str]) -> torch.Tensor:
        """The head's text features `(U, F)` of the units (`pipeline.sentence_features`)."""
        return sentence_features([u.text for u in self.seg.sentences], names, self.parent_text)


def clause_spans(text: str, min_words: int = MIN_UNIT_WORDS) -> list[tuple[int, int]]:
    """Tight `(start, end)` spans of the clause units of one sentence `text`, in order.

    A cut is taken when the piece before it (since the last cut) and the rest of the sentence
    after it both hold at least `min_words` words; the text between pieces (the separator, a
    leading conjunction, white space) belongs to no unit. A sentence in operative contract
    language (`_OPERATIVE`) is one unit.
    """
    if _OPERATIVE.search(text):
        whole = _tight(text, 0, len(text))
        return [whole] if whole[0] < whole[1] else []
    pieces: list[tuple[int, int]] = []
    start = 0
    for m in _CUT.finditer(text):
        if _inside_figure(text, m.start(), m.end()) or _inside_brackets(text, m.start()):
            continue
        before, after = text[start : m.start()], text[m.end() :]
        # Words as budgets count them (`pipeline.words`): "$1,234.5" counts three.
        if len(words(before)) >= min_words and len(words(_strip_lead(after))) >= min_words:
            pieces.append((start, m.start()))
            start = m.end()
    pieces.append((start, len(text)))
    return [span for a, b in pieces if (span := _tight(text, a, b))[0] < span[1]]


def _inside_figure(text: str, start: int, end: int) -> bool:
    """A cut that would split a date, a list of numbers or a spelled-out figure ("March 1,
    2024", "Sections 10.1, 10.2", "one and one-half percent"), leave a word dangling ("by
    and between") or part a subject from its verb ("..., shall not exceed")."""
    before = _LAST_WORD.search(text, max(0, start - 64), start)
    after = _FIRST_WORD.match(text, end)
    if not before or not after:
        return False
    if before.group(1).lower() in _BINDING or _PREDICATE.match(text, end):
        return True
    return bool(_FIGURE.fullmatch(before.group(1))) and bool(_FIGURE.match(after.group(1)))


def _inside_brackets(text: str, pos: int) -> bool:
    """Whether `pos` sits inside parentheses, square brackets or quotation marks: a cut there
    would leave a unit with an unclosed "(Agreement No. 7, the \"Agreement\"" in it."""
    head = text[:pos]
    depth = sum(head.count(c) for c in _OPENING) - sum(head.count(c) for c in _CLOSING)
    return depth > 0 or head.count('"') % 2 == 1


def _strip_lead(text: str) -> str:
    text = text.lstrip()
    m = _LEADING_CONJUNCTION.match(text)
    return text[m.end() :] if m else text


def _tight(text: str, start: int, end: int) -> tuple[int, int]:
    """`(start, end)` without surrounding white space, a leading conjunction or trailing
    separators."""
    while start < end and text[start].isspace():
        start += 1
    m = _LEADING_CONJUNCTION.match(text, start, end)
    # Only when the conjunction opens a later piece: a sentence that starts with "And" keeps it.
    if m and start > 0:
        start = m.end()
    m = _TRAILING_SEPARATOR.search(text, start, end)
    if m:
        end = m.start()
    return start, end


def clause_units(seg: Segmented, min_words: int = MIN_UNIT_WORDS) -> UnitView:
    """The document's clause units, each a verbatim span of `seg.doc.text` inside one sentence."""
    units: list[Sentence] = []
    parent: list[int] = []
    for i, s in enumerate(seg.sentences):
        for a, b in clause_spans(s.text, min_words):
            units.append(
                Sentence(
                    len(units),
                    s.paragraph,
                    s.section,
                    s.start + a,
                    s.start + b,
                    s.text[a:b],
                    s.page,
                )
            )
            parent.append(i)
    split = len(units) != len(seg.sentences)
    view = Segmented(seg.doc, seg.sections, seg.paragraphs, tuple(units))
    return UnitView(view, tuple(parent), split, tuple(seg.sentences[p].text for p in parent))


def sentence_view(seg: Segmented) -> UnitView:
    """The document's sentences as units (nothing cut)."""
    texts = tuple(s.text for s in seg.sentences)
    return UnitView(seg, tuple(range(len(seg.sentences))), False, texts)


def typical_sentence_words(seg: Segmented) -> float:
    """Median length in words of the document's sentences (0 for none)."""
    lengths = [len(words(s.text)) for s in seg.sentences]
    return float(median(lengths)) if lengths else 0.0


def wants_units(seg: Segmented, budget_words: int) -> bool:
    """Whether a summary of `budget_words` should be built from clause units: when fewer than
    `UNIT_BUDGET_SENTENCES` typical sentences of this document fit the budget. A property of the
    document and the budget, not of a corpus: terse summaries of long-sentence sources."""
    return budget_words < UNIT_BUDGET_SENTENCES * typical_sentence_words(seg)


def selection_view(seg: Segmented, budget_words: int, units: bool) -> UnitView:
    """What a summary of `budget_words` selects from: clause units when `units` is allowed (the
    head was trained on them) and the budget is short for this document, else sentences."""
    if units and wants_units(seg, budget_words):
        return clause_units(seg)
    return sentence_view(seg)
