"""Tests for clause units (pipeline.units) and the extractive selection over them."""

from __future__ import annotations

import hashlib

import pytest
import torch

from lm.checkpoint import save_checkpoint
from lm.config import ModelConfig
from lm.model import LongBriefModel
from pipeline.document import Document
from pipeline.engine import Engine, EngineConfig, map_tokens_to_sentences
from pipeline.extractive import extract, head_scores, reads_units, sentence_scores
from pipeline.ingest import clean_pages
from pipeline.segment import segment
from pipeline.sentence_features import sentence_features
from pipeline.summarize import SummaryOptions, summarize_documents
from pipeline.units import (
    clause_spans,
    clause_units,
    selection_view,
    sentence_view,
    typical_sentence_words,
    wants_units,
)

CALL = (
    "Good morning and thank you for joining our third quarter call today with all of us.\n"
    "In the quarter, we delivered comparable store sales growth of 5.8%, and adjusted operating "
    "income margin of 11.4%, an increase of 11 basis points versus the prior year.\n"
    "Revenue for the quarter rose 12% to $1,234 million; adjusted earnings per share were $0.85 "
    "compared with $0.61 a year ago.\n"
    "We expect full year revenue of $5.2 billion to $5.4 billion, but we remain cautious about "
    "the pace of the recovery in the second half of the year.\n"
)


def document(text: str, doc_id: str = "call") -> Document:
    cleaned, pages = clean_pages([text], ["1"])
    return Document(doc_id, doc_id, cleaned, pages, hashlib.sha256(text.encode()).hexdigest())


def test_clause_spans_cut_at_separators_and_conjunctions_keeping_long_sides():
    text = (
        "Revenue for the quarter rose 12% to $1,234 million; adjusted earnings per share were "
        "$0.85 compared with $0.61 a year ago, and the board raised the dividend by two cents."
    )
    pieces = [text[a:b] for a, b in clause_spans(text)]
    assert pieces == [
        "Revenue for the quarter rose 12% to $1,234 million",
        "adjusted earnings per share were $0.85 compared with $0.61 a year ago",
        "the board raised the dividend by two cents.",
    ]


def test_short_sides_stay_attached_and_numbers_are_never_cut():
    text = "In Q2, sales were $1,234.5 million, up 5.8% today."
    assert clause_spans(text) == [(0, len(text))]
    assert clause_spans("And so it goes, and the quarter ended.") == [(0, 38)]
    # A sentence that opens with a conjunction keeps it.
    opening = "And we delivered record revenue this quarter, while costs fell by a third overall."
    assert opening[slice(*clause_spans(opening)[0])].startswith("And we delivered")


def test_dates_number_lists_and_spelled_figures_are_not_cut():
    for text in (
        "This Master Services Agreement is entered into as of March 1, 2024 (the Effective "
        "Date) by and between the two parties named below.",
        "The indemnification obligations of a Party under Sections 10.1, 10.2 and 10.3 of "
        "this Agreement survive any termination.",
        "Late payments bear interest at the rate of one and one-half percent per month until "
        "they are paid in full by the Customer.",
        "The total aggregate liability of each Party arising out of this Agreement, shall not "
        "exceed USD 250,000 in the aggregate.",
    ):
        assert clause_spans(text) == [(0, len(text))], text
    # A figure before the cut and words after it is still a clause boundary.
    text = (
        "We delivered comparable store sales growth of 5.8%, and adjusted operating income "
        "margin of 11.4% for the quarter."
    )
    assert [text[a:b] for a, b in clause_spans(text)] == [
        "We delivered comparable store sales growth of 5.8%",
        "adjusted operating income margin of 11.4% for the quarter.",
    ]


def test_operative_contract_sentences_stay_whole():
    for text in (
        "If Customer does not give a written list of material non-conformities within the "
        "period in Section 6.1, the Deliverable shall be deemed accepted on the last day of it.",
        "Except for the Excluded Claims, the total aggregate liability of each Party arising "
        "out of this Agreement, whether in contract, tort or otherwise, shall not exceed "
        "US$500,000.",
        '"Confidential Information" means all non-public information disclosed by a Party, '
        "whether orally or in writing, that is marked confidential or should reasonably be "
        "understood to be confidential.",
    ):
        assert clause_spans(text) == [(0, len(text))], text


def test_clause_units_are_exact_source_spans_inside_their_sentence():
    seg = segment(document(CALL))
    view = clause_units(seg)
    assert view.split and len(view.seg.sentences) > len(seg.sentences)
    for i, unit in enumerate(view.seg.sentences):
        assert unit.index == i
        assert unit.text == seg.doc.text[unit.start : unit.end]
        parent = seg.sentences[view.parent[i]]
        assert parent.start <= unit.start < unit.end <= parent.end
        assert view.parent_text[i] == parent.text
    assert list(view.parent) == sorted(view.parent)
    assert sorted(set(view.parent)) == list(range(len(seg.sentences)))
    starts = [u.start for u in view.seg.sentences]
    assert starts == sorted(starts)


