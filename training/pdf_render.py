"""Render a plain contract text as a PDF that stresses text extraction the way real filings do.

`longbrief eval terms --via pdf` reads each CUAD contract through the user's path: this module
lays the text out on Letter pages, `pipeline.ingest` reads the PDF back with pypdf, and the key
terms are extracted from what came back. Every stressor a word processor adds can be switched on
and off in `Layout`:

- lines wrap where the page ends them, so sentences, dates and amounts break over lines;
- a running header (the title and "Confidential") and a "Page N of M" footer on every page,
  which ingest must drop; a sentence that runs over a page break has them in between;
- long words are hyphenated at line ends, capitals included, as Word does by default (a soft
  hyphen in the middle of each word of `hyphenate_min` letters or more);
- justified lines, whose widened spaces the extractor has to read back as single spaces.

Each line of the source stays a line (a paragraph when it is long); a blank line is a gap.
DejaVu Serif (Debian's `fonts-dejavu`) sets CUAD's accented names and curly quotes as they are.
Without it the PDF core font is used and characters outside latin-1 become "?" (`encodable`),
so a comparison with the text's reading counts them as differences; results say which font was
used (`font_used`). A text that fits on one page gets no running header: ingest drops running
lines only when they recur over pages, as a word processor's header would.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SOFT_HYPHEN = "\u00ad"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
# Fixed, so that rendering the same text twice gives the same bytes.
CREATION_DATE = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Layout:
    """How a text is set on the page; the defaults turn every stressor on."""

    font_size: float = 10.5
    justify: bool = True
    running_header: bool = True
    page_footer: bool = True
    hyphenate: bool = True
    hyphenate_min: int = 8


def hyphenate(text: str, min_letters: int = 8) -> str:
    """Put a soft hyphen in the middle of every run of at least `min_letters` letters."""

    def split(match: re.Match[str]) -> str:
        word = match.group(0)
        mid = len(word) // 2
        return word[:mid] + SOFT_HYPHEN + word[mid:]

    if min_letters < 2:
        raise ValueError(f"min_letters must be at least 2, not {min_letters}")
    return _long_word(min_letters).sub(split, text)


@functools.cache
def _long_word(min_letters: int) -> re.Pattern[str]:
    # Word processors do not hyphenate numbers, web or e-mail addresses ("example.com"); only
    # whole runs of letters are split.
    return re.compile(rf"(?<![\w@.])[^\W\d_]{{{min_letters},}}(?![\w@]|\.\w)")


def encodable(text: str, unicode_font: bool) -> str:
    """The text as the chosen font can set it: unchanged with a Unicode font, else latin-1."""
    if unicode_font:
        return text
    folded = unicodedata.normalize("NFKC", text)
    return folded.encode("latin-1", "replace").decode("latin-1")


DEFAULT_LAYOUT = Layout()


def font_used() -> str:
    """The body font `render_pdf` sets text in on this machine."""
    return "DejaVu Serif" if DEJAVU.is_file() else "Times (latin-1)"


def render_pdf(text: str, title: str, layout: Layout = DEFAULT_LAYOUT) -> bytes:
    """The text set on Letter pages as `layout` says; returns the PDF file's bytes."""
    data, pages = _render(text, title, layout)
    if pages == 1 and layout.running_header:
        data, _ = _render(text, title, dataclasses.replace(layout, running_header=False))
    return data


def _render(text: str, title: str, layout: Layout) -> tuple[bytes, int]:
    from fpdf import FPDF

    unicode_font = DEJAVU.is_file()
    title = " ".join(title.split()) or "Agreement"
    running = f"{title} - Confidential"

    class _Pages(FPDF):
        def header(self) -> None:
            if layout.running_header:
                self.set_font(self.body_font, "", 8)
                self.set_y(10)
                self.cell(0, 4, encodable(running, unicode_font)[:120], align="L")
                self.set_y(20)

        def footer(self) -> None:
            if layout.page_footer:
                self.set_y(-15)
                self.set_font(self.body_font, "", 8)
                self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = _Pages(orientation="P", unit="mm", format="Letter")
    pdf.set_creation_date(CREATION_DATE)
    pdf.set_margins(left=25.4, top=20, right=25.4)
    pdf.set_auto_page_break(auto=True, margin=20)
    if unicode_font:
        pdf.add_font("DejaVuSerif", "", str(DEJAVU))
        pdf.body_font = "DejaVuSerif"
    else:
        pdf.body_font = "Times"
    pdf.add_page()
    pdf.set_font(pdf.body_font, "", layout.font_size)
    line_height = layout.font_size * 0.45
    align = "J" if layout.justify else "L"
    for line in text.split("\n"):
        line = re.sub(r"[ \t]+", " ", line).strip()
        if not line:
            pdf.ln(line_height * 0.6)
            continue
        line = encodable(line, unicode_font)
        if layout.hyphenate:
            line = hyphenate(line, layout.hyphenate_min)
        pdf.multi_cell(0, line_height, line, align=align, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output()), pdf.pages_count
