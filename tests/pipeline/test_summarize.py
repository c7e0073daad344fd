"""Tests for the summarize orchestration on the sample bundle: citations, modes, guard, report.

Also covers the engine (bundle layout, token -> sentence map, multi-pass encoding, checkpoint
resolution) and the extractive ranking/selection these summaries rest on.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import torch
from pypdf import PdfReader

from pipeline.centrality import textrank_scores
from pipeline.document import Document
from pipeline.engine import CHECKPOINT_ENV, FALLBACK_NAME, Engine, EngineConfig
from pipeline.extractive import (
    head_scores,
    lead_scores,
    rank_scores,
    select,
    sentence_scores,
    words,
)
from pipeline.faithfulness import SourceFacts, check
from pipeline.ingest import ingest_bytes, ingest_paths
from pipeline.report import GuardStats, Report, SummarySentence, _unquoted, to_markdown
from pipeline.segment import segment
from pipeline.sentence_features import sentence_features
from pipeline.summarize import (
    ModeUnavailable,
    SummaryOptions,
    _Writer,
    cite,
    flat,
    summarize,
    summarize_documents,
)
from pipeline.units import clause_units

TOP_LEVEL_KEYS = {
    "schema",
    "bundle_id",
    "mode",
    "model",
    "documents",
    "brief",
    "errors",
    "timings",
    "guard",
}
PLANTED = json.loads(
    (Path(__file__).resolve().parents[2] / "examples/bundle/planted.json").read_text()
)


def fold(text: str) -> str:
    return " ".join(text.split())


def squash(text: str) -> str:
    """Text with whitespace and hyphens removed: survives line breaks and de-hyphenation."""
    return re.sub(r"[\s\-\u00ad]+", "", text)


def all_sentences(report: Report) -> list[SummarySentence]:
    return [s for d in report.documents for s in d.sentences] + list(report.brief)


@pytest.fixture(scope="module")
def documents(sample_pdfs) -> dict[str, Document]:
    result = ingest_paths(sample_pdfs)
    assert result.errors == ()
    return {d.doc_id: d for d in result.documents}


@pytest.fixture(scope="module")
def report(engine, sample_pdfs) -> Report:
    return summarize(sample_pdfs, engine=engine)


# --- extractive mode on the sample bundle ---------------------------------------------------


def test_report_has_one_summary_per_file_and_a_brief_from_every_document(report, sample_pdfs):
    assert report.errors == ()
    assert report.mode == "extractive"
    assert report.model == "default"
    assert [d.doc_id for d in report.documents] == [p.name for p in sample_pdfs]
    pages = {d["id"]: d["pages"] for d in PLANTED["documents"]}
    for doc in report.documents:
        assert doc.sentences, doc.doc_id
        assert doc.n_pages == pages[doc.doc_id]
        assert doc.n_tokens > 100
        assert len(doc.sha256) == 64
        assert doc.text == " ".join(s.text for s in doc.sentences)
    brief_docs = {c.doc_id for s in report.brief for c in s.citations}
    assert brief_docs == {p.name for p in sample_pdfs}
    assert report.guard == GuardStats()
    assert [t.stage for t in report.timings] == [
        "ingest",
        "segment",
        "encode",
        "extract",
        "summarize",
        "terms",
        "compare",
    ]
    assert all(t.seconds >= 0 for t in report.timings)


def test_every_extractive_sentence_is_a_cited_source_sentence(report, documents):
    for sentence in all_sentences(report):
        assert sentence.origin == "extracted"
        (c,) = sentence.citations
        doc = documents[c.doc_id]
        assert c.quote == doc.text[c.start : c.end]
        assert fold(sentence.text) == fold(c.quote)
        assert sentence.text == flat(c.quote)
        # A whole sentence, or a clause unit of one when the head selects units.
        seg = segment(doc)
        spans = {(s.start, s.end) for s in (*seg.sentences, *clause_units(seg).seg.sentences)}
        assert (c.start, c.end) in spans


def test_citation_pages_are_where_the_text_is(report, documents, sample_pdfs):
    raw_pages = {
        p.name: [squash(page.extract_text() or "") for page in PdfReader(p).pages]
        for p in sample_pdfs
    }
    for sentence in all_sentences(report):
        for c in sentence.citations:
            doc = documents[c.doc_id]
            covered = sorted({doc.page_at(i).number for i in range(c.start, c.end)})
            assert c.pages == tuple(doc.pages[n - 1].label for n in covered)
            for n in covered:
                page = doc.pages[n - 1]
                part = doc.text[max(c.start, page.start) : min(c.end, page.end)]
                # The cited text really is on that page of the PDF.
                assert squash(part) in raw_pages[c.doc_id][n - 1], (c.doc_id, n, part)


def test_summaries_respect_the_word_budget(engine, sample_pdfs):
    options = SummaryOptions(summary_words=40, brief_words=90)
    report = summarize(sample_pdfs, engine=engine, options=options)
    for doc in report.documents:
        counts = [len(words(s.text)) for s in doc.sentences]
        # The last sentence chosen may overrun the budget; everything before it fits.
        assert sum(counts) - max(counts) < 40
    counts = [len(words(s.text)) for s in report.brief]
    assert sum(counts) - max(counts) < 90 + 3 * 25


def test_lead_ranking_prefers_early_body_sentences(engine, documents):
    # Without a trained head the interim ranking is Lead: early, non-heading sentences.
    untrained = Engine(engine.model, engine.tokenizer, "no-head", (), EngineConfig(bf16=False))
    report = summarize_documents(untrained, list(documents.values()), SummaryOptions(terms=False))
    for summary in report.documents:
        seg = segment(documents[summary.doc_id])
        scores = lead_scores(seg)
        cited = {(c.start, c.end) for x in summary.sentences for c in x.citations}
        picked = [i for i, s in enumerate(seg.sentences) if (s.start, s.end) in cited]
        body = [i for i, s in enumerate(scores) if s > -10]
        assert picked == body[: len(picked)]


def test_bundle_id_is_content_hash_independent_of_order(engine, sample_pdfs, report):
    again = summarize(list(reversed(sample_pdfs)), engine=engine)
    assert again.bundle_id == report.bundle_id
    assert len(report.bundle_id) == 16


# --- bad inputs ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["corrupt", "not_pdf", "encrypted"])
def test_broken_file_yields_one_error_and_the_rest_is_summarized(
    engine, sample_pdfs, make_broken, tmp_path, kind
):
    broken = tmp_path / f"broken_{kind}.pdf"
    broken.write_bytes(make_broken(kind))
    report = summarize([sample_pdfs[0], broken, *sample_pdfs[1:]], engine=engine)
    assert len(report.errors) == 1
    (error,) = report.errors
    assert error.kind == kind
    assert error.source == str(broken)
    assert broken.name in str(error)
    assert [d.doc_id for d in report.documents] == [p.name for p in sample_pdfs]
    assert all(d.sentences for d in report.documents)
    md = to_markdown(report)
    assert "## Files that could not be read" in md
    assert f"`{broken}`" in md


def test_missing_path_is_an_error_not_an_exception(engine, sample_pdfs, tmp_path):
    report = summarize([tmp_path / "nope.pdf", sample_pdfs[2]], engine=engine)
    assert [(e.kind, e.source) for e in report.errors] == [("missing", str(tmp_path / "nope.pdf"))]
    assert [d.doc_id for d in report.documents] == [sample_pdfs[2].name]


def test_only_broken_inputs_give_an_empty_report(engine, make_broken, tmp_path):
    broken = tmp_path / "x.pdf"
    broken.write_bytes(make_broken("not_pdf"))
    report = summarize([broken], engine=engine)
    assert report.documents == () and report.brief == ()
    assert len(report.errors) == 1
    assert "(nothing to summarize)" in to_markdown(report)


# --- modes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["abstractive", "hybrid"])
def test_generating_modes_need_a_trained_decoder(engine, documents, mode):
    assert not engine.has_decoder and engine.has_extractive_head
    with pytest.raises(ModeUnavailable, match=r"no trained decoder.*extractive mode"):
        summarize_documents(engine, list(documents.values()), SummaryOptions(mode=mode))


def test_unknown_mode_is_rejected():
    with pytest.raises(ValueError, match="unknown mode"):
        SummaryOptions(mode="creative")


@pytest.fixture(scope="module")
def tiny_abstractive(tiny_checkpoint) -> Engine:
    return Engine.load(EngineConfig(checkpoint=tiny_checkpoint(("abstractive",)), bf16=False))


@pytest.fixture(scope="module")
def hybrid_report(tiny_abstractive, documents) -> Report:
    docs = [documents["02_statement_of_work.pdf"], documents["03_amendment_no_1.pdf"]]
    options = SummaryOptions(
        mode="hybrid", num_beams=2, max_new_tokens=10, summary_words=40, brief_words=60
    )
    return summarize_documents(tiny_abstractive, docs, options)


def test_hybrid_end_to_end_is_guarded_and_cited(hybrid_report, documents):
    report = hybrid_report
    assert report.mode == "hybrid"
    assert [d.doc_id for d in report.documents] == [
        "02_statement_of_work.pdf",
        "03_amendment_no_1.pdf",
    ]
    texts = [documents[d.doc_id].text for d in report.documents]
    sources = [(d, SourceFacts.of(t)) for d, t in zip(report.documents, texts, strict=True)]
    brief_facts = SourceFacts.of(" ".join(texts))
    cases = [(s, facts) for d, facts in sources for s in d.sentences]
    cases += [(s, brief_facts) for s in report.brief]
    assert cases, "hybrid mode produced no sentences at all"
    for sentence, facts in cases:
        assert sentence.origin in ("generated", "replaced")
        (c,) = sentence.citations
        doc = documents[c.doc_id]
        assert c.quote == doc.text[c.start : c.end]
        assert c.pages == tuple(p.label for p in doc.pages_of(c.start, c.end))
        if sentence.origin == "generated":
            assert check(sentence.text, facts).ok, sentence
        else:
            assert sentence.text == flat(c.quote)
            assert (c.start, c.end) in {(s.start, s.end) for s in segment(doc).sentences}


def test_hybrid_guard_counts_are_consistent(hybrid_report):
    g = hybrid_report.guard
    origins = [s.origin for s in all_sentences(hybrid_report)]
    assert g.checked >= 1
    assert g.checked == origins.count("generated") + g.replaced + g.dropped
    assert g.replaced == origins.count("replaced")
    assert "Faithfulness guard:" in to_markdown(hybrid_report)


def test_abstractive_mode_runs_with_a_trained_decoder(tiny_abstractive, documents):
    doc = documents["03_amendment_no_1.pdf"]
    options = SummaryOptions(mode="abstractive", num_beams=1, max_new_tokens=9)
    report = summarize_documents(tiny_abstractive, [doc], options)
    (summary,) = report.documents
    for s in [*summary.sentences, *report.brief]:
        assert s.origin in ("generated", "replaced")
        assert s.citations and s.citations[0].doc_id == doc.doc_id
    assert report.guard.checked >= 1


# --- the faithfulness guard itself -------------------------------------------------------------

TERMS = (
    "Customer shall pay each undisputed invoice within thirty (30) days after receipt of a "
    "correct invoice.\n"
    "The aggregate liability of Supplier shall not exceed One Million U.S. Dollars "
    "(US$1,000,000.00).\n"
    "Either Party may terminate this Agreement for convenience upon sixty (60) days' prior "
    "written notice.\n"
    "This Agreement is made between Halvorsen Logistics Ltd. and Brightwater Analytics, Inc.\n"
)


@pytest.fixture
def writer(engine) -> tuple[_Writer, Document]:
    (doc,) = ingest_bytes("terms.txt", TERMS.encode()).documents
    bundle = engine.encode([segment(doc)], with_memory=False)
    return _Writer(engine, bundle, SummaryOptions(mode="hybrid")), doc


def _support(w: _Writer):
    (d,) = w.bundle.documents
    return [(d, [])]


def test_guard_keeps_a_supported_sentence_truecased(writer):
    w, doc = writer
    text = "customer shall pay each undisputed invoice within thirty (30) days after receipt."
    (s,) = w._guarded(text, _support(w))
    assert s.origin == "generated"
    assert s.text == (
        "Customer shall pay each undisputed invoice within thirty (30) days after receipt."
    )
    (c,) = s.citations
    assert c.quote.startswith("Customer shall pay each undisputed invoice")
    assert c.quote == doc.text[c.start : c.end]
    assert w.guard == GuardStats(checked=1, dropped=0, replaced=0)


def test_guard_replaces_a_sentence_with_an_invented_amount(writer):
    w, doc = writer
    text = "the aggregate liability of supplier shall not exceed $9,999,999."
    (s,) = w._guarded(text, _support(w))
    assert s.origin == "replaced"
    assert "9,999,999" not in s.text
    assert s.text == (
        "The aggregate liability of Supplier shall not exceed One Million U.S. Dollars "
        "(US$1,000,000.00)."
    )
    (c,) = s.citations
    assert c.quote == doc.text[c.start : c.end] and flat(c.quote) == s.text
    assert w.guard == GuardStats(checked=1, dropped=0, replaced=1)


def test_guard_drops_a_second_replacement_by_the_same_source(writer):
    w, _ = writer
    text = (
        "Customer shall pay each undisputed invoice within thirty (30) days after receipt. "
        "The aggregate liability of Supplier shall not exceed $9,999,999. "
        "The liability of Supplier shall not exceed $9,999,999 in aggregate."
    )
    out = w._guarded(text, _support(w))
    assert [s.origin for s in out] == ["generated", "replaced"]
    assert w.guard == GuardStats(checked=3, dropped=1, replaced=1)
    # Stats add up over calls (documents and brief of one report).
    w._guarded("the fee is $9,999,999 per month.", _support(w))
    assert w.guard.checked == 4


def test_guard_replaces_invented_dates_and_mixed_party_names(writer):
    w, _ = writer
    (s,) = w._guarded("either party may terminate on october 5, 2030.", _support(w))
    assert s.origin == "replaced"
    assert s.text.startswith("Either Party may terminate this Agreement")
    # Truecasing makes "brightwater logistics" a name; the sources never say it.
    (s,) = w._guarded("this agreement is made with brightwater logistics.", _support(w))
    assert s.origin == "replaced"


def test_guard_checks_each_uncased_sentence_on_its_own(writer):
    w, _ = writer
    text = (
        "customer shall pay each undisputed invoice within thirty (30) days after receipt. "
        "the aggregate liability of supplier shall not exceed $9,999,999."
    )
    out = w._guarded(text, _support(w))
    assert w.guard.checked == 2
    assert [s.origin for s in out] == ["generated", "replaced"]


def test_guard_catches_an_invented_party_name(writer):
    w, _ = writer
    text = "acme widgets corp. shall pay each undisputed invoice within thirty (30) days."
    (s,) = w._guarded(text, _support(w))
    assert s.origin == "replaced"


def test_cite_spans_pages(make_pdf):
    data = make_pdf(
        [
            "1. Payment\nCustomer shall pay each invoice within thirty (30) days\n"
            "after receipt of a correct invoice, except as",
            "set out in Schedule B of this Agreement.\n2. Term\nThe term is three years.",
        ]
    )
    (doc,) = ingest_bytes("two_pages.pdf", data).documents
    start = doc.text.index("Customer shall pay")
    end = doc.text.index("this Agreement.") + len("this Agreement.")
    c = cite(doc, start, end)
    assert c.pages == ("1", "2")
    assert c.quote == doc.text[start:end]
    assert (c.doc_id, c.start, c.end) == ("two_pages.pdf", start, end)
    c2 = cite(doc, doc.text.index("The term"), len(doc.text))
    assert c2.pages == ("2",)
    s = SummarySentence(flat(c.quote), (c,), "extracted")
    r = Report("b", "extractive", "m", (), (s,), (), (), GuardStats())
    assert "[two_pages.pdf, p. 1-2]" in to_markdown(r)


# --- report forms ----------------------------------------------------------------------------


def test_report_json_round_trips(report):
    text = report.to_json()
    data = json.loads(text)
    assert set(data) >= TOP_LEVEL_KEYS
    assert data["schema"] == "longbrief.report/1"
    assert data == json.loads(json.dumps(report.to_dict()))
    assert data["brief_text"] == " ".join(s.text for s in report.brief)
    for d, summary in zip(data["documents"], report.documents, strict=True):
        assert d["summary"] == summary.text
        for s in d["sentences"]:
            assert set(s) == {"text", "citations", "origin", "score"}
            for c in s["citations"]:
                assert set(c) == {"doc_id", "pages", "start", "end", "quote"}
    assert set(data["guard"]) == {"checked", "dropped", "replaced"}
    assert [t["id"] for t in data["terms"]] == [d.doc_id for d in report.documents]
    flag_keys = {"field", "kind", "severity", "a", "b", "explanation", "governs", "rule"}
    for flag in data["conflicts"]:
        assert flag_keys <= set(flag)


def test_markdown_has_brief_summaries_and_page_citations(report):
    md = to_markdown(report)
    assert md.startswith("# Brief (extractive)\n")
    for doc in report.documents:
        assert f"`{doc.doc_id}`, {doc.n_pages} pages" in md
    assert re.search(r"\[01_master_services_agreement\.pdf, p\. \d+(-\d+)?\]", md)
    assert "[03_amendment_no_1.pdf, p. 1]" in md
    for s in all_sentences(report):
        assert s.text in md
    assert "## Timings" in md and "| encode |" in md


# --- the extractive head (a trained checkpoint) ----------------------------------------------


def test_trained_extractive_head_replaces_lead(tiny_checkpoint, documents):
    eng = Engine.load(EngineConfig(checkpoint=tiny_checkpoint(("extractive",)), bf16=False))
    assert eng.has_extractive_head and not eng.has_decoder
    segs = [segment(documents["03_amendment_no_1.pdf"])]
    bundle = eng.encode(segs)
    (doc,) = bundle.documents
    scores = sentence_scores(eng, bundle, doc)
    assert len(scores) == len(segs[0].sentences)
    assert scores == head_scores(eng, bundle, doc)
    assert scores != lead_scores(segs[0])
    assert all(isinstance(x, float) for x in scores)

    report = summarize_documents(eng, [segs[0].doc], SummaryOptions(summary_words=50))
    (summary,) = report.documents
    by_span = {(s.start, s.end): i for i, s in enumerate(segs[0].sentences)}
    for s in summary.sentences:
        (c,) = s.citations
        assert s.origin == "extracted"
        assert s.score == round(scores[by_span[(c.start, c.end)]], 4)
    with pytest.raises(ModeUnavailable):
        summarize_documents(eng, [segs[0].doc], SummaryOptions(mode="hybrid"))


def test_head_with_sentence_features_reads_them_in_the_pipeline(documents, tmp_path):
    from lm.checkpoint import save_checkpoint
    from lm.config import ModelConfig
    from lm.model import LongBriefModel

    names = ("textrank", "amount", "heading")
    torch.manual_seed(0)
    model = LongBriefModel(ModelConfig.from_name("tiny", extractive_features=names))
    directory = save_checkpoint(model, tmp_path / "tiny-features", trained=("extractive",))
    eng = Engine.load(EngineConfig(checkpoint=directory, bf16=False))
    seg = segment(documents["02_statement_of_work.pdf"])
    bundle = eng.encode([seg])
    (doc,) = bundle.documents
    scores = head_scores(eng, bundle, doc)

    memory = bundle.memory[doc.token_start : doc.token_start + doc.n_tokens]
    ids = torch.tensor(doc.sentence_of_token)
    features = sentence_features([s.text for s in seg.sentences], names)
    logits = eng.model.extractive(memory[None], ids[None], len(seg.sentences), features[None])[0]
    assert scores == rank_scores(logits.tolist(), seg.sentences)
    # The features matter: zeroing them changes the scores.
    zeroed = eng.model.extractive(
        memory[None], ids[None], len(seg.sentences), torch.zeros_like(features)[None]
    )[0]
    assert not torch.allclose(zeroed, logits)
    report = summarize_documents(eng, [seg.doc], SummaryOptions(summary_words=60, terms=False))
    assert report.documents[0].sentences


def test_sentence_features_columns_follow_the_names():
    texts = [
        "MASTER SERVICES AGREEMENT",
        "Revenue rose 12% to $1.4 billion in the third quarter of 2024.",
        "The supplier shall deliver the services described in each statement of work.",
        "The services described in each statement of work shall be delivered on time.",
    ]
    both = sentence_features(texts, ("amount", "heading"))
    assert both.shape == (4, 2) and both.dtype == torch.float32
    assert both[:, 0].tolist() == [0.0, 1.0, 0.0, 0.0]
    assert both[:, 1].tolist() == [1.0, 0.0, 0.0, 0.0]
    swapped = sentence_features(texts, ("heading", "amount"))
    assert torch.equal(swapped, both.flip(1))
    numbers = sentence_features(texts, ("numbers", "number_share", "log_index"))
    # 12, 1, 4, 2024: four number-bearing words of at most five counted.
    assert numbers[1, 0] == pytest.approx(0.8) and numbers[2, 0] == 0.0
    assert 0.0 < numbers[1, 1] < 1.0 and numbers[0, 1] == 0.0
    assert numbers[0, 2] == 0.0 and torch.all(numbers[1:, 2] > numbers[:-1, 2])
    central = sentence_features(texts, ("textrank", "textrank_rank"))
    scores = textrank_scores(texts)
    assert int(central[:, 1].argmin()) == int(scores.argmax())  # rank 0 = most central
    assert torch.allclose(central[:, 0].exp().pow(3), torch.tensor(scores * 4), rtol=1e-4)
    assert sentence_features([], ("textrank",)).shape == (0, 1)
    with pytest.raises(ValueError, match="unknown sentence features"):
        sentence_features(texts, ("sentiment",))


def test_the_textrank_baseline_is_the_pipeline_centrality():
    from training import baselines

    assert baselines.textrank_scores is textrank_scores


# --- extractive ranking and selection ----------------------------------------------------------


def test_lead_scores_push_headings_last():
    text = (
        "Short line.\n\nThe parties agree to the following terms today. "
        "THE SUPPLIER DISCLAIMS ALL IMPLIED WARRANTIES HEREIN. "
        "Payment is due within thirty days of the invoice date."
    )
    (doc,) = ingest_bytes("lead.txt", text.encode()).documents
    seg = segment(doc)
    scores = lead_scores(seg)
    assert len(scores) == len(seg.sentences) == 4, seg.sentences
    assert scores[1] > scores[3] > -10 >= scores[0] > scores[2]
    assert select(seg, scores, 5) == [1]
    assert select(seg, scores, 12) == [1, 3]
    assert select(seg, scores, 1000) == [0, 1, 2, 3]


def test_select_skips_near_duplicates_and_keeps_document_order():
    text = (
        "Customer shall pay every invoice within thirty days of receipt.\n\n"
        "Customer shall pay every invoice within thirty days of receipt!\n\n"
        "Supplier shall deliver the platform by the milestone date agreed."
    )
    (doc,) = ingest_bytes("dup.txt", text.encode()).documents
    seg = segment(doc)
    assert len(seg.sentences) == 3
    assert select(seg, [3.0, 2.0, 1.0], 1000) == [0, 2]
    assert select(seg, [1.0, 2.0, 3.0], 1000) == [1, 2]
    assert select(seg, [1.0, 2.0, 3.0], 1000, max_overlap=1.0) == [0, 1, 2]


# --- the engine --------------------------------------------------------------------------------


def test_bundle_layout_and_token_sentence_map(engine, documents):
    segs = [segment(d) for d in documents.values()]
    bundle = engine.encode(segs, with_memory=False)
    assert bundle.memory is None
    tok = engine.tokenizer
    ids = bundle.ids.tolist()
    assert ids[0] == tok.cls_id
    position = 1
    for d, seg in zip(bundle.documents, segs, strict=True):
        assert d.token_start == position
        assert tuple(ids[position : position + d.n_tokens]) == d.ids
        assert ids[position + d.n_tokens] == tok.sep_id
        position += d.n_tokens + 1
        assert len(d.offsets) == len(d.sentence_of_token) == d.n_tokens
        for (a, _), s in zip(d.offsets, d.sentence_of_token, strict=True):
            if s >= 0:
                assert seg.sentences[s].start <= a < seg.sentences[s].end
            else:
                assert all(not (x.start <= a < x.end) for x in seg.sentences)
        first = d.sentence_tokens(0)
        assert first and all(d.sentence_of_token[p - d.token_start] == 0 for p in first)
    assert position == len(ids)


def test_long_bundle_is_encoded_in_passes_of_whole_documents(tiny_checkpoint):
    texts = [
        "The Supplier shall deliver the platform. " * 6,
        "Customer shall pay within thirty days. " * 5,
        "This Agreement is governed by Delaware law. " * 7,
    ]
    segs = [
        segment(ingest_bytes(f"d{i}.txt", t.encode()).documents[0]) for i, t in enumerate(texts)
    ]
    ckpt = tiny_checkpoint(("abstractive", "extractive"))
    eng = Engine.load(EngineConfig(checkpoint=ckpt, bf16=False, max_tokens=60))
    docs = eng.tokenize(segs)
    n = len(eng._bundle_ids(docs))
    ends = eng._pass_ends(docs, n)
    doc_ends = [d.token_start + d.n_tokens + 1 for d in docs]
    assert len(ends) > 1 and ends[-1] == n
    assert set(ends) <= set(doc_ends)
    bundle = eng.encode(segs)
    assert bundle.memory.shape == (n, eng.model.cfg.d_model)
    start = 0
    with torch.inference_mode():
        for end in ends:
            alone = eng.model.encode(bundle.ids[None, start:end])[0]
            torch.testing.assert_close(bundle.memory[start:end], alone)
            start = end
    one_pass = Engine(eng.model, eng.tokenizer, "x", eng.trained, EngineConfig(bf16=False))
    assert one_pass._pass_ends(docs, n) == [n]


def test_engine_checkpoint_resolution(engine, tiny_checkpoint, tmp_path, monkeypatch):
    # The committed default checkpoint: MiniLM's block-local encoder with a trained head.
    assert engine.name == "default"
    assert engine.trained == ("extractive",)
    assert engine.model.cfg.encoder_layers == ("local",) * 6
    # Installed from a wheel: the source tree's copy is absent, the data-files copy is found.
    monkeypatch.setattr("pipeline.engine.DEFAULT_CHECKPOINT", tmp_path / "absent")
    installed = tiny_checkpoint(("extractive",))
    monkeypatch.setattr("pipeline.engine.INSTALLED_CHECKPOINT", installed)
    assert Engine.resolve(EngineConfig()) == installed
    # Without either, MiniLM itself with no trained heads.
    monkeypatch.setattr("pipeline.engine.INSTALLED_CHECKPOINT", tmp_path / "absent-too")
    assert Engine.identify(EngineConfig()) == (FALLBACK_NAME, ())
    with pytest.raises(FileNotFoundError, match=r"config\.json missing"):
        Engine.load(EngineConfig(checkpoint=tmp_path / "no-such-checkpoint"))
    ckpt = tiny_checkpoint(("abstractive", "extractive"))
    monkeypatch.setenv(CHECKPOINT_ENV, str(ckpt))
    eng = Engine.load(EngineConfig(bf16=False))
    assert eng.name == ckpt.name
    assert eng.trained == ("abstractive", "extractive")
    assert eng.has_decoder and eng.has_extractive_head
    assert eng.model.cfg.name == "tiny"


@pytest.mark.parametrize(
    ("quote", "shown"),
    [
        ('shall not exceed US$500,000.00)."', "shall not exceed US$500,000.00)."),
        ('the words "sixty (60) days" apply.', 'the words "sixty (60) days" apply.'),
        (
            'Section 5 reads: "Fees are due in 30 days."',
            'Section 5 reads: "Fees are due in 30 days."',
        ),
    ],
)
def test_a_quote_keeps_only_balanced_quotation_marks(quote: str, shown: str) -> None:
    assert _unquoted(quote) == shown
