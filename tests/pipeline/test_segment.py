"""Segmentation: sentence splitting on legal text, clause structure, spans and pages."""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import re
import textwrap
from pathlib import Path

import pytest

from pipeline.document import Document, Page
from pipeline.segment import Segmented, segment, split_sentences

BUNDLE = Path(__file__).resolve().parents[2] / "examples" / "bundle"
SOURCES = {
    "msa": "01_master_services_agreement",
    "sow": "02_statement_of_work",
    "amendment": "03_amendment_no_1",
}


def make_doc(pages: list[str], labels: list[str] | None = None) -> Document:
    """A Document whose pages hold exactly the given texts, one after another."""
    labels = labels or [str(i + 1) for i in range(len(pages))]
    spans, text = [], ""
    for number, (body, label) in enumerate(zip(pages, labels, strict=True), start=1):
        spans.append(Page(number, label, len(text), len(text) + len(body)))
        text += body
    return Document("doc", "memory", text, tuple(spans), hashlib.sha256(text.encode()).hexdigest())


def bundle_text(name: str, keep_markdown: bool = False) -> str:
    text = (BUNDLE / "src" / f"{SOURCES[name]}.txt").read_text(encoding="utf-8")
    return text if keep_markdown else re.sub(r"(?m)^#{1,6} ", "", text)


def bundle_doc(name: str, text: str | None = None) -> Document:
    """A sample-bundle source as a Document, cut into pages of about 2,500 characters."""
    text = bundle_text(name) if text is None else text
    cuts = [0]
    for m in re.finditer(r"\n", text):
        if m.end() - cuts[-1] >= 2500:
            cuts.append(m.end())
    cuts.append(len(text))
    return make_doc([text[a:b] for a, b in itertools.pairwise(cuts)])


def sentences_of(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def numbers(seg: Segmented) -> list[str | None]:
    return [s.number for s in seg.sections]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Brightwater Analytics, Inc. shall pay the Fees. The Customer agrees.",
            ["Brightwater Analytics, Inc. shall pay the Fees.", "The Customer agrees."],
        ),
        (
            "The buyer is Acme Corp. and the seller is Beta Co. Ltd. The price is fixed.",
            ["The buyer is Acme Corp. and the seller is Beta Co. Ltd.", "The price is fixed."],
        ),
        (
            'Halvorsen Logistics Ltd. ("Customer") agrees. It pays.',
            ['Halvorsen Logistics Ltd. ("Customer") agrees.', "It pays."],
        ),
        (
            "Fees are payable in U.S. Dollars. Work is done in the U.K. The rate is 1.5% monthly.",
            [
                "Fees are payable in U.S. Dollars.",
                "Work is done in the U.K.",
                "The rate is 1.5% monthly.",
            ],
        ),
        (
            "See No. 5 and Nos. 6 to 7 of Sec. 3 and Art. 4 of the plan. Then stop.",
            ["See No. 5 and Nos. 6 to 7 of Sec. 3 and Art. 4 of the plan.", "Then stop."],
        ),
        (
            "Use a portable format, e.g. PDF, i.e. one that prints. Then more.",
            ["Use a portable format, e.g. PDF, i.e. one that prints.", "Then more."],
        ),
        (
            "As held in Smith v. Jones and Doe vs. Roe, and by Lee et al. The court agreed.",
            ["As held in Smith v. Jones and Doe vs. Roe, and by Lee et al.", "The court agreed."],
        ),
        (
            "Mr. Eriksen met Dr. Okafor. They agreed.",
            ["Mr. Eriksen met Dr. Okafor.", "They agreed."],
        ),
        (
            "The cap is $1,000,000.00. The fee is 2.5 times the cap.",
            ["The cap is $1,000,000.00.", "The fee is 2.5 times the cap."],
        ),
        (
            "Brightwater Analytics, L.L.C. shall pay. Then it ends.",
            ["Brightwater Analytics, L.L.C. shall pay.", "Then it ends."],
        ),
        (
            "Signed by Ingrid M. Halvorsen today. Done.",
            ["Signed by Ingrid M. Halvorsen today.", "Done."],
        ),
        (
            "As set out in Exhibit A. The Supplier agrees.",
            ["As set out in Exhibit A.", "The Supplier agrees."],
        ),
        (
            "Section 2.1. The Supplier shall perform the Services. It shall do so well.",
            ["Section 2.1. The Supplier shall perform the Services.", "It shall do so well."],
        ),
        (
            "5.2 Payment Terms. Customer shall pay within thirty (30) days. Late sums bear it.",
            [
                "5.2 Payment Terms. Customer shall pay within thirty (30) days.",
                "Late sums bear it.",
            ],
        ),
        (
            "The Supplier shall: (a) deliver the goods; and (b) invoice. The Customer pays.",
            ["The Supplier shall: (a) deliver the goods; and (b) invoice.", "The Customer pays."],
        ),
        (
            'Terms are defined as the "Services." Each party agrees.',
            ['Terms are defined as the "Services."', "Each party agrees."],
        ),
        ("Is it due? Yes! It is.", ["Is it due?", "Yes!", "It is."]),
        (
            "A heading without a period\n\nA new paragraph.",
            ["A heading without a period", "A new paragraph."],
        ),
    ],
)
def test_split_sentences_legal_cases(text: str, expected: list[str]) -> None:
    assert sentences_of(text) == expected


