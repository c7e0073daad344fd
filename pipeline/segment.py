"""Segment a Document into sections, paragraphs and sentences, each with a span and a page.

Every span is [start, end) into `Document.text` and tight (no leading or trailing whitespace),
so a citation can quote `doc.text[start:end]` and find exactly what the sentence says.

Structure comes from lines: a line that opens with a heading or clause marker (a Markdown `#`,
"ARTICLE IV", "Section 5.", "1.", "1.1", "(a)", "(iv)", a recital "A.", or an all-caps heading
line) starts a section. Inside a block of lines a marker only counts when the previous line
closes a sentence or list item, because PDF text wraps lines anywhere and a wrapped line may
start with "(30) days" or "Section 10.5 of".
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.document import Document


@dataclass(frozen=True)
class Section:
    """A heading or numbered clause and everything under it.

    `number` is canonical: "1.1" for numbered clauses (also when written "Section 1.1."),
    "(a)" / "(iv)" for list items, "A" for lettered recitals, "ARTICLE IV" for articles, parts
    and exhibits, None for unnumbered headings and front matter. `level` is 1 for articles and
    top-level headings, the depth of a dotted number ("5.2" is 2), and one below the enclosing
    clause for list items. A section's span runs to the start of the next section at the same or
    a higher level, so sections nest; `parent` is the index of the enclosing section.
    """

    index: int
    number: str | None
    heading: str
    level: int
    start: int
    end: int
    page: str
    parent: int | None = None

    @property
    def is_item(self) -> bool:
        """A list item ("(a)", "(iv)", recital "A") rather than a clause or heading."""
        return self.number is not None and (
            self.number.startswith("(") or bool(re.fullmatch(r"[A-Z]", self.number))
        )


@dataclass(frozen=True)
class Paragraph:
    """A block of body text inside the innermost section that holds it."""

    index: int
    section: int
    start: int
    end: int
    page: str


@dataclass(frozen=True)
class Sentence:
    """One sentence; `text` is `doc.text[start:end]` (line breaks inside it kept)."""

    index: int
    paragraph: int
    section: int
    start: int
    end: int
    text: str
    page: str


@dataclass(frozen=True)
class Segmented:
    """A document with its sections, paragraphs and sentences, each ordered by position."""

    doc: Document
    sections: tuple[Section, ...]
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...]


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Abbreviations whose period never ends a sentence: the next word belongs to them.
NEVER_FINAL = _wordset(
    "mr mrs ms dr prof hon rev no nos sec secs art arts cl para paras subpara ch pt sch "
    "e.g i.e cf viz v vs approx fig figs vol p pp ex exh re"
)
# Abbreviations that may end a sentence ("... with Acme, Inc. The Supplier ..."): a boundary
# only when the next word is one that typically opens a sentence.
MAYBE_FINAL = _wordset(
    "inc ltd corp co llc l.l.c llp l.l.p lp l.p plc pty bros n.a s.a u.s u.k u.s.a e.u "
    "etc al jr sr a.m p.m"
)
SENTENCE_OPENERS = _wordset(
    "the this that these those each either neither any all in if such notwithstanding subject "
    "upon except for it its their there a an on unless nothing where when both none we you "
    "our they he she following pursuant accordingly however further additionally moreover "
    "therefore thus as to under at after before during within without no"
)
# A single capital before a period is an initial ("Ingrid M. Halvorsen") unless it names a
# document part ("as set out in Exhibit A. The ...").
LETTER_NAMERS = _wordset(
    "exhibit schedule annex appendix attachment part class series article section item clause "
    "phase tier option type grade plan"
)
# A period after a month abbreviation continues a date when a day number follows ("Oct. 11"),
# and one after a currency's abbreviation an amount ("Rs. 5,00,000", "Stg. 500").
MONTH_ABBREVIATIONS = _wordset("jan feb mar apr jun jul aug sep sept oct nov dec")
CURRENCY_ABBREVIATIONS = _wordset("rs stg cdn sfr")
BEFORE_A_NUMBER = MONTH_ABBREVIATIONS | CURRENCY_ABBREVIATIONS
# Lines that date or make the agreement (a month's name or these words) are text the key terms
# read, never a subtitle.
NOT_SUBTITLE = re.compile(
    r"\b(?:dated|effective|between|made|entered|may|"
    + "|".join(sorted(MONTH_ABBREVIATIONS))
    + r")[a-z]*\b",
    re.IGNORECASE,
)

CANDIDATE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s)")
HARD_BREAK = re.compile(r"\n[ \t]*\n\s*")
# A subtitle line under a capitals heading: at most this many words, and not ending like a
# sentence or a wrapped line does.
SUBTITLE_WORDS = 8
SUBTITLE_CLOSERS = ".,;:!?\"'\u201d\u2019)]-"
WORD_BEFORE = re.compile(r"\S+$")
NEXT_WORD = re.compile(r"\s*(\S+)")
OPENING_PUNCT = "([\"'\u201c\u2018"
SMALL_WORDS = _wordset("of and or the to for in on a an by with at from as its")

ROMAN = r"(?=[ivxlcdm]+\b)m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
NUMBER = r"\d{1,3}(?:\.\d{1,3})*"
MARKER_ONLY = re.compile(
    rf"(?:(?:section|sec\.|article|art\.|clause|\u00a7)\s*)?(?:{NUMBER}|[ivxlcdm]+|[a-z])\.?"
    rf"|\((?:[a-z]{{1,4}}|\d{{1,2}})\)",
    re.IGNORECASE,
)
LEAD_IN = re.compile(
    rf"[\"\u201c]?(?:(?:section|sec\.|article|clause)\s*)?{NUMBER}\.?\s+([^\s].*?)\.$",
    re.IGNORECASE | re.DOTALL,
)

MD_HEADING = re.compile(r"(#{1,6})\s+(.+)")
ARTICLE = re.compile(
    r"(ARTICLE|Article|PART|Part|CHAPTER|Chapter|SCHEDULE|Schedule|EXHIBIT|Exhibit|ANNEX|Annex"
    r"|APPENDIX|Appendix)\s+([IVXLCDM]+|\d{1,3}|[A-Z])\b\.?(.*)"
)
SECTION_WORD = re.compile(rf"(?:SECTION|Section|Sec\.|\u00a7)\s*({NUMBER})(\.?)(.*)")
NUMBERED = re.compile(rf"({NUMBER})(\.?)(?:\s+(.*)|$)")
ROMAN_DIGITS = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
PAREN_ITEM = re.compile(r"\((" + ROMAN + r"|[a-z]{1,2}|[A-Z]|\d{1,2})\)\s+(\S.*)")
LETTER_ITEM = re.compile(r"([A-Z])\.\s+([A-Z\"\u201c].*)")
# Words in capitals (a heading) up to the first clause number or mixed-case word after them.
CAPS_RUN = re.compile(r"(?:[A-Z][A-Z&,'\-]*\b\s*)+(?=\d|[A-Z][a-z]|\(|$)")


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Tight (start, end) spans of the sentences of `text`, shifted by `offset`.

    A blank line always ends a sentence. A period after a legal abbreviation (Inc., U.S., No.,
    e.g.), a decimal or an amount ($1,000,000.00) does not; a piece that is only a clause
    marker ("Section 2.1.", "(a)") or a numbered lead-in heading ("5.2 Payment Terms.") is
    joined to the sentence it introduces. Every span holds a letter or digit.
    """
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _hard_blocks(text):
        spans.extend(_split_block(text, block_start, block_end))
    return [(s + offset, e + offset) for s, e in spans]


