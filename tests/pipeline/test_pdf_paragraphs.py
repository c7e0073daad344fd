"""Paragraph breaks recovered from where a PDF's lines sit (`pipeline.pdf_paragraphs`)."""

from __future__ import annotations

import pytest
from fpdf import FPDF

from pipeline.ingest import ingest_bytes
from pipeline.pdf_paragraphs import Piece, combine, with_paragraph_breaks

UPRIGHT = (1.0, 0.0, 0.0, 1.0)


def piece(text: str, y: float, x: float = 72.0, size: float = 11.0) -> Piece:
    return Piece(text, (*UPRIGHT, x, y), size)


def lines_at(*rows: tuple[str, float]) -> tuple[str, list[Piece]]:
    """pypdf-like output and pieces: each row is one line ending in a newline but the last."""
    pieces = [
        piece(text + ("\n" if i < len(rows) - 1 else ""), y) for i, (text, y) in enumerate(rows)
    ]
    return "".join(p.text for p in pieces), pieces


class TestWithParagraphBreaks:
    def test_a_wider_gap_starts_a_paragraph(self):
        output, pieces = lines_at(
            ("1. Term.", 700),
            ("The term is one year", 686),
            ("from the date.", 672),
            ("2. Law.", 650),
            ("Delaware law governs.", 636),
        )
        assert with_paragraph_breaks(output, pieces) == (
            "1. Term.\nThe term is one year\nfrom the date.\n\n2. Law.\nDelaware law governs."
        )

    def test_even_lines_are_unchanged(self):
        output, pieces = lines_at(("a", 700), ("b", 688), ("c", 676), ("d", 664))
        assert with_paragraph_breaks(output, pieces) == output

    def test_pieces_that_do_not_add_up_leave_the_output(self):
        output, pieces = lines_at(("a", 700), ("b", 688), ("c", 676), ("d", 600))
        assert with_paragraph_breaks(output + "x", pieces) == output + "x"

    def test_rotated_text_leaves_the_output(self):
        output, pieces = lines_at(("a", 700), ("b", 688), ("c", 676), ("d", 600))
        pieces[1] = Piece(pieces[1].text, (0.0, 1.0, -1.0, 0.0, 72.0, 688.0))
        assert with_paragraph_breaks(output, pieces) == output

    def test_too_few_lines_to_know_the_pitch(self):
        output, pieces = lines_at(("a", 700), ("b", 600))
        assert with_paragraph_breaks(output, pieces) == output

    def test_a_jump_up_the_page_is_no_paragraph(self):
        # A second column or a header drawn after the body moves up, not down.
        output, pieces = lines_at(("a", 700), ("b", 688), ("c", 676), ("d", 720), ("e", 708))
        assert with_paragraph_breaks(output, pieces) == output

    def test_footnotes_in_a_smaller_size_keep_their_own_pitch(self):
        # Three body lines at 14 pt pitch, then more footnote lines at 9 pt pitch than body
        # lines: the footnotes must neither set the body's pitch nor be split line by line.
        body = [
            ("The parties agree that the", 700),
            ("supplier shall deliver the", 686),
            ("goods on time.", 672),
            ("Payment follows delivery.", 644),
            ("within thirty days.", 630),
        ]
        notes = [(f"note line {i}", 600 - 9 * i) for i in range(8)]
        pieces = [piece(t + "\n", y) for t, y in body]
        pieces += [piece(t + "\n", y, size=8.0) for t, y in notes]
        pieces[-1] = Piece(pieces[-1].text.rstrip("\n"), pieces[-1].matrix, 8.0)
        output = "".join(p.text for p in pieces)
        expected = (
            "The parties agree that the\nsupplier shall deliver the\ngoods on time.\n\n"
            "Payment follows delivery.\nwithin thirty days.\n\n" + "\n".join(t for t, _ in notes)
        )
        assert with_paragraph_breaks(output, pieces) == expected

    def test_a_double_spaced_body_around_a_longer_single_spaced_quote(self):
        # Body at 24 pt pitch (double spacing); the quote, in the same size, sets more lines at
        # 12 pt and so the page's usual pitch: the body must still not split line by line.
        body = [
            ("The court held that the", 700),
            ("seller had not shown that", 676),
            ("the goods conformed, and", 652),
            ("quoted the clause:", 628),
        ]
        quote = [(f"quoted line {i}", 604 - 12 * i) for i in range(8)]
        after = [
            ("The buyer then argued", 496),
            ("that the notice was late", 472),
            ("and the court agreed", 448),
            ("with the buyer.", 424),
        ]
        rows = [*body, *quote, *after]
        output, pieces = lines_at(*rows)
        text = with_paragraph_breaks(output, pieces)
        assert "The court held that the\nseller had not shown that\nthe goods" in text
        assert "The buyer then argued\nthat the notice was late\nand the court" in text

    def test_a_line_in_a_size_of_its_own_is_measured_by_the_line_above(self):
        body = [
            ("The fee is payable on", 700),
            ("the first day of every", 686),
            ("month as defined", 672),
            ("in the Agreement.", 658),
        ]
        pieces = [piece(t + "\n", y) for t, y in body]
        pieces.append(piece("1 As defined in the Purchase Agreement.", 630, size=8.0))
        output = "".join(p.text for p in pieces)
        assert with_paragraph_breaks(output, pieces).endswith(
            "in the Agreement.\n\n1 As defined in the Purchase Agreement."
        )

    def test_words_of_one_line_in_several_pieces(self):
        pieces = [
            piece("The fee is ", 700),
            piece("$100", 700, 140),
            piece(".\n", 700, 170),
            piece("Payable monthly.\n", 688),
            piece("On time.\n", 676),
            piece("Next clause.", 650),
        ]
        output = "".join(p.text for p in pieces)
        assert with_paragraph_breaks(output, pieces) == (
            "The fee is $100.\nPayable monthly.\nOn time.\n\nNext clause."
        )


@pytest.mark.parametrize(
    ("tm", "cm", "expected"),
    [
        ((1, 0, 0, 1, 10, 20), (1, 0, 0, 1, 0, 0), (1, 0, 0, 1, 10, 20)),
        ((1, 0, 0, 1, 10, 20), (2, 0, 0, 2, 5, 5), (2, 0, 0, 2, 25, 45)),
        ((0, 1, -1, 0, 0, 0), (1, 0, 0, 1, 3, 4), (0, 1, -1, 0, 3, 4)),
    ],
)
def test_combine_is_the_matrix_product(tm, cm, expected):
    assert combine(tm, cm) == pytest.approx(expected)


def test_a_pdf_keeps_its_paragraphs_and_headings_apart():
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    paragraphs = [
        "ARTICLE 4 PAYMENT",
        "4.1 Fees. Customer shall pay each invoice within thirty days of receipt, and any "
        "amount not paid when due bears interest at one percent per month until paid, "
        "calculated daily and compounded monthly, from the due date until the date of payment, "
        "together with the costs of collection.",
        "4.2 Taxes. Fees exclude taxes, which Customer shall pay except taxes on Supplier's "
        "income, and if Customer must withhold any tax from a payment it shall gross up the "
        "payment so that Supplier receives the amount it would have received without the "
        "withholding.",
    ]
    for text in paragraphs:
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    doc = ingest_bytes("paragraphs.pdf", bytes(pdf.output())).documents[0]
    blocks = doc.text.split("\n\n")
    assert [b.split()[0] for b in blocks] == ["ARTICLE", "4.1", "4.2"]
    assert " ".join(blocks[1].split()) == paragraphs[1]
