"""Tests for pipeline.ingest: real files built in tmp_path, cleaning as a pure function."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from pipeline.document import Document
from pipeline.ingest import (
    NO_TEXT_REASON,
    IngestOptions,
    IngestResult,
    clean_pages,
    expand_inputs,
    ingest_bytes,
    ingest_path,
    ingest_paths,
)

HEADER = "ACME Corp - Master Services Agreement"
BODY = [
    "1. Definitions\nThis Agreement is made between Acme Corp and Beta LLC.\nIt has two parties.",
    "2. Term\nThe initial term is three years.\nIt renews unless either party objects.",
    "3. Governing Law\nThis Agreement is governed by the laws of Delaware.\nVenue is Wilmington.",
]


def only_doc(result: IngestResult) -> Document:
    assert result.errors == (), result.errors
    assert len(result.documents) == 1
    return result.documents[0]


def only_error(result: IngestResult, kind: str) -> str:
    assert result.documents == ()
    assert len(result.errors) == 1, result.errors
    assert result.errors[0].kind == kind, result.errors[0]
    return result.errors[0].reason


def assert_spans_valid(doc: Document, n_pages: int) -> None:
    assert [p.number for p in doc.pages] == list(range(1, n_pages + 1))
    assert doc.pages[0].start == 0
    assert doc.pages[-1].end == len(doc.text)
    for before, after in zip(doc.pages, doc.pages[1:], strict=False):
        assert before.end == after.start


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def rewrite(data: bytes, edit) -> bytes:
    """Load a PDF into a pypdf writer, let `edit` change it, and return the new bytes."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    edit(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class TestPdf:
    def test_headers_footers_and_page_numbers_removed_body_kept(self, tmp_path, make_pdf):
        path = write(tmp_path, "msa.pdf", make_pdf(BODY, header=HEADER, footer=True))
        doc = only_doc(ingest_path(path))
        assert doc.doc_id == "msa.pdf"
        assert doc.source == str(path)
        assert HEADER not in doc.text
        assert "Page " not in doc.text
        for page in BODY:
            for line in page.split("\n"):
                assert line in doc.text
        assert doc.text.startswith("1. Definitions")
        assert doc.text.endswith("Venue is Wilmington.")
        assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()

    def test_sentence_maps_to_its_page(self, tmp_path, make_pdf):
        doc = only_doc(
            ingest_path(write(tmp_path, "msa.pdf", make_pdf(BODY, header=HEADER, footer=True)))
        )
        assert_spans_valid(doc, 3)
        start = doc.text.index("The initial term is three years.")
        assert doc.page_at(start).number == 2
        assert doc.page_at(doc.text.index("Delaware")).number == 3
        end = doc.text.index("Venue")
        assert [p.number for p in doc.pages_of(start, end)] == [2, 3]
        for page in doc.pages:
            assert doc.text[page.start : page.end].strip() == BODY[page.number - 1]

    def test_default_labels_are_page_numbers(self, make_pdf):
        doc = only_doc(ingest_bytes("a.pdf", make_pdf(BODY, header=HEADER, footer=True)))
        assert [p.label for p in doc.pages] == ["1", "2", "3"]

    def test_printed_page_labels_read_back(self, make_pdf):
        def label(writer: PdfWriter) -> None:
            writer.set_page_label(0, 0, style="/r")
            writer.set_page_label(1, 2, style="/D", prefix="A-", start=1)

        data = rewrite(make_pdf(BODY, header=HEADER, footer=True), label)
        doc = only_doc(ingest_bytes("labelled.pdf", data))
        assert [p.label for p in doc.pages] == ["i", "A-1", "A-2"]
        assert doc.page_at(doc.text.index("Delaware")).label == "A-2"

    def test_dehyphenation_across_lines(self, make_pdf):
        text = (
            "Either party may seek termi-\nnation of this Agreement.\nThe non-\ncompete survives."
        )
        doc = only_doc(ingest_bytes("h.pdf", make_pdf([text])))
        assert "termination of this Agreement." in doc.text
        assert "non-compete survives." in doc.text

    def test_pdf_title_from_metadata(self, make_pdf):
        data = rewrite(
            make_pdf(BODY, header=HEADER, footer=True),
            lambda w: w.add_metadata({"/Title": "Master Agreement"}),
        )
        assert only_doc(ingest_bytes("t.pdf", data)).title == "Master Agreement"

    def test_only_running_lines_is_no_text(self, make_pdf):
        data = make_pdf(["", "", ""], header="BATES ABC-0001", footer=True)
        reason = only_error(ingest_bytes("stamped.pdf", data), "no_text")
        assert reason.startswith(NO_TEXT_REASON)

    def test_partly_scanned_pdf_keeps_empty_page(self, make_pdf):
        data = make_pdf([BODY[0], None, BODY[2]])
        doc = only_doc(ingest_bytes("mixed.pdf", data))
        assert_spans_valid(doc, 3)
        assert doc.pages[1].start == doc.pages[1].end
        assert doc.page_at(doc.text.index("Delaware")).number == 3


