"""Deterministic train/validation splits by record id (never random, never by position)."""

from __future__ import annotations

import hashlib

DEFAULT_VAL_PERMILLE = 100


def bucket(record_id: str) -> int:
    """The id's bucket in 0..999 (sha1 of the id): the same id always falls in the same one."""
    return int(hashlib.sha1(str(record_id).encode("utf-8")).hexdigest(), 16) % 1000


def is_validation(record_id: str, val_permille: int = DEFAULT_VAL_PERMILLE) -> bool:
    """True for the ~val_permille/1000 of ids whose sha1 falls in the validation bucket.

    The same id is always on the same side, whatever the file order or the other records.
    """
    return bucket(record_id) < val_permille