@pytest.mark.parametrize("text", ["", "   \n\n  ", "...", " . . ", "\n\n.\n\n"])
def test_split_sentences_yields_nothing_without_words(text: str) -> None:
    assert split_sentences(text) == []


def test_stray_punctuation_joins_the_sentence_before() -> None:
    assert sentences_of("It is done. ... Next one.") == ["It is done. ...", "Next one."]


# Tokens that tempt a sentence splitter: abbreviations, numbers, markers, stray punctuation.
FUZZ_WORDS = (
    'Inc. U.S. No. 1.1 (a) Section 2.1. the The fee $1,000.00. e.g. M. Ltd. "Supplier". ... ? ! ;'
)


def test_split_sentences_spans_are_tight_ordered_and_wordy_on_random_text() -> None:
    rng = random.Random(7)
    vocab = [*FUZZ_WORDS.split(), "\n", "\n\n", "  "]
    for _ in range(300):
        text = " ".join(rng.choice(vocab) for _ in range(rng.randint(0, 30)))
        spans = split_sentences(text)
        for start, end in spans:
            piece = text[start:end]
            assert piece == piece.strip() and any(ch.isalnum() for ch in piece)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_split_sentences_offset_and_tight_spans() -> None:
    text = "  First one.   Second one.\n\n  Third one.  "
    spans = split_sentences(text, offset=100)
    assert [(s - 100, e - 100) for s, e in spans] == [(2, 12), (15, 26), (30, 40)]


def test_split_sentences_wrapped_lines_stay_one_sentence() -> None:
    text = "Supplier shall invoice Customer\nmonthly in arrears. Customer shall\npay promptly."
    assert sentences_of(text) == [
        "Supplier shall invoice Customer\nmonthly in arrears.",
        "Customer shall\npay promptly.",
    ]


STRUCTURED = """MASTER AGREEMENT

ARTICLE IV
PAYMENT

Section 5. Payment Terms. The Customer shall pay each invoice.

1. Definitions. Terms have these meanings.

1.1 Fees. The Customer shall pay:

(a) the fixed fee;

(b) expenses, namely:

(i) travel; and

(ii) lodging.

(c) taxes.

1.2 Interest. Late sums bear interest.

GENERAL PROVISIONS

This text ends the agreement.
"""


def test_clause_markers_become_sections_with_numbers_levels_and_headings() -> None:
    seg = segment(make_doc([STRUCTURED]))
    got = [(s.number, s.level, s.heading) for s in seg.sections]
    assert got == [
        (None, 1, "MASTER AGREEMENT"),
        ("ARTICLE IV", 1, "PAYMENT"),
        ("5", 1, "Payment Terms"),
        ("1", 1, "Definitions"),
        ("1.1", 2, "Fees"),
        ("(a)", 3, ""),
        ("(b)", 3, ""),
        ("(i)", 4, ""),
        ("(ii)", 4, ""),
        ("(c)", 3, ""),
        ("1.2", 2, "Interest"),
        (None, 1, "GENERAL PROVISIONS"),
    ]


