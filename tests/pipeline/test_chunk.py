"""Chunking: token budgets, clause boundaries, exact spans, and long-sentence splitting."""

from __future__ import annotations

import hashlib
import itertools
import re
from pathlib import Path

import pytest

from pipeline.chunk import Chunk, chunk, clause_of
from pipeline.document import Document, Page
from pipeline.segment import Segmented, segment

BUNDLE_SRC = Path(__file__).resolve().parents[2] / "examples" / "bundle" / "src"
BUNDLE_SOURCES = sorted(BUNDLE_SRC.glob("*.txt"))


def words(text: str) -> int:
    return len(text.split())


def make_doc(pages: list[str]) -> Document:
    spans, text = [], ""
    for number, body in enumerate(pages, start=1):
        spans.append(Page(number, str(number), len(text), len(text) + len(body)))
        text += body
    return Document("doc", "memory", text, tuple(spans), hashlib.sha256(text.encode()).hexdigest())


def bundle_seg(path: Path) -> Segmented:
    """A sample-bundle source (Markdown markers removed), a page per twelve paragraphs."""
    text = re.sub(r"(?m)^#{1,6} ", "", path.read_text(encoding="utf-8"))
    breaks = [m.end() for m in re.finditer(r"\n\n", text)]
    cuts = sorted({0, *breaks[12::12], len(text)})
    return segment(make_doc([text[a:b] for a, b in itertools.pairwise(cuts)]))


def assert_well_formed(seg: Segmented, chunks: tuple[Chunk, ...], budget: int, count) -> None:
    text = seg.doc.text
    for i, c in enumerate(chunks):
        assert c.index == i
        assert c.text == text[c.start : c.end] == c.text.strip()
        assert c.n_tokens == count(c.text) <= budget
        assert c.page == seg.doc.page_at(c.start).label
        assert 0 <= c.sentence_start < c.sentence_end <= len(seg.sentences)
    for a, b in itertools.pairwise(chunks):
        assert a.end <= b.start and a.sentence_start <= b.sentence_start


def assert_covers_every_sentence(seg: Segmented, chunks: tuple[Chunk, ...]) -> None:
    """Every non-space character of every sentence is in exactly one chunk."""
    covered = [0] * len(seg.doc.text)
    for c in chunks:
        for pos in range(c.start, c.end):
            covered[pos] += 1
    for sentence in seg.sentences:
        for pos in range(sentence.start, sentence.end):
            if not seg.doc.text[pos].isspace():
                assert covered[pos] == 1, (sentence.text, pos)


@pytest.mark.parametrize("budget", [12, 40, 256])
@pytest.mark.parametrize("path", BUNDLE_SOURCES, ids=lambda p: p.stem)
def test_bundle_chunks_respect_budget_and_spans(path: Path, budget: int) -> None:
    seg = bundle_seg(path)
    chunks = chunk(seg, words, max_tokens=budget)
    assert chunks
    assert_well_formed(seg, chunks, budget, words)
    assert_covers_every_sentence(seg, chunks)


@pytest.mark.parametrize("path", BUNDLE_SOURCES, ids=lambda p: p.stem)
def test_bundle_chunks_never_cross_a_clause(path: Path) -> None:
    seg = bundle_seg(path)
    for c in chunk(seg, words, max_tokens=200):
        clauses = {
            clause_of(seg, s.section) for s in seg.sentences[c.sentence_start : c.sentence_end]
        }
        assert clauses == {c.section}


@pytest.mark.parametrize("path", BUNDLE_SOURCES, ids=lambda p: p.stem)
def test_packing_is_greedy(path: Path) -> None:
    """A chunk stops early only at a clause boundary or when the next sentence would not fit."""
    seg = bundle_seg(path)
    sentences, budget = seg.sentences, 60
    chunks = chunk(seg, words, max_tokens=budget)
    for a, b in itertools.pairwise(chunks):
        whole = (
            a.start == sentences[a.sentence_start].start
            and a.end == sentences[a.sentence_end - 1].end
        )
        if whole and a.section == b.section:
            nxt = sentences[a.sentence_end]
            assert words(seg.doc.text[a.start : nxt.end]) > budget


