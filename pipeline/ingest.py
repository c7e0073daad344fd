"""Ingest: files (PDF, Word .docx, plain text, Markdown, JSON Lines) into cleaned `Document`s.

This is the only module in the project that imports pypdf; .docx files are read by
`pipeline.docx` (standard library only).

Every failure is reported per file as an `IngestError` with a stable `kind`; the bundle-level
functions never raise because one input is bad. The kinds:

- ``missing``: the path does not exist, cannot be read, or a glob/directory matched nothing.
- ``empty``: the file (or a JSON Lines record's text) has no bytes / no text at all.
- ``too_large``: the file, or a gzip file's decompressed content, is above ``max_bytes``.
- ``unsupported``: an extension this module does not read, a directory passed as a file, or a
  PDF feature pypdf cannot handle (a non-standard security handler).
- ``not_pdf``: named ``.pdf`` but without a PDF header.
- ``corrupt``: a PDF, .docx or gzip file that cannot be parsed (truncated, damaged).
- ``encrypted``: an encrypted PDF and no or the wrong password (or AES without `cryptography`);
  a password-protected .docx (Word stores those outside the ZIP format).
- ``no_text``: a PDF whose pages carry no text layer (scanned): it needs OCR.
- ``bomb``: a PDF that trips pypdf's resource limits (decompression bomb, cyclic structures).
- ``not_text``: a ``.txt``/``.md``/``.jsonl`` file that holds binary data.
- ``bad_line``: a JSON Lines line that is not a JSON object.
- ``missing_field``: a JSON Lines record without a string text field.
- ``internal``: an unexpected exception while reading one file in `ingest_paths` (a bug);
  reported like any other error so the rest of the bundle still loads.

A PDF page's text is pypdf's plain extraction with a blank line wherever the next line sits a
paragraph gap below the line above (more than 1.25 line pitches: `pipeline.pdf_paragraphs`), so
paragraphs, headings and list items stay apart as they do in a text file.

Cleaning (`clean_pages`) works page by page and keeps a character -> page map:

- running headers and footers (a line among the first or last three non-blank lines of at
  least 60% of the pages, digits ignored so "Page 3 of 10" and "Page 4 of 10" count as one;
  never on a one-page document) and bare page numbers at the top or bottom of a page ("3",
  "- 3 -", "Page 3", "Page 3 of 10", "3/10", the printed label) go;
- words hyphenated across a line end are joined when the document spells the whole word
  elsewhere, and kept hyphenated when it writes the compound on one line elsewhere
  ("cost-\\nplus" -> "cost-plus"); otherwise joined when the part after the break starts with
  a lowercase letter ("termi-\\nnation" -> "termination"), except after prefixes that are
  hyphenated in legal prose ("non-\\ncompete" -> "non-compete") and inside compounds
  ("state-of-the-\\nart"). A split in capitals ("INCORP-\\nORATED") is joined unless both
  halves are words of the document ("FIXED-\\nFEE") or the first is such a prefix; one before
  a capital in mixed case ("Post-\\nClosing") stays. A word split over a page break is joined
  onto the earlier page;
- ligatures are expanded, soft hyphens and zero-width characters dropped;
- runs of spaces and tabs collapse to one space, lines are stripped, and runs of blank lines
  collapse to one blank line, which marks a paragraph break;
- a line that the page width ended mid-sentence (a full line of prose ending in a word, a
  number or a comma) runs on into the next with a space, so "the Effective\\nDate" reads as
  the words it is. Other single newlines inside a paragraph are kept on purpose: headings and
  numbered clauses ("ARTICLE IV", "1.1 Term"), list items ending in ";", labels ending in ":",
  addresses and signature blocks start lines, and segmentation and the key-term extractors
  read those line starts.

Pages are joined with a blank line when the page ends a sentence, with a space when its last
line was wrapped mid-sentence, else with one newline (a sentence running over a page break
stays one paragraph). The separator belongs to the page
before it, so the page spans are contiguous; an empty page gets an empty span.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import io
import itertools
import json
import math
import os
import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import (
    DependencyError,
    EmptyFileError,
    FileNotDecryptedError,
    LimitReachedError,
)

from pipeline.document import Document, IngestError, Page
from pipeline.docx import DocxError, read_docx
from pipeline.pdf_paragraphs import Piece, combine, with_paragraph_breaks
from pipeline.segment import opens_structure

PDF_SUFFIXES = (".pdf",)
DOCX_SUFFIXES = (".docx",)
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
SUPPORTED_SUFFIXES = PDF_SUFFIXES + DOCX_SUFFIXES + TEXT_SUFFIXES + JSONL_SUFFIXES
# A .docx's XML may decompress to this multiple of the file size limit (text-heavy XML
# compresses ~5-10x); beyond it the archive is treated as a decompression bomb.
DOCX_XML_RATIO = 20

NO_TEXT_REASON = "no text layer, needs OCR"

# How many non-blank lines at each end of a page count as header/footer territory.
EDGE_LINES = 3
# A line is a running header/footer when it recurs at the edges of at least this share of
# the pages that have text (and on at least two pages).
REPEAT_SHARE = 0.6

# A line at least this share of the page's usual full line, of at least this many words, that
# stops mid-sentence was wrapped by the page width.
WRAPPED_SHARE = 0.75
MIN_WRAPPED_WORDS = 6
# Fewer lines than this on a page cannot tell a full line from a short one.
MIN_PAGE_LINES = 5

# The PDF spec lets readers accept the header anywhere in the first 1024 bytes.
PDF_HEADER_WINDOW = 1024

# Prefixes that keep their hyphen when a line break falls right after them.
KEEP_HYPHEN_PREFIXES = frozenset(
    {"non", "self", "third", "cross", "anti", "multi", "well", "long", "short", "full", "part"}
)

LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u200b": None,
        "\ufeff": None,
        "\x00": None,
    }
)

_HSPACE = re.compile(r"[ \t\v\f\u2000-\u200a\u3000]+")
_BLANK_RUNS = re.compile(r"\n{3,}")
# A line ending like this may run on into the next one (see `_unwrap`).
_WRAPPED_END = re.compile(r"(?:[^\W_]|[,)])$")
# "(a) ... within thirty (30) days; and": an item that ends its list entry.
_LIST_ITEM_END = re.compile(r"[;,]\s*(?:and|or|and/or)$", re.IGNORECASE)
_PAGE_NUMBER = re.compile(
    r"""
    (?:
        [-–—]?\s*\d{1,3}\s*[-–—]?                          # 3, -3-, - 3 -
      | (?:page|pg\.?|p\.)\s*[\divxlc]{1,6}(?:\s*(?:of|/)\s*\d{1,4})?   # Page 3, Page 3 of 10
      | \d{1,4}\s*(?:of|/)\s*\d{1,4}                      # 3 of 10, 3/10
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
# A word hyphenated over a line end: a word (or compound, "state-of-the"), "-", newline, a letter.
# The lookbehind starts a match only at a word's start, which keeps the scan linear.
_LINE_END_HYPHEN = re.compile(r"(?<![\w-])((?:[^\W\d_]+-)*[^\W\d_]+)-\n([^\W\d_]+)")
_WORD = re.compile(r"[^\W\d_]+")
_STANDALONE_WORD = re.compile(r"(?<![\w-])[^\W\d_]+(?![\w-])")
_COMPOUND = re.compile(r"(?<![\w-])[^\W\d_]+(?:-[^\W\d_]+)+(?![\w-])")
_PAGE_END_HYPHEN = re.compile(r"(?<![\w-])((?:[^\W\d_]+-)*[^\W\d_]+)-$")
_SENTENCE_END = re.compile(r"[.!?:;]['\"’”)\]]?$")


@dataclass(frozen=True)
class IngestOptions:
    """How to read inputs.

    `password` opens encrypted PDFs; `max_bytes` caps a file's size (and a gzip file's
    decompressed size); `text_field` / `id_field` name the JSON Lines fields.
    """

    password: str | None = None
    max_bytes: int = 100 * 2**20
    text_field: str = "text"
    id_field: str = "id"


@dataclass(frozen=True)
class IngestResult:
    """The documents that were read and the errors for everything that was not."""

    documents: tuple[Document, ...] = ()
    errors: tuple[IngestError, ...] = ()


def _merge(results: Iterable[IngestResult]) -> IngestResult:
    """One result from many, in order (built once: a large JSON Lines file has many parts)."""
    documents: list[Document] = []
    errors: list[IngestError] = []
    for result in results:
        documents.extend(result.documents)
        errors.extend(result.errors)
    return IngestResult(tuple(documents), tuple(errors))


DEFAULT_OPTIONS = IngestOptions()


def _failed(source: str, kind: str, reason: str) -> IngestResult:
    return IngestResult(errors=(IngestError(source=source, kind=kind, reason=reason),))


def _suffix_of(name: str) -> str:
    """The supported suffix that `name` ends with (".jsonl.gz" is one suffix), or ""."""
    lower = name.lower()
    return next((s for s in SUPPORTED_SUFFIXES if lower.endswith(s)), "")


def _human_size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    size = float(n)
    for unit in ("KiB", "MiB", "GiB"):
        size /= 1024
        if size < 1024 or unit == "GiB":
            break
    return f"{size:.1f} {unit} ({n} bytes)"


def _too_large(source: str, size: int, max_bytes: int) -> IngestResult:
    return _failed(
        source,
        "too_large",
        f"file is {_human_size(size)}, above the {_human_size(max_bytes)} limit (max_bytes)",
    )


def ingest_path(
    path: str | os.PathLike[str], options: IngestOptions = DEFAULT_OPTIONS
) -> IngestResult:
    """Read one file. A JSON Lines file gives one document per line.

    The document id is the file name (for JSON Lines the id field); problems come back as
    errors in the result, never as exceptions.
    """
    p = Path(path)
    source = str(p)
    try:
        stat = p.stat()
    except FileNotFoundError:
        return _failed(source, "missing", "no such file")
    except OSError as exc:
        return _failed(source, "missing", f"cannot read the file: {exc.strerror or exc}")
    if p.is_dir():
        return _failed(source, "unsupported", "is a directory, not a file")
    if not _suffix_of(p.name):
        return _unsupported(source, p.name)
    # Checked before reading so an oversized file is never loaded into memory.
    if stat.st_size > options.max_bytes:
        return _too_large(source, stat.st_size, options.max_bytes)
    try:
        data = p.read_bytes()
    except OSError as exc:
        return _failed(source, "missing", f"cannot read the file: {exc.strerror or exc}")
    return _ingest_data(p.name, source, data, options)


def ingest_bytes(name: str, data: bytes, options: IngestOptions = DEFAULT_OPTIONS) -> IngestResult:
    """Read an upload: `name` only gives the extension and the document id, never a path."""
    return _ingest_data(name, name, data, options)


def ingest_paths(
    paths: Iterable[str | os.PathLike[str]], options: IngestOptions = DEFAULT_OPTIONS
) -> IngestResult:
    """Read files in order and gather their documents and errors.

    One bad file yields an error for that file and the rest still load.
    """
    return _merge(_ingest_guarded(path, options) for path in paths)


def _ingest_guarded(path: str | os.PathLike[str], options: IngestOptions) -> IngestResult:
    try:
        return ingest_path(path, options)
    except Exception as exc:
        # A bug here must not cost the user the rest of the bundle; it is still reported.
        return _failed(str(path), "internal", f"unexpected error: {type(exc).__name__}: {exc}")


def expand_inputs(items: list[str]) -> tuple[list[Path], list[IngestError]]:
    """Turn command-line inputs into files: files as given, directories and globs expanded.

    Directories are searched recursively and globs (``**`` allowed) are matched; both keep only
    supported extensions, sorted, hidden files skipped. A file named explicitly is kept whatever
    its extension, so ingest can say why it is unsupported. Duplicates are dropped, first
    occurrence kept. A path or pattern that matches nothing is reported as a ``missing`` error.
    """
    files: list[Path] = []
    errors: list[IngestError] = []
    for item in items:
        found, error = _expand_one(item)
        files.extend(found)
        if error is not None:
            errors.append(error)
    return _dedupe(files), errors


def _expand_one(item: str) -> tuple[list[Path], IngestError | None]:
    path = Path(item).expanduser()
    if path.is_file():
        return [path], None
    if path.is_dir():
        found = _supported_files_under(path)
        if not found:
            return [], IngestError(item, "missing", "directory holds no supported files")
        return found, None
    if glob.has_magic(item):
        found = _expand_glob(os.path.expanduser(item))
        if not found:
            return [], IngestError(item, "missing", "no supported files match this pattern")
        return found, None
    return [], IngestError(item, "missing", "no such file or directory")


def _expand_glob(pattern: str) -> list[Path]:
    found: list[Path] = []
    for match in sorted(glob.glob(pattern, recursive=True)):
        p = Path(match)
        if p.is_dir():
            found.extend(_supported_files_under(p))
        elif p.is_file() and _suffix_of(p.name):
            found.append(p)
    return found


def _supported_files_under(directory: Path) -> list[Path]:
    return sorted(
        p
        for p in directory.rglob("*")
        if p.is_file()
        and _suffix_of(p.name)
        and not any(part.startswith(".") for part in p.relative_to(directory).parts)
    )


def _dedupe(paths: list[Path]) -> list[Path]:
    seen: set[Path] = set()
    unique: list[Path] = []
    for p in paths:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def _unsupported(source: str, name: str) -> IngestResult:
    return _failed(
        source,
        "unsupported",
        f"unsupported file type {Path(name).suffix or '(no extension)'!r}; "
        f"supported: {', '.join(SUPPORTED_SUFFIXES)}",
    )


def _ingest_data(name: str, source: str, data: bytes, options: IngestOptions) -> IngestResult:
    suffix = _suffix_of(name)
    if not suffix:
        return _unsupported(source, name)
    if not data:
        return _failed(source, "empty", "empty file (0 bytes)")
    if len(data) > options.max_bytes:
        return _too_large(source, len(data), options.max_bytes)
    if suffix in PDF_SUFFIXES:
        return _ingest_pdf(name, source, data, options)
    if suffix in DOCX_SUFFIXES:
        return _ingest_docx(name, source, data, options)
    if suffix in JSONL_SUFFIXES:
        return _ingest_jsonl(name, source, data, options, gzipped=suffix.endswith(".gz"))
    return _ingest_text(name, source, data, markdown=suffix != ".txt")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _pdf_failure(source: str, exc: Exception) -> IngestResult:
    """Map an exception from pypdf to the error a user can act on."""
    if isinstance(exc, LimitReachedError):
        return _failed(
            source, "bomb", f"exceeds pypdf's safety limits (possible decompression bomb): {exc}"
        )
    if isinstance(exc, EmptyFileError):
        return _failed(source, "empty", "empty PDF file")
    if isinstance(exc, FileNotDecryptedError):
        return _failed(source, "encrypted", "encrypted PDF: give its password with --password")
    if isinstance(exc, DependencyError):
        return _failed(
            source,
            "encrypted",
            f"encrypted PDF needs an extra package to decrypt ({exc}); install 'cryptography'",
        )
    if isinstance(exc, NotImplementedError):
        # e.g. a non-standard security handler: a real PDF, but one pypdf cannot open.
        return _failed(source, "unsupported", f"uses a PDF feature pypdf does not support: {exc}")
    # pypdf documents that broken files may raise any exception, not only PdfReadError.
    detail = str(exc) or type(exc).__name__
    return _failed(source, "corrupt", f"corrupt or truncated PDF: {detail}")


def _ingest_pdf(name: str, source: str, data: bytes, options: IngestOptions) -> IngestResult:
    if b"%PDF-" not in data[:PDF_HEADER_WINDOW]:
        return _failed(source, "not_pdf", "not a PDF file (no %PDF- header), though named .pdf")
    try:
        reader = PdfReader(io.BytesIO(data))
        locked = _unlock(reader, options.password)
        if locked is not None:
            return _failed(source, "encrypted", locked)
        page_texts = [_page_text(page) for page in reader.pages]
    except Exception as exc:
        return _pdf_failure(source, exc)
    if not any(t.strip() for t in page_texts):
        return _failed(source, "no_text", NO_TEXT_REASON)
    text, pages = clean_pages(page_texts, _page_labels(reader, len(page_texts)))
    if not text:
        # Only page numbers and running lines were found: typically a scan with a stamped overlay.
        return _failed(
            source, "no_text", f"{NO_TEXT_REASON} (only page numbers, headers or footers found)"
        )
    doc = Document(
        doc_id=name,
        source=source,
        text=text,
        pages=pages,
        sha256=_sha256(data),
        title=_pdf_title(reader),
    )
    return IngestResult(documents=(doc,))


def _page_text(page: PageObject) -> str:
    """The page's text as pypdf extracts it, with blank lines where paragraphs start."""
    pieces: list[Piece] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text:
            matrix = combine(tm, cm)
            # The size on the page: the font size scaled by the matrix's vertical axis.
            scale = math.hypot(matrix[2], matrix[3])
            pieces.append(Piece(text, matrix, float(size or 0.0) * scale))

    output = page.extract_text(visitor_text=visit) or ""
    return with_paragraph_breaks(output, pieces)


def _ingest_docx(name: str, source: str, data: bytes, options: IngestOptions) -> IngestResult:
    try:
        docx = read_docx(data, options.max_bytes * DOCX_XML_RATIO)
    except DocxError as exc:
        return _failed(source, exc.kind, exc.reason)
    doc = _pages_document(name, source, list(docx.pages), _sha256(data), docx.title)
    if doc is None:
        return _failed(source, "empty", "Word document holds no text")
    return IngestResult(documents=(doc,))


def _unlock(reader: PdfReader, password: str | None) -> str | None:
    """Decrypt `reader` in place; return why it stays locked, or None when readable."""
    if not reader.is_encrypted:
        return None
    # Many PDFs are encrypted only to restrict printing/editing, with an empty user password.
    if reader.decrypt(password or "") != PasswordType.NOT_DECRYPTED:
        return None
    if password is None:
        return "encrypted PDF: give its password with --password"
    return "encrypted PDF: the password given with --password is wrong"


def _page_labels(reader: PdfReader, n: int) -> list[str]:
    """Printed page labels ("i", "ii", "A-1", ...); physical numbers where they cannot be read."""
    try:
        labels = [str(label) for label in reader.page_labels]
    except Exception:
        # A damaged /PageLabels tree should not cost the text; numbering is a fine fallback.
        labels = []
    if len(labels) != n:
        return [str(i + 1) for i in range(n)]
    return labels


def _pdf_title(reader: PdfReader) -> str:
    try:
        title = reader.metadata.title if reader.metadata else None
    except Exception:
        return ""
    return str(title).strip() if title else ""


def _decode_text(data: bytes) -> str | None:
    """Decode text: UTF-8 (BOM allowed), UTF-16 with a BOM, else Windows-1252; None if binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older exports are often Windows-1252; latin-1 catches the few bytes cp1252 leaves out.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _text_document(
    doc_id: str, source: str, text: str, sha256: str, title: str = ""
) -> Document | None:
    """A document from plain text, one page per form-feed-separated part; None if no text."""
    return _pages_document(doc_id, source, text.split("\f"), sha256, title)


def _pages_document(
    doc_id: str, source: str, parts: list[str], sha256: str, title: str = ""
) -> Document | None:
    """A document from the texts of its pages, numbered from 1; None if no text."""
    cleaned, pages = clean_pages(parts, [str(i + 1) for i in range(len(parts))])
    if not cleaned:
        return None
    return Document(
        doc_id=doc_id, source=source, text=cleaned, pages=pages, sha256=sha256, title=title
    )


def _markdown_title(text: str) -> str:
    match = re.search(r"^#\s+(.+?)\s*#*\s*$", text, re.MULTILINE)
    return match.group(1) if match else ""


def _ingest_text(name: str, source: str, data: bytes, *, markdown: bool) -> IngestResult:
    text = _decode_text(data)
    if text is None:
        return _failed(source, "not_text", "binary data, not a text file")
    title = _markdown_title(text) if markdown else ""
    doc = _text_document(name, source, text, _sha256(data), title)
    if doc is None:
        return _failed(source, "empty", "file holds only whitespace")
    return IngestResult(documents=(doc,))


def _gunzip(data: bytes, limit: int) -> bytes:
    """Decompress gzip data, reading at most `limit` + 1 bytes so a gzip bomb cannot fill memory."""
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
        return f.read(limit + 1)


def _ingest_jsonl(
    name: str, source: str, data: bytes, options: IngestOptions, *, gzipped: bool
) -> IngestResult:
    if gzipped:
        try:
            data = _gunzip(data, options.max_bytes)
        except (OSError, EOFError, zlib.error) as exc:
            return _failed(source, "corrupt", f"corrupt or truncated gzip file: {exc}")
        if len(data) > options.max_bytes:
            limit = _human_size(options.max_bytes)
            return _failed(
                source, "too_large", f"decompressed content is above the {limit} limit (max_bytes)"
            )
        if not data:
            return _failed(source, "empty", "gzip file decompresses to nothing")
    if b"\x00" in data[:8192]:
        return _failed(source, "not_text", "binary data, not a JSON Lines file")
    result = _merge(
        _jsonl_record(name, source, number, raw, options)
        for number, raw in enumerate(data.splitlines(), start=1)
        if raw.strip()
    )
    if not result.documents and not result.errors:
        return _failed(source, "empty", "file holds only blank lines")
    return result


def _jsonl_record(
    name: str, source: str, number: int, raw: bytes, options: IngestOptions
) -> IngestResult:
    where = f"{source}:{number}"

    def bad(kind: str, why: str) -> IngestResult:
        return _failed(where, kind, f"{source}, line {number}: {why}")

    try:
        record = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return bad("bad_line", f"not valid JSON ({exc})")
    if not isinstance(record, dict):
        return bad("bad_line", f"expected a JSON object, got {type(record).__name__}")
    text = record.get(options.text_field)
    if not isinstance(text, str):
        why = "missing" if text is None else f"not a string ({type(text).__name__})"
        return bad("missing_field", f"text field {options.text_field!r} is {why}")
    doc_id = _jsonl_id(record.get(options.id_field), f"{name}:{number}")
    title = record.get("title")
    doc = _text_document(
        doc_id, source, text, _sha256(raw), title if isinstance(title, str) else ""
    )
    if doc is None:
        return bad("empty", f"text field {options.text_field!r} is empty")
    return IngestResult(documents=(doc,))


def _jsonl_id(value: object, fallback: str) -> str:
    # bool is an int subclass; an id of `true` is almost certainly a mistake, so fall back.
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return fallback


def clean_pages(page_texts: list[str], labels: list[str]) -> tuple[str, tuple[Page, ...]]:
    """Clean raw page texts into one text and its page spans (see the module docstring).

    Pure: no I/O. `labels` are the printed page labels; a missing one becomes the page number.
    Every input page gets a `Page` (numbers 1..n, in order), with an empty span if it has no
    text left; spans are contiguous and cover the whole text.
    """
    labels = [labels[i] if i < len(labels) else str(i + 1) for i in range(len(page_texts))]
    pages_lines = [_normalize_lines(t) for t in page_texts]
    pages_lines = _drop_running_lines(pages_lines)
    pages_lines = [
        _drop_page_numbers(lines, label) for lines, label in zip(pages_lines, labels, strict=True)
    ]
    vocabulary = _vocabulary(pages_lines)
    runs_on = [
        _ends_wrapped(lines, nxt)
        for lines, nxt in zip(pages_lines, [*pages_lines[1:], []], strict=True)
    ]
    texts = [_join_lines(lines, vocabulary) for lines in pages_lines]
    texts, joined = _join_hyphens_across_pages(texts, vocabulary)
    # A word hyphenated over the page break is joined onto the earlier page, and the sentence
    # it is in runs on.
    runs_on = [r or j for r, j in zip(runs_on, joined, strict=True)]
    return _assemble(texts, labels, runs_on)


def _normalize_lines(text: str) -> list[str]:
    """Lines with ligatures expanded, soft hyphens resolved, and spaces collapsed and stripped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(LIGATURES)
    # A soft hyphen marks a break opportunity; at a line end it means the word continues.
    text = text.replace("\u00ad\n", "").replace("\u00ad", "")
    return [_HSPACE.sub(" ", line).strip() for line in text.split("\n")]


def _edge_indices(lines: list[str]) -> tuple[list[int], list[int]]:
    """Indices of the first and last EDGE_LINES non-blank lines of a page."""
    filled = [i for i, line in enumerate(lines) if line]
    return filled[:EDGE_LINES], filled[-EDGE_LINES:]


def _running_key(line: str) -> str:
    # Digits are masked so a footer that carries the page number still recurs.
    return re.sub(r"\d+", "#", line.lower())


def _drop_running_lines(pages_lines: list[list[str]]) -> list[list[str]]:
    """Remove header/footer lines that recur at the top or bottom of most pages."""
    with_text = [lines for lines in pages_lines if any(lines)]
    if len(with_text) < 2:
        return pages_lines
    threshold = max(2, math.ceil(REPEAT_SHARE * len(with_text)))
    top_counts: Counter[str] = Counter()
    bottom_counts: Counter[str] = Counter()
    for lines in with_text:
        top, bottom = _edge_indices(lines)
        top_counts.update({_running_key(lines[i]) for i in top})
        bottom_counts.update({_running_key(lines[i]) for i in bottom})
    top_keys = {k for k, c in top_counts.items() if c >= threshold}
    bottom_keys = {k for k, c in bottom_counts.items() if c >= threshold}
    cleaned = []
    for lines in pages_lines:
        top, bottom = _edge_indices(lines)
        drop = {i for i in top if _running_key(lines[i]) in top_keys}
        drop |= {i for i in bottom if _running_key(lines[i]) in bottom_keys}
        cleaned.append([line for i, line in enumerate(lines) if i not in drop])
    return cleaned


def _is_page_number(line: str, label: str) -> bool:
    return bool(_PAGE_NUMBER.fullmatch(line)) or line.lower() == label.lower()


def _drop_page_numbers(lines: list[str], label: str) -> list[str]:
    """Peel bare page numbers off the top and bottom of a page (at most two at each end).

    Peeling stops at the first line that is not a page number, so a lone number inside the
    body (a list count, a table cell) stays.
    """
    filled = [i for i, line in enumerate(lines) if line]
    drop: set[int] = set()
    for from_edge in (filled[:2], filled[::-1][:2]):
        for i in from_edge:
            if not _is_page_number(lines[i], label):
                break
            drop.add(i)
    return [line for i, line in enumerate(lines) if i not in drop]


@dataclass(frozen=True)
class _Vocabulary:
    """The document's own spellings, to tell a word split at a line end from a compound.

    `words` are the lowercased words that stand alone (no hyphen on either side);
    `compounds` the hyphenated words written on one line ("third-party").
    """

    words: frozenset[str]
    compounds: frozenset[str]


def _vocabulary(pages_lines: list[list[str]]) -> _Vocabulary:
    # The fragment that starts a line after a line-end hyphen ("TERM-" / "INATION") is half a
    # word, not a word of the document; nor is the last fragment before the hyphen.
    lines = [line for page in pages_lines for line in page if line]
    words: set[str] = set()
    compounds: set[str] = set()
    for prev, line in itertools.pairwise(["", *lines]):
        if prev.endswith("-"):
            line = _WORD.sub("", line, count=1)
        words.update(w.lower() for w in _STANDALONE_WORD.findall(line))
        compounds.update(c.lower() for c in _COMPOUND.findall(line))
    return _Vocabulary(frozenset(words), frozenset(compounds))


def _breaks_word(head: str, tail: str, vocabulary: _Vocabulary) -> bool:
    """Whether "head-" + line break + "tail" is one word split by hyphenation."""
    if "-" in head or f"{head}-{tail}".lower() in vocabulary.compounds:
        # A compound ("state-of-the-art", "third-party" written so elsewhere) keeps its hyphen.
        return False
    if (head + tail).lower() in vocabulary.words:
        return True
    if tail[:1].islower():
        # So it is after prefixes like "non-".
        return head.lower() not in KEEP_HYPHEN_PREFIXES
    # Word processors split words in capitals too ("AGREE-MENT"); two halves that are words of
    # their own ("LONG-TERM") make a compound, a split leaves a fragment ("ASSU-RANCE"). Mixed
    # case ("Post-Closing") is a compound unless the document spells it whole.
    if not (head.isupper() and tail.isupper()) or head.lower() in KEEP_HYPHEN_PREFIXES:
        return False
    return not (head.lower() in vocabulary.words and tail.lower() in vocabulary.words)


def _dehyphenate(text: str, vocabulary: _Vocabulary) -> str:
    def join(match: re.Match[str]) -> str:
        head, tail = match.group(1), match.group(2)
        if _breaks_word(head, tail, vocabulary):
            return head + tail
        # A real hyphen ("non-compete", "Post-Closing"): keep it, drop only the line break.
        return f"{head}-{tail}"

    if "-\n" not in text:
        return text
    return _LINE_END_HYPHEN.sub(join, text)


def _join_lines(lines: list[str], vocabulary: _Vocabulary) -> str:
    # A full line is measured before de-hyphenation, which puts two lines on one.
    full = _full_line(lines)
    text = _dehyphenate("\n".join(lines).strip(), vocabulary)
    return _BLANK_RUNS.sub("\n\n", _unwrap(text, full) if full else text)


def _unwrap(text: str, full: int) -> str:
    """Join a line that the page's width ended mid-sentence to the next line with a space.

    A wrapped line is a full one (at least WRAPPED_SHARE of `full`, the page's usual full line)
    of prose that ends in a word, a number or a comma. The line break stays where the line ends a
    sentence, a list item (";", "; and"), a label (":") or a signature rule ("____"), where it
    is short (a heading, an address, a signature block), before a line that opens a heading,
    clause or list item (`segment.opens_structure`), between a line in capitals and one in
    mixed case (a heading and its text), and between prose and a line in capitals ("...as
    follows\nACME CORPORATION"), so segmentation still reads those line starts. A disclaimer in
    capitals runs on like any other sentence.
    """
    lines = text.split("\n")
    out = [lines[0]]
    for prev, line in itertools.pairwise(lines):
        out.append((" " if _runs_on(prev, line, full) else "\n") + line)
    return "".join(out)


def _full_line(lines: list[str]) -> int | None:
    """The length of a full line on this page (the 80th percentile); None with too few lines
    to tell a full line from a short one."""
    lengths = sorted(len(line) for line in lines if line)
    return lengths[int(0.8 * (len(lengths) - 1))] if len(lengths) >= MIN_PAGE_LINES else None


def _wrapped(line: str, full: int) -> bool:
    """Whether `line` was ended by the page width: full, prose, and stopped mid-sentence."""
    return (
        len(line) >= WRAPPED_SHARE * full
        and _WRAPPED_END.search(line) is not None
        and _LIST_ITEM_END.search(line) is None
        and len(line.split()) >= MIN_WRAPPED_WORDS
    )


def _runs_on(line: str, nxt: str, full: int) -> bool:
    """Whether `nxt` continues the sentence that the wrapped `line` broke off."""
    capitals = _in_capitals(line)
    # Within capitals, a line of capitals goes on the disclaimer rather than heading anything.
    if not nxt or not _wrapped(line, full) or opens_structure(nxt, caps_heading=not capitals):
        return False
    if capitals:
        # Capitals run on into capitals (a disclaimer) or into a date's day ("MARCH\n1, 2001");
        # a heading in capitals stops before the text under it.
        if not (_in_capitals(nxt) or nxt[:1].isdigit() or nxt[:1].islower()):
            return False
    elif _in_capitals(nxt):
        # A name in capitals under the sentence that introduces it ("... as follows\nACME").
        return False
    # A table row ends in a number ("Year 1 ... $ 10,000"); a sentence broken after a number
    # goes on in lower case ("... March 1, 2019\nand").
    return not line[-1].isdigit() or not nxt[:1].isupper()


def _in_capitals(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 3 and not any(ch.islower() for ch in letters)


def _ends_wrapped(lines: list[str], next_page: list[str]) -> bool:
    """Whether the page's last line was ended by the page width mid-sentence, and the next
    page's first line goes on with that sentence."""
    filled = [line for line in lines if line]
    nxt = next((line for line in next_page if line), "")
    full = _full_line(filled)
    return full is not None and _runs_on(filled[-1], nxt, full)


def _join_hyphens_across_pages(
    texts: list[str], vocabulary: _Vocabulary
) -> tuple[list[str], list[bool]]:
    """Join a word hyphenated over a page break; the whole word goes to the earlier page.

    Also returns, per page, whether its last word was joined so.
    """
    texts = list(texts)
    joined = [False] * len(texts)
    filled = [i for i, t in enumerate(texts) if t]
    for prev, nxt in itertools.pairwise(filled):
        match = _PAGE_END_HYPHEN.search(texts[prev])
        tail = _WORD.match(texts[nxt])
        if not (match and tail and _breaks_word(match.group(1), tail.group(0), vocabulary)):
            continue
        texts[prev] = texts[prev][:-1] + tail.group(0)
        texts[nxt] = texts[nxt][tail.end() :].lstrip()
        joined[prev] = bool(texts[nxt])
    return texts, joined


def _assemble(
    texts: list[str], labels: list[str], runs_on: list[bool]
) -> tuple[str, tuple[Page, ...]]:
    """Concatenate page texts with separators and record each page's span.

    A page that ends a sentence is followed by a blank line, one whose last line the page
    width ended mid-sentence by a space (the sentence runs on), any other by a newline.
    """
    filled = [i for i, t in enumerate(texts) if t]
    last_filled = filled[-1] if filled else -1
    parts: list[str] = []
    pages: list[Page] = []
    offset = 0
    for i, text in enumerate(texts):
        chunk = text
        if text and i != last_filled:
            if _SENTENCE_END.search(text):
                chunk += "\n\n"
            else:
                chunk += " " if runs_on[i] else "\n"
        parts.append(chunk)
        pages.append(Page(number=i + 1, label=labels[i], start=offset, end=offset + len(chunk)))
        offset += len(chunk)
    return "".join(parts), tuple(pages)
