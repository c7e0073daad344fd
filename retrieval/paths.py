"""Where longbrief keeps its local data: `$LONGBRIEF_DATA`, else `~/.longbrief`."""

from __future__ import annotations

import os
from pathlib import Path

DATA_ENV = "LONGBRIEF_DATA"


def data_dir() -> Path:
    """The local data directory (not created here)."""
    configured = os.environ.get(DATA_ENV)
    return Path(configured).expanduser() if configured else Path.home() / ".longbrief"


def default_library_dir() -> Path:
    """The persistent library (index + metadata) that `Library.open()` uses by default."""
    return data_dir() / "library"
