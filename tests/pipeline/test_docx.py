"""Word .docx ingest: real .docx archives built here (the parts Word itself writes)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from pipeline.docx import OLE_MAGIC, DocxError, read_docx
from pipeline.ingest import IngestOptions, ingest_bytes, ingest_paths
from pipeline.keyterms import extract_terms
from pipeline.segment import segment

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
)
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def para(*runs: str) -> str:
    return "<w:p><w:pPr><w:pStyle w:val='Body'/></w:pPr>" + "".join(runs) + "</w:p>"


def run(text: str) -> str:
    return f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def docx(body: str, title: str | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """A .docx archive with `body` inside <w:body>."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}>'
            f"<w:body>{body}<w:sectPr/></w:body></w:document>",
        )
        if title is not None:
            z.writestr(
                "docProps/core.xml",
                '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
                'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f"<dc:title>{title}</dc:title></cp:coreProperties>",
            )
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


MSA = "".join(
    [
        para(run("MASTER SERVICES AGREEMENT")),
        para(
            run("This Agreement is made as of March 3, 2021 between Acme Corp. "),
            run('("Supplier") and Beta LLC ("Customer").'),
        ),
        para(run("1. Governing Law. This Agreement is governed by the laws of Delaware.")),
        para(
            "<w:r><w:br w:type='page'/></w:r>",
            run("2. Payment. Customer shall pay each invoice within thirty (30) days."),
        ),
        "<w:tbl><w:tr><w:tc>"
        + para(run("Fees"))
        + "</w:tc><w:tc>"
        + para(run("USD 10,000 per month"))
        + "</w:tc></w:tr></w:tbl>",
    ]
)


def test_paragraphs_tables_pages_and_title():
    doc = ingest_bytes("msa.docx", docx(MSA, title="Master Services Agreement")).documents[0]
    assert doc.title == "Master Services Agreement"
    assert [p.label for p in doc.pages] == ["1", "2"]
    first, second = (doc.text[p.start : p.end] for p in doc.pages)
    assert "governed by the laws of Delaware." in first
    assert 'Acme Corp. ("Supplier") and Beta LLC ("Customer").' in first
    assert "thirty (30) days" in second
    assert "Fees | USD 10,000 per month" in second
    assert "Delaware.\n\n" in doc.text, "paragraphs are separated by a blank line"


def test_key_terms_read_from_a_docx():
    doc = ingest_bytes("msa.docx", docx(MSA)).documents[0]
    terms = extract_terms(segment(doc))
    (law,) = terms.get("governing_law")
    assert "Delaware" in str(law.value)
    assert law.page == "1"
    (fees,) = terms.get("fees")
    assert (fees.value.currency, fees.value.amount, fees.page) == ("USD", 10_000, "2")
    assert [(p.name, p.alias) for p in (t.value for t in terms.get("parties"))] == [
        ("Acme Corp.", "Supplier"),
        ("Beta LLC", "Customer"),
    ]


def test_tracked_changes_read_as_accepted_and_fields_left_out():
    body = para(
        run("Payment is due within "),
        '<w:del w:id="1" w:author="A"><w:r><w:delText>forty five (45)</w:delText></w:r></w:del>',
        '<w:ins w:id="2" w:author="A">' + run("thirty (30)") + "</w:ins>",
        run(" days."),
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>',
        '<w:hyperlink w:anchor="x">' + run(" See Exhibit A.") + "</w:hyperlink>",
    )
    text = read_docx(docx(body), 10**6).pages[0]
    assert text == "Payment is due within thirty (30) days. See Exhibit A."


def test_rendered_page_breaks_split_a_paragraph_and_do_not_double():
    body = para(run("The term is one (1) year"), "<w:r><w:lastRenderedPageBreak/></w:r>") + para(
        "<w:r><w:br w:type='page'/></w:r><w:r><w:lastRenderedPageBreak/></w:r>",
        run("and renews."),
    )
    assert read_docx(docx(body), 10**6).pages == ("The term is one (1) year", "and renews.")


def test_alternate_content_is_read_once():
    body = para(
        "<mc:AlternateContent><mc:Choice Requires='wps'>"
        + run("Text box.")
        + "</mc:Choice><mc:Fallback>"
        + run("Text box.")
        + "</mc:Fallback></mc:AlternateContent>"
    )
    assert read_docx(docx(body), 10**6).pages == ("Text box.",)


@pytest.mark.parametrize(
    "data, kind, words",
    [
        (OLE_MAGIC + b"\0" * 600, "encrypted", "password-protected"),
        (b"PK\x03\x04 truncated", "corrupt", "not a valid .docx"),
        (b"plain text named docx", "corrupt", "not a valid .docx"),
        (
            docx(para(run("x"))).replace(b"word/document.xml", b"word/other000.xml"),
            "corrupt",
            "no word/document.xml",
        ),
        (docx("<w:p><w:r><w:t>broken</w:r></w:p>"), "corrupt", "not well-formed"),
        (docx(""), "empty", "no text"),
    ],
)
def test_bad_docx_files_name_the_reason(data: bytes, kind: str, words: str):
    result = ingest_bytes("bad.docx", data)
    assert result.documents == ()
    (error,) = result.errors
    assert (error.source, error.kind) == ("bad.docx", kind)
    assert words in error.reason


def test_dtd_and_decompression_bombs_are_refused():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>'
        f"<w:document {NS}><w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", laughs)
    with pytest.raises(DocxError, match="DTD"):
        read_docx(buf.getvalue(), 10**6)
    big = docx(para(run("a" * 200_000)))
    assert len(big) < 10_000, "compresses well"
    result = ingest_bytes("big.docx", big, IngestOptions(max_bytes=5_000))
    assert result.errors[0].kind == "too_large"
    assert "decompress" in result.errors[0].reason


def test_a_broken_docx_does_not_fail_the_bundle(tmp_path: Path):
    good, bad = tmp_path / "msa.docx", tmp_path / "sow.docx"
    good.write_bytes(docx(MSA))
    bad.write_bytes(docx(MSA)[:300])
    result = ingest_paths([good, bad])
    assert [d.doc_id for d in result.documents] == ["msa.docx"]
    assert [(e.source, e.kind) for e in result.errors] == [(str(bad), "corrupt")]