def test_sections_nest_and_parents_point_outward() -> None:
    seg = segment(make_doc([STRUCTURED]))
    by_number = {s.number: s for s in seg.sections}
    fees, item_b, item_i = by_number["1.1"], by_number["(b)"], by_number["(i)"]
    assert item_i.parent == item_b.index and item_b.parent == fees.index
    assert fees.start <= item_b.start < item_i.start < item_i.end <= item_b.end <= fees.end
    assert by_number["1.2"].start == fees.end
    assert item_b.is_item and not fees.is_item


def test_sentences_belong_to_their_innermost_section() -> None:
    seg = segment(make_doc([STRUCTURED]))
    number_of = {s.text: seg.sections[s.section].number for s in seg.sentences}
    assert number_of["(i) travel; and"] == "(i)"
    assert number_of["1.2 Interest. Late sums bear interest."] == "1.2"
    assert number_of["This text ends the agreement."] is None
    # Heading lines are structure, not sentences.
    assert "PAYMENT" not in number_of and "ARTICLE IV" not in number_of


def test_letter_i_after_h_continues_the_letters() -> None:
    items = "".join(f"({ch}) item {ch};\n\n" for ch in "abcdefghij")
    seg = segment(make_doc([f"1.1 List. The items are:\n\n{items}"]))
    levels = {s.number: s.level for s in seg.sections}
    assert levels["(h)"] == levels["(i)"] == levels["(j)"] == 3


def test_wrapped_line_starting_with_a_number_or_reference_is_not_a_clause() -> None:
    text = (
        "2.1 Cure. A Party may terminate on notice.\n"
        "Section 10.5 of the Agreement limits that right.\n"
        "ARTICLE X of the Agreement also applies; and\n"
        "(30) days is the cure period under SOW No.\n"
        "1. It ends here.\n"
    )
    seg = segment(make_doc([text]))
    assert numbers(seg) == ["2.1"]
    assert [s.text for s in seg.sentences] == [
        "2.1 Cure. A Party may terminate on notice.",
        "Section 10.5 of the Agreement limits that right.",
        "ARTICLE X of the Agreement also applies; and\n"
        "(30) days is the cure period under SOW No.\n1.",
        "It ends here.",
    ]


def test_lettered_recitals_and_initials() -> None:
    text = (
        "RECITALS\n\nA. Supplier builds systems.\n\nB. Customer wants them.\n"
        "Signed by Ingrid\nM. Halvorsen.\n"
    )
    seg = segment(make_doc([text]))
    assert numbers(seg) == [None, "A", "B"]
    assert [s.text for s in seg.sentences] == [
        "A. Supplier builds systems.",
        "B. Customer wants them.",
        "Signed by Ingrid\nM. Halvorsen.",
    ]


def test_front_matter_without_heading_gets_its_own_section() -> None:
    seg = segment(make_doc(["Preamble text here.\n\n1. Scope. The scope is narrow.\n"]))
    assert [(s.number, s.start, s.end) for s in seg.sections] == [
        (None, 0, 21),
        ("1", 21, len(seg.doc.text)),
    ]
    assert seg.sentences[0].section == 0


def test_markdown_headings_are_read_as_headings() -> None:
    text = "# SERVICE AGREEMENT\n\n## ARTICLE I - SCOPE\n\n1.1 Services. Supplier shall work.\n"
    seg = segment(make_doc([text]))
    assert [(s.number, s.heading, s.level) for s in seg.sections] == [
        (None, "SERVICE AGREEMENT", 1),
        ("ARTICLE I", "SCOPE", 1),
        ("1.1", "Services", 2),
    ]


def test_sentence_pages_on_a_multi_page_document() -> None:
    pages = [
        "1. Term. This Agreement starts today. It runs for one year.\n\n",
        "2. Fees. Fees are due monthly. Late fees apply.\n\n3. Notice. Notices must be",
        " written. Email is enough.\n",
    ]
    seg = segment(make_doc(pages, labels=["i", "ii", "iii"]))
    by_text = {s.text: s.page for s in seg.sentences}
    assert by_text["1. Term. This Agreement starts today."] == "i"
    assert by_text["It runs for one year."] == "i"
    assert by_text["Late fees apply."] == "ii"
    # A sentence carries the page where it starts, even when it runs onto the next page.
    assert by_text["3. Notice. Notices must be written."] == "ii"
    assert by_text["Email is enough."] == "iii"
    assert [s.page for s in seg.sections] == ["i", "ii", "ii"]
    for sentence in seg.sentences:
        assert seg.doc.page_at(sentence.start).label == sentence.page