def _hard_blocks(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for m in HARD_BREAK.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _split_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [start]
    for m in CANDIDATE_END.finditer(text, start, end):
        if _is_boundary(text, m.start(), m.end(), end):
            cuts.append(m.end())
    cuts.append(end)
    pieces = [_tighten(text, a, b) for a, b in itertools.pairwise(cuts)]
    return _merge_fragments(text, [p for p in pieces if p[0] < p[1]])


def _tighten(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_boundary(text: str, punct_start: int, punct_end: int, limit: int) -> bool:
    nxt = _next_word(text, punct_end, limit)
    if not nxt or nxt[0].islower():
        # Lower case after a period continues the sentence ("e.g. the", "Inc. and").
        return False
    if "." not in text[punct_start:punct_end]:
        return True
    word = _word_before(text, punct_start)
    if word is None:
        return True
    token = word.group(0).lstrip(OPENING_PUNCT)
    if token.lower() in NEVER_FINAL:
        return False
    if token.lower() in BEFORE_A_NUMBER and nxt[0].isdigit():
        return False
    if token.lower() in MAYBE_FINAL or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", token):
        return nxt.strip(OPENING_PUNCT).lower() in SENTENCE_OPENERS
    if re.fullmatch(r"[A-Z]", token):
        before = _word_before(text, word.start() - 1)
        return before is not None and before.group(0).lower() in LETTER_NAMERS
    return True


def _word_before(text: str, end: int) -> re.Match[str] | None:
    # Look back a bounded distance: searching from 0 would make splitting quadratic.
    return WORD_BEFORE.search(text, max(0, end - 64), max(0, end))


def _next_word(text: str, pos: int, limit: int) -> str:
    m = NEXT_WORD.match(text, pos, limit)
    return m.group(1) if m else ""


def _merge_fragments(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join marker-only and lead-in pieces to the next sentence, punctuation-only ones back."""
    merged: list[tuple[int, int]] = []
    pending: int | None = None
    for start, end in spans:
        piece = text[start:end]
        if not any(ch.isalnum() for ch in piece):
            if pending is None and merged:
                merged[-1] = (merged[-1][0], end)
            elif pending is None:
                pending = start
            continue
        if pending is not None:
            start, pending = pending, None
        if _is_fragment(text[start:end]):
            pending = start
            continue
        merged.append((start, end))
    if pending is not None:
        tail = (pending, spans[-1][1])
        if any(ch.isalnum() for ch in text[tail[0] : tail[1]]):
            merged.append(tail)
        elif merged:
            merged[-1] = (merged[-1][0], tail[1])
    return merged


def _is_fragment(piece: str) -> bool:
    if MARKER_ONLY.fullmatch(piece):
        return True
    lead = LEAD_IN.fullmatch(piece)
    return bool(lead) and _is_title(lead.group(1))


def _is_title(phrase: str) -> bool:
    """A short Title Case phrase such as "Payment Terms" or "Amendment of Section 10.5 (Cap)"."""
    words = phrase.split()
    if not 0 < len(words) <= 10:
        return False
    initials = [w.lstrip(OPENING_PUNCT)[:1] for w in words]
    return all(
        w.lower() in SMALL_WORDS or ch.isupper() or ch.isdigit()
        for w, ch in zip(words, initials, strict=True)
    )


@dataclass(frozen=True)
class _Marker:
    """What a structural line opens: a heading-only line or a clause with body text."""

    number: str | None
    heading: str
    level: int | None
    style: str | None
    body: bool


@dataclass
class _Open:
    level: int
    style: str | None


def segment(doc: Document) -> Segmented:
    """Split `doc` into sections, paragraphs and sentences with tight spans and page labels."""
    marks, paras = _scan_lines(doc.text)
    sections = _build_sections(doc, marks)
    starts = [s.start for s in sections]
    paragraphs = tuple(
        Paragraph(i, _innermost(starts, a), a, b, _page(doc, a)) for i, (a, b) in enumerate(paras)
    )
    sentences = []
    for para in paragraphs:
        for start, end in split_sentences(doc.text[para.start : para.end], para.start):
            sentences.append(
                Sentence(
                    len(sentences),
                    para.index,
                    para.section,
                    start,
                    end,
                    doc.text[start:end],
                    _page(doc, start),
                )
            )
    return Segmented(doc, sections, paragraphs, tuple(sentences))


def _page(doc: Document, char: int) -> str:
    return doc.page_at(char).label if doc.pages else ""


def _innermost(starts: list[int], char: int) -> int:
    # Sections nest and the last one opened before `char` is still open there.
    return max(0, bisect.bisect_right(starts, char) - 1)


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """Tight spans of the lines of `text`; blank lines come out as (pos, pos)."""
    pos = 0
    for line in text.split("\n"):
        yield _tighten(text, pos, pos + len(line))
        pos += len(line) + 1


def _scan_lines(text: str) -> tuple[list[tuple[int, _Marker]], list[tuple[int, int]]]:
    """Section markers (line start, marker) and paragraph spans, in document order."""
    marks: list[tuple[int, _Marker]] = []
    paras: list[tuple[int, int]] = []
    in_para = False
    closed = True
    untitled: int | None = None
    # The unnumbered capitals heading just above, which a subtitle line may extend.
    titled: int | None = None
    lines = list(_lines(text))
    for i, (start, end) in enumerate(lines):
        line = text[start:end]
        if not line:
            in_para, closed = False, True
            continue
        if untitled is not None and _is_caps_heading(line):
            # "ARTICLE V" on one line, its title on the next.
            pos, old = marks[untitled]
            marks[untitled] = (pos, _Marker(old.number, line, old.level, old.style, False))
            untitled = None
            continue
        untitled = None
        marker = _marker(line, closed, marks)
        if titled is not None and marker is None and _is_subtitle(line, _next_line(text, lines, i)):
            # "MASTER SERVICES AGREEMENT" then "Agreement No. HL-BA-2024-001": part of the
            # heading, not the start of the first sentence.
            pos, old = marks[titled]
            marks[titled] = (
                pos,
                _Marker(old.number, f"{old.heading} {line}", old.level, old.style, False),
            )
            continue
        titled = None
        if marker is not None:
            marks.append((start, marker))
            in_para = False
            if not marker.body:
                untitled = None if marker.heading else len(marks) - 1
                titled = len(marks) - 1 if marker.heading and marker.number is None else None
                closed = True
                continue
        if in_para:
            paras[-1] = (paras[-1][0], end)
        else:
            paras.append((start, end))
            in_para = True
        closed = _closes(line)
    return marks, paras


def _next_line(text: str, lines: list[tuple[int, int]], i: int) -> str:
    """The first non-blank line after line i ("" at the end)."""
    return next((text[a:b] for a, b in itertools.islice(lines, i + 1, None) if a < b), "")


def _is_subtitle(line: str, after: str) -> bool:
    """Whether `line`, under a capitals heading, is a subtitle: a short Title Case line with no
    closing punctuation ("Freight Demand Forecasting Platform", "Agreement No. 7"), followed by
    a line that opens with a capital."""
    nxt = after.strip().lstrip(OPENING_PUNCT)
    return (
        line[-1] not in SUBTITLE_CLOSERS
        and len(line.split()) <= SUBTITLE_WORDS
        and _is_title(line)
        and not NOT_SUBTITLE.search(line)
        and nxt[:1].isupper()
    )


def _closes(line: str) -> bool:
    """Whether a clause may start on the line after `line` (one that ends a sentence or item)."""
    tail = line.rstrip("\"'\u201d\u2019)")
    words = tail.split()
    last = words[-1].lstrip(OPENING_PUNCT).rstrip(".").lower() if words else ""
    if tail.endswith(".") and last in NEVER_FINAL:
        # "... under SOW No." wraps before "1.", which is no clause number.
        return False
    return tail.endswith((".", ":", ";", "!", "?")) or bool(re.search(r"\b(?:and|or)$", line))


def _marker(line: str, closes: bool, marks: list[tuple[int, _Marker]]) -> _Marker | None:
    """The structural marker that `line` opens with, if any."""
    md = MD_HEADING.fullmatch(line)
    if md:
        inner = _marker(md.group(2), True, marks)
        if inner is not None and not inner.body:
            return inner
        return _Marker(None, md.group(2).strip(), len(md.group(1)), None, False)
    if not closes:
        return None
    for parse in (_article, _section_word, _numbered):
        found = parse(line)
        if found is not None:
            return found
    return _item(line, marks) or _caps(line)


def _article(line: str) -> _Marker | None:
    m = ARTICLE.fullmatch(line)
    if not m:
        return None
    number = f"{m.group(1).upper()} {m.group(2)}"
    rest = m.group(3).strip().lstrip(".:-\u2013\u2014 ").strip()
    if rest and (rest[0].islower() or rest.split()[0].lower() in SMALL_WORDS):
        return None
    if not rest or _is_caps_heading(rest) or _is_title(rest):
        return _Marker(number, rest, 1, None, False)
    if not m.group(1).isupper():
        return None
    # "ARTICLE 8 INDEMNIFICATION 8.1 The Supplier shall ...": EDGAR text often puts a whole
    # article on one line; its heading is the run of capitals, the rest is the article's body.
    head = CAPS_RUN.match(rest)
    return _Marker(number, head.group(0).strip() if head else "", 1, None, True)


def _section_word(line: str) -> _Marker | None:
    m = SECTION_WORD.fullmatch(line)
    if not m:
        return None
    number, rest = m.group(1), m.group(3).strip()
    separated = m.group(2) == "." or m.group(3)[:1] in (":", "-", "\u2013", "\u2014")
    rest = rest.lstrip(":-\u2013\u2014 ")
    if rest and (not separated or not rest[0].isupper()):
        return None
    return _clause(number, rest)


def _numbered(line: str) -> _Marker | None:
    m = NUMBERED.fullmatch(line)
    if not m:
        return None
    number, dot, rest = m.group(1), m.group(2), (m.group(3) or "").strip()
    if "." not in number and not dot:
        return None
    if rest and not (rest[0].isupper() or rest[0] in OPENING_PUNCT):
        return None
    return _clause(number, rest)


def _clause(number: str, rest: str) -> _Marker:
    level = number.count(".") + 1
    if not rest or _is_caps_heading(rest.rstrip(".")):
        return _Marker(number, rest.rstrip("."), level, None, False)
    return _Marker(number, _lead_in(rest), level, None, True)


def _lead_in(rest: str) -> str:
    m = re.match(r"(.+?)\.(?=\s|$)", rest)
    return m.group(1) if m and _is_title(m.group(1)) else ""


def _item(line: str, marks: list[tuple[int, _Marker]]) -> _Marker | None:
    """A list item line, if it continues its list: "(c)" only after "(b)", "B." after "A."."""
    m = PAREN_ITEM.fullmatch(line)
    if m:
        label, number = m.group(1), f"({m.group(1)})"
        style = _paren_style(label, marks)
    else:
        m = LETTER_ITEM.fullmatch(line)
        if not m:
            return None
        label = number = m.group(1)
        style = "LETTER"
    # A wrapped line may start with "(c)" of an inline list, or "M. Halvorsen" of a name; a
    # real list starts at its first label and goes on in order.
    prev = _previous_item(style, marks)
    expected = _ordinal(prev, style) + 1 if prev else 1
    if _ordinal(label, style) != expected:
        return None
    return _Marker(number, "", None, style, True)


def _previous_item(style: str, marks: list[tuple[int, _Marker]]) -> str | None:
    """Label of the last item of `style` in the current clause (a clause or heading ends lists)."""
    for _, marker in reversed(marks):
        if marker.style is None:
            return None
        if marker.style == style:
            return (marker.number or "").strip("()")
    return None


def _paren_style(label: str, marks: list[tuple[int, _Marker]]) -> str:
    if label.isdigit():
        return "digit"
    if label.isupper():
        return "ALPHA"
    if label in ("i", "v", "x"):
        # "(i)" after "(h)" is a letter; otherwise a roman numeral.
        prev = _previous_item("alpha", marks)
        after_letter = prev is not None and _ordinal(prev, "alpha") + 1 == _ordinal(label, "alpha")
        return "alpha" if after_letter else "roman"
    if len(label) > 1 and re.fullmatch(ROMAN, label):
        return "roman"
    return "alpha"


def _ordinal(label: str, style: str) -> int:
    if style == "digit":
        return int(label)
    if style == "roman":
        return _roman_value(label)
    # Letters run a..z, then aa, bb, ... as in long definition lists.
    return 26 * (len(label) - 1) + ord(label[0].lower()) - ord("a") + 1


def _roman_value(label: str) -> int:
    values = [ROMAN_DIGITS[ch] for ch in label]
    return sum(-v if v < nxt else v for v, nxt in zip(values, [*values[1:], 0], strict=True))


def opens_structure(line: str, caps_heading: bool = True) -> bool:
    """Whether a line would open a heading, clause or list item after a closed line: "ARTICLE
    5", "Section 2.1", "5.1 Fees.", "(b) ...", "B. ...", or (with `caps_heading`) a heading in
    capitals.

    Ingest keeps the line break before such a line, so segmentation can still see it there.
    """
    line = line.strip()
    return bool(
        MD_HEADING.fullmatch(line)
        or _article(line)
        or _section_word(line)
        or _numbered(line)
        or PAREN_ITEM.fullmatch(line)
        or LETTER_ITEM.fullmatch(line)
        or (caps_heading and _is_caps_heading(line))
    )


def _caps(line: str) -> _Marker | None:
    return _Marker(None, line, 1, None, False) if _is_caps_heading(line) else None


def _is_caps_heading(line: str) -> bool:
    """A short all-capitals line that reads as a heading, not a shouted sentence or a name."""
    words = line.split()
    letters = [ch for ch in line if ch.isalpha()]
    if not words or len(words) > 12 or len(line) > 100 or len(letters) < 3:
        return False
    if any(ch.islower() for ch in letters) or line.endswith((".", ",", ";")):
        return False
    return words[-1].lower() not in SMALL_WORDS | {"any", "all", "no", "not"}


def _build_sections(doc: Document, marks: list[tuple[int, _Marker]]) -> tuple[Section, ...]:
    entries = _levels(marks)
    levels = [level for _, _, level in entries]
    starts = [pos for pos, _, _ in entries]
    ends = _ends(levels, starts, len(doc.text))
    parents = _parents(levels)
    rows = [
        (pos, mk.number, mk.heading, level, end, parent)
        for (pos, mk, level), end, parent in zip(entries, ends, parents, strict=True)
    ]
    first = starts[0] if starts else len(doc.text)
    front, _ = _tighten(doc.text, 0, first)
    if front < first:
        # Front matter before the first heading forms an unnumbered top-level section.
        shifted = [(*row[:5], None if row[5] is None else row[5] + 1) for row in rows]
        rows = [(front, None, "", 1, first, None), *shifted]
    return tuple(
        Section(i, number, heading, level, pos, end, _page(doc, pos), parent)
        for i, (pos, number, heading, level, end, parent) in enumerate(rows)
    )


def _levels(marks: list[tuple[int, _Marker]]) -> list[tuple[int, _Marker, int]]:
    """Give list items a level one below their enclosing clause; other markers keep theirs."""
    stack: list[_Open] = []
    out = []
    for pos, mk in marks:
        style = mk.style
        if style is None:
            level = mk.level or 1
            while stack and stack[-1].level >= level:
                stack.pop()
        else:
            same = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].style == style), None)
            if same is not None:
                level = stack[same].level
                del stack[same:]
            else:
                level = stack[-1].level + 1 if stack else 1
        stack.append(_Open(level, style))
        out.append((pos, mk, level))
    return out


def _ends(levels: list[int], starts: list[int], text_end: int) -> list[int]:
    """Each section ends where the next section at the same or a higher level starts."""
    ends = [text_end] * len(levels)
    open_: list[int] = []
    for i, level in enumerate(levels):
        while open_ and levels[open_[-1]] >= level:
            ends[open_.pop()] = starts[i]
        open_.append(i)
    return ends


def _parents(levels: list[int]) -> list[int | None]:
    parents: list[int | None] = []
    open_: list[int] = []
    for level in levels:
        while open_ and levels[open_[-1]] >= level:
            open_.pop()
        parents.append(open_[-1] if open_ else None)
        open_.append(len(parents) - 1)
    return parents
