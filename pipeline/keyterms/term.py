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
(`pipeline.clauses`) can add sentences that carry no helpful heading.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from pipeline.date_select import select_dates
from pipeline.normalize import (
    NUMBER,
    ORDINAL_DAYS,
    Found,
    add_months,
    find_dates,
    find_durations,
    find_jurisdictions,
    find_money,
    find_percents,
    parse_number,
)
from pipeline.segment import Segmented, Sentence, split_sentences
from pipeline.terms import (  # noqa: F401  (terms_to_json is re-exported)
    FIELDS,
    DocumentTerms,
    Duration,
    Money,
    Party,
    Term,
    terms_to_json,
)

MAX_QUOTE = 600
QUOTE_CONTEXT = 250
PREAMBLE_CHARS = 4000
MIN_GAP = 20
MAX_HEADING = 100
CLASSIFIED_CHARS = 1500


@dataclass(frozen=True)
class Clause:
    """A sentence with the headings of the sections that hold it (lower case, innermost last)."""

    sentence: Sentence
    headings: str
    index: int

    @property
    def text(self) -> str:
        return self.sentence.text

    def about(self, pattern: re.Pattern[str]) -> bool:
        """Whether the sentence or one of its headings matches `pattern`."""
        return bool(pattern.search(self.text) or pattern.search(self.headings))


@dataclass(frozen=True)
class Context:
    """What every field extractor reads: the document's clauses and its preamble."""

    seg: Segmented
    clauses: tuple[Clause, ...]
    preamble: tuple[Clause, ...]
    # Results that several fields reuse (the effective date feeds the expiration date).
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def once(self, key: str, compute: Callable[[], list]) -> list:
        """`compute()`, run once per document and key."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]  # type: ignore[return-value]

    @property
    def doc_id(self) -> str:
        return self.seg.doc.doc_id

    def term(self, field: str, value: object, clause: Clause, start: int, end: int) -> Term:
        """A term whose value is stated by `clause.text[start:end]` (offsets in the sentence)."""
        sent = clause.sentence
        return self.term_at(
            field, value, sent.start + start, sent.start + end, sent.start, sent.end
        )

    def term_at(
        self, field: str, value: object, start: int, end: int, q_start: int, q_end: int
    ) -> Term:
        """A term stated by `doc.text[start:end]`, quoting [q_start, q_end) (cut when long)."""
        doc = self.seg.doc
        if q_end - q_start > MAX_QUOTE:
            q_start, q_end = _window(doc.text, start, end, q_start, q_end)
        page = doc.page_at(q_start).label if doc.pages else ""
        return Term(
            field=field,
            value=value,  # type: ignore[arg-type]
            text=doc.text[start:end],
            quote=doc.text[q_start:q_end],
            doc_id=self.doc_id,
            page=page,
            start=q_start,
            end=q_end,
        )

    def sentence_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the sentences that [start, end) touches (the span itself if none)."""
        touched = [
            c.sentence for c in self.clauses if c.sentence.start < end and start < c.sentence.end
        ]
        if not touched:
            return start, end
        return min(start, touched[0].start), max(end, touched[-1].end)