def test_empty_and_blank_documents_segment_to_nothing() -> None:
    for doc in (make_doc([]), make_doc(["  \n\n \n"])):
        seg = segment(doc)
        assert seg.sections == seg.paragraphs == seg.sentences == ()


def assert_spans_consistent(seg: Segmented) -> None:
    text = seg.doc.text
    for i, sentence in enumerate(seg.sentences):
        assert sentence.index == i
        assert sentence.text and text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
        para = seg.paragraphs[sentence.paragraph]
        assert para.start <= sentence.start < sentence.end <= para.end
        assert sentence.section == para.section
    for a, b in itertools.pairwise(seg.sentences):
        assert a.end <= b.start
    for i, section in enumerate(seg.sections):
        assert section.index == i and section.start < section.end
        if section.parent is not None:
            parent = seg.sections[section.parent]
            assert parent.start <= section.start and section.end <= parent.end
    for para in seg.paragraphs:
        section = seg.sections[para.section]
        assert section.start <= para.start < para.end <= section.end
        assert text[para.start : para.end] == text[para.start : para.end].strip()


def test_segment_spans_hold_on_random_structured_text() -> None:
    rng = random.Random(11)
    starts = [
        "1.",
        "1.1 Fees.",
        "(a)",
        "(b)",
        "(i)",
        "A.",
        "ARTICLE V",
        "GENERAL",
        "Section 2.",
        "",
    ]
    words = ["the", "Fee", "Inc.", "U.S.", "No.", "1.5%", "is", "due.", "paid;", "and", "(30)"]
    for _ in range(100):
        lines = [
            " ".join([rng.choice(starts), *rng.choices(words, k=rng.randint(0, 12))]).strip()
            for _ in range(rng.randint(0, 25))
        ]
        text = "".join(line + rng.choice(["\n", "\n\n"]) for line in lines)
        cut = rng.randint(0, len(text))
        assert_spans_consistent(segment(make_doc([text[:cut], text[cut:]])))


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_bundle_spans_round_trip(name: str) -> None:
    seg = segment(bundle_doc(name))
    assert len(seg.sentences) > 20
    assert_spans_consistent(seg)


def test_bundle_msa_structure() -> None:
    seg = segment(bundle_doc("msa"))
    found = numbers(seg)
    romans = (
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
        "VIII",
        "IX",
        "X",
        "XI",
        "XII",
        "XIII",
        "XIV",
    )
    articles = [n for n in found if n and n.startswith("ARTICLE")]
    assert articles == [f"ARTICLE {r}" for r in romans]
    by_number = {s.number: s for s in seg.sections if s.number and "." in s.number}
    assert by_number["10.5"].heading == "Cap on Liability"
    assert by_number["2.3"].heading == "Order of Precedence"
    assert by_number["14.10"].level == 2
    definitions = [s for s in seg.sections if s.parent == by_number["1.1"].index]
    assert [s.number for s in definitions] == [f"({ch})" for ch in "abcdefghi"]
    assert {s.level for s in definitions} == {3}


def test_bundle_sow_and_amendment_structure() -> None:
    sow = segment(bundle_doc("sow"))
    heads = {s.number: s.heading for s in sow.sections}
    assert heads["9"] == "GOVERNING LAW" and heads["9.1"] == "Governing Law"
    assert heads["4.2"] == "Payment Terms"
    amendment = segment(bundle_doc("amendment"))
    assert numbers(amendment) == [None, None, "A", "B", "C", *map(str, range(1, 10))]


def test_bundle_pages_follow_the_document() -> None:
    doc = bundle_doc("msa")
    seg = segment(doc)
    assert len(doc.pages) > 3
    assert {s.page for s in seg.sentences} == {p.label for p in doc.pages}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_bundle_structure_survives_line_wrapping(name: str) -> None:
    """PDF text wraps lines and loses blank lines; the clause structure must not change."""
    plain = bundle_text(name)
    wrapped = "\n".join(
        line for block in plain.split("\n") for line in textwrap.wrap(block, 88) or [""] if line
    )
    assert numbers(segment(bundle_doc(name, wrapped))) == numbers(segment(bundle_doc(name)))


def test_bundle_markdown_source_matches_plain_source() -> None:
    raw = segment(bundle_doc("msa", bundle_text("msa", keep_markdown=True)))
    assert numbers(raw) == numbers(segment(bundle_doc("msa")))


