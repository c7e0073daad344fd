"""The status panel: the pipeline's stages (reading, encoding, summarizing, comparing) as they run.

`StatusTimer` is the pipeline's own `Timer`, so it records exactly the stages and times that
`summarize_documents` reports; it only also shows each stage in the panel when it starts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import streamlit as st

from pipeline.report import StageTiming
from pipeline.summarize import Timer

PHASES = ("Reading", "Encoding", "Summarizing", "Comparing")
# The pipeline's stage names (Timer.stage) grouped into the four phases a reader cares about.
PHASE_OF = {
    "ingest": "Reading",
    "segment": "Reading",
    "encode": "Encoding",
    "extract": "Summarizing",
    "summarize": "Summarizing",
    "terms": "Comparing",
    "compare": "Comparing",
}
_DONE = ":material/check_circle:"
_RUNNING = ":material/pending:"
_WAITING = ":material/radio_button_unchecked:"


def phase_seconds(timings: Sequence[StageTiming]) -> dict[str, float]:
    """Seconds per phase, summed over the pipeline stages of each."""
    out: dict[str, float] = {}
    for t in timings:
        phase = PHASE_OF.get(t.stage, t.stage.capitalize())
        out[phase] = out.get(phase, 0.0) + t.seconds
    return out


def steps_markdown(
    timings: Sequence[StageTiming], current: str | None = None, detail: str = ""
) -> str:
    """One line per phase: done (with its time), running (with `detail`), or waiting."""
    seconds = phase_seconds(timings)
    lines = []
    for phase in PHASES:
        if phase == current:
            lines.append(f"{_RUNNING} **{phase}** {detail}".rstrip())
        elif phase in seconds:
            lines.append(f"{_DONE} {phase} · {seconds[phase]:.2f} s")
        else:
            lines.append(f"{_WAITING} :gray[{phase}]")
    return "  \n".join(lines)


class StatusTimer(Timer):
    """A pipeline `Timer` that shows each stage in an `st.status` panel as it starts."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.panel = st.status(label, expanded=True)
        self._bar = self.panel.progress(0.0)
        self._steps = self.panel.empty()

    def _show(self, phase: str, detail: str = "", fraction: float = 0.0) -> None:
        index = PHASES.index(phase) if phase in PHASES else len(PHASES) - 1
        self._bar.progress(min(1.0, (index + fraction) / len(PHASES)))
        self._steps.markdown(steps_markdown(self.timings, phase, detail))

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time stage `name` (as `Timer` does), showing its phase while it runs."""
        self._show(PHASE_OF.get(name, name))
        with super().stage(name):
            yield

    def reading(self, done: int, total: int) -> None:
        """Progress inside the reading phase: `done` of `total` files read."""
        self._show("Reading", f"file {min(done + 1, total)} of {total}", done / max(total, 1))

    def finish(self, label: str, timings: Sequence[StageTiming], state: str = "complete") -> None:
        """Close the panel: every phase with its time, collapsed under `label`."""
        self._bar.progress(1.0)
        self._steps.markdown(steps_markdown(timings))
        self.panel.update(label=label, state=state, expanded=False)


def done_panel(label: str, timings: Sequence[StageTiming], state: str = "complete") -> None:
    """The closed status panel of a run already made, as `StatusTimer.finish` left it."""
    with st.status(label, state=state, expanded=False):  # type: ignore[arg-type]
        st.progress(1.0)
        st.markdown(steps_markdown(timings))