def test_units_are_chosen_for_short_budgets_only_and_only_when_allowed():
    seg = segment(document(CALL))
    typical = typical_sentence_words(seg)
    assert typical > 15
    assert wants_units(seg, 40) and not wants_units(seg, int(10 * typical))
    assert selection_view(seg, 40, units=True).split
    assert not selection_view(seg, 40, units=False).split
    assert selection_view(seg, int(10 * typical), units=True) == sentence_view(seg)


def test_unit_share_is_one_for_sentences_and_the_clause_share_for_units():
    seg = segment(document(CALL))
    assert torch.all(sentence_view(seg).features(("unit_share",)) == 1.0)
    view = clause_units(seg)
    share = view.features(("unit_share",))[:, 0]
    whole = [u.text == p for u, p in zip(view.seg.sentences, view.parent_text, strict=True)]
    assert all((s == 1.0) == w for s, w in zip(share.tolist(), whole, strict=True))
    assert torch.all((share > 0) & (share <= 1))
    with pytest.raises(ValueError, match="parent sentences"):
        sentence_features(["a b c"], ("unit_share",), parents=[])


@pytest.fixture(scope="module")
def unit_engine(tmp_path_factory) -> Engine:
    names = ("amount", "heading", "unit_share")
    torch.manual_seed(0)
    model = LongBriefModel(ModelConfig.from_name("tiny", extractive_features=names))
    directory = tmp_path_factory.mktemp("units") / "tiny-units"
    save_checkpoint(model, directory, trained=("extractive",))
    return Engine.load(EngineConfig(checkpoint=directory, bf16=False))


def test_a_head_that_reads_units_scores_each_unit_over_its_own_tokens(unit_engine):
    assert reads_units(unit_engine)
    seg = segment(document(CALL))
    bundle = unit_engine.encode([seg])
    (doc,) = bundle.documents
    short = extract(unit_engine, bundle, doc, 30)
    assert short.view.split
    assert len(short.scores) == len(short.view.seg.sentences)
    assert list(short.scores) == head_scores(unit_engine, bundle, doc, short.view)
    ids = torch.tensor(map_tokens_to_sentences(short.view.seg, doc.offsets))
    memory = bundle.memory[doc.token_start : doc.token_start + doc.n_tokens]
    pooled, counts = unit_engine.model.extractive.pool(
        memory[None], ids[None], len(short.view.seg.sentences)
    )
    assert torch.all(counts > 0)
    first = ids == 0
    assert torch.allclose(pooled[0, 0], memory[first].mean(dim=0), atol=1e-5)

    long = extract(unit_engine, bundle, doc, 500)
    assert not long.view.split
    assert list(long.scores) == sentence_scores(unit_engine, bundle, doc)


def test_extractive_summary_of_units_quotes_the_source(unit_engine):
    doc = document(CALL)
    report = summarize_documents(
        unit_engine, [doc], SummaryOptions(summary_words=30, brief_words=30, terms=False)
    )
    (summary,) = report.documents
    assert summary.sentences
    for s in [*summary.sentences, *report.brief]:
        (c,) = s.citations
        assert s.origin == "extracted"
        assert " ".join(doc.text[c.start : c.end].split()) == s.text
    spans = [(c.start, c.end) for s in summary.sentences for c in s.citations]
    sentences = segment(doc).sentences
    assert any((a, b) not in {(x.start, x.end) for x in sentences} for a, b in spans)


def test_agreement_making_sentences_stay_whole():
    text = (
        'This Supply Addendum (this "Addendum") is entered into as of June 2, 2025 by and '
        'between Northgate Mills Ltd. ("Buyer") and Ostrava Fibre a.s. ("Seller"), and '
        "supplements the framework agreement between the two companies dated January 9, 2023."
    )
    assert clause_spans(text) == [(0, len(text))]


def test_no_cut_inside_brackets_or_quotes():
    text = (
        "The quarter closed with record deliveries across every region we serve "
        "(orders from the northern depots, the coastal hubs and the new inland yards), "
        "while freight costs kept falling through the final month of the period."
    )
    pieces = [text[a:b] for a, b in clause_spans(text)]
    assert all(p.count("(") == p.count(")") for p in pieces), pieces
    assert len(pieces) == 2
    quoted = (
        'Management called the result "a quarter of steady, careful and very broad growth '
        'across the whole network of depots", and guidance for the year was raised again today.'
    )
    assert all(p.count('"') % 2 == 0 for a, b in clause_spans(quoted) for p in [quoted[a:b]])