def planted_quotes() -> list[tuple[str, str]]:
    planted = json.loads((BUNDLE / "planted.json").read_text(encoding="utf-8"))
    name_of = {f"{stem}.pdf": name for name, stem in SOURCES.items()}
    entries = [planted["order_of_precedence"]]
    for group in planted["conflicts"] + planted["restated_equal"]:
        entries.extend(group["values"])
    return [(name_of[e["document"]], e["quote"]) for e in entries]


@pytest.mark.parametrize(("name", "quote"), planted_quotes())
def test_planted_quotes_fall_inside_one_clause(name: str, quote: str) -> None:
    seg = segment(bundle_doc(name))
    start = seg.doc.text.index(quote)
    end = start + len(quote)
    touched = [s for s in seg.sentences if s.start < end and start < s.end]
    assert touched, quote
    assert touched[0].start <= start and end <= touched[-1].end
    assert len({s.section for s in touched}) == 1


def test_article_line_running_into_its_clause_keeps_heading_and_body() -> None:
    text = (
        "ARTICLE 8 INDEMNIFICATION 8.1 The Supplier shall indemnify the Customer against all "
        "third-party claims. 8.2 The Customer shall notify the Supplier of any claim.\n\n"
        "ARTICLE 9 GOVERNING LAW\n\n9.1 This Agreement is governed by the laws of Ohio.\n"
    )
    seg = segment(make_doc([text]))
    articles = [(s.number, s.heading) for s in seg.sections if s.number and "ARTICLE" in s.number]
    assert articles == [("ARTICLE 8", "INDEMNIFICATION"), ("ARTICLE 9", "GOVERNING LAW")]
    texts = [s.text for s in seg.sentences]
    assert any("The Supplier shall indemnify the Customer" in t for t in texts)
    assert "8.2 The Customer shall notify the Supplier of any claim." in texts


def test_article_heading_alone_is_still_a_heading() -> None:
    seg = segment(make_doc(["ARTICLE 3 PAYMENT\n\n3.1 Customer shall pay all invoices.\n"]))
    assert [(s.number, s.heading) for s in seg.sections][:1] == [("ARTICLE 3", "PAYMENT")]


MONTHS = ("Oct.", "Sept.", "Jan.", "Dec.")


@pytest.mark.parametrize(
    "first",
    [
        *(f"This agreement is made effective {a} 11, 1996 by the parties." for a in MONTHS),
        *(f"The Licensee shall pay {a} 5,00,000 each month." for a in ("Rs.", "Stg.")),
    ],
)
def test_no_sentence_break_after_a_month_or_currency_abbreviation_before_a_number(
    first: str,
) -> None:
    text = f"{first} It binds them."
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == [first, "It binds them."]


SUBTITLED = """\
STATEMENT OF WORK NO. 1
Freight Demand Forecasting Platform
This Statement of Work No. 1 is entered into as of April 15, 2024 between the Parties.

LICENSE AGREEMENT
Dated as of March 1, 2024
This License Agreement is made by Acme Corp.

SUPPLY AGREEMENT
Acme Corp. and Beta LLC agree as follows.

SERVICES AGREEMENT
Agreement No. 7
the parties agree to the terms below.
"""


def test_subtitle_line_joins_the_capitals_heading_not_the_first_sentence() -> None:
    seg = segment(make_doc([SUBTITLED]))
    headings = [s.heading for s in seg.sections]
    assert headings[0] == "STATEMENT OF WORK NO. 1 Freight Demand Forecasting Platform"
    first = [s.text for s in seg.sentences]
    assert first[0].startswith("This Statement of Work No. 1 is entered into")
    # A dating line is text the key terms read; a sentence-like line is no subtitle; a line
    # before a lower-case continuation is a wrapped sentence.
    assert "LICENSE AGREEMENT" in headings
    assert any(s.startswith("Dated as of March 1, 2024") for s in first)
    assert any(s.startswith("Acme Corp. and Beta LLC agree") for s in first)
    assert any(s.startswith("Agreement No. 7\nthe parties agree") for s in first)


def test_bundle_opening_sentences_start_after_the_title_block() -> None:
    for name, opening in (("msa", "This Master Services Agreement"), ("sow", "This Statement")):
        seg = segment(bundle_doc(name))
        assert seg.sentences[0].text.startswith(opening)
