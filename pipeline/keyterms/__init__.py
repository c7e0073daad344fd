"""Key terms of one document (see `pipeline.keyterms.term`, about to be split by field)."""

from pipeline.keyterms.term import DOC_KINDS, extract_terms, terms_to_json

__all__ = ["DOC_KINDS", "extract_terms", "terms_to_json"]
