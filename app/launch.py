"""`longbrief app`: start the web app with Streamlit (local, embedded defaults)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

MAIN = Path(__file__).resolve().parent / "main.py"
PROJECT = MAIN.parent.parent
# Paths the app reads from the environment; made absolute before the working directory changes.
PATH_VARIABLES = ("LONGBRIEF_DATA", "LONGBRIEF_CHECKPOINT")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="longbrief app", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8501, help="port to serve on (default 8501)")
    parser.add_argument(
        "--address", default="localhost", help="address to listen on (default localhost)"
    )
    return parser


def command(port: int, address: str = "localhost") -> list[str]:
    """The `streamlit run` command line for the app."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(MAIN),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]


def main(argv: list[str] | None = None) -> None:
    """Replace this process with the Streamlit server (so signals reach it directly)."""
    args = build_parser().parse_args(argv)
    for name in PATH_VARIABLES:
        if os.environ.get(name):
            os.environ[name] = str(Path(os.environ[name]).expanduser().resolve())
    # Streamlit reads .streamlit/config.toml (the upload limit) from the working directory.
    os.chdir(PROJECT)
    cmd = command(args.port, args.address)
    os.execv(cmd[0], cmd)