class TestBadPdf:
    def test_encrypted_needs_password(self, tmp_path, make_pdf):
        data = rewrite(
            make_pdf(BODY, header=HEADER, footer=True),
            lambda w: w.encrypt("s3cret", algorithm="RC4-128"),
        )
        path = write(tmp_path, "locked.pdf", data)

        reason = only_error(ingest_path(path), "encrypted")
        assert "--password" in reason

        reason = only_error(ingest_path(path, IngestOptions(password="wrong")), "encrypted")
        assert "--password" in reason
        assert "wrong" in reason

        doc = only_doc(ingest_path(path, IngestOptions(password="s3cret")))
        assert "governed by the laws of Delaware" in doc.text

    def test_owner_only_encryption_opens_without_password(self, make_pdf):
        data = rewrite(
            make_pdf(BODY, header=HEADER, footer=True),
            lambda w: w.encrypt("", owner_password="owner", algorithm="RC4-128"),
        )
        assert "Delaware" in only_doc(ingest_bytes("restricted.pdf", data)).text

    @pytest.mark.parametrize("keep", [0.5, 0.9])
    def test_truncated_pdf_is_corrupt(self, make_pdf, keep):
        data = make_pdf(BODY, header=HEADER, footer=True)
        reason = only_error(ingest_bytes("cut.pdf", data[: int(len(data) * keep)]), "corrupt")
        assert "corrupt" in reason

    def test_garbage_after_header_is_corrupt(self):
        only_error(ingest_bytes("junk.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8), "corrupt")

    def test_text_named_pdf(self, tmp_path):
        path = write(tmp_path, "memo.pdf", b"Just a memo, not a PDF.\n")
        assert "not a PDF" in only_error(ingest_path(path), "not_pdf")

    @pytest.mark.parametrize("name", ["empty.pdf", "empty.txt", "empty.jsonl"])
    def test_empty_file(self, tmp_path, name):
        assert "empty" in only_error(ingest_path(write(tmp_path, name, b"")), "empty")

    def test_scanned_pdf_needs_ocr(self, tmp_path, make_scan):
        path = write(tmp_path, "scan.pdf", make_scan(2))
        assert only_error(ingest_path(path), "no_text") == NO_TEXT_REASON

    def test_decompression_bomb(self, make_pdf):
        def bomb(writer: PdfWriter) -> None:
            # ~80 KB on disk, 80 MB inflated: past pypdf's 75 MB default output limit.
            stream = StreamObject()
            stream._data = zlib.compress(b" " * 80_000_000)
            stream[NameObject("/Filter")] = NameObject("/FlateDecode")
            writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)

        data = rewrite(make_pdf(["hello"]), bomb)
        assert len(data) < 200_000
        reason = only_error(ingest_bytes("bomb.pdf", data), "bomb")
        assert "decompression bomb" in reason

    def test_file_above_max_bytes(self, tmp_path, make_pdf):
        path = write(tmp_path, "big.pdf", make_pdf(BODY, header=HEADER, footer=True))
        reason = only_error(ingest_path(path, IngestOptions(max_bytes=100)), "too_large")
        assert "max_bytes" in reason
        only_error(ingest_bytes("big.txt", b"x" * 101, IngestOptions(max_bytes=100)), "too_large")

    def test_unsupported_and_missing(self, tmp_path):
        path = write(tmp_path, "contract.doc", b"\xd0\xcf\x11\xe0")
        assert ".doc" in only_error(ingest_path(path), "unsupported")
        only_error(ingest_path(tmp_path / "nope.pdf"), "missing")
        only_error(ingest_path(tmp_path / "nope.docx"), "missing")
        only_error(ingest_path(tmp_path), "unsupported")


class TestText:
    def test_plain_text_single_page(self, tmp_path):
        raw = b"Payment   terms:\tnet 30.\r\n\r\n\r\n\r\nLate fees apply.\n"
        doc = only_doc(ingest_path(write(tmp_path, "terms.txt", raw)))
        assert doc.text == "Payment terms: net 30.\n\nLate fees apply."
        assert doc.pages == (doc.pages[0],)
        assert (doc.pages[0].start, doc.pages[0].end) == (0, len(doc.text))
        assert doc.sha256 == hashlib.sha256(raw).hexdigest()

    def test_form_feed_splits_pages(self):
        doc = only_doc(ingest_bytes("f.txt", b"First page.\fSecond page.\fThird page."))
        assert_spans_valid(doc, 3)
        assert doc.page_at(doc.text.index("Second")).number == 2

    def test_markdown_keeps_markup_and_title(self):
        doc = only_doc(ingest_bytes("notes.md", b"# Deal Notes\n\n- Net 45\n- Cap $1M\n"))
        assert doc.title == "Deal Notes"
        assert doc.text == "# Deal Notes\n\n- Net 45\n- Cap $1M"

    def test_windows_1252_falls_back(self):
        doc = only_doc(ingest_bytes("w.txt", "Caf\xe9 \u20ac5".encode("cp1252")))
        assert doc.text == "Caf\xe9 \u20ac5"

    def test_binary_named_txt(self):
        only_error(ingest_bytes("blob.txt", b"\x00\x01\x02binary"), "not_text")

    def test_whitespace_only(self):
        only_error(ingest_bytes("blank.txt", b"  \n\n\t\n"), "empty")

    def test_bytes_name_is_never_opened(self, tmp_path):
        real = write(tmp_path, "real.txt", b"on disk")
        doc = only_doc(ingest_bytes(str(real), b"uploaded"))
        assert doc.text == "uploaded"
        assert doc.doc_id == str(real)


JSONL_LINES = [
    json.dumps({"id": "msa-1", "text": "Governed by Delaware law.", "title": "MSA"}),
    json.dumps({"id": 7, "body": "no text field here"}),
    "",
    json.dumps({"text": "Payment is net 45."}),
    "{not json",
    json.dumps({"id": "sow", "text": "Page one.\fPage two."}),
]


class TestJsonl:
    def check(self, result: IngestResult, name: str, source: str) -> None:
        assert [d.doc_id for d in result.documents] == ["msa-1", f"{name}:4", "sow"]
        assert result.documents[0].title == "MSA"
        assert result.documents[1].text == "Payment is net 45."
        assert all(d.source == source for d in result.documents)
        sow = result.documents[2]
        assert_spans_valid(sow, 2)
        assert sow.page_at(sow.text.index("two")).number == 2
        assert [(e.kind, e.source) for e in result.errors] == [
            ("missing_field", f"{source}:2"),
            ("bad_line", f"{source}:5"),
        ]
        assert "line 2" in result.errors[0].reason
        assert "'text'" in result.errors[0].reason
        assert name in result.errors[0].reason
        line_hashes = {hashlib.sha256(line.encode()).hexdigest() for line in JSONL_LINES}
        assert {d.sha256 for d in result.documents} <= line_hashes

    def test_jsonl_bad_lines_reported_rest_loaded(self, tmp_path):
        path = write(tmp_path, "corpus.jsonl", "\n".join(JSONL_LINES).encode())
        self.check(ingest_path(path), "corpus.jsonl", str(path))

    def test_jsonl_gz(self, tmp_path):
        path = write(tmp_path, "corpus.jsonl.gz", gzip.compress("\n".join(JSONL_LINES).encode()))
        self.check(ingest_path(path), "corpus.jsonl.gz", str(path))

    def test_custom_fields(self):
        data = json.dumps({"doc": "A-1", "body": "Cap is $500k."}).encode()
        options = IngestOptions(text_field="body", id_field="doc")
        doc = only_doc(ingest_bytes("c.jsonl", data, options))
        assert (doc.doc_id, doc.text) == ("A-1", "Cap is $500k.")

    def test_gzip_bomb_and_corrupt_gzip(self):
        bomb = gzip.compress(b" " * 1_000_000)
        reason = only_error(
            ingest_bytes("b.jsonl.gz", bomb, IngestOptions(max_bytes=10_000)), "too_large"
        )
        assert "decompressed" in reason
        only_error(ingest_bytes("c.jsonl.gz", b"\x1f\x8b\x08\x00garbage"), "corrupt")


class TestBundle:
    def test_expand_directories_globs_and_missing(self, tmp_path):
        files = {
            "b/z.pdf": b"%PDF-",
            "b/a.txt": b"a",
            "b/sub/c.jsonl": b"{}",
            "b/sub/d.jsonl.gz": b"",
            "b/notes.xlsx": b"",
            "b/.hidden/e.txt": b"",
            "top.md": b"",
        }
        for name, data in files.items():
            write(tmp_path, name, data)
        found, errors = expand_inputs([str(tmp_path / "b")])
        rel = [p.relative_to(tmp_path).as_posix() for p in found]
        assert rel == ["b/a.txt", "b/sub/c.jsonl", "b/sub/d.jsonl.gz", "b/z.pdf"]
        assert errors == []

        found, errors = expand_inputs(
            [
                str(tmp_path / "b" / "**" / "*.jsonl*"),
                str(tmp_path / "top.md"),
                str(tmp_path / "b" / "a.txt"),
                str(tmp_path / "b" / "*.txt"),
                str(tmp_path / "missing.pdf"),
                str(tmp_path / "*.nothing"),
            ]
        )
        rel = [p.relative_to(tmp_path).as_posix() for p in found]
        assert rel == ["b/sub/c.jsonl", "b/sub/d.jsonl.gz", "top.md", "b/a.txt"]
        assert [(e.kind, Path(e.source).name) for e in errors] == [
            ("missing", "missing.pdf"),
            ("missing", "*.nothing"),
        ]

    def test_directory_without_supported_files(self, tmp_path):
        write(tmp_path, "d/readme.xlsx", b"x")
        found, errors = expand_inputs([str(tmp_path / "d")])
        assert found == []
        assert [e.kind for e in errors] == ["missing"]

    def test_one_broken_file_does_not_stop_the_bundle(self, tmp_path, make_pdf):
        paths = [
            write(tmp_path, "msa.pdf", make_pdf(BODY, header=HEADER, footer=True)),
            write(tmp_path, "sow.pdf", make_pdf(BODY[:1])[:300]),
            write(tmp_path, "notes.txt", b"Net 30."),
        ]
        result = ingest_paths(paths)
        assert [d.doc_id for d in result.documents] == ["msa.pdf", "notes.txt"]
        assert len(result.errors) == 1
        assert result.errors[0].source == str(paths[1])
        assert "sow.pdf" in str(result.errors[0])


class TestCleanPages:
    def test_running_lines_and_page_number_styles(self):
        words = ["alpha", "beta", "gamma", "delta"]
        numbers = ["1", "- 2 -", "Page 3 of 4", "4/4"]
        pages = [
            f"CONFIDENTIAL\nAcme MSA draft {i}\nThe {w} clause.\nIt says {w} things.\n\n{n}"
            for i, (w, n) in enumerate(zip(words, numbers, strict=True), start=1)
        ]
        text, spans = clean_pages(pages, ["1", "2", "3", "4"])
        assert text == "\n\n".join(f"The {w} clause.\nIt says {w} things." for w in words)
        assert [s.number for s in spans] == [1, 2, 3, 4]
        assert text[spans[2].start : spans[2].end] == "The gamma clause.\nIt says gamma things.\n\n"

    def test_line_on_only_some_pages_is_kept(self):
        pages = ["Recitals\nOne.", "Two.", "Three.", "Recitals\nFour.", "Five."]
        text, _ = clean_pages(pages, list("12345"))
        assert text.count("Recitals") == 2

    def test_numbers_inside_the_body_are_kept(self):
        text, _ = clean_pages(["Intro.\n3\nThree items follow.\nA\nB\nC\nEnd."], ["1"])
        assert "\n3\n" in text

    def test_single_page_keeps_its_first_lines(self):
        text, _ = clean_pages(["CONFIDENTIAL\nBody."], ["1"])
        assert text == "CONFIDENTIAL\nBody."

    def test_label_is_removed_as_page_number(self):
        text, _ = clean_pages(["Preface text.\nxii"], ["xii"])
        assert text == "Preface text."

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("termi-\nnation", "termination"),
            ("non-\ncompete", "non-compete"),
            ("state-of-the-\nart", "state-of-the-art"),
            ("Post-\nClosing", "Post-Closing"),
            # A word in capitals split by the word processor, spelt whole elsewhere.
            ("THIS AGREE-\nMENT. The Agreement.", "THIS AGREEMENT. The Agreement."),
            ("NON-\nCOMPETE", "NON-COMPETE"),
            # Halves that are no words of their own are a split word, halves that are a compound.
            ("ACME INCORP-\nORATED", "ACME INCORPORATED"),
            ("FIXED FEE. FIXED-\nFEE", "FIXED FEE. FIXED-FEE"),
            # The fragment after a split is no word of the document ("INATION").
            ("The term. ARTICLE 9 TERM-\nINATION", "The term. ARTICLE 9 TERMINATION"),
            # The document's own spelling decides, whole or hyphenated.
            ("ExxonMobil and Exxon-\nMobil", "ExxonMobil and ExxonMobil"),
            ("a cost-plus fee; cost-\nplus", "a cost-plus fee; cost-plus"),
            ("2019-\n2020", "2019-\n2020"),
            ("co\ufb01nance e\ufb00ort", "cofinance effort"),
            ("soft\u00ad\nhyphen", "softhyphen"),
        ],
    )
    def test_dehyphenation(self, raw, expected):
        assert clean_pages([raw], ["1"])[0] == expected

    def test_word_hyphenated_across_pages_goes_to_first_page(self):
        text, spans = clean_pages(["The agree-", "ment is binding."], ["1", "2"])
        # The sentence the word is in runs on over the page break.
        assert text == "The agreement is binding."
        assert text[spans[0].start : spans[0].end] == "The agreement "

    def test_lines_wrapped_mid_sentence_run_on(self):
        page = (
            "This Agreement shall remain in effect for sixty (60) months from the Effective\n"
            "Date, and the Supplier shall deliver the Products to the Customer at the address\n"
            "stated in the order.\n"
            "The Customer shall pay each invoice within thirty (30) days after its receipt,\n"
            "without set-off.\n"
            "(a) the Customer fails to pay any amount due under this Agreement when due;\n"
            "(b) the Supplier breaches any of its material obligations under this Agreement\n"
            "and fails to cure the breach within thirty (30) days after written notice of it.\n"
            "ACME CORPORATION\n"
            "By: ____________________________________________________________________________\n"
            "Name: Jane Roe"
        )
        text, _ = clean_pages([page], ["1"])
        assert text.split("\n") == [
            "This Agreement shall remain in effect for sixty (60) months from the Effective "
            "Date, and the Supplier shall deliver the Products to the Customer at the address "
            "stated in the order.",
            "The Customer shall pay each invoice within thirty (30) days after its receipt, "
            "without set-off.",
            "(a) the Customer fails to pay any amount due under this Agreement when due;",
            "(b) the Supplier breaches any of its material obligations under this Agreement "
            "and fails to cure the breach within thirty (30) days after written notice of it.",
            "ACME CORPORATION",
            "By: ____________________________________________________________________________",
            "Name: Jane Roe",
        ]

    def test_a_sentence_wrapped_over_a_page_break_runs_on(self):
        first = (
            "The Supplier shall deliver the Products to the Customer at the address stated\n"
            "in the order, and the Customer shall inspect them within ten days of delivery\n"
            "and notify the Supplier in writing of any defect that the inspection reveals,\n"
            "and this Agreement shall remain in force for a period of sixty (60) months from\n"
            "the date on which both of the parties have signed it, counted from the Effective"
        )
        text, spans = clean_pages([first, "Date, unless terminated earlier."], ["1", "2"])
        assert "counted from the Effective Date, unless" in text
        assert text[spans[0].start : spans[0].end].endswith("Effective ")
        # A short last line (a heading, an address) is no wrapped sentence.
        short = first.replace(", counted from the Effective", "\nthe Effective")
        text, _ = clean_pages([short, "Date, unless terminated earlier."], ["1", "2"])
        assert "the Effective\nDate" in text
        # Nor is one before a clause number on the next page.
        text, _ = clean_pages([first, "5.2 Fees. The fees are due."], ["1", "2"])
        assert "Effective\n5.2 Fees." in text

    def test_full_lines_are_measured_before_dehyphenation(self):
        # Words joined over line ends put two lines on one; the lines still wrap at the width
        # they had on the page.
        page = (
            "The Distributor shall promote the Products throughout the Territory and shall\n"
            "use commercially reasonable efforts to maximize their sales and their distri-\n"
            "bution to the customers of the Territory, and the Supplier shall pay for the ad-\n"
            "vertising that the parties agree on in writing before the start of each year,\n"
            "and this Agreement shall remain in force for sixty (60) months from the Effective\n"
            "Date unless terminated earlier as provided in this Agreement."
        )
        assert "from the Effective Date unless" in clean_pages([page], ["1"])[0]

    @pytest.mark.parametrize(
        ("page", "kept"),
        [
            # An item that ends its entry with "; and" keeps the next item on its own line.
            (
                "5.1 Payment. The Licensee shall do each of the following things:\n"
                "(a) pay all amounts due under this Agreement within thirty (30) days; and\n"
                "(b) keep complete and accurate records of all the sales of the Products and\n"
                "deliver them to the Licensor within ten (10) days after each quarter ends.\n"
                "5.2 Taxes. The Licensee shall pay every tax on the amounts due to it.",
                "days; and\n(b) keep",
            ),
            # A long heading in capitals keeps the clause under it.
            (
                "ARTICLE 5 REPRESENTATIONS AND WARRANTIES OF THE SELLER AND OF THE PARENT\n"
                "5.1 Organization. The Seller is a corporation duly organized and validly\n"
                "existing under the laws of the State of Delaware and has all requisite power\n"
                "to own its assets and to carry on its business as now conducted by it, and\n"
                "5.2 The Parent is a corporation duly organized under the laws of Ohio.",
                "PARENT\n5.1 Organization.",
            ),
            # A table row ending in a number stays a row.
            (
                "The Tenant shall pay the monthly rent for each year of the Term as follows\n"
                "Months 1 through 12 of the Initial Term of this Lease at a rate of $ 10,000\n"
                "Months 13 through 24 of the Initial Term of this Lease at a rate of $ 11,000\n"
                "Months 25 through 36 of the Initial Term of this Lease at a rate of $ 12,000\n"
                "All rent is payable in advance on the first day of each calendar month.",
                "$ 10,000\nMonths 13",
            ),
            # A party's name in capitals under the sentence that introduces it.
            (
                "IN WITNESS WHEREOF, the parties have executed this Agreement on the dates\n"
                "set out below by their duly authorized officers and representatives as follows\n"
                "ACME CORPORATION\n"
                "By: ______________________________________________________\n"
                "Name: Jane Roe, Chief Executive Officer of the Acme Corporation",
                "as follows\nACME CORPORATION",
            ),
        ],
    )
    def test_structure_keeps_its_line_breaks(self, page, kept):
        assert kept in clean_pages([page], ["1"])[0]

    def test_capitals_run_on_into_capitals_and_a_date(self):
        page = (
            "9. LIMITATION. IN NO EVENT SHALL EITHER PARTY BE LIABLE TO THE OTHER PARTY FOR\n"
            "ANY INDIRECT OR CONSEQUENTIAL DAMAGES, AND NEITHER PARTY'S TOTAL LIABILITY SHALL\n"
            "EXCEED THE FEES PAID UNDER THIS AGREEMENT IN THE TWELVE MONTHS BEFORE THE CLAIM.\n"
            "COMMENCEMENT DATE FOR THE MAINTENANCE SERVICES UNDER THIS ADDENDUM: MARCH\n"
            "1, 2001, and the Customer shall pay the first invoice within thirty days of it.\n"
            "REPRESENTATIONS AND WARRANTIES OF THE SUPPLIER AND OF ITS PARENT COMPANY\n"
            "The Supplier represents that it is duly organized under the laws of Delaware."
        )
        text = clean_pages([page], ["1"])[0]
        assert "LIABLE TO THE OTHER PARTY FOR ANY INDIRECT" in text
        assert "SHALL EXCEED THE FEES" in text
        assert "ADDENDUM: MARCH 1, 2001, and" in text
        assert "PARENT COMPANY\nThe Supplier represents" in text

    def test_short_lines_keep_their_breaks(self):
        page = "Notices to:\nAcme Corp.\n100 Main Street\nSpringfield, Ohio 45501\nAttn: Legal"
        assert clean_pages([page], ["1"])[0] == page

    def test_capitals_split_over_pages_join_when_spelt_whole(self):
        text, _ = clean_pages(["ACME CORPO-", "RATION agrees. The corporation."], ["1", "2"])
        assert text == "ACME CORPORATION agrees. The corporation."

    def test_spans_are_contiguous_with_empty_pages(self):
        text, spans = clean_pages(["", "First.", "  \n ", "Second", ""], list("abcde"))
        assert text == "First.\n\nSecond"
        assert [(s.start, s.end) for s in spans] == [(0, 0), (0, 8), (8, 8), (8, 14), (14, 14)]
        assert [s.label for s in spans] == list("abcde")

    def test_missing_labels_become_numbers(self):
        _, spans = clean_pages(["a", "b"], [])
        assert [s.label for s in spans] == ["1", "2"]
