"""The app's logic paths, run in-process with Streamlit's AppTest (no browser).

Uploads go through `file_uploader.set_value`, which Streamlit 1.67's AppTest supports for
`st.file_uploader` (a list of (name, bytes, MIME type) tuples for a multi-file uploader).
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from apptest_support import MAIN, PASSWORD, SAMPLE_PDFS, needs_minilm
from streamlit.testing.v1 import AppTest

from app.conflicts import field_label

pytestmark = needs_minilm

# The first run loads the model (a few seconds on a busy 2-core machine); later runs reuse it.
TIMEOUT = 300


def start() -> AppTest:
    """A fresh browser session of the app, first page drawn."""
    at = AppTest.from_file(str(MAIN), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, files: list[tuple[str, bytes, str]]) -> AppTest:
    at.file_uploader(key="bundle").set_value(files)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(block) -> str:
    """All Markdown and caption text of a block, joined, with Markdown escapes removed."""
    parts = [m.value for m in block.markdown] + [c.value for c in block.caption]
    return "\n".join(parts).replace("\\", "")


@pytest.fixture(scope="module")
def sample(sample_files, tmp_path_factory) -> AppTest:
    """One session with the sample bundle uploaded (shared: the tests only read it)."""
    # Module-scoped, so it sets up before the per-test data directory: give it its own.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LONGBRIEF_DATA", str(tmp_path_factory.mktemp("sample-data")))
        return upload(start(), sample_files)


def test_first_page_invites_an_upload():
    at = start()
    assert at.file_uploader(key="bundle").accept_multiple_files
    assert not at.tabs
    assert "Upload every document of one deal" in texts(at)


def test_sample_bundle_shows_every_tab(sample):
    labels = [t.label for t in sample.tabs]
    assert [label.split(" ", 1)[1] for label in labels][:2] == ["Brief", "Documents"]
    assert any("Conflicts (" in label for label in labels)
    assert labels[-2:] == [":material/search: Search", ":material/download: Export"]
    assert sample.status[0].label.startswith("Done: 3 documents")
    assert [m.value for m in sample.metric][:2] == ["3", "14"]


def test_brief_sentences_carry_their_sources(sample):
    tab = sample.tabs[0]
    assert "Extractive brief of 3 documents" in texts(tab)
    chips = tab.get("popover")
    assert chips
    labels = [c.proto.popover.label.replace("\\", "") for c in chips]
    # The brief gives every document a share, and every sentence cites (document, page).
    assert {label.rsplit(", p", 1)[0] for label in labels} == {
        "Master Services Agreement",
        "Statement of Work No. 1",
        "Amendment No. 1 to Master…",
    }
    assert all(re.search(r", pp?\. \d", label) for label in labels)
    # A chip opens the quote highlighted in its page's text.
    first = texts(chips[0])
    assert chips[0].caption[0].value.replace("\\", "") == "01_master_services_agreement.pdf"
    assert ":orange-background[" in first


def test_documents_tab_has_summary_and_key_terms_per_document(sample):
    tab = sample.tabs[1]
    assert [e.label for e in tab.expander] == [
        "**Master Services Agreement**",
        "**Statement of Work No. 1**",
        "**Amendment No. 1 to Master Services Agreement**",
    ]
    msa, sow, amendment = (t.value for t in tab.table)
    msa_terms = dict(zip(msa["Term"], msa["Value"], strict=False))
    assert msa_terms["Governing law"] == "Delaware"
    assert msa_terms["Notice to prevent renewal"] == "60 days"
    assert dict(zip(sow["Term"], sow["Value"], strict=False))["Governing law"] == "New York"
    cap = dict(zip(amendment["Term"], amendment["Value"], strict=False))["Liability cap"]
    # Escaped for st.table, which renders cells as Markdown ("$" would start LaTeX).
    assert cap.replace("\\", "") == "USD 500,000.00"


def test_conflicts_tab_lists_the_planted_conflicts_with_their_pages(sample, planted_pages):
    tab = sample.tabs[2]
    headings = [m.value[4:].replace("\\", "") for m in tab.markdown if m.value.startswith("### ")]
    assert {"Governing law", "Liability cap", "Notice to prevent renewal"} <= set(headings)
    fields = {field_label(f): f for f in planted_pages}
    assert set(headings) <= set(fields), "a conflict that was not planted"
    # Each side of a card ends with "document, page N": every one is a planted quote's page.
    sides = {c.value.replace("\\", "") for c in tab.caption if ", page " in c.value}
    for heading in headings:
        planted = {f"{doc}, page {page}" for doc, page in planted_pages[fields[heading]].items()}
        assert len(planted & sides) >= 2, (heading, planted, sides)
    allowed = {f"{d}, page {p}" for f in headings for d, p in planted_pages[fields[f]].items()}
    assert sides <= allowed
    assert "Amended by" in texts(tab)
    governs = [m.value.replace("\\", "") for m in tab.success]
    assert any(g.startswith("**Master Services Agreement governs** (Delaware)") for g in governs)
    assert any("Amendment No. 1 to Master Services Agreement governs" in g for g in governs)


def test_conflict_filters_narrow_the_list():
    at = start()
    upload(at, [(p.name, p.read_bytes(), "application/pdf") for p in SAMPLE_PDFS])
    at.pills(key="conflict-severity").set_value(["info"]).run()
    headings = [m.value for m in at.tabs[2].markdown if m.value.startswith("### ")]
    assert headings == ["### Liability cap"]
    at.pills(key="conflict-severity").set_value(["high", "medium", "info"]).run()
    at.multiselect(key="conflict-fields").set_value(["governing_law"]).run()
    headings = [m.value for m in at.tabs[2].markdown if m.value.startswith("### ")]
    assert headings == ["### Governing law"]


def test_search_finds_passages_with_document_and_page(sample_files):
    # The two-page amendment alone: embedding a bundle's passages is the slow part.
    at = upload(start(), sample_files[2:])
    at.text_input(key="search-query").set_value("cap on liability")
    at.tabs[3].get("form_submit_button")[0].click().run()
    hits = texts(at.tabs[3])
    assert "**Amendment No. 1 to Master Services Agreement** · p. 1" in hits
    assert "relevance" in hits


def test_search_covers_the_library_index_when_enabled(sample_files, data_dir):
    from app.resources import embedder
    from pipeline.ingest import ingest_bytes
    from pipeline.search import index_documents
    from pipeline.segment import segment
    from retrieval.library import Library

    name, data, _ = sample_files[1]
    with Library.open(data_dir / "library", embedder()) as library:
        index_documents(library, [segment(ingest_bytes(name, data).documents[0])])
    at = upload(start(), sample_files[2:])
    at.toggle(key="use_library").set_value(True).run()
    assert "1 document, " in texts(at.sidebar)
    at.text_input(key="search-query").set_value("governing law of this SOW")
    at.tabs[3].get("form_submit_button")[0].click().run()
    assert [h.value for h in at.tabs[3].subheader] == ["This bundle", "Library index"]
    assert "**Statement of Work No. 1** · p. 3" in texts(at.tabs[3])


def test_export_offers_json_and_markdown(sample):
    buttons = {b.label for b in sample.tabs[4].get("download_button")}
    assert buttons == {"Report as JSON", "Report as Markdown"}


def test_locked_pdf_asks_for_its_password_and_is_read_with_it(sample_files, locked_pdf):
    at = upload(start(), [sample_files[0], ("side_letter.pdf", locked_pdf, "application/pdf")])
    assert any("Password protected" in w.value for w in at.warning)
    # The rest of the bundle is processed meanwhile.
    assert at.metric[0].value == "1"
    box = next(t for t in at.text_input if t.key.startswith("password-"))
    assert box.label == "Password for side_letter.pdf"

    box.set_value("wrong").run()
    assert any("does not open" in e.value for e in at.error)

    next(t for t in at.text_input if t.key.startswith("password-")).set_value(PASSWORD).run()
    assert not [t for t in at.text_input if t.key.startswith("password-")]
    assert at.metric[0].value == "2"
    assert "SIDE LETTER" in texts(at.tabs[1]).upper()


def test_scanned_pdf_says_it_needs_ocr(sample_files, scanned_pdf):
    at = upload(start(), [sample_files[1], ("scan.pdf", scanned_pdf, "application/pdf")])
    assert any("no text layer, needs OCR" in w.value for w in at.warning)
    assert at.metric[0].value == "1"
    assert at.tabs


def test_unavailable_mode_says_why(sample_files):
    at = start()
    at.selectbox(key="mode").set_value("abstractive").run()
    assert any("Abstractive mode is not available" in e.value for e in at.sidebar.error)
    upload(at, sample_files[:1])
    assert any("not available" in e.value for e in at.main.error)
    assert not at.tabs


def test_reopened_bundle_comes_from_the_results_cache(sample_files):
    first = upload(start(), sample_files)
    assert first.status[0].label.startswith("Done")
    # A new session (and a new process would do the same: the cache is on disk).
    second = upload(start(), list(reversed(sample_files)))
    assert second.status[0].label.startswith("Opened from the results cache")
    assert len(second.tabs) == 5


def test_sessions_do_not_see_each_others_bundles(sample, sample_files):
    other = start()
    assert not other.tabs
    assert "Master Services Agreement" not in texts(other)


def test_nothing_readable_says_so_beside_the_files(scanned_pdf):
    at = upload(start(), [("scan.pdf", scanned_pdf, "application/pdf")])
    assert at.status[0].label == "No readable documents"
    assert any("None of the files could be read" in e.value for e in at.main.error)
    assert not at.tabs


def _word_file(paragraphs: list[str]) -> bytes:
    """A minimal .docx: one `w:p` per paragraph in `word/document.xml`."""
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "word/document.xml", f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
        )
    return buf.getvalue()


def test_a_word_document_joins_the_bundle(sample_files):
    sow = _word_file(
        [
            "STATEMENT OF WORK NO. 7",
            "This Statement of Work is entered into under the Master Services Agreement.",
            "5. Governing Law. This Statement of Work is governed by the laws of the State of "
            "New York.",
        ]
    )
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    at = upload(start(), [sample_files[0], ("sow7.docx", sow, docx_type)])
    assert at.metric[0].value == "2"
    tab = at.tabs[2]
    headings = [m.value[4:].replace("\\", "") for m in tab.markdown if m.value.startswith("### ")]
    assert "Governing law" in headings
    sides = {c.value.replace("\\", "") for c in tab.caption if ", page " in c.value}
    assert any(s.startswith("sow7.docx, page 1") for s in sides), sides
