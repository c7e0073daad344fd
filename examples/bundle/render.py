"""Render the sample bundle's plain-text sources to PDF.

Run from anywhere: `python examples/bundle/render.py` (needs fpdf2, a dev dependency). It reads
`examples/bundle/src/NN_name.txt` and writes `examples/bundle/NN_name.pdf`; the creation date
is fixed, so rendering again gives byte-identical files.

Source format (Markdown-ish):
- blocks are separated by blank lines; a single newline inside a block is kept as a line break
  (signature blocks, addresses);
- `# TEXT` is the document title; the running header repeats it in title case with
  "Confidential", so that it differs from the title line (ingest drops running headers);
- `## TEXT` is a section heading;
- a block that starts with a clause number ("5.2", "3.") has the number and its lead-in heading
  ("5.2 Payment Terms.") set in bold; a block that starts with "(a)" or "(iv)" is indented.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "src"

# A fixed creation date makes the output reproducible byte for byte (fpdf2 derives the file
# /ID from the content and this date).
CREATION_DATE = datetime(2024, 10, 1, tzinfo=UTC)

BODY_FONT = "Times"
CHROME_FONT = "Helvetica"
BODY_SIZE = 11
LINE_H = 5.4
PARA_GAP = 2.4
ENUM_INDENT = 8.0

ASCII_FOR = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u2022": "-",
}

CLAUSE_LEAD = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*\.?)\s+([A-Z](?:[^.\n]|\.\d)*\.)(?=\s)")
ENUMERATION = re.compile(r"^\((?:[a-z]|[ivx]+)\)\s")
MARKDOWN_MARKERS = ("**", "__", "--", "~~")
MINOR_WORDS = frozenset({"a", "an", "and", "of", "or", "the", "to"})


@dataclass(frozen=True)
class Block:
    """One source block: `kind` is "title", "heading" or "para"."""

    kind: str
    text: str


def to_latin1(text: str) -> str:
    """Replace what the PDF core fonts cannot encode (they are latin-1) with ASCII look-alikes."""
    text = "".join(ASCII_FOR.get(ch, ch) for ch in text)
    if all(ord(ch) < 256 for ch in text):
        return text
    # Decompose accents the core fonts lack (e.g. "ő" -> "o") before falling back to "?".
    folded = unicodedata.normalize("NFKD", text)
    return "".join(
        ch if ord(ch) < 256 else ("" if unicodedata.combining(ch) else "?") for ch in folded
    )


def parse(source: str) -> list[Block]:
    """Split a source into title, heading and paragraph blocks, in order."""
    blocks = []
    for raw in re.split(r"\n\s*\n", source.strip()):
        text = to_latin1(raw.strip())
        if text.startswith("## "):
            blocks.append(Block("heading", text[3:].strip()))
        elif text.startswith("# "):
            blocks.append(Block("title", text[2:].strip()))
        else:
            blocks.append(Block("para", text))
    return blocks


def title_case(text: str) -> str:
    """Title case for the header: STATEMENT OF WORK NO. 1 -> Statement of Work No. 1."""
    words = text.lower().split()
    return " ".join(
        w if i and w in MINOR_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


def escape_markdown(text: str) -> str:
    """Escape fpdf2's emphasis markers so that body text is never read as markup."""
    for marker in MARKDOWN_MARKERS:
        text = text.replace(marker, "\\" + marker)
    return text


class BundlePDF(FPDF):
    """Letter pages with the document title in a running header and "Page N of M" as footer."""

    def __init__(self, title: str):
        super().__init__(orientation="P", unit="mm", format="Letter")
        self.running_title = f"{title_case(title)} - Confidential"
        self.set_margins(left=25.4, top=22, right=25.4)
        self.set_auto_page_break(auto=True, margin=22)
        self.set_creation_date(CREATION_DATE)
        self.set_title(title_case(title))
        self.set_author("longbrief sample bundle")

    def header(self) -> None:
        self.set_font(CHROME_FONT, "", 8)
        self.set_text_color(90)
        self.set_y(10)
        self.cell(0, 4, self.running_title, align="L")
        self.set_draw_color(160)
        self.line(self.l_margin, 15, self.w - self.r_margin, 15)
        self.set_text_color(0)
        self.set_y(22)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(CHROME_FONT, "", 8)
        self.set_text_color(90)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0)

    def room_left(self) -> float:
        return self.page_break_trigger - self.get_y()

    def title_block(self, text: str) -> None:
        self.set_font(BODY_FONT, "B", 15)
        self.multi_cell(0, 7, text, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def subtitle(self, text: str) -> None:
        self.set_font(BODY_FONT, "I", BODY_SIZE)
        self.multi_cell(0, LINE_H, text, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(PARA_GAP + 2)

    def heading(self, text: str) -> None:
        # Keep a heading with the first lines of its text rather than alone at a page foot.
        if self.room_left() < 4 * LINE_H:
            self.add_page()
        self.ln(2)
        self.set_font(BODY_FONT, "B", BODY_SIZE + 0.5)
        self.multi_cell(0, LINE_H + 0.6, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(PARA_GAP)

    def paragraph(self, text: str) -> None:
        indent = ENUM_INDENT if ENUMERATION.match(text) else 0.0
        self.set_font(BODY_FONT, "", BODY_SIZE)
        self.set_x(self.l_margin + indent)
        width = self.epw - indent
        if "\n" in text:
            # Line-broken blocks (signatures, addresses) are set ragged and kept together.
            if self.room_left() < (text.count("\n") + 1) * LINE_H:
                self.add_page()
            self.multi_cell(width, LINE_H, text, align="L", new_x="LMARGIN", new_y="NEXT")
        else:
            lead = CLAUSE_LEAD.match(text)
            body = escape_markdown(text)
            if lead:
                body = f"**{escape_markdown(lead.group(0))}**{escape_markdown(text[lead.end() :])}"
            self.multi_cell(
                width, LINE_H, body, align="J", markdown=True, new_x="LMARGIN", new_y="NEXT"
            )
        self.ln(PARA_GAP)


def render(src: Path, out: Path) -> None:
    """Render one source file to a PDF at `out`."""
    blocks = parse(src.read_text(encoding="utf-8"))
    title = next((b.text for b in blocks if b.kind == "title"), src.stem)
    pdf = BundlePDF(title)
    pdf.add_page()
    after_title = False
    for block in blocks:
        if block.kind == "title":
            pdf.title_block(block.text)
        elif block.kind == "heading":
            pdf.heading(block.text)
        elif after_title and "\n" not in block.text and len(block.text) < 60:
            pdf.subtitle(block.text)
        else:
            pdf.paragraph(block.text)
        after_title = block.kind == "title"
    pdf.output(str(out))


def main() -> int:
    """Render every source in `src/` next to this script; print what was written."""
    for src in sorted(SOURCES.glob("*.txt")):
        out = HERE / f"{src.stem}.pdf"
        render(src, out)
        print(f"{out.relative_to(HERE.parent.parent)}  {out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
