"""Retrieval: MiniLM embeddings, a FAISS index on disk and SQLite chunk metadata.

The public API is `retrieval.library.Library` with the records in `retrieval.records`;
`retrieval.embedder.Embedder` computes the sentence embeddings. Nothing is imported here, so that
`import retrieval.embedder` does not pull in faiss.
"""