def _window(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """A span around [start, end) of at most ~MAX_QUOTE chars inside [lo, hi), cut at spaces."""
    a = max(lo, start - QUOTE_CONTEXT)
    b = min(hi, end + QUOTE_CONTEXT)
    if a > lo:
        space = text.find(" ", a, start)
        a = space + 1 if space >= 0 else a
    if b < hi:
        space = text.rfind(" ", end, b)
        b = space if space >= 0 else b
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def build_context(seg: Segmented) -> Context:
    """Attach section headings to every sentence and find the preamble (text before clause 1)."""
    headings = [_heading_chain(seg, i) for i in range(len(seg.sections))]
    sentences = _with_gaps(seg)
    clauses = tuple(
        Clause(s, headings[s.section] if headings else "", i) for i, s in enumerate(sentences)
    )
    first_clause = next(
        (sec.start for sec in seg.sections if sec.number and re.match(r"\d", sec.number)),
        len(seg.doc.text),
    )
    limit = max(min(first_clause, PREAMBLE_CHARS * 2), min(PREAMBLE_CHARS, len(seg.doc.text)))
    opening = _opening(clauses, limit)
    preamble = tuple(
        c
        for c in clauses
        if c.sentence.start < limit or opening <= c.sentence.start < opening + PREAMBLE_CHARS
    )
    return Context(seg, clauses, preamble)


# "This Agreement is made and entered into ... by and between": the sentence that opens a
# contract, which a cover page or a table of contents may push far down.
OPENING = re.compile(
    r"\b(?:agreement|contract|amendment)\b[^.]{0,200}?\b(?:made|entered\s+into|executed|dated)\b"
    r"[^.]{0,300}?\b(?:between|among)\b",
    re.I,
)
OPENING_REACH = 30000


def _opening(clauses: Sequence[Clause], limit: int) -> int:
    """Where the contract's opening sentence starts, when it lies past `limit` (else far out)."""
    for clause in clauses:
        start = clause.sentence.start
        if start > OPENING_REACH:
            break
        if OPENING.search(clause.text):
            return start if start >= limit else OPENING_REACH * 10
    return OPENING_REACH * 10


def _with_gaps(seg: Segmented) -> list[Sentence]:
    """The segmenter's sentences plus sentences split from any text that none of them covers.

    Text that the segmenter leaves outside every paragraph (a line it reads as a heading, such as
    a shouted title that runs on into a clause) would otherwise be lost: key terms must not
    depend on how a line was classified.
    """
    text = seg.doc.text
    out = list(seg.sentences)
    starts = [sec.start for sec in seg.sections]
    for gap_start, gap_end in _gaps(seg.sentences, len(text)):
        if sum(not ch.isspace() for ch in text[gap_start:gap_end]) < MIN_GAP:
            continue
        for a, b in split_sentences(text[gap_start:gap_end], gap_start):
            section = max(0, bisect.bisect_right(starts, a) - 1)
            page = seg.doc.page_at(a).label if seg.doc.pages else ""
            out.append(Sentence(-1, -1, section, a, b, text[a:b], page))
    return sorted(out, key=lambda s: s.start)


def _gaps(sentences: Sequence[Sentence], length: int) -> Iterable[tuple[int, int]]:
    pos = 0
    for s in sentences:
        if s.start > pos:
            yield pos, s.start
        pos = max(pos, s.end)
    if pos < length:
        yield pos, length


def _heading_chain(seg: Segmented, index: int) -> str:
    parts = []
    i: int | None = index
    while i is not None:
        sec = seg.sections[i]
        # A "heading" longer than a heading is a whole clause the segmenter took for one.
        if sec.heading and len(sec.heading) <= MAX_HEADING:
            parts.append(sec.heading)
        i = sec.parent
    return " / ".join(reversed(parts)).lower()


def extract_terms(seg: Segmented, classifier: object | None = None) -> DocumentTerms:
    """Every key term the document states, field by field (see the module docstring).

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


SUFFIX = (
    r"(?:Inc|Incorporated|Ltd|Limited|LLC|L\.L\.C|Corp|Corporation|Co|Company|LP|L\.P|LLP|"
    r"L\.L\.P|PLC|plc|P\.L\.C|S\.A|SA|N\.V|NV|B\.V|BV|GmbH|AG|S\.p\.A|SpA|Pte|PTE|Pty|AB|A/S|"
    r"Oy|SE|SAS|S\.A\.S|S\.L|KK|K\.K|SRL|S\.r\.l|S\.R\.L|LTD|INC|CORPORATION|CORP|CO|COMPANY|LIMITED|"
    r"G\.I\.E|S/A|LCC|S\.\s?[àÀ]\.?\s?[rR]\.?[lL])\.?"
)
# A capitalized word of a name; "AND" in a shouted title line joins two names, not one. A
# lower-case web name ("zoomly.com, Inc.") is a name too.
NAME_TOKEN = (
    r"(?:(?!AND\b|BETWEEN\b|AMONG\b)(?:[A-Z0-9\[]|[a-z](?=[A-Z0-9]))[\w&'\u2019.\-/*\]]*|&|/"
    r"|[a-z][a-z0-9\-]*\.(?:com|net|org|io)(?!\w)"
    r"|\[\s*\*+\s*\]"
    r"|\((?:[A-Z][\w.&]*\s?){1,3}\)(?=\s+[A-Z]))"
)
NAME_CONNECT = r"(?:of|the|de|del|la|du|von|van|der|for|d/b/a|dba|a/k/a|y|et|in|des|pour|and|AND)"
NAME_RE = re.compile(
    rf"(?:The\s+|THE\s+)?{NAME_TOKEN}(?:[ \t]*\n?[ \t]*(?:{NAME_CONNECT}[ \t]+)*{NAME_TOKEN})*"
    rf"(?:,?\s+{SUFFIX}(?![\w]))*"
)
# A defined name in double quotes ("Supplier", \u201cSupplier\u201d, ``Supplier''); a single
# quote is too often an apostrophe ("People's Republic") to open one.
QUOTED_RE = re.compile(
    r"(?:[\"\u201c\u201d]|``|'')\s*([^\"\u201c\u201d\n]{1,60}?)\s*(?:[\"\u201d\u201c]|'')"
)
# "by and between", "among", and "is entered into by X and Y" (but not "by its officers").
PARTY_CUE = re.compile(
    r"\b(?:by\s+and\s+between|by\s+and\s+among|between|among)\b\s*:?"
    r"|\b(?:entered\s+into|made)\b[^.()]{0,60}?\bby\b(?!\s+and\b|\s+(?:its|their|each|both|a|an)\b)",
    re.I,
)
GENERIC_ALIASES = re.compile(
    r"^(?:the\s+)?(?:part(?:y|ies)|agreement|effective\s+date|this\s+agreement|contract|"
    r"affiliates?|each|collectively|execution\s+date|signing\s+date|amendment)$",
    re.I,
)
NOT_NAMES = re.compile(
    r"^(?:This|THIS|WHEREAS|NOW|IN|Agreement|AGREEMENT|Section|SECTION|Each|EACH|Dated|DATED|"
    r"Date|Between|BETWEEN|And|AND|Witnesseth|WITNESSETH|Recitals|RECITALS|The\s+[Pp]arties|Parties|"
    r"Exhibit|EXHIBIT|Schedule|SCHEDULE|Know\s+all|KNOW\s+ALL)\b|^(?:The|THE)$"
)
SKIP_LEAD = re.compile(
    r"(?:\s|,|;|:|-|[\u2022\u25cf\u25aa\u25a0]|\b(?:and|And|AND)\b|\bthe\b|\(\w{1,3}\)|\d\.\s|\bon\s+the\s+(?:one|other)\s+hand\b)+"
)
# An address, page footer or stray word that the name pattern ran on into after the name:
# "DGT Corp. Suite 207", "Clear Capital Page 1 of 10", "Tigrent Learning UK Limited of Boston
# House".
NAME_TAIL = re.compile(
    r"\s+(?:Suite|Floor|Page|With|P\.?O\.?\s+Box)\b.*$"
    r"|\s+(?:of|at)\s+\S+\s+(?:House|Building|Tower|Centre|Center|Plaza)\b.*$",
    re.S,
)
# A suffix that ends a name followed by an address: "NLS-1 Pharma AG Alter Postplatz 2 6370".
SUFFIX_THEN_ADDRESS = re.compile(rf"\b{SUFFIX}(?=\s+(?:\S+\s+){{0,4}}?\S*\d)")
STOP_PARTY = re.compile(
    r"\b(?:WHEREAS|W\s*I\s*T\s*N\s*E\s*S\s*S\s*E\s*T\s*H|RECITALS|BACKGROUND|NOW,?\s+THEREFORE"
    r"|Whereas|Recitals|Background|IT\s+IS\s+(?:HEREBY\s+)?AGREED|agree\s+as\s+follows)\b"
)
# "... Israel. Hereinafter referred to as "Customer"": the alias still belongs to the party.
# A full stop at the end of a line before a numbered clause ("...("Beta").\n\n1.1") ends one too.
SENTENCE_BREAK = re.compile(r"\.\s+(?!Hereinafter\b|HEREINAFTER\b)[A-Z(]|\.[ \t]*\n\s*\d")
# A period after "Inc", "Mt", "U.S.A" or a short capitalized word ends no sentence.
ABBREVIATION = re.compile(rf"(?:\b{SUFFIX}|\b(?:[A-Z]\.)+[A-Z]?|\b[A-Z][a-z]{{0,3}}|\b[A-Z]+)$")
PARTY_REGION = 2000
MAX_NAME_WORDS = 12
# Titles and addresses that the name pattern would otherwise take for a party.
NOT_IN_NAMES = re.compile(
    r"\b(?:Agreement|AGREEMENT|This|THIS)\b|\d+\s+(?:\w+\s+){0,3}(?:Avenue|Street|Road|Boulevard|"
    r"Blvd|Drive|Lane|Suite|Floor|Str)\b"
)
MAX_PARTIES = 8


@dataclass(frozen=True)
class _PartyHit:
    name: str
    alias: str
    start: int
    end: int
    # Further aliases defined in the same brackets: ("Buyer" or "PNC").
    more: tuple[str, ...] = ()
    # An alias in quotes, not just in brackets: the surer sign of a list of parties.
    quoted: bool = True


PARTY_LABEL = re.compile(r"\b(?P<label>Party\s+[A-Z])\s*(?:\([^)\n]{1,30}\)\s*)?[:\uff1a]\s*")
DEFINITION_START = re.compile(
    r"^\W*(?:\d[\d.]*\s+)?[\"\u201c][^\"\u201d]{1,60}[\"\u201d]\s+(?:shall\s+)?means?\b"
)
ENTITY_WORDS = re.compile(
    r"corporation|company|limited|partnership|organized|incorporated|individual|trust|"
    r"association|bank|\bLLC\b|\bInc\b|\bLtd\b|residing|address|office",
    re.I,
)


def parties(ctx: Context) -> list[Term]:
    """Parties with their defined aliases, from the preamble ("by and between X and Y").

    Each "between"/"among" in the preamble opens a candidate list (it may run over several
    lines: "BETWEEN:" / "(1) ACME LIMITED ..."); the list with the most aliases, then the most
    parties, wins, so a title line "AGREEMENT BETWEEN X AND Y" yields to the full preamble.
    """
    text = ctx.seg.doc.text
    if not ctx.preamble:
        return []
    best: tuple[tuple[int, ...], list[_PartyHit]] = ((-1,), [])
    for pos, cued in _party_starts(ctx):
        stop = STOP_PARTY.search(text, pos, pos + PARTY_REGION)
        hits = _scan_parties(
            text, pos, stop.start() if stop else min(len(text), pos + PARTY_REGION)
        )
        if not cued and not _entity_like(text, hits):
            continue
        aliases = sum(bool(h.alias and h.quoted) for h in hits)
        score = (min(2, aliases), cued, len(hits)) if hits else (-1,)
        if score > best[0]:
            best = (score, hits)
    labelled = _labelled_parties(ctx)
    hits = labelled if len(labelled) > len(best[1]) else best[1]
    if not hits or any(BY_SIGNATURE.search(c.text) for c in ctx.preamble):
        behalf = _behalf_signatories(ctx)
        hits = behalf if len(behalf) > len(hits) else hits
    hits = hits or _signatories(ctx)
    out = []
    for hit in hits:
        q_start, q_end = ctx.sentence_span(hit.start, hit.end)
        # A party with two aliases is listed once under each.
        for alias in (hit.alias, *hit.more):
            party = Party(hit.name, alias)
            out.append(ctx.term_at("parties", party, hit.start, hit.end, q_start, q_end))
    return out


# "between and among the Parties signatory hereto": a preamble that leaves the names to the
# signature pages.
BY_SIGNATURE = re.compile(
    r"\bparties\s+(?:signatory|signatories)\s+(?:hereto|to\s+this)|\bparties\s+whose\s+"
    r"(?:names|signatures)\s+appear",
    re.I,
)
BEHALF = re.compile(r"\bFor\s+and\s+on\s+behalf\s+of\s*:?\s*")
MAX_SIGNATORIES = 80


def _behalf_signatories(ctx: Context) -> list[_PartyHit]:
    """The entities signed for after the witness clause: "For and on behalf of ABS Telecom plc".

    Consortium agreements (cable systems, clearing arrangements) have dozens of parties, named
    only on their signature pages.
    """
    text = ctx.seg.doc.text
    lo, _, witness = _signature_region(text)
    if witness is None:
        return []
    out: list[_PartyHit] = []
    seen: set[str] = set()
    for m in BEHALF.finditer(text, lo):
        name = NAME_RE.match(text, m.end())
        if name is None:
            continue
        raw = _trim_name(re.sub(r"\s+By$", "", " ".join(name.group(0).split())))
        if _is_name(raw) and raw.lower() not in seen and len(out) < MAX_SIGNATORIES:
            seen.add(raw.lower())
            out.append(_PartyHit(raw, "", name.start(), name.end()))
    return out


def _signatories(ctx: Context) -> list[_PartyHit]:
    """The entities that sign, for a document whose preamble names no parties.

    Joint filing agreements and letters name their parties only in the signature block:
    "UNIFORM INVESTCO LP By: Uniform InvestCo GP LLC, its General Partner By: /s/ ...".
    """
    text = ctx.seg.doc.text
    region = _signatory_region(text)
    if region is None:
        return []
    out: list[_PartyHit] = []
    seen: set[str] = set()
    for m in NAME_RE.finditer(text, *region):
        # The name pattern may run on from the line before ("... as of May 4, 2020.\nACME LP")
        # and into the signature line after it ("ACME LP By: ..."), or take in the signer
        # before it ("/s/ Ann Roe Ann Roe Authorized Signatory BETA FUND LP").
        raw = re.sub(r"\s*/$", "", " ".join(m.group(0).split()))
        by = re.search(r"\s+By$", raw)
        trimmed = _trim_name(raw[: by.start()] if by else raw)
        name = _shouted_tail(re.sub(r"^(?:\S*\d\S*\s+)+", "", trimmed))
        after = text[m.end() : m.end() + 60]
        signs = by or re.match(r"\W{0,3}(?:By\b|/s/|s/)|,\s+its\s", after)
        if not signs or not re.search(rf"\b{SUFFIX}$", name) or not _is_name(name):
            continue
        if all(re.fullmatch(rf"{SUFFIX},?", w) for w in name.split()):
            # "L.P." alone: the end of a name that a line break split off.
            continue
        label = re.search(r"(?:Name|Title)\s*:\s*$", text[max(0, m.start() - 10) : m.start()])
        if label and name == trimmed:
            continue
        key = name.lower()
        if key not in seen and len(out) < MAX_PARTIES * 3:
            seen.add(key)
            out.append(_PartyHit(name, "", m.start(), m.end()))
    return out


# Joint filing statements sign under "Dated:" with no witness clause: their signature block
# starts at the first signature mark.
SIGN_START = re.compile(r"/s/|\bBy\s*:")
SIGN_LEAD = 400
SIGNATORY_SPAN = 6000
# A word of a shouted name ("APOLLO", "L.P.", "S.À", "III", "&").
SHOUTED = re.compile(r"^[^a-z]*[A-Z][^a-z]*$|^&$")


def _signatory_region(text: str) -> tuple[int, int] | None:
    """Where signatories are read: past the witness clause, else from the first signature mark.

    The span is wide because joint filings list a dozen or more signing entities.
    """
    lo, _, witness = _signature_region(text)
    if witness is None:
        mark = SIGN_START.search(text)
        if mark is None:
            return None
        lo = max(0, mark.start() - SIGN_LEAD)
    return lo, min(len(text), lo + SIGNATORY_SPAN)


def _shouted_tail(name: str) -> str:
    """The shouted entity at the end of a run of signature words, or `name` as it is.

    "Thomas Roe Chief Financial Officer SCULPTOR FUND LTD" is a signer, a title and the next
    entity; the entity is the capitalized tail when it has two words besides its suffix.
    """
    words = name.split()
    i = len(words)
    while i > 0 and SHOUTED.match(words[i - 1]):
        i -= 1
    tail = words[i:]
    core = [w for w in tail if not re.fullmatch(rf"{SUFFIX},?", w)]
    if i > 0 and len(core) >= 2 and any(c.islower() for c in " ".join(words[:i])):
        return " ".join(tail)
    return name


BETWEEN_LINE = re.compile(r"^[ \t]*(?:BETWEEN|AMONG|Between|Among)[ \t]*:?[ \t]*$", re.M)
# A "PARTIES" heading that opens a numbered list: "PARTIES (1) ACME LTD ...", or a line
# "Parties to this agreement" of its own.
PARTIES_HEAD = re.compile(
    r"^[ \t]*(?:PARTIES|Parties)(?:[ \t]+to[ \t]+this[ \t]+[Aa]greement)?[ \t]*:?[ \t]*$"
    r"|\bPARTIES[ \t]*:?(?=\s*\(1\))",
    re.M,
)


# "by and between", "entered into ... by", "made ... between": the cue of the sentence that
# opens the contract, stronger than a later "between the Representatives of X".
OPENING_CUE = re.compile(
    r"\b(?:agreement|contract|amendment|lease|licen[cs]e)\b[^.]{0,300}?(?:\bby\s+and\b|"
    r"\b(?:made|entered\s+into|executed|dated|effective)\b[^.]{0,300}?\b(?:by|between|among)\b)",
    re.I,
)


def _party_starts(ctx: Context) -> list[tuple[int, int]]:
    """(position, cue) where a list of parties may begin: cue 2 after the opening sentence's
    "between"/"among"/"by", 1 after another "between", 0 at a sentence that defines an alias."""
    starts = []
    for clause in ctx.preamble:
        if DEFINITION_START.search(clause.text):
            # '"Master Agreement" means the agreement between X and Y': not this document's parties.
            continue
        for m in PARTY_CUE.finditer(clause.text):
            # A recital's "Supply Agreement dated ... between X and Y" names another contract.
            strong = OPENING_CUE.search(clause.text, 0, m.end()) and not _is_other(clause)
            starts.append((clause.sentence.start + m.end(), 2 if strong else 1))
    starts += [(c.sentence.start, 0) for c in ctx.preamble[:8] if _defines_alias(c.text)]
    # A "BETWEEN:" line of its own reads as a heading, so no sentence holds it.
    limit = ctx.preamble[-1].sentence.end
    for line in (BETWEEN_LINE, PARTIES_HEAD):
        starts += [(m.end(), 2) for m in line.finditer(ctx.seg.doc.text, 0, limit)]
    return starts


def _entity_like(text: str, hits: Sequence[_PartyHit]) -> bool:
    """Whether a list found without "between" reads like parties (an alias and an entity)."""
    if not hits or not hits[0].alias:
        return False
    first = hits[0]
    return bool(re.search(SUFFIX, first.name) or ENTITY_WORDS.search(text[first.start : first.end]))


def _labelled_parties(ctx: Context) -> list[_PartyHit]:
    """Parties written as "Party A: Beijing ... Co., Ltd." (common in translated contracts)."""
    text = ctx.seg.doc.text
    limit = ctx.preamble[-1].sentence.end
    out = []
    for m in PARTY_LABEL.finditer(text, 0, limit):
        name = NAME_RE.match(text, m.end(), limit)
        if name and not NOT_NAMES.match(name.group(0)):
            out.append(
                _PartyHit(
                    " ".join(name.group(0).split()),
                    " ".join(m.group("label").split()),
                    m.start(),
                    name.end(),
                )
            )
    return out


def _defines_alias(text: str) -> bool:
    return bool(re.search(r"\(\s*(?:the\s+|hereinafter\s+)?[\"\u201c][A-Z]", text))


def _scan_parties(text: str, pos: int, end: int) -> list[_PartyHit]:
    """The parties listed from `pos` on: a name, its description, its alias; then the next."""
    out: list[_PartyHit] = []
    while pos < end and len(out) < MAX_PARTIES:
        lead = SKIP_LEAD.match(text, pos, end)
        if lead:
            pos = lead.end()
        m = NAME_RE.match(text, pos, end)
        if m is None or not _is_name(m.group(0)):
            break
        stretch_end = _party_end(text, m.end(), end)
        name = _trim_name(" ".join(m.group(0).split()))
        alias, alias_end = _alias(text, m.end(), stretch_end, name)
        more = _more_aliases(text, alias_end, stretch_end) if alias else ()
        quoted = bool(alias)
        if not alias:
            alias, alias_end = _unquoted_alias(text, m.end(), stretch_end)
        joined = re.search(rf"^(.*?{SUFFIX})\s+(?:and|AND)\s+(\S.*)$", name)
        if joined and not alias:
            # "Acme Corp. and Beta LLC": two names that the name pattern ran together.
            left_end = m.start() + len(joined.group(1))
            out.append(_PartyHit(joined.group(1), "", m.start(), left_end))
            name = joined.group(2)
        out.append(_PartyHit(name, alias, m.start(), alias_end or m.end(), more, quoted))
        if text.startswith(".", stretch_end):
            # The sentence that lists the parties has ended.
            break
        pos = stretch_end
    return out


def _trim_name(name: str) -> str:
    """`name` without the address or footer words the name pattern ran on into."""
    name = NAME_TAIL.sub("", name)
    suffix = SUFFIX_THEN_ADDRESS.search(name)
    return (name[: suffix.end()] if suffix else name).rstrip(",")


def _party_end(text: str, pos: int, end: int) -> int:
    """Where a party's description stops: the next top-level "and" or ";" before a new name.

    An "and" inside a description ("organized under the laws of Delaware and having its
    office at ...") is followed by no name, so the description runs on to the next one.
    """
    depth = 0
    i = pos
    while i < end:
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and (ch == ";" or re.match(r"\s+(?:and|And|AND)\b", text[i : i + 6])):
            if not _inside_place(text, i) and _name_follows(text, i, end):
                return i
        elif depth == 0 and ch == "," and _after_alias(text, pos, i):
            # "X ("A"), Y ("B"), and Z ("C")": after an alias a comma can start the next party.
            if _name_follows(text, i, end) and not _inside_place(text, i):
                return i
        elif (
            depth == 0
            and SENTENCE_BREAK.match(text, i)
            and not ABBREVIATION.search(text, max(0, i - 12), i)
        ):
            return i
        i += 1
    return end


def _after_alias(text: str, start: int, comma: int) -> bool:
    before = text[start:comma].rstrip()
    return before.endswith(")") and bool(QUOTED_RE.search(before[before.rfind("(") :]))


def _name_follows(text: str, pos: int, end: int) -> bool:
    lead = SKIP_LEAD.match(text, pos, end)
    start = lead.end() if lead else pos
    m = NAME_RE.match(text, start, end)
    return m is not None and _is_name(m.group(0))


def _is_name(candidate: str) -> bool:
    letters = sum(ch.isalpha() for ch in candidate)
    words = candidate.split()
    return (
        letters >= 2
        and len(words) <= MAX_NAME_WORDS
        and not NOT_NAMES.match(candidate)
        and not NOT_IN_NAMES.search(candidate)
    )


def _inside_place(text: str, pos: int) -> bool:
    # "incorporated in England and Wales": that "and" joins a place name, not two parties.
    window = text[max(0, pos - 40) : pos + 40]
    offset = max(0, pos - 40)
    return any(f.start + offset < pos < f.end + offset for f in find_jurisdictions(window))


# '("Buyer" or "PNC")', '("we," "us" or "our")', '("Acme" or by reference "we")': the aliases
# after the first in one bracket.
MORE_ALIASES = re.compile(
    r"\s*(?:,|or|and|,\s*or)?\s*(?:[a-z]+\s+){0,2}?(?:the\s+)?"
    r"[\"\u201c]([^\"\u201d\n]{1,40}?)[,]?[\"\u201d]"
)
# Franchise and engagement letters name a party by pronoun: '(the "Franchisor", "we" or "us")'.
PRONOUN_ALIAS = re.compile(r"^(?:we|us|our|you|your)$", re.I)


def _more_aliases(text: str, pos: int, end: int) -> tuple[str, ...]:
    """The aliases that follow the first one inside its brackets, up to the closing one."""
    out = []
    while pos < end:
        m = MORE_ALIASES.match(text, pos, end)
        if m is None:
            break
        alias = m.group(1).strip(" ,.")
        if alias and not GENERIC_ALIASES.match(alias) and _alias_like(alias):
            out.append(alias)
        pos = m.end()
    return tuple(out)


def _alias_like(alias: str) -> bool:
    """Aliases are capitalized, camel-cased like "eVolve", or a pronoun ("we", "you")."""
    return alias[:1].isupper() or alias[1:2].isupper() or bool(PRONOUN_ALIAS.match(alias))


def _alias(text: str, start: int, end: int, name: str = "") -> tuple[str, int]:
    """The first defined alias in text[start:end] and where it ends ("", 0 when none).

    An alias in lower case is taken when the name holds it ("zoomly.com, Inc." ("zoomly")).
    """
    for m in QUOTED_RE.finditer(text, start, end):
        alias = re.sub(r"^(?:the|The)\s+", "", m.group(1).strip(" ,."))
        named = len(alias) > 2 and alias.lower() in name.lower()
        if alias and not GENERIC_ALIASES.match(alias) and (_alias_like(alias) or named):
            close = text.find(")", m.end(), end)
            return alias, (close + 1 if 0 <= close - m.end() < 3 else m.end())
    return "", 0


# An alias in brackets without quotes, right after the name: "Northwind Gas LP (Carrier)",
# "Lotus Hotel Inc. (hereinafter referred to as Party A)".
UNQUOTED_ALIAS = re.compile(
    r"\s*,?\s*\(\s*(?:hereinafter\s+(?:referred\s+to\s+as|called)\s+)?(?:the\s+)?"
    r"([A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*){0,2})\s*\)",
    re.I,
)


def _unquoted_alias(text: str, start: int, end: int) -> tuple[str, int]:
    """An unquoted alias in brackets just after a name, and where it ends ("", 0 when none).

    Places ("Halle (Saale)"), corporate suffixes ("(Pty)") and generic words are no aliases.
    """
    m = UNQUOTED_ALIAS.match(text, start, end)
    if m is None or not m.group(1)[:1].isupper():
        return "", 0
    alias = m.group(1)
    if (
        GENERIC_ALIASES.match(alias)
        or re.fullmatch(SUFFIX, alias)
        or find_jurisdictions(alias)
        or not _is_name(alias)
    ):
        return "", 0
    return alias, m.end()


# How surely the words before a preamble date make it the agreement's own date.
DATE_CUES = [
    (
        3,
        r"(?:made|entered(?:\s+into)?|executed|concluded|signed)"
        r"(?:\s+and\s+(?:entered\s+into|effective|delivered))?\s*"
        r"(?:(?:as\s+of|on|at|this|effective(?:\s+as\s+of)?)\s*)?",
    ),
    (2, r"\bdated\s*:?\s*(?:as\s+of\s*)?|\bdate\s*:\s*|\bas\s+of\s*"),
    (1, r"effective\s*(?:as\s+of|on|from)?\s*"),
]
DATE_CUE_RES = [
    (score, re.compile(rf"(?:{pat})(?:the\s+)?(?:this\s+)?(?:day\s+of\s+)?$", re.I))
    for score, pat in DATE_CUES
]
EFFECTIVE_LABEL = re.compile(
    # '(the "Effective Date")', and the misplaced 'the ("Effective Date")'
    r"^\W{0,4}(?:the\s+(?=\())?(?:\(\s*)?(?:the\s+|this\s+|hereinafter\s+(?:the\s+)?)?[\"\u201c\u2018']*"
    r"(?:[A-Z][\w-]*\s+)?Effective\s+Date",
    re.I,
)
EFFECTIVE_DEF = re.compile(
    r"[\"\u201c\u2018']?Effective\s+Date[\"\u201d\u2019']?\s*(?:shall\s+)?"
    r"(?:means?|shall\s+be|is|refers\s+to)",
    re.I,
)
EFFECTIVE_CUE = re.compile(
    r"(?:effective|commenc\w*|begin\w*|start\w*|into\s+force)\s+(?:as\s+of|on|from|upon|this)?\s*"
    r"(?:the\s+)?(?:day\s+of\s+)?$",
    re.I,
)
# "Effective Date: March 1", '"Commencement Date" means 12:01 a.m. Eastern Time on March 3'.
EFFECTIVE_BEFORE = re.compile(
    r"(?:Effective|Commencement)\s+Date[\"\u201d\u2019']?\s*"
    r"(?:[:\-]|is|shall\s+be|(?:shall\s+)?means?\s*:?)?\s*(?:[^;\"]{0,50}?\bon\s+)?(?:the\s+)?$"
    # "COMMENCEMENT DATE FOR MAINTENANCE UNDER THIS ADDENDUM: MARCH 1", "Contract start: 04-01-06"
    r"|(?:Effective|Commencement|Start)\s+Date[^:;\n]{0,60}:\s*$|Contract\s+start\s*:\s*$",
    re.I,
)
EFFECTIVE_WORDS = re.compile(
    r"effective|commenc|into\s+force|\b(?:begin|start)s?\s+on\b|contract\s+start", re.I
)
# What takes effect: this agreement, its term, or the venture or engagement it sets up.
THIS_DEAL = (
    r"\b(?:this|the)\s+[\"\u201c]?(?:\w+\s+){0,3}?(?:agreement|amendment|contract|addendum|venture"
    r"|promotion|engagement|term)\b[\"\u201d]?"
)
THIS_EFFECTIVE = re.compile(
    rf"{THIS_DEAL}\s+(?:\w+\s+){{0,4}}?(?:shall|will|is|becomes?)\s+(?:\w+\s+){{0,2}}?"
    r"(?:effective|commence|begin|start)",
    re.I,
)
# A recital ("WHEREAS, ..."): what it dates happened before this agreement.
OTHER_AGREEMENT = re.compile(r"^\W*(?:(?:RECITALS?|BACKGROUND|WITNESSETH)\W+)*WHEREAS", re.I)
RECITAL_HEADING = re.compile(r"recital|background|whereas|witnesseth|preliminary\s+statement")
# "... to the Manufacturing Agreement (the "Original Agreement") dated as of": a date that a
# participle hangs on another agreement, with no finite verb ("is made", "shall") of this one.
OTHER_AGREEMENT_DATE = re.compile(
    r"\b(?:to|under|of|amend\w*)\s+(?:the|that)\s+(?:certain\s+)?[^;]{0,200}?"
    r"\b(?:agreement|contract|lease|licen[cs]e)\b(?:(?!\b(?:is|are|shall|will|hereby)\b)[^;])*?"
    r"\b(?:dated|entered\s+into|made|executed|signed)\b[^;]{0,40}$"
    # "(A) X and Y entered into the JV Agreement as of ...", "...; and WHEREAS, ...": a recital
    # inside a long sentence.
    r"|\b(?:entered|executed)\s+into\s+(?:a|an|the|that|certain)\b[^;]{0,120}$"
    r"|\bWHEREAS\b[^;]{0,250}$"
    # "supersedes the Services Agreement dated ...", "are parties to a Lease dated ..."
    r"|\b(?:previously\s+entered|are\s+parties\s+to|supersed\w*)\b"
    r"(?:(?!\b(?:is|shall|will|hereby)\b)[^;]){0,150}$",
    re.I,
)
# This agreement (its term, its "Effective Date") dates itself by reference: "shall become
# effective as of the day and year first above written", "the Term will begin on the date
# hereof", "the "Commencement Date" means the date of this Agreement".
EFFECTIVE_REF = re.compile(
    # (not "... the Standstill Period commencing on the date hereof": another period's start)
    rf"(?:{THIS_DEAL}|(?:Effective|Commencement|Start)\s+Date)[^.;]{{0,100}}?(?<!period\s)"
    r"(?:effective|commenc\w*|begin\w*|start\w*|take\s+effect|in\s+(?:full\s+)?(?:force|effect)"
    r"|into\s+(?:force|effect)|means?|shall\s+be)\W{0,3}\s*(?:as\s+of|on|from|upon|with|at)?\s*"
    r"(?:the\s+)?(?:(?:date|day)(?:\s+and\s+year)?\s+(?:first\s+)?(?:above|written|set\s+forth"
    r"|hereof|mentioned|of\s+(?:this|the)\s+(?:agreement|contract))|Date\s+of\s+(?:the\s+)?Agreement)",
    re.I,
)
# This agreement takes effect when the last party signs: its date is the latest signature date.
EFFECTIVE_ON_SIGNING = re.compile(
    r"(?:effective|commenc\w*|begin\w*|take\w*\s+effect|into\s+(?:force|effect)|Effective\s+Date"
    r"|entered\s+into)(?:[^.;]|\b[ap]\.m\.){0,80}?(?:(?:last|later|latest)\s+(?:of\s+the\s+)?(?:(?:two|both)\s+)?"
    r"(?:dates?\s+(?:of\s+|on\s+which\s+)?)?(?:signature|execution|executed|signed"
    r"|(?:it\s+is\s+)?(?:executed|signed)|shown\s+by\s+the\s+signatures)"
    r"|(?:last|later)\s+party\s+(?:hereto\s+)?(?:has\s+)?(?:executed|signed|signs)"
    r"|(?:is\s+)?signed\s+by\s+(?:both|all)\s+(?:the\s+)?parties"
    r"|signatures?\s+(?:and\s+seals\s+)?of\s+(?:both|all|the)\s+parties"
    r"|(?:executed|signed)\s+by\s+both\s+parties|signature\s+of\s+the\s+agreement\s+by\s+both"
    # "the later of the dates that it is executed by", "the date on which the Parties sign and
    # execute this Agreement", "the last date provided for on the signature page", "as of the
    # date noted below"
    r"|(?:later|last)\s+of\s+the\s+dates\s+(?:that|on\s+which)\s+(?:it\s+is\s+)?(?:executed|signed)"
    r"|date\s+on\s+which\s+the\s+parties\s+(?:sign|execute)|(?:last|latest)\s+date\s+"
    r"(?:provided|set\s+forth|shown)\s+(?:for\s+)?on\s+the\s+signature\s+page"
    r"|date\s+(?:noted|set\s+forth|indicated)\s+below)",
    re.I,
)
EFFECTIVE_MENTION = re.compile(r"\bEffective\s+Date\b")
EFFECTIVE_MEANS = re.compile(
    r"[\"\u201c]Effective\s+Date[\"\u201d]\s*(?:shall\s+)?(?:means?|has\s+the\s+meaning"
    r"|shall\s+have\s+the\s+meaning|refers?\s+to)",
    re.I,
)
EFFECTIVE_NAMED = re.compile(r"\((?:the|this)\s+[\"\u201c]Effective\s+Date[\"\u201d]\)", re.I)
DAY_AFTER = re.compile(r"\bday\s+(?:after|following)\b", re.I)
# Where the parties sign; a signature block's dates are the dates the agreement was signed.
WITNESS = re.compile(
    r"IN\s+WITNESS\s+WHEREOF|THUS\s+DONE\s+AND\s+SIGNED|(?:ACCEPTED|AGREED)\s+AND\s+"
    r"(?:ACCEPTED|AGREED)|AGREED\s+TO\s+AND\s+ACCEPTED",
    re.I,
)
SIGN_MARK = re.compile(r"\bBy\s*:|/s/|\bName\s*:|\bTitle\s*:|\bSignature\b|\bSigned\b", re.I)
DATE_LABEL = re.compile(r"\bDated?\s*(?:of\s+)?:?\s*$", re.I)
# EDGAR's "Source: ACME CORP, 8-K, 11/6/2019" stamp dates the filing, not the signature.
FILING_STAMP = re.compile(r"Source\s*:[^\n]{0,100},\s*$", re.I)
SIGNATURE_SPAN = 1500
SIGN_MARK_REACH = 200


def _is_other(clause: Clause) -> bool:
    """Whether the sentence recites or refers to another agreement (its dates are not ours)."""
    return bool(OTHER_AGREEMENT.search(clause.text) or RECITAL_HEADING.search(clause.headings))


def _dated(
    clauses: Iterable[Clause], keep: Callable[[str, Found], object]
) -> Iterator[tuple[Clause, Found]]:
    """(clause, date) for every date of `clauses` that `keep(text, date)` accepts.

    Recitals and dates that belong to another agreement ("to the Supply Agreement dated ...")
    are skipped: every date field wants this document's own dates.
    """
    for clause in clauses:
        if _is_other(clause):
            continue
        text = clause.text
        for f in find_dates(text):
            if OTHER_AGREEMENT_DATE.search(text[max(0, f.start - 300) : f.start]):
                continue
            if keep(text, f):
                yield clause, f


def _before(text: str, found: Found, reach: int = 80) -> str:
    return text[max(0, found.start - reach) : found.start]


def agreement_date(ctx: Context) -> list[Term]:
    """The date the agreement is made: "dated as of March 1, 2024", "this 1st day of June".

    Preamble dates are ranked by the words before them ("made and entered into as of" over
    "dated" over "effective"), earliest first among equals; then a "signed this ... day of"
    anywhere; then the date of the last signature in the signature block (as CUAD reads an
    undated preamble); then the first plausible date near the top.
    """
    return ctx.once("agreement_date", lambda: _agreement_date(ctx))


def _agreement_date(ctx: Context) -> list[Term]:
    # A short contract is all preamble: its signature block ("Date: March 3") is not.
    signatures = _signature_region(ctx.seg.doc.text)
    opening = [c for c in ctx.preamble if signatures[2] is None or c.sentence.end <= signatures[0]]
    ranked = [
        (-_cue_score(_before(c.text, f)), c.index, f.start, c, f)
        for c, f in _dated(opening, lambda text, f: _cue_score(_before(text, f)))
    ]
    if ranked:
        score, _, _, clause, f = min(ranked, key=lambda r: r[:3])
        # A preamble that only says when the agreement takes effect ("is effective 7/1/98")
        # leaves it dated by its signatures, when they are dated.
        signed = _signature_date(ctx, "agreement_date") if -score == 1 else []
        return signed or [ctx.term("agreement_date", f.value, clause, f.start, f.end)]
    # "Signed and effective this 25th day of May, 1999." at the end of the document.
    signed = _dated(ctx.clauses, lambda text, f: _cue_score(_before(text, f)) == 3)
    for clause, f in signed:
        return [ctx.term("agreement_date", f.value, clause, f.start, f.end)]
    last_signature = _signature_date(ctx, "agreement_date")
    if last_signature:
        return last_signature
    for clause, f in _dated(ctx.preamble[:12], lambda text, f: _plausible(text, f)):
        return [ctx.term("agreement_date", f.value, clause, f.start, f.end)]
    return []


def _cue_score(before: str) -> int:
    return next((score for score, regex in DATE_CUE_RES if regex.search(before)), 0)


def _plausible(text: str, found: Found) -> bool:
    # A date in a filing stamp or after a statute's name is no agreement date.
    before = _before(text, found, 60).lower()
    return not re.search(r"(?:act|filed|amended|code|revised|laws|source:.*)\W*(?:of\s*)?$", before)


def _signature_date(ctx: Context, field: str, days_after: int = 0) -> list[Term]:
    """The latest date in the signature block ("Date: 1/27/2020"), moved on by `days_after`.

    The block is the text after the first "IN WITNESS WHEREOF" (or "ACCEPTED AND AGREED");
    a date counts there when a "Date:" label, a "By:"/"Name:"/"/s/" line or the witness
    sentence itself is beside it. Without such a cue, labelled dates beside signature lines
    anywhere count.
    """
    text = ctx.seg.doc.text
    lo, hi, witness = _signature_region(text)
    best: Found | None = None
    for f in find_dates(text[lo:hi]):
        start, end = lo + f.start, lo + f.end
        before = text[max(0, start - 120) : start]
        if FILING_STAMP.search(before):
            continue
        near = text[max(0, start - SIGN_MARK_REACH) : end + SIGN_MARK_REACH]
        # "Date: 1/27/2020", or a date above its "Name (type or print)   Date" caption.
        labelled = DATE_LABEL.search(before) or re.search(r"\bDate\b", text[end : end + 80])
        in_witness = witness is not None and "." not in text[witness.end() : start].rstrip(". ")
        if not (labelled or in_witness) or not (SIGN_MARK.search(near) or in_witness):
            continue
        if best is None or str(f.value) > str(best.value):
            best = Found(f.value, start, end, f.text)
    if best is None:
        return []
    value = add_months(str(best.value), 0, days_after) if days_after else best.value
    if value is None:
        return []
    q_start, q_end = ctx.sentence_span(best.start, best.end)
    return [ctx.term_at(field, value, best.start, best.end, q_start, q_end)]


def _signature_region(text: str) -> tuple[int, int, re.Match[str] | None]:
    """The span after the first "IN WITNESS WHEREOF" past the document's first quarter (or the
    first at all), with the match; the whole text and None when there is none."""
    witness = WITNESS.search(text, len(text) // 4) or WITNESS.search(text)
    if witness is None:
        return 0, len(text), None
    return witness.start(), min(len(text), witness.end() + SIGNATURE_SPAN), witness


def effective_date(ctx: Context) -> list[Term]:
    """The date the agreement takes effect.

    A date labelled "Effective Date" or introduced by "effective as of" / "commencing on" wins.
    Otherwise a document that takes effect when the last party signs takes the latest signature
    date (the day after, for "the day after the date of last signature"); and one that speaks
    of its effective date without giving another ("the "Effective Date" means the date first
    written above", "effective as of the date hereof", "shall begin on the date of this
    Agreement") takes effect on the agreement date, as CUAD's annotators read it.
    """
    return ctx.once("effective_date", lambda: _effective_date(ctx))


def _effective_date(ctx: Context) -> list[Term]:
    out = _explicit_effective(ctx)
    if out:
        return out
    for clause in ctx.clauses:
        m = EFFECTIVE_ON_SIGNING.search(clause.text)
        if m and not _is_other(clause):
            days = 1 if DAY_AFTER.search(clause.text) else 0
            signed = _signature_date(ctx, "effective_date", days)
            if signed:
                return signed
            break
    ref = _effective_reference(ctx)
    agreed = agreement_date(ctx)
    if ref is None or not agreed:
        return []
    clause, m = ref
    return [ctx.term("effective_date", agreed[0].value, clause, m.start(), m.end())]


def _explicit_effective(ctx: Context) -> list[Term]:
    """Dates labelled "Effective Date", or that this agreement is effective from."""
    preamble = {c.index for c in ctx.preamble}
    cued = (c for c in ctx.clauses if EFFECTIVE_WORDS.search(c.text))
    return [
        ctx.term("effective_date", f.value, clause, f.start, f.end)
        for clause, f in _dated(cued, lambda text, f: _effective_cue(text, f))
        if _effective_cue(clause.text, f) == 2
        or clause.index in preamble
        or THIS_EFFECTIVE.search(clause.text)
    ]


def _effective_cue(text: str, f: Found) -> int:
    """2 when the date is labelled the effective date, 1 when "effective as of" leads to it."""
    before = _before(text, f, 50)
    # A label may run long: "COMMENCEMENT DATE FOR MAINTENANCE UNDER THIS ADDENDUM: MARCH 1".
    label = EFFECTIVE_BEFORE.search(_before(text, f, 90))
    if EFFECTIVE_LABEL.search(text[f.end : f.end + 60]) or label:
        return 2
    return int(bool(EFFECTIVE_CUE.search(before) or EFFECTIVE_DEF.search(before)))


def _defines_other_effective(clause: Clause) -> bool:
    """'"Effective Date" means the date that the Initial Closing occurs', or '... as of that
    date (the "Effective Date") the Site becomes operational': an effective date set by an event."""
    text = clause.text
    if EFFECTIVE_MEANS.search(text):
        return True
    named = EFFECTIVE_NAMED.search(text)
    return bool(named) and not find_dates(text) and not EFFECTIVE_ON_SIGNING.search(text)


def _effective_reference(ctx: Context) -> tuple[Clause, re.Match[str]] | None:
    """Where the document refers to its effective date without stating a separate one.

    A document that ties its "Effective Date" to some event ("means the Closing Date") does
    not take effect on the agreement date; one that only uses the defined term does.
    """
    for clause in ctx.clauses:
        m = EFFECTIVE_REF.search(clause.text)
        if m:
            return clause, m
    if any(_defines_other_effective(c) for c in ctx.clauses):
        return None
    for clause in ctx.clauses:
        m = EFFECTIVE_MENTION.search(clause.text)
        if m:
            return clause, m
    # A bare "effective" counts only when it is this agreement that takes effect, not an
    # appointment or a board seat "effective as of the next meeting".
    for clause in ctx.preamble:
        m = PREAMBLE_EFFECTIVE.search(clause.text)
        if m:
            return clause, m
    return None


PREAMBLE_EFFECTIVE = re.compile(
    rf"(?:{THIS_DEAL}|\b(?:made|entered\s+into|executed))[^.;]{{0,120}}?\beffective\b", re.I
)


TERM_HEADING = re.compile(r"\bterm\b(?!ination)|duration\s+of\s+(?:the\s+)?agreement|\bexpir", re.I)
NOT_TERM = re.compile(r"surviv|confidential", re.I)
TERM_SENTENCE = re.compile(
    r"\b(?:(?:initial|original)\s+term|term\s+of\s+(?:this|the)\s+(?:agreement|contract|license)"
    r"|(?:this|the)\s+(?:agreement|contract)\s+(?:shall|will|is)\s+(?:\w+\s+){0,3}?(?:commence|continue"
    r"|remain|be\s+in\s+(?:full\s+)?(?:force|effect)|expire|terminate|be\s+effective|end|run|"
    r"(?:be\s+)?valid|govern)"
    r"|shall\s+(?:expire|terminate)\s+on|the\s+term\s+(?:shall|will)|(?:term|agreement)\s+shall"
    r"\s+be\s+for|(?:come|enter)\s+into\s+force|have\s+a\s+(?:term|duration)|fixed\s+term"
    r"|(?:contract|term|initial|effective|agreement)\s+period|duration\s+of"
    # "This Services Agreement shall become effective on ... and shall continue ... for"
    r"|(?:this|the)\s+(?:\w+\s+){0,3}?(?:agreement|contract)\b[^.;]{0,120}?\b(?:shall|will)\s+"
    r"(?:\w+\s+){0,2}?(?:continue|remain|extend|expire|terminate|end)\b[^.;]{0,60}?"
    r"\b(?:for|until|through|thereafter|on)\b"
    # "... shall take effect on the Effective Date and continue in full force and effect for"
    r"|\b(?:and|shall|will)\s+(?:shall\s+|will\s+)?(?:continue|remain)\s+in\s+(?:full\s+)?"
    r"(?:force|effect)\b[^.;]{0,40}?\b(?:for|until|through)\b"
    r"|\b(?:shall|will)\s+(?:expire|terminate)\s+(?:on|upon)\b"
    # "... and enduring in perpetuity unless terminated", "shall endure indefinitely"
    r"|\b(?:endur\w*|continu\w*|remain\w*)\s+(?:in\s+perpetuity|indefinitely)\b"
    r"|\bthereafter,?\s+unless\s+(?:sooner\s+|earlier\s+)?terminated"
    # An engagement by one party of another: "Your employment shall commence on ... and shall
    # continue unless and until either party gives notice"
    r"|\b(?:employment|engagement|appointment)\s+(?:\w+\s+){0,4}?(?:shall|will)\s+"
    r"(?:commence|begin|continue)\b)"
    # The sentence that names the term: '... shall terminate June 1, 2000 (herein "Term")'
    r"|\(\s*(?:the\s+|herein\s+|hereinafter\s+)?[\"\u201c](?:initial\s+)?term[\"\u201d]\s*\)"
    # A term label before dates: "6. TERM: November 01, 2014 to ...", "TERM OF EXECUTION From"
    r"|^\W*(?:\d[\d.]*\s*)?(?:(?:initial|contract)\s+)?(?:term|duration)\b(?:\s+of\s+[a-z]+)?"
    r"\s*:?\s*(?:from\s+)?(?=[a-z]+\.?\s+\d|\d)",
    re.I,
)
# A sentence about how long something lasts, for dates after "until" / "ending on".
PERIOD_WORDS = re.compile(
    r"\b(?:term|period|agreement|contract|venture|duration|effective|commenc\w*|begin\w*|"
    r"expiration\s+date)\b",
    re.I,
)
TERM_LEAD = re.compile(
    r"(?:(?:initial\s+)?term\s+(?:of\s+(?:this\s+\w+\s+)?)?(?:shall\s+be\s+|is\s+|will\s+be\s+)?"
    r"(?:for\s+)?|for\s+a\s+(?:period|term)\s+of\s+|(?:continue|remain)\w*\s+(?:in\s+(?:full\s+)?"
    r"(?:force|effect)\s+(?:and\s+effect\s+)?)?(?:for\s+)?"
    # "shall expire ten (10) years from the Effective Date", "and ending two (2) years thereafter"
    r"|\b(?:expire|expires|end|ends|ending|terminate|terminates)\s+(?:on\s+the\s+date\s+that\s+is\s+)?)"
    r"(?:a\s+period\s+of\s+)?(?:an?\s+)?$",
    re.I,
)
NOT_OWN_TERM = re.compile(
    r"during\s+the\s+(?:initial\s+)?term|(?:following|after)\s+the\s+(?:initial\s+)?term|warrant",
    re.I,
)
STRONG_TERM = re.compile(
    r"initial\s+term|term\s+of\s+(?:this|the)\s+(?:agreement|contract)|(?:this|the)\s+agreement"
    r"\s+(?:shall|will)\s+(?:\w+\s+){0,4}?(?:for\s+a\s+(?:period|term)\s+of|continue|remain)",
    re.I,
)
RENEWAL = re.compile(
    r"\b(?:renew\w*|extend\w*\s+automatically|automatic(?:ally)?\s+(?:renew\w*|extend\w*|extension)"
    r"|successive|evergreen|(?:year|month)[-\s]+to[-\s]+(?:year|month)|successor\s+term"
    r"|extend\w*\s+(?:\w+\s+){0,6}?(?:an?\s+)?(?:additional|further)\b)",
    re.I,
)
EVERY_YEAR = re.compile(
    r"\b(?:successive|additional|consecutive)\s+annual\b|\bannually\b|\b(?:each|every)\s+"
    r"(?:calendar\s+)?year\b|\byear\s+to\s+year\b|\byearly\b",
    re.I,
)
SAME_LENGTH = re.compile(
    r"same\s+(?:duration|length|period)|equal\s+(?:in\s+length|duration)", re.I
)
NOTICE_AFTER = re.compile(
    r"^\W{0,3}(?:\w+\s+){0,4}?(?:prior(?!\s+termination)|before|in\s+advance|preceding|notice"
    r"|written|advance)",
    re.I,
)
NOTICE_BEFORE = re.compile(r"(?:notice|notify\w*|notif\w*)\W+(?:\w+\W+){0,6}$", re.I)
# A term with no fixed end: it runs until someone terminates it (CUAD: "perpetual").
PERPETUAL = re.compile(
    # (not the "perpetual, irrevocable license" that outlives the agreement)
    r"\bperpetu\w*\b(?!\s*(?:,|and|or)?\s*(?:irrevocable|royalty|fully|non-?exclusive|exclusive"
    r"|licen[cs]e|right))|\bindefinite\w*|\bend\s+when\s+terminated"
    r"|\buntil\s+(?:terminated|termination\s+(?:as|by|in|pursuant|under)"
    r"|(?:either|one|a)\s+party\s+(?:terminates|gives|informs|provides|notifies)"
    r"|such\s+time\s+as\s+(?:it\s+is|this\s+agreement\s+is)\s+terminated"
    r"|(?:the\s+)?(?:expiration\s+or\s+)?(?:earlier\s+)?termination\s+of\s+(?:the|that)\b)"
    r"|\bunless\s+and\s+until\s+(?:either|one|a)\s+party"
    r"|(?:continue|remain)\w*\s+(?:in\s+(?:full\s+)?(?:force|effect)\s+(?:and\s+effect\s+)?)?"
    r"(?:thereafter\s+)?(?:unless|until)\s+(?:and\s+until\s+)?(?:sooner\s+|earlier\s+)?terminated"
    # "shall govern the relations between the parties hereto thereafter, unless terminated"
    r"|\bthereafter,?\s+unless\s+(?:sooner\s+|earlier\s+)?terminated",
    re.I,
)
# A term with no end, said plainly of the agreement itself: it outranks a date that a
# sentence under a "Term" heading happens to put after "until".
OPEN_ENDED = re.compile(
    r"\b(?:continue|remain|endur)\w*\s+(?:in\s+(?:full\s+)?(?:force|effect)\s+)?"
    r"(?:indefinitely|in\s+perpetuity|perpetually)\b|\bfor\s+an\s+indefinite\s+(?:term|period)\b",
    re.I,
)
EXPIRATION_LABEL = re.compile(
    r"(?:expiration|termination|end|expiry)\s+date[\"\u201d]?\s*(?:means|shall\s+(?:be|mean)|is|:)\s*$"
    r"|contract\s+end\s*:\s*$",
    re.I,
)
UNTIL_DATE = re.compile(
    r"(?:until|through|to\s+and\s+including|expir\w*(?:\s+(?:on|at))?|terminat\w*(?:\s+on)?|"
    r"(?:end|conclude)(?:s|d|ing)?(?:\s+(?:on|as\s+of|at))?|conclud\w*|expiry\s+date\s+(?:is|of))"
    r"\s*(?:the\s+)?(?:close\s+of\s+business\s+on\s+)?"
    # "until the earlier of (i) December 31, 2022, (ii) ...": the first of the dates named
    r"(?:(?:later|earlier|latest|earliest)\s+(?:to\s+occur\s+)?of\s*:?\s*(?:\(\w{1,4}\)\s*)?)?"
    r"(?:\w+\s+){0,2}$"
    # "TERM: November 01, 2014 to October 31, 2017": the end of a range after a term label
    r"|\b(?:terms?|period)\b[^.;]{0,60}?\d{4}\s*(?:to|through|until|-|\u2013)\s*$",
    re.I,
)
POST_TERM = re.compile(
    r"^\W{0,3}(?:\w+\s+){0,3}?(?:after|following|beyond)\s+(?:the\s+|its\s+|such\s+)?"
    r"(?:\w+\s+)?(?:expir|terminat|end\b|cessation)",
    re.I,
)
ORDINAL_RE = "|".join(sorted(ORDINAL_DAYS, key=len, reverse=True)).replace("-", r"[-\s]")
ANNIVERSARY = re.compile(
    rf"(?P<n>{ORDINAL_RE}|\d{{1,2}}(?:st|nd|rd|th))"
    # "(20th)", and the "(5t h)" that PDF conversion leaves behind
    r"\s*(?:\(\s*\d{1,2}\s*(?:st|nd|rd|th|s\s?t|n\s?d|r\s?d|t\s?h)?\s*\)\s*)?anniversary"
    rf"|(?P<count>{NUMBER})\s*(?:\(\s*\d{{1,2}}\s*\)\s*)?[-\s]year\s+anniversary",
    re.I,
)
# "the first Fiscal Year shall ... end on March 31": a year of the contract, not its end.
YEAR_DEF = re.compile(r"\b(?:fiscal|calendar|contract|financial|lease)\s+(?:year|quarter)", re.I)
# What a duration is counted from: "(36) months following the Hosting Service Ready Date".
COUNTED_FROM = re.compile(
    r"\W{0,3}(?:\w+\W+)??(?:from\s+and\s+after|after|following|from|of)\s+(?:the\s+)?"
    r"(?:(?:first|initial)\s+)?"
    r"(?P<event>[A-Za-z][\w -]{0,40})",
    re.I,
)
# Events that are this agreement's own start: counting from them gives a date (a "Promotion
# Commencement Date" is the start of the term it names).
OWN_START = re.compile(
    r"(?:[\w-]+\s+){0,3}?(?:effective|commencement|start|execution|signing)\s+date"
    r"|date\s+(?:hereof|first"
    r"|of\s+(?:this|the\s+agreement|execution|signature|the\s+last|its\s+execution"
    r"|full\s+execution))|(?:such|that|said)\s+date|this\s+agreement|its\s+execution"
    r"|execution|signing|date\s+this",
    re.I,
)


# Words that tie a sentence's duration to the agreement itself: the agreement, its term, or
# an anniversary it runs to.
OWN_TERM_WORDS = re.compile(r"\b(?:agreement|contract|term|initial\s+period|anniversary)\b", re.I)

# Under a "Term" heading, a sentence that says how long something lasts.
TERM_WORDS = re.compile(r"\bterm\b|\bexpir|\bin\s+(?:full\s+)?force\b", re.I)


def _term_clauses(ctx: Context, hints: dict[str, frozenset[int]], field: str) -> list[Clause]:
    hinted = hints.get(field, frozenset())
    return [
        c
        for c in ctx.clauses
        if (
            TERM_SENTENCE.search(c.text)
            or (TERM_HEADING.search(c.headings) and TERM_WORDS.search(c.text))
            or c.index in hinted
        )
        and not NOT_TERM.search(c.text)
    ]


def _is_notice(text: str, f: Found) -> bool:
    return bool(
        NOTICE_AFTER.search(text[f.end : f.end + 60])
        or NOTICE_BEFORE.search(text[max(0, f.start - 60) : f.start])
    )


def _initial_hits(ctx: Context, hints: dict[str, frozenset[int]]) -> list[tuple[Clause, Found]]:
    return ctx.once("initial_term", lambda: _find_initial(ctx, hints))


def _find_initial(ctx: Context, hints: dict[str, frozenset[int]]) -> list[tuple[Clause, Found]]:
    """Initial-term durations, the sentences that most plainly set the term first."""
    hits = _initial_candidates(ctx, hints)
    return sorted(hits, key=lambda h: (-_term_score(*h), h[0].index))


def _term_score(clause: Clause, found: Found) -> int:
    """How plainly the sentence sets the agreement's own term with this duration."""
    before = clause.text[max(0, found.start - 60) : found.start]
    score = 2 * bool(TERM_LEAD.search(before)) + bool(TERM_HEADING.search(clause.headings))
    score += bool(STRONG_TERM.search(clause.text))
    return score - 3 * bool(NOT_OWN_TERM.search(clause.text))


def _initial_candidates(
    ctx: Context, hints: dict[str, frozenset[int]]
) -> list[tuple[Clause, Found]]:
    out = []
    for clause in _term_clauses(ctx, hints, "initial_term"):
        text = clause.text
        for f in find_durations(text):
            before = text[max(0, f.start - 90) : f.start].lower()
            # "shall extend for a period of five years" sets the term; "extend for successive
            # one-year periods" renews it.
            renews = re.search(
                r"renew|successive|additional|extension|extended\s+(?:for|by)", before[-60:]
            )
            # "before the end of such sixty (60) day period": a period set elsewhere.
            # "the last two (2) months of the Term": a part of the term, not its length.
            part = re.search(r"\b(?:last|first|final|remaining)\s+$", before)
            if _is_notice(text, f) or renews or before.endswith("such ") or part:
                continue
            if POST_TERM.search(text[f.end : f.end + 40]) or "during the term" in before:
                # "during the Term and for two (2) years thereafter": a survival period.
                continue
            if re.search(
                r"\b(?:term|period|for|continue\w*|remain\w*|be|is|of|in|ending|expire|expires"
                r"|terminate|terminates)\b\W*(?:\w+\W+){0,3}$",
                before,
            ):
                out.append((clause, f))
                break
        else:
            found = _anniversary(text)
            if found is not None:
                out.append((clause, found))
    return out


def _anniversary(text: str) -> Found | None:
    """The term up to an anniversary: "expire on the third anniversary" -> 36 months."""
    m = ANNIVERSARY.search(text)
    if m is None or not re.search(
        r"expir|terminat|end|conclud|until", text[max(0, m.start() - 60) : m.start()], re.I
    ):
        return None
    if m.group("count"):
        years = parse_number(m.group("count")) or 0
    else:
        word = m.group("n").lower()
        ordinal = ORDINAL_DAYS.get(re.sub(r"[\s-]+", "-", word))
        years = ordinal if ordinal is not None else int(re.sub(r"\D", "", word))
    if not years:
        return None
    return Found(Duration(months=12 * int(years)), m.start(), m.end(), m.group(0))


def initial_term(ctx: Context, hints: dict[str, frozenset[int]]) -> list[Term]:
    """The initial term: "an initial term of three (3) years", "for a period of five years"."""
    return [
        ctx.term("initial_term", f.value, c, f.start, f.end) for c, f in _initial_hits(ctx, hints)
    ]


def renewal_term(ctx: Context, hints: dict[str, frozenset[int]]) -> list[Term]:
    """How long each renewal lasts: "successive renewal terms of one (1) year", "year to year"."""
    out = []
    hinted = hints.get("renewal_term", frozenset())
    for clause in ctx.clauses:
        cue = RENEWAL.search(clause.text)
        if cue is None and clause.index not in hinted:
            continue
        term = _renewal_in(ctx, clause, cue.start() if cue else 0)
        if term is not None:
            out.append(term)
    return out


def _renewal_in(ctx: Context, clause: Clause, at: int) -> Term | None:
    """The renewal length stated after the renewal cue at `at` (not a notice period)."""
    text = clause.text
    for f in find_durations(text):
        if at - 10 <= f.start < at + 200 and not _is_notice(text, f):
            return ctx.term("renewal_term", f.value, clause, f.start, f.end)
    m = EVERY_YEAR.search(text, max(0, at - 40))
    if m:
        return ctx.term("renewal_term", Duration(months=12), clause, m.start(), m.end())
    same = SAME_LENGTH.search(text, at)
    hits = _initial_hits(ctx, {})
    if same and hits:
        return ctx.term("renewal_term", hits[0][1].value, clause, same.start(), same.end())
    return None


NON_RENEWAL = re.compile(
    r"not\s+(?:to\s+)?(?:be\s+)?(?:renew|extend)|non-?\s?renew|\bunless\b|terminat|cancel|"
    r"otherwise\s+notif",
    re.I,
)
# Notice a party gives to *obtain* a renewal (an option) is not notice that stops one.
OPTION_TO_RENEW = re.compile(
    r"(?:option|right|elect\w*|desire|wish\w*|intent\w*)\s+(?:(?!not\b)\w+\s+)?to\s+(?:renew|extend)"
    r"|(?:renewal|extension)\s+option|may\s+(?:be\s+)?(?:renew|extend)\w*\s+(?:\w+\s+){0,6}?by\s+"
    r"(?:mutual|written\s+agreement)",
    re.I,
)
DEADLINE_AFTER = re.compile(
    r"^\W{0,3}(?:\w+\W+){0,5}?(?:prior\s+to|before|in\s+advance\s+of|preceding)\s+(?:the\s+)?"
    r"(?:\w+[\s-]+){0,4}?(?:expir\w*|end|renewal|anniversary|term\b|termination|close)",
    re.I,
)


def non_renewal_notice(ctx: Context, hints: dict[str, frozenset[int]]) -> list[Term]:
    """Notice needed to stop a renewal: "notice of non-renewal at least sixty (60) days before"."""
    out = []
    hinted = hints.get("non_renewal_notice", frozenset())
    clauses = list(ctx.clauses)
    for clause in clauses:
        if not (RENEWAL.search(clause.text) or clause.index in hinted):
            continue
        # The notice often sits in the sentence after the renewal sentence.
        for cand in (clause, *clauses[clause.index + 1 : clause.index + 2]):
            hit = _renewal_notice(cand.text, cand is clause)
            if hit is not None:
                out.append(ctx.term("non_renewal_notice", hit.value, cand, hit.start, hit.end))
                break
    return out or _open_ended_notice(ctx, hints)


def _open_ended_notice(ctx: Context, hints: dict[str, frozenset[int]]) -> list[Term]:
    """The notice that ends an open-ended term ("until terminated on 30 days' notice")."""
    for clause in _term_clauses(ctx, hints, "expiration_date"):
        if PERPETUAL.search(clause.text):
            hit = next((f for f in find_durations(clause.text) if _is_notice(clause.text, f)), None)
            if hit is not None:
                return [ctx.term("non_renewal_notice", hit.value, clause, hit.start, hit.end)]
    return []


def _renewal_notice(text: str, is_renewal_sentence: bool) -> Found | None:
    if OPTION_TO_RENEW.search(text) or not NON_RENEWAL.search(text):
        return None
    if not is_renewal_sentence and not re.search(r"renew|notice|notif", text, re.I):
        return None
    for f in find_durations(text):
        after = text[f.end : f.end + 80]
        if DEADLINE_AFTER.search(after) or (is_renewal_sentence and _is_notice(text, f)):
            return f
    return None


def expiration_date(ctx: Context, hints: dict[str, frozenset[int]]) -> list[Term]:
    """When the term ends: a stated date, start date + initial term, or "perpetual".

    A date counts as the end when a sentence that sets the agreement's term says the term runs
    "until" or "expires on" it, or when it is labelled ("Termination Date: December 31, 2023");
    a fiscal or contract year that "ends on" a date is no end of the agreement. Without one, a
    plainly stated initial term is counted from the start date; a term that runs "until
    terminated" is "perpetual".
    """
    clauses = _term_clauses(ctx, hints, "expiration_date")
    in_term = {c.index for c in clauses}
    stated = [
        ctx.term("expiration_date", f.value, c, f.start, f.end)
        for c, f in _dated(ctx.clauses, _ends_term)
        if (c.index in in_term and not YEAR_DEF.search(c.text))
        or EXPIRATION_LABEL.search(_before(c.text, f, 60))
    ]
    # (not "an automatic renewal for an indefinite period": the renewals are open-ended)
    open_ended = next(
        (c for c in clauses if OPEN_ENDED.search(c.text) and not RENEWAL.search(c.text)), None
    )
    if open_ended is not None and not any(STRONG_TERM.search(t.quote) for t in stated):
        m = OPEN_ENDED.search(open_ended.text)
        assert m is not None
        return [ctx.term("expiration_date", "perpetual", open_ended, m.start(), m.end())]
    if stated:
        return stated
    hits = _initial_hits(ctx, hints)
    perpetual = next((c for c in clauses if PERPETUAL.search(c.text)), None)
    if perpetual is not None and not (hits and _term_score(*hits[0]) >= 2):
        # "shall continue until terminated" outranks a duration that no term sentence states.
        m = PERPETUAL.search(perpetual.text)
        assert m is not None
        return [ctx.term("expiration_date", "perpetual", perpetual, m.start(), m.end())]
    # A fixed term whose start is unknown has an end, only not one we can date.
    return _computed_expiration(ctx, hints)


def _ends_term(text: str, f: Found) -> bool:
    before = _before(text, f, 60)
    return bool(UNTIL_DATE.search(before) or EXPIRATION_LABEL.search(before))


def _computed_expiration(ctx: Context, hints: dict[str, frozenset[int]]) -> list[Term]:
    """Start date + initial term, as CUAD computes it (5 years from 2014-12-05 is 2019-12-05).

    A term counted from some event ("ten (10) years after the First Commercial Sale", "12
    months from the Launch Date") has no date to compute from: none is given.
    """
    hits = _initial_hits(ctx, hints)
    starts = effective_date(ctx) or agreement_date(ctx)
    # A duration in a sentence that names neither the agreement nor its term ("This training
    # is for the duration of 1 week") is no term to count an end from.
    if not hits or not starts or not OWN_TERM_WORDS.search(hits[0][0].text):
        return []
    clause, found = hits[0]
    event = COUNTED_FROM.match(clause.text, found.end)
    if event and not OWN_START.match(event.group("event")):
        return []
    length = found.value
    assert isinstance(length, Duration)
    end = add_months(str(starts[0].value), length.months, length.days)
    if end is None:
        return []
    return [ctx.term("expiration_date", end, clause, found.start, found.end)]


GOVERNING = re.compile(
    r"\b(?:governed|governing|construed|interpreted|enforced|controlled|determined|applies|apply|"
    r"applied|application|applicable)\b[^.;]{0,100}\b(?:laws?|legislation|regulations)\b|\b(?:laws?|legislation|"
    r"regulations)\b[^.;]{0,80}\b(?:shall|will)\s+(?:govern|apply|prevail|control)|"
    r"governing\s+law|choice\s+of\s+law|applicable\s+law",
    re.I,
)
STRONG_GOVERNING = re.compile(
    r"\b(?:governed|construed|interpreted|controlled)\s+(?:\w+\W+){0,8}?(?:by|under|in\s+"
    r"accordance\s+with|pursuant\s+to)\b[^.;]{0,60}\blaws?\b|\bgoverning\s+law\b",
    re.I,
)
LAW_WORD = re.compile(r"\b(?:laws?|legislation|regulations|judicial\s+decisions)\b", re.I)
LAW_OF = re.compile(
    r"\b(?:laws?|legislation|regulations)\s+(?:of|in|in\s+force\s+in|applicable\s+in)\s*"
    r"(?:the\s+)?$",
    re.I,
)
LAW_THEREOF = re.compile(
    r"\blaws?\s+(?:thereof|of\s+(?:that|such|said)\s+(?:state|jurisdiction|country|province))",
    re.I,
)
NOT_GOVERNING = re.compile(
    r"(?:organized|incorporated|existing|formed|registered|chartered|standing)\s+"
    r"(?:and\s+\w+\s+)?(?:under|in)\s+(?:the\s+)?(?:laws?\s+of\s+)?(?:the\s+)?$|"
    r"conflicts?\s+of\s+laws?[^.]{0,60}$|corporation\s*$|\bcourts?\b[^.;]{0,60}$",
    re.I,
)


def governing_law(ctx: Context, hints: dict[str, frozenset[int]]) -> list[Term]:
    """The law that governs: "governed by ... the laws of the State of Delaware" -> Delaware.

    Contracts mention many laws (securities laws of the United States, where a party is
    incorporated); candidates are ranked: a governing-law heading, "governed by / construed in
    accordance with ... laws", "this Agreement" in the sentence; federal law ranks last.
    """
    scored = []
    hinted = hints.get("governing_law", frozenset())
    for clause in ctx.clauses:
        text = clause.text
        if not LAW_WORD.search(text):
            continue
        headed = bool(re.search(r"govern|applicable\s+law|choice\s+of\s+law", clause.headings))
        if not (GOVERNING.search(text) or headed or clause.index in hinted):
            continue
        hit = _law_jurisdiction(text)
        if hit is None:
            continue
        score = (
            3 * headed
            + 2 * bool(STRONG_GOVERNING.search(text))
            + bool(re.search(r"this\s+(?:\w+\s+)?(?:agreement|contract|amendment)", text, re.I))
            + (clause.index in hinted)
            - 3 * (hit.value == "United States")
        )
        term = ctx.term("governing_law", hit.value, clause, hit.start, hit.end)
        scored.append((-score, clause.index, term))
    return [t for _, _, t in sorted(scored, key=lambda s: (s[0], s[1]))]


def _law_jurisdiction(text: str) -> Found | None:
    """The jurisdiction whose law the sentence applies (not where a party is incorporated).

    Preference: a place right after "the laws of", then any place near a word for law, then
    (for "the laws thereof") the place the sentence named before; a state beats "United States"
    ("the laws of the United States and the State of Florida" is Florida law).
    """
    direct, near, named = [], [], []
    for f in find_jurisdictions(text):
        before = text[max(0, f.start - 100) : f.start]
        if NOT_GOVERNING.search(before):
            continue
        named.append(f)
        after = text[f.end : f.end + 30]
        if LAW_OF.search(before) or re.match(
            r"\W{0,3}(?:substantive\s+|internal\s+)?laws?\b", after, re.I
        ):
            direct.append(f)
        elif LAW_WORD.search(before):
            near.append(f)
    if not (direct or near) and LAW_THEREOF.search(text):
        near = named
    ranked = [f for f in direct + near if f.value != "United States"] + direct + near
    return ranked[0] if ranked else None


VENUE = re.compile(r"\bcourts?\b", re.I)
VENUE_CUE = re.compile(r"jurisdiction|venue|submit|forum|brought|litigat|proceeding|sue", re.I)


def venue(ctx: Context) -> list[Term]:
    """Where disputes are heard: "the state and federal courts located in ... Delaware"."""
    out = []
    for clause in ctx.clauses:
        text = clause.text
        court = VENUE.search(text)
        if court is None or not VENUE_CUE.search(text):
            continue
        places = [f for f in find_jurisdictions(text) if f.start > court.start() - 60]
        if places:
            hit = places[0]
            out.append(ctx.term("venue", hit.value, clause, min(court.start(), hit.start), hit.end))
    return out


ARBITRATION_BODIES = [
    (r"American\s+Arbitration\s+Association|\bAAA\b", "AAA"),
    (r"International\s+Centre\s+for\s+Dispute\s+Resolution|\bICDR\b", "ICDR"),
    (r"\bJAMS\b", "JAMS"),
    (r"International\s+Chamber\s+of\s+Commerce|\bICC\b", "ICC"),
    (r"London\s+Court\s+of\s+International\s+Arbitration|\bLCIA\b", "LCIA"),
    (r"\bUNCITRAL\b", "UNCITRAL"),
    (r"Singapore\s+International\s+Arbitration\s+Cent(?:re|er)|\bSIAC\b", "SIAC"),
    (r"Hong\s+Kong\s+International\s+Arbitration\s+Cent(?:re|er)|\bHKIAC\b", "HKIAC"),
    (r"China\s+International\s+Economic\s+and\s+Trade\s+Arbitration|\bCIETAC\b", "CIETAC"),
]


def arbitration(ctx: Context) -> list[Term]:
    """Binding arbitration: its institution or rules and its seat when the clause names one."""
    out = []
    for clause in ctx.clauses:
        text = clause.text
        m = re.search(r"\barbitrat\w+", text, re.I)
        if m is None or not re.search(
            r"shall\s+be|settled|resolved|submitted|referred|binding", text, re.I
        ):
            continue
        body = next((name for pat, name in ARBITRATION_BODIES if re.search(pat, text)), "")
        seat = next((f.value for f in find_jurisdictions(text) if f.start > m.start()), "")
        value = ", ".join(v for v in (body or "arbitration", str(seat)) if v)
        out.append(ctx.term("arbitration", value, clause, m.start(), m.end()))
    return out


# "net 30", but not the "acme.net 30" of a web address or "net-30.com".
NET_DAYS = re.compile(rf"(?<![\w.@/-])net\s+(?P<n>{NUMBER})(?:\s*days?)?\b(?![.\-/@]\w)", re.I)
PAY_VERB = re.compile(r"\b(?:pay|pays|paid|payable|payment|remit\w*|due)\b", re.I)
# Another duty with its own deadline ("shall notify ... within fifteen (15) days").
OTHER_VERB = re.compile(
    r"\b(?:shall|will|must|may)\s+(?:\w+\s+){0,2}?(?:notify|dispute|object|submit|deliver|provide|"
    r"send|issue|invoice|give)\b",
    re.I,
)
# "within thirty (30) days", and "due thirty days after invoice" without the "within".
WITHIN = re.compile(
    r"\b(?:within|(?:due|payable)(?:\s+and\s+payable)?(?:\s+no\s+later\s+than)?|no\s+later\s+than)"
    r"\s*$",
    re.I,
)
INVOICE_AFTER = re.compile(
    r"^\W*(?:after|of|from|following|upon)\s+(?:the\s+)?(?:\w+\s+){0,4}?"
    r"(?:invoice|receipt|billing|statement)",
    re.I,
)
# The invoice named before the deadline: "shall pay each invoice within", "invoices are payable
# within", "all amounts invoiced shall be paid within".
INVOICE_BEFORE = re.compile(
    r"\b(?:invoices?|invoiced\s+amounts?|amounts?\s+invoiced)\b(?:\s+\S+){0,8}?\s*$", re.I
)


def payment_terms(ctx: Context) -> list[Term]:
    """Days to pay an invoice: "net 30", "within thirty (30) days after receipt of invoice"."""
    out = []
    for clause in ctx.clauses:
        text = clause.text
        for m in NET_DAYS.finditer(text):
            n = parse_number(m.group("n"))
            if n:
                out.append(
                    ctx.term("payment_terms", Duration(days=int(n)), clause, m.start(), m.end())
                )
        if not PAY_VERB.search(text):
            continue
        for f in find_durations(text):
            before = text[max(0, f.start - 120) : f.start]
            if not WITHIN.search(before):
                continue
            after = text[f.end : f.end + 80]
            if not (INVOICE_AFTER.search(after) or INVOICE_BEFORE.search(before)):
                continue
            if _last_verb_is_pay(before):
                out.append(ctx.term("payment_terms", f.value, clause, f.start, f.end))
    return out


def _last_verb_is_pay(before: str) -> bool:
    pay = [m.start() for m in PAY_VERB.finditer(before)]
    other = [m.start() for m in OTHER_VERB.finditer(before)]
    return bool(pay) and (not other or max(pay) > max(other))


FEE_WORDS = re.compile(
    r"\b(?:fees?|price|compensation|consideration|royalt\w+|charges?|purchase\s+price|"
    r"payable|pay|paid|retainer|salary|rate)\b",
    re.I,
)
NOT_FEE = re.compile(
    r"liabilit|insurance|coverage|exceed|indemnif|damages|penalt|expense|reimburs|"
    r"capital|shares|stock|loan|principal\s+amount|revenue",
    re.I,
)


def fees(ctx: Context) -> list[Term]:
    """Fees and prices with their currency: "a total fixed fee of ... (US$240,000.00)"."""
    totals, others = [], []
    for clause in ctx.clauses:
        text = clause.text
        if not FEE_WORDS.search(text) or NOT_FEE.search(text):
            continue
        for f in find_money(text):
            term = ctx.term("fees", f.value, clause, f.start, f.end)
            before = text[max(0, f.start - 60) : f.start]
            # A total or aggregate fee is what a reader compares first.
            (totals if re.search(r"total|aggregate|fixed\s+fee", before, re.I) else others).append(
                term
            )
    return totals + others


LATE = re.compile(
    r"late|overdue|past\s+due|not\s+paid|unpaid|delinquen|when\s+due|outstanding", re.I
)
PER_PERIOD = [
    (r"per\s+month|a\s+month|each\s+month|monthly|per\s+mensem", "month"),
    (r"per\s+annum|per\s+year|a\s+year|annual(?:ly)?|each\s+year|p\.a\.", "annum"),
    (r"per\s+day|a\s+day|daily", "day"),
]


def late_interest(ctx: Context) -> list[Term]:
    """Interest on late payments, as "1.5% per month" (or "prime + 2%")."""
    out = []
    for clause in ctx.clauses:
        text = clause.text
        if not re.search(r"\binterest\b", text, re.I) or not LATE.search(text):
            continue
        for f in find_percents(text):
            after = text[f.end : f.end + 40]
            before = text[max(0, f.start - 40) : f.start]
            period = next((p for pat, p in PER_PERIOD if re.search(pat, after, re.I)), "")
            value = f"{f.value:g}%" + (f" per {period}" if period else "")
            if re.search(r"prime|libor|base\s+rate|sofr", before + after, re.I):
                value = f"prime + {f.value:g}%"
            out.append(ctx.term("late_interest", value, clause, f.start, f.end))
            break
    return out


CAP = re.compile(r"liabilit\w*|liable", re.I)
INSURANCE = re.compile(r"insurance|insured|insurer|policy\s+limits|coverage", re.I)
CAP_LIMIT = re.compile(
    r"exceed|limited\s+to|in\s+excess\s+of|greater\s+than|more\s+than|not\s+to\s+exceed|cap\b|"
    r"maximum|aggregate",
    re.I,
)
MULTIPLE = re.compile(rf"(?P<n>{NUMBER})\s+times|(?P<word>twice|double)", re.I)
FEES_PAID = re.compile(
    r"(?:fees|amounts|charges|sums|price|compensation|consideration)\s+(?:\w+\s+){0,6}?"
    r"(?:paid|payable|received)",
    re.I,
)


def liability_cap(ctx: Context) -> list[Term]:
    """The cap on liability: an amount, or a multiple of the fees paid in a period."""
    out = []
    for clause in ctx.clauses:
        text = clause.text
        if not (CAP.search(text) and CAP_LIMIT.search(text)) and "liabilit" not in clause.headings:
            continue
        if not CAP.search(text) or INSURANCE.search(text):
            continue
        money = find_money(text)
        if money:
            f = money[0]
            out.append(ctx.term("liability_cap", f.value, clause, f.start, f.end))
            continue
        fees_paid = FEES_PAID.search(text)
        if fees_paid and CAP_LIMIT.search(text):
            out.append(_fees_multiple(ctx, clause, fees_paid))
    return out


def _fees_multiple(ctx: Context, clause: Clause, fees_paid: re.Match[str]) -> Term:
    text = clause.text
    mult = MULTIPLE.search(text)
    factor = 1.0
    if mult:
        factor = 2.0 if mult.group("word") else parse_number(mult.group("n")) or 1.0
    period = next((f for f in find_durations(text) if f.start > fees_paid.start() - 40), None)
    value = f"{factor:g}x fees paid"
    end = fees_paid.end()
    if period is not None:
        value += f" in {period.value}"
        end = max(end, period.end)
    start = min(fees_paid.start(), mult.start() if mult else fees_paid.start())
    return ctx.term("liability_cap", value, clause, start, end)


def _period_terms(
    ctx: Context,
    field: str,
    topic: re.Pattern[str],
    durations_after: re.Pattern[str],
    skip: re.Pattern[str] | None = None,
) -> list[Term]:
    """Durations in clauses about `topic` whose preceding words match `durations_after`."""
    out = []
    for clause in ctx.clauses:
        if not clause.about(topic) or (skip and skip.search(clause.text)):
            continue
        text = clause.text
        for f in find_durations(text):
            before = text[max(0, f.start - 60) : f.start]
            if durations_after.search(before) and not _is_notice(text, f):
                out.append(ctx.term(field, f.value, clause, f.start, f.end))
                break
    return out


def confidentiality_period(ctx: Context) -> list[Term]:
    """How long confidentiality lasts: "survive for a period of three (3) years following"."""
    return _period_terms(
        ctx,
        "confidentiality_period",
        re.compile(r"confidential|non-?disclosure", re.I),
        re.compile(
            r"(?:period\s+of|survive\w*\s+(?:for\s+)?|continue\w*\s+(?:for\s+)?|for|"
            r"during|until)\s*(?:a\s+period\s+of\s+)?$",
            re.I,
        ),
    )


def non_compete_duration(ctx: Context) -> list[Term]:
    """How long a party may not compete: "for a period of two (2) years after termination"."""
    return _period_terms(
        ctx,
        "non_compete_duration",
        re.compile(
            r"non-?compet|not\s+(?:directly\s+or\s+indirectly\s+)?(?:\w+\s+)?compete|"
            r"competing\s+(?:business|product)|competitive\s+business",
            re.I,
        ),
        re.compile(
            r"(?:period\s+of|for|during|thereafter|until)\s*(?:a\s+period\s+of\s+)?"
            r"(?:the\s+)?$|and\s+for\s*$",
            re.I,
        ),
        skip=re.compile(r"solicit", re.I),
    )


def warranty_duration(ctx: Context) -> list[Term]:
    """How long a warranty lasts: "for a period of six (6) months following its acceptance"."""
    return _period_terms(
        ctx,
        "warranty_duration",
        re.compile(r"\bwarrant", re.I),
        re.compile(r"(?:period\s+of|for|during|within)\s*(?:a\s+period\s+of\s+)?$", re.I),
    )


CONVENIENCE = re.compile(
    r"for\s+(?:its\s+)?convenience|without\s+cause|for\s+any\s+reason\s+or\s+no\s+reason|"
    r"for\s+any\s+(?:or\s+no\s+)?reason|at\s+any\s+time\s+(?:and\s+)?(?:for\s+any\s+reason|"
    r"without\s+(?:cause|reason))",
    re.I,
)


def termination_for_convenience(ctx: Context) -> list[Term]:
    """A right to terminate at will, valued by its notice period (True when none is stated)."""
    out = []
    for clause in ctx.clauses:
        text = clause.text
        cue = CONVENIENCE.search(text)
        if cue is None or not re.search(r"terminat", text, re.I):
            continue
        notice = next((f for f in find_durations(text) if _is_notice(text, f)), None)
        if notice is not None:
            out.append(
                ctx.term(
                    "termination_for_convenience", notice.value, clause, notice.start, notice.end
                )
            )
        else:
            out.append(
                ctx.term("termination_for_convenience", True, clause, cue.start(), cue.end())
            )
    return out


DOC_KINDS = [
    (r"amendments?", "Amendment"),
    (r"statements?\s+of\s+work|SOWs?", "SOW"),
    (r"order\s+forms?", "Order Form"),
    (r"purchase\s+orders?", "Purchase Order"),
    (r"exhibits?|schedules?|annex(?:es)?|appendi(?:x|ces)|attachments?", "Exhibit"),
    (r"addend(?:um|a)", "Addendum"),
    (r"(?:master\s+(?:services\s+)?)?agreement|MSA", "Agreement"),
]
_KIND_RE = re.compile(
    r"\b(?:this|the|any|each|such|an?|that)?\s*(?P<kind>"
    + "|".join(f"(?:{p})" for p, _ in DOC_KINDS)
    + r")\b",
    re.I,
)
PREVAIL = re.compile(
    r"\b(?:prevail\w*|control\w*|govern\w*|take\w*\s+precedence|supersede\w*|"
    r"rank\w*\s+after)\b",
    re.I,
)
PRECEDENCE_TOPIC = re.compile(r"precedence|conflict|inconsisten", re.I)


def _kind(word: str) -> str:
    return next(name for pat, name in DOC_KINDS if re.fullmatch(pat, word, re.I))


def order_of_precedence(ctx: Context) -> list[Term]:
    """Which documents prevail over which, as "Amendment > Agreement > SOW, Exhibit"."""
    edges: list[tuple[str, str]] = []
    first: tuple[Clause, int, int] | None = None
    for clause in ctx.clauses:
        if not (clause.about(PRECEDENCE_TOPIC) and PREVAIL.search(clause.text)):
            continue
        found = _precedence_edges(clause.text)
        if found:
            edges.extend(found)
            m = PREVAIL.search(clause.text)
            first = first or (clause, m.start(), m.end())
    if not edges or first is None:
        return []
    clause, start, end = first
    return [ctx.term("order_of_precedence", _rank(edges), clause, start, end)]


def _precedence_edges(text: str) -> list[tuple[str, str]]:
    """(winner, loser) pairs: "X shall prevail over Y", "between X and Y, X shall prevail"."""
    edges = []
    for m in PREVAIL.finditer(text):
        verb = m.group(0).lower()
        left = [_kind(k.group("kind")) for k in _KIND_RE.finditer(text, 0, m.start())]
        right = [_kind(k.group("kind")) for k in _KIND_RE.finditer(text, m.end())]
        if not left:
            continue
        if verb.startswith("rank"):
            # "Exhibits to this Agreement rank after the body of this Agreement."
            edges.extend((other, left[0]) for other in right[:1] if other != left[0])
            break
        subject = left[-1]
        losers = [k for k in right if k != subject]
        if re.match(r"\s+over\b", text[m.end() : m.end() + 6]) and losers:
            edges.extend((subject, k) for k in dict.fromkeys(losers))
        else:
            edges.extend((subject, k) for k in dict.fromkeys(left[:-1]) if k != subject)
        # Only the first ruling of a sentence counts: the rest are its exceptions.
        if edges:
            break
    return edges


def _rank(edges: Sequence[tuple[str, str]]) -> str:
    """Levels by longest path from the top: ties (no order known) share a level."""
    nodes = list(dict.fromkeys(k for e in edges for k in e))
    level = dict.fromkeys(nodes, 0)
    for _ in nodes:
        for winner, loser in edges:
            if level[loser] <= level[winner] and level[winner] < len(nodes):
                level[loser] = level[winner] + 1
    groups: dict[int, list[str]] = {}
    for node in nodes:
        groups.setdefault(level[node], []).append(node)
    return " > ".join(", ".join(groups[k]) for k in sorted(groups))


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
