"""Word documents (.docx, Office Open XML) to page texts, with the standard library only.

A .docx is a ZIP archive whose body text is `word/document.xml`. What is read, in document
order: paragraphs (one per blank-line-separated paragraph), tables (one line per row, cells
joined by " | ", so "Payment terms | Net 45" stays together), content controls, text boxes and
hyperlinks. Tracked changes are read as if accepted: insertions are kept, deletions and
moved-from text dropped. Field codes, headers, footers, footnotes and comments are left out.

Pages: Word records where its last layout broke the pages (`w:lastRenderedPageBreak`), and
explicit page breaks (`w:br w:type="page"`); both start a new page, so page citations match the
pages the author saw when the file was last saved in Word. A file written by another program
usually has neither and is one page. List numbering that Word generates ("1.1", "(a)") is not
part of the text and is not reconstructed.

Safety: the archive's sizes are checked before anything is decompressed (`max_xml_bytes`), and
XML with a document type declaration (never written by Word; the vehicle of entity-expansion
attacks) is refused.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
DC = "{http://purl.org/dc/elements/1.1/}"
BODY_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"
# The signature of an OLE compound file: Word saves password-protected .docx files (and legacy
# .doc files) in this container, not as a ZIP archive.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Subtrees whose text is not part of the document as it reads now.
_SKIPPED = frozenset(
    {
        W + "del",
        W + "moveFrom",
        W + "delText",
        W + "instrText",
        W + "delInstrText",
        W + "footnoteReference",
        W + "endnoteReference",
        W + "commentReference",
        W + "rPr",
        W + "pPr",
        W + "sectPr",
        MC + "Fallback",
    }
)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


class DocxError(ValueError):
    """Why a .docx file cannot be read; `kind` is the ingest error kind."""

    def __init__(self, kind: str, reason: str):
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


@dataclass(frozen=True)
class DocxText:
    """The text of a .docx file: one string per page (paragraphs joined by blank lines)."""

    pages: tuple[str, ...]
    title: str


@dataclass
class _Pages:
    """Collects paragraphs into pages while the body is walked."""

    pages: list[list[str]] = field(default_factory=lambda: [[]])
    parts: list[str] = field(default_factory=list)

    def text(self, value: str | None) -> None:
        if value:
            self.parts.append(value)

    def end_paragraph(self) -> None:
        paragraph = "".join(self.parts).strip()
        if paragraph:
            self.pages[-1].append(paragraph)
        self.parts = []

    def page_break(self) -> None:
        self.end_paragraph()
        # Word writes a rendered break right after an explicit one: only one new page.
        if self.pages[-1]:
            self.pages.append([])


def read_docx(data: bytes, max_xml_bytes: int) -> DocxText:
    """The pages and title of the .docx file `data`; raises `DocxError` naming the problem."""
    if data.startswith(OLE_MAGIC):
        raise DocxError(
            "encrypted",
            "password-protected Word file (or a legacy .doc named .docx): "
            "save it as .docx without a password",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise DocxError("corrupt", f"not a valid .docx (ZIP) file: {exc}") from exc
    with archive:
        body = _part(archive, BODY_PART, max_xml_bytes)
        if body is None:
            raise DocxError("corrupt", f"not a Word document: no {BODY_PART} in the archive")
        core = _part(archive, CORE_PART, max_xml_bytes)
    root = _parse(body, BODY_PART)
    pages = _Pages()
    doc_body = root.find(W + "body")
    if doc_body is not None:
        _blocks(doc_body, pages)
    pages.end_paragraph()
    texts = tuple("\n\n".join(paragraphs) for paragraphs in pages.pages)
    return DocxText(texts, _title(core))


def _part(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    """One archive member, checked against `limit` before it is decompressed."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > limit:
        raise DocxError(
            "too_large", f"{name} would decompress to {info.file_size:,} bytes (limit {limit:,})"
        )
    try:
        with archive.open(info) as member:
            # The declared size can lie: never read more than the limit.
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise DocxError("corrupt", f"cannot decompress {name}: {exc}") from exc
    if len(data) > limit:
        raise DocxError("too_large", f"{name} decompresses to more than {limit:,} bytes")
    return data


def _parse(xml: bytes, name: str) -> ElementTree.Element:
    if _DOCTYPE.search(xml[:4096]):
        raise DocxError("corrupt", f"{name} declares a DTD, which Word never writes: refused")
    try:
        return ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise DocxError("corrupt", f"{name} is not well-formed XML: {exc}") from exc


def _title(core: bytes | None) -> str:
    if core is None:
        return ""
    try:
        title = _parse(core, CORE_PART).find(DC + "title")
    except DocxError:
        # A damaged properties part should not cost the text.
        return ""
    return " ".join((title.text or "").split()) if title is not None else ""


def _blocks(parent: ElementTree.Element, pages: _Pages) -> None:
    """Block-level content: paragraphs, tables, and containers of them (content controls)."""
    for child in parent:
        if child.tag in _SKIPPED:
            continue
        if child.tag == W + "p":
            _inline(child, pages)
            pages.end_paragraph()
        elif child.tag == W + "tbl":
            _table(child, pages)
        else:
            _blocks(child, pages)


def _table(table: ElementTree.Element, pages: _Pages) -> None:
    """Each row as one paragraph, its non-empty cells joined by " | "."""
    for row in table.findall(W + "tr"):
        cells = []
        for cell in row.findall(W + "tc"):
            inner = _Pages()
            _blocks(cell, inner)
            inner.end_paragraph()
            text = " ".join(p for page in inner.pages for p in page)
            if text:
                cells.append(text)
        if cells:
            pages.text(" | ".join(cells))
            pages.end_paragraph()


def _inline(parent: ElementTree.Element, pages: _Pages) -> None:
    """The runs of one paragraph, with breaks, tabs and nested text (hyperlinks, insertions)."""
    for child in parent:
        tag = child.tag
        if tag in _SKIPPED:
            continue
        if tag == W + "t":
            pages.text(child.text)
        elif tag in (W + "tab", W + "ptab"):
            pages.text(" ")
        elif tag == W + "br":
            if child.get(W + "type") == "page":
                pages.page_break()
            else:
                pages.text("\n")
        elif tag == W + "cr":
            pages.text("\n")
        elif tag == W + "lastRenderedPageBreak":
            pages.page_break()
        elif tag == W + "noBreakHyphen":
            pages.text("-")
        elif tag == W + "p":
            # A text box's paragraphs, inside a run of this paragraph.
            _inline(child, pages)
            pages.text("\n")
        else:
            _inline(child, pages)
