"""Real MiniLM embeddings: a query finds the clause that means it, not one that shares words."""

from __future__ import annotations

from retrieval_fakes import chunks_of, sha

from retrieval.library import Library

MSA = [
    "This Agreement shall be construed in accordance with the laws of the State of Delaware, "
    "without regard to its conflict of laws principles.",
    "Client shall pay all undisputed invoices within thirty (30) days of receipt.",
    "The term of this Agreement is two (2) years from the Effective Date.",
]
SOW = [
    "Invoices under this SOW are payable net forty-five (45) days.",
    "This SOW is governed by New York law.",
]


def test_governing_law_query_finds_delaware_clause(minilm_embedder):
    lib = Library.in_memory(minilm_embedder)
    lib.add_document("msa", "MSA", "msa.pdf", sha("msa"), chunks_of(MSA))
    hits = lib.search("governing law", k=3, doc_ids=["msa"])
    assert "Delaware" in hits[0].chunk.text
    assert hits[0].score > hits[1].score

    lib.add_document("sow", "SOW", "sow.pdf", sha("sow"), chunks_of(SOW))
    pairs = lib.nearest_across("msa", "sow", k=1)
    assert "New York" in pairs[0].matches[0].chunk.text
    assert "net forty-five" in pairs[1].matches[0].chunk.text
