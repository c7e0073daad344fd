"""Fixtures that build small PDFs in memory with fpdf2 (nothing binary is committed)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fpdf import FPDF
from PIL import Image

FOOTER_FMT = "Page {page} of {{nb}}"

MakePdf = Callable[..., bytes]


class _BundlePdf(FPDF):
    """A PDF with an optional running header and a "Page n of N" footer on every page."""

    def __init__(self, header_text: str | None, footer: bool) -> None:
        super().__init__()
        self.header_text = header_text
        self.with_footer = footer

    def header(self) -> None:
        if self.header_text:
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, self.header_text, new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        if self.with_footer:
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, FOOTER_FMT.format(page=self.page_no()), align="C")


@pytest.fixture
def make_pdf() -> MakePdf:
    """Build a PDF whose page i holds pages[i]; lines break only where the text has "\\n".

    `header` is a running header line; `footer` adds "Page n of N" at the bottom.

    An entry of None makes a page with no text at all, only a drawn rectangle (a scan stand-in).
    """

    def build(pages: list[str | None], *, header: str | None = None, footer: bool = False) -> bytes:
        pdf = _BundlePdf(header, footer)
        pdf.set_auto_page_break(auto=False)
        for text in pages:
            pdf.add_page()
            if text is None:
                pdf.rect(20, 20, 150, 200, style="F")
                continue
            pdf.set_font("Helvetica", size=11)
            for line in text.split("\n"):
                pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())

    return build


@pytest.fixture
def make_scan() -> Callable[[int], bytes]:
    """Build a PDF of `n` pages that carry only images and shapes, no text layer."""

    def build(n: int) -> bytes:
        pdf = FPDF()
        for i in range(n):
            pdf.add_page()
            pdf.image(Image.new("L", (40, 60), color=200 - 10 * i), x=10, y=10, w=100)
            pdf.rect(15, 200, 100, 40)
        return bytes(pdf.output())

    return build