def test_counter_that_charges_for_joins_still_gets_its_budget() -> None:
    """A counter need not be additive: here every line break costs three tokens."""

    def costly(text: str) -> int:
        return len(text.split()) + 3 * text.count("\n")

    seg = bundle_seg(BUNDLE_SOURCES[1])
    chunks = chunk(seg, costly, max_tokens=30)
    assert_well_formed(seg, chunks, 30, costly)
    assert_covers_every_sentence(seg, chunks)


def test_new_clause_starts_new_chunk_even_with_room_left() -> None:
    seg = segment(make_doc(["1.1 Fees. Fees are due. They are fixed.\n\n1.2 Tax. Tax is extra.\n"]))
    chunks = chunk(seg, words, max_tokens=1000)
    assert [c.text for c in chunks] == [
        "1.1 Fees. Fees are due. They are fixed.",
        "1.2 Tax. Tax is extra.",
    ]
    assert [seg.sections[c.section].number for c in chunks] == ["1.1", "1.2"]


def test_list_items_stay_with_their_clause() -> None:
    text = "2.1 Services. Supplier shall:\n\n(a) build it;\n\n(b) run it; and\n\n(c) fix it.\n\n"
    text += "2.2 End. Done.\n"
    seg = segment(make_doc([text]))
    chunks = chunk(seg, words, max_tokens=1000)
    assert [seg.sections[c.section].number for c in chunks] == ["2.1", "2.2"]
    assert chunks[0].text.endswith("(c) fix it.")
    assert (chunks[0].sentence_start, chunks[0].sentence_end) == (0, 4)


def test_long_sentence_is_split_at_word_boundaries() -> None:
    sentence = "Word0 " + " ".join(f"word{i}" for i in range(1, 50)) + "."
    seg = segment(make_doc([f"Short one. {sentence} Short two.\n"]))
    chunks = chunk(seg, words, max_tokens=8)
    assert_well_formed(seg, chunks, 8, words)
    pieces = [c for c in chunks if c.sentence_start == 1]
    assert len(pieces) == 7
    assert all(c.sentence_end == 2 for c in pieces)
    assert " ".join(c.text for c in pieces) == sentence
    assert [c.text for c in chunks if c.sentence_start != 1] == ["Short one.", "Short two."]


def test_word_longer_than_budget_is_cut_between_characters() -> None:
    seg = segment(make_doc(["See https://example.invalid/a-very-long-path-without-spaces now.\n"]))
    chunks = chunk(seg, len, max_tokens=10)
    assert_well_formed(seg, chunks, 10, len)
    assert "".join(c.text for c in chunks) == seg.doc.text.strip().replace(" ", "")


def test_chunk_pages_follow_their_start() -> None:
    seg = segment(
        make_doc(["1. One. Alpha beta.\n\n", "2. Two. Gamma delta.\n\n", "3. Three. Eps.\n"])
    )
    assert [c.page for c in chunk(seg, words, max_tokens=100)] == ["1", "2", "3"]


def test_empty_document_gives_no_chunks() -> None:
    assert chunk(segment(make_doc([])), words) == ()


def test_budget_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_tokens"):
        chunk(segment(make_doc(["Text."])), words, max_tokens=0)


def test_real_tokenizer_budget_on_the_bundle() -> None:
    from lm.tokenizer import Tokenizer
    from lm.weights import BaseWeightsError

    try:
        tokenizer = Tokenizer.minilm()
    except BaseWeightsError as err:
        pytest.skip(f"MiniLM tokenizer not installed: {err}")
    seg = bundle_seg(BUNDLE_SOURCES[0])
    chunks = chunk(seg, tokenizer.count, max_tokens=64)
    assert_well_formed(seg, chunks, 64, tokenizer.count)
    assert_covers_every_sentence(seg, chunks)
