"""`longbrief app`: the Streamlit command line it runs (the browser test runs it for real)."""

from __future__ import annotations

from app.launch import MAIN as LAUNCHED
from app.launch import build_parser, command


def test_launch_command_serves_the_app_headless_without_telemetry():
    assert build_parser().parse_args([]).port == 8501
    cmd = command(8600)
    assert cmd[1:5] == ["-m", "streamlit", "run", str(LAUNCHED)]
    options = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert options["--server.port"] == "8600"
    assert options["--server.headless"] == "true"
    assert options["--browser.gatherUsageStats"] == "false"
