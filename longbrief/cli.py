"""Top-level command dispatcher.

`longbrief train ...` and `longbrief eval ...` go to `training.cli`, `longbrief app` starts the
Streamlit UI, and every other command goes to `pipeline.cli`. Keeping the dispatch here lets
`pipeline` stay free of imports of `training` and `app`.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `longbrief` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else ""
    if command in ("train", "eval"):
        from training.cli import main as training_main

        training_main(args)
        return
    if command == "app":
        from app.launch import main as app_main

        app_main(args[1:])
        return
    from pipeline.cli import main as pipeline_main

    pipeline_main(args)
