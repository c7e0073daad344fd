"""Passages for the decoder: support sentences, bundle chunks found by FAISS, library chunks.

Real FAISS and the real MiniLM embedder; the encoder-decoder is the random `tiny` preset saved as
a checkpoint with a "trained" decoder (as tests/pipeline/test_summarize.py does), so every mode
runs in seconds. Documents are generated here; nothing from ../shared/data.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from lm.weights import minilm_available
from pipeline import summarize as summarize_module
from pipeline.decoder_inputs import passage_positions
from pipeline.document import Document
from pipeline.engine import EncodedDocument, Engine, EngineConfig
from pipeline.ingest import ingest_bytes
from pipeline.passages import (
    LibraryUnavailable,
    PassageRetriever,
    chunk_positions,
    open_library,
    shared_embedder,
)
from pipeline.report import to_markdown
from pipeline.results_cache import report_from_dict
from pipeline.search import chunk_inputs, index_documents
from pipeline.segment import segment
from pipeline.summarize import SummaryOptions, summarize_documents
from retrieval.library import Library

pytestmark = pytest.mark.skipif(
    not minilm_available(), reason="verified MiniLM base files are not installed"
)

MSA = (
    "MASTER SERVICES AGREEMENT\n"
    "1. Services. Supplier shall provide the consulting services described in each statement "
    "of work.\n"
    "2. Payment. Customer shall pay each undisputed invoice within thirty (30) days after "
    "receipt of the invoice.\n"
    "3. Governing Law. This Agreement is governed by the laws of the State of Delaware.\n"
    "4. Confidentiality. Each party shall keep the other party's confidential information "
    "secret for five (5) years.\n"
)
SOW = (
    "STATEMENT OF WORK NO. 1\n"
    "1. Scope. Supplier will migrate the data warehouse of Customer to the new platform.\n"
    "2. Fees and Invoicing. Customer shall pay all invoices under this SOW within forty-five "
    "(45) days of receipt.\n"
    "3. Milestones. The migration shall be completed by June 30, 2025.\n"
)
EARLIER = (
    "PRIOR SERVICES AGREEMENT\n"
    "1. Term. This agreement runs for two (2) years from its effective date.\n"
    "2. Choice of Law. This agreement shall be governed by and construed under the laws of the "
    "State of New York.\n"
    "3. Notices. Notices must be sent by registered mail to the address of the other party.\n"
)


def text_doc(name: str, text: str) -> Document:
    (doc,) = ingest_bytes(name, text.encode()).documents
    return doc


def sentence_with(doc: EncodedDocument, needle: str) -> int:
    return next(s.index for s in doc.seg.sentences if needle in s.text)


def span_of(doc: EncodedDocument) -> tuple[int, int]:
    return doc.token_start, doc.token_start + doc.n_tokens


@pytest.fixture(scope="module")
def engine(tiny_checkpoint) -> Engine:
    return Engine.load(EngineConfig(checkpoint=tiny_checkpoint(("abstractive",)), bf16=False))


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    return [text_doc("msa.txt", MSA), text_doc("sow.txt", SOW)]


@pytest.fixture(scope="module")
def bundle(engine, docs):
    return engine.encode([segment(d) for d in docs])


@pytest.fixture(scope="module")
def library_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("library") / "lib"
    with Library.open(directory, shared_embedder()) as library:
        index_documents(library, [segment(text_doc("prior.txt", EARLIER))])
    return directory


def test_chunk_positions_are_exactly_the_chunks_tokens(engine, bundle):
    for doc in bundle.documents:
        covered: list[int] = []
        for c in chunk_inputs(doc.seg):
            positions = chunk_positions(doc, c.start, c.end)
            assert positions == tuple(range(positions[0], positions[-1] + 1))
            assert bundle.ids[list(positions)].tolist() == list(engine.tokenizer.encode(c.text).ids)
            covered += positions
        # Chunks tile the document's sentences: no token is in two chunks.
        assert len(covered) == len(set(covered))


def test_the_other_documents_same_topic_clause_is_retrieved(engine, bundle):
    msa, sow = bundle.documents
    pay = sentence_with(msa, "undisputed invoice")
    retriever = PassageRetriever(engine, bundle)
    chosen = retriever.select(span_of(msa), [(msa, [pay])], "hybrid", 512)

    first = chosen.passages[0]
    assert (first.origin, first.doc_id, first.index) == ("support", "msa.txt", pay)
    assert list(first.positions) == msa.sentence_tokens(pay)
    best = chosen.retrieved[0]
    assert (best.origin, best.doc_id) == ("bundle", "sow.txt")
    assert "forty-five" in best.text and best.score > 0.5
    assert best.text == sow.seg.doc.text[best.start : best.end] and best.pages == ("1",)
    # The MSA's own payment clause holds the query sentence: never retrieved for it.
    assert all("undisputed invoice" not in p.text for p in chosen.retrieved)

    # The SOW is outside the MSA's span: its states are appended after the span, read only by
    # the exact cross-attention.
    source = chosen.source(bundle, span_of(msa))
    n_span = msa.n_tokens
    assert source.linear_rows == n_span
    assert source.passages.tolist()[: len(first.positions)] == [
        q - msa.token_start for q in first.positions
    ]
    at = len(first.positions)
    rows = source.passages[at : at + len(best.positions)]
    assert rows.tolist() == list(range(n_span, n_span + len(best.positions)))
    torch.testing.assert_close(source.memory[rows], bundle.memory[list(best.positions)])
    assert source.ids[rows].tolist() == list(engine.tokenizer.encode(best.text).ids)

    # For the brief (the whole bundle) nothing is appended: every passage is in the memory.
    whole = chosen.source(bundle, (0, len(bundle.ids)))
    assert whole.linear_rows is None and whole.memory.shape[0] == len(bundle.ids)
    assert whole.passages.tolist() == [q for p in chosen.passages for q in p.positions]


def test_the_budget_holds_support_first(engine, bundle):
    msa, sow = bundle.documents
    support = [(msa, list(range(len(msa.seg.sentences)))), (sow, [0])]
    retriever = PassageRetriever(engine, bundle, chunks=8, min_score=-1.0)
    for budget in (0, 5, 30, 60, 90, 140, 400):
        chosen = retriever.select(span_of(msa), support, "hybrid", budget)
        assert chosen.n_tokens <= budget
        support_part = [q for p in chosen.passages if p.origin == "support" for q in p.positions]
        # Support sentences come first, taken exactly as the trained hybrid inputs take them.
        assert support_part == passage_positions(support, budget)
        assert [p.origin for p in chosen.passages] == sorted(
            (p.origin for p in chosen.passages), key=lambda o: o != "support"
        )
    few = PassageRetriever(engine, bundle, chunks=1, min_score=-1.0)
    one = few.select(span_of(sow), [(sow, [0])], "hybrid", 400)
    assert len(one.retrieved) == 1
    # Abstractive mode reads only what retrieval adds.
    abstractive = retriever.select(span_of(msa), support, "abstractive", 400)
    assert abstractive.passages and all(p.origin != "support" for p in abstractive.passages)


def test_a_library_chunk_is_appended_as_its_own_encoding(engine, bundle, library_dir):
    msa, _ = bundle.documents
    law = sentence_with(msa, "Delaware")
    with open_library(library_dir) as library:
        chosen = PassageRetriever(engine, bundle, library=library).select(
            span_of(msa), [(msa, [law])], "hybrid", 512
        )
    passage = next(p for p in chosen.retrieved if p.origin == "library")
    assert passage.doc_id == "prior.txt" and "New York" in passage.text
    rows = list(passage.positions)
    # Encoding that text alone, as a bundle of its own, gives the appended states.
    alone = engine.encode([segment(text_doc("alone.txt", passage.text))])
    assert alone.documents[0].seg.doc.text == passage.text
    torch.testing.assert_close(chosen.library_states[rows], alone.memory[1:-1])
    assert chosen.library_ids[rows].tolist() == alone.ids[1:-1].tolist()

    source = chosen.source(bundle, span_of(msa))
    order = list(chosen.passages)
    at = sum(len(p.positions) for p in order[: order.index(passage)])
    index = source.passages[at : at + len(rows)]
    assert bool((index >= msa.n_tokens).all())
    torch.testing.assert_close(source.memory[index], alone.memory[1:-1])


def test_a_library_copy_of_a_bundle_document_is_not_retrieved_twice(engine, docs, tmp_path):
    bundle = engine.encode([segment(docs[0])])
    (msa,) = bundle.documents
    with Library.open(tmp_path / "lib", shared_embedder()) as library:
        index_documents(library, [segment(docs[0])])
        chosen = PassageRetriever(engine, bundle, library=library, min_score=-1.0).select(
            span_of(msa), [(msa, [sentence_with(msa, "Delaware")])], "hybrid", 512
        )
    assert chosen.retrieved and all(p.origin == "bundle" for p in chosen.retrieved)


def test_a_missing_or_empty_library_is_a_clear_error(
    engine, tiny_checkpoint, docs, tmp_path, capsys
):
    missing = tmp_path / "no-such-library"
    with pytest.raises(LibraryUnavailable, match=str(missing)):
        open_library(missing)
    empty = tmp_path / "empty-library"
    Library.open(empty).close()
    with pytest.raises(LibraryUnavailable, match=f"{empty}.*no documents"):
        open_library(empty)
    options = SummaryOptions(mode="hybrid", library=empty, terms=False)
    assert options.library == str(empty)
    with pytest.raises(LibraryUnavailable, match=str(empty)):
        summarize_documents(engine, docs, options)
    with pytest.raises(ValueError, match="retrieve"):
        SummaryOptions(mode="hybrid", library=empty, retrieve=False)

    from pipeline.cli import main

    source = tmp_path / "msa.txt"
    source.write_text(MSA)
    args = ["bundle", str(source), "--out", str(tmp_path / "r.json"), "--mode", "hybrid"]
    args += ["--checkpoint", str(tiny_checkpoint(("abstractive",))), "--library", str(missing)]
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 1
    assert str(missing) in capsys.readouterr().err
    assert not (tmp_path / "r.json").exists()


@pytest.fixture
def decoder_calls(monkeypatch) -> list[int | None]:
    """The passage count of every input that reaches `decoder_inputs` from summarize."""
    calls: list[int | None] = []
    real = summarize_module.decoder_inputs

    def spy(model, sources):
        calls.extend(None if s.passages is None else len(s.passages) for s in sources)
        return real(model, sources)

    monkeypatch.setattr(summarize_module, "decoder_inputs", spy)
    return calls


def run(engine, docs, **options):
    opts = SummaryOptions(terms=False, num_beams=1, max_new_tokens=6, summary_words=20, **options)
    return summarize_documents(engine, docs, opts)


def test_hybrid_end_to_end_with_retrieval_on_and_off(engine, docs, library_dir, decoder_calls):
    off = run(engine, docs, mode="hybrid", retrieve=False)
    without = list(decoder_calls)
    decoder_calls.clear()
    on = run(engine, docs, mode="hybrid", library=library_dir)
    with_retrieval = list(decoder_calls)

    assert len(without) == len(with_retrieval) == 3  # two documents and the brief
    assert all(n > 0 for n in without)
    assert sum(with_retrieval) > sum(without)
    assert off.brief_passages == () and all(d.passages == () for d in off.documents)
    retrieved = [p for d in on.documents for p in d.passages] + list(on.brief_passages)
    assert {p.origin for p in retrieved} <= {"bundle", "library"}
    assert any(p.citation.doc_id == "sow.txt" for p in on.documents[0].passages)
    for p in retrieved:
        if p.origin == "bundle":
            doc = next(d for d in docs if d.doc_id == p.citation.doc_id)
            assert p.citation.quote == doc.text[p.citation.start : p.citation.end]
    for report in (off, on):
        assert report.guard.checked >= 1
        assert all(s.citations for d in report.documents for s in d.sentences)

    # The passages are part of the JSON; reports written before they existed still read.
    assert report_from_dict(on.to_dict()) == on
    old = off.to_dict()
    del old["brief_passages"]
    for d in old["documents"]:
        del d["passages"]
    assert report_from_dict(old) == off
    assert "Passages retrieved for the decoder" in to_markdown(on)
    assert "Passages retrieved" not in to_markdown(off)


def test_abstractive_mode_reads_retrieved_chunks_only_with_retrieval(engine, docs, decoder_calls):
    run(engine, docs, mode="abstractive", retrieve=False)
    assert decoder_calls == [None, None, None]
    decoder_calls.clear()
    report = run(engine, docs, mode="abstractive")
    assert any(n for n in decoder_calls)
    assert all(p.origin == "bundle" for d in report.documents for p in d.passages)
