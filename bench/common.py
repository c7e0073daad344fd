"""Measurement helpers shared by the benchmarks in `bench/`.

A benchmark script uses them in this order:

1. `machine_info()` once: CPU model, cores, torch version, load, date, for the report.
2. `matmul_peak(dtype)` once: the machine's measured matrix-multiply rate (FLOP/s), the yardstick
   for "achieved FLOP/s as a fraction of peak".
3. For each case, `run_isolated(task, *args)`: `task` is a module-level function (spawned processes
   import it by name) that builds its inputs and returns `time_median(fn, repeats)`, or any other
   picklable value. It runs in a fresh spawned process, so the reported `peak_rss_bytes` belongs to
   that one measurement, not to whatever ran before it.
4. `markdown_table(headers, rows)` and `append_results(section, body)` to print the results and
   add them, under `section`, to `bench/RESULTS.md`.

Times are wall-clock seconds (`time.perf_counter`); sizes are bytes; rates are FLOP/s.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import multiprocessing
import os
import platform
import resource
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS.md"
RESULTS_TITLE = "# Benchmark results"

DTYPES: dict[str, torch.dtype] = {"fp32": torch.float32, "bf16": torch.bfloat16}


@dataclass(frozen=True)
class Timing:
    """Wall-clock samples of one call: `median_s` is what benchmarks report."""

    median_s: float
    samples_s: tuple[float, ...]


def time_median(
    fn: Callable[[], object],
    repeats: int = 3,
    warmup_limit_s: float = 1.0,
    min_total_s: float = 0.0,
    max_repeats: int = 100,
) -> Timing:
    """Call `fn` at least `repeats` times after one warm-up call and return the median time.

    The warm-up call (first-call allocation, kernel selection) is discarded, unless it took longer
    than `warmup_limit_s`: then it counts as the first sample, since start-up costs are negligible
    next to it and a 45 s call need not run `repeats + 1` times. With `min_total_s`, calls go on
    until the samples add up to that long (at most `max_repeats` of them): the median of many
    short calls resists a busy machine's hiccups far better than the median of three.
    """
    samples = []
    start = time.perf_counter()
    fn()
    first = time.perf_counter() - start
    if first > warmup_limit_s:
        samples.append(first)
    while len(samples) < repeats or (sum(samples) < min_total_s and len(samples) < max_repeats):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return Timing(statistics.median(samples), tuple(samples))


@dataclass(frozen=True)
class Isolated:
    """What `run_isolated` returns: the task's value and the memory of the process that ran it.

    `peak_rss_bytes` is the process's peak resident set size (see `peak_rss_bytes()`), imports
    included; `start_rss_bytes` is the peak before the task began (interpreter, torch and the
    task's module imported), so their difference is at most what the task itself added.
    """

    value: Any
    peak_rss_bytes: int
    start_rss_bytes: int


def peak_rss_bytes() -> int:
    """This process's peak resident set size in bytes.

    Linux's `ru_maxrss` survives `execve`, so a process spawned from a large parent reports at
    least the parent's size at the fork; the memory map's own high-water mark (`VmHWM` in
    `/proc/self/status`) starts afresh at `execve`. Use it where it exists, `ru_maxrss` elsewhere.
    """
    with contextlib.suppress(OSError), open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def _isolated_entry(
    task: Callable[..., Any], args: tuple, kwargs: dict, threads: int | None
) -> Isolated:
    if threads is not None:
        torch.set_num_threads(threads)
    start = peak_rss_bytes()
    value = task(*args, **kwargs)
    return Isolated(value, peak_rss_bytes(), start)


def run_isolated(
    task: Callable[..., Any],
    *args: Any,
    threads: int | None = None,
    **kwargs: Any,
) -> Isolated:
    """Run `task(*args, **kwargs)` in a fresh spawned process and return an `Isolated`.

    `task` must be importable by name (a module-level function) and its arguments and result
    picklable. `threads` sets `torch.set_num_threads` in that process (default: torch's own).
    An exception in the task is re-raised here; a process killed by the OS (out of memory) raises
    `concurrent.futures.process.BrokenProcessPool`.
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_isolated_entry, task, args, kwargs, threads).result()


def _bare_task() -> None:
    return None


def bare_process_rss() -> int:
    """Peak RSS (bytes) of a spawned process that runs nothing: the floor under all measurements."""
    return run_isolated(_bare_task).peak_rss_bytes


@dataclass(frozen=True)
class MachineInfo:
    """Where and when a benchmark ran."""

    cpu_model: str
    cores: int
    torch_threads: int
    torch_version: str
    python_version: str
    load_average: tuple[float, float, float]
    cpu_pressure: float | None
    date: str

    def describe(self) -> str:
        """One Markdown line for a report."""
        load = ", ".join(f"{x:.1f}" for x in self.load_average)
        pressure = "" if self.cpu_pressure is None else f", CPU pressure {self.cpu_pressure:.0f}%"
        return (
            f"{self.cpu_model}, {self.cores} cores (torch threads {self.torch_threads}), "
            f"torch {self.torch_version}, Python {self.python_version}; "
            f"at start: load average {load}{pressure}; {self.date}"
        )


def cpu_pressure() -> float | None:
    """Percent of the last minute in which some runnable task waited for a CPU (Linux PSI).

    Near 0 on an idle machine; near 100 when other work competes for the cores, and then every
    timing here is inflated. None where `/proc/pressure/cpu` does not exist.
    """
    try:
        with open("/proc/pressure/cpu", encoding="ascii") as psi:
            for line in psi:
                if line.startswith("some "):
                    fields = dict(item.split("=") for item in line.split()[1:])
                    return float(fields["avg60"])
    except (OSError, KeyError, ValueError):
        return None
    return None


def _cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        out = ""
    for line in out.splitlines():
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def machine_info() -> MachineInfo:
    """Describe this machine and the current moment (UTC)."""
    return MachineInfo(
        cpu_model=_cpu_model(),
        cores=len(os.sched_getaffinity(0)),
        torch_threads=torch.get_num_threads(),
        torch_version=torch.__version__,
        python_version=platform.python_version(),
        load_average=os.getloadavg(),
        cpu_pressure=cpu_pressure(),
        date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def matmul_peak(dtype: torch.dtype = torch.float32, n: int = 4096, repeats: int = 5) -> float:
    """Measured FLOP/s of an `n`×`n` @ `n`×`n` matmul in `dtype` (2n³ FLOPs per call).

    The best of `repeats` calls after a warm-up: a peak is what the machine can do, and on a shared
    machine the slower calls measure the neighbours. The operands are created in `dtype` itself,
    so this is the kernel's rate without casts.
    """
    gen = torch.Generator().manual_seed(0)
    a = torch.randn(n, n, generator=gen).to(dtype)
    b = torch.randn(n, n, generator=gen).to(dtype)
    with torch.inference_mode():
        timing = time_median(lambda: torch.matmul(a, b), repeats, warmup_limit_s=float("inf"))
    return 2 * n**3 / min(timing.samples_s)


def format_seconds(seconds: float) -> str:
    """Seconds with three significant digits: `0.00123`, `0.25`, `46.5`."""
    return f"{seconds:.3g}" if seconds < 100 else f"{seconds:.0f}"


def format_mib(n_bytes: int) -> str:
    """Bytes as whole MiB."""
    return f"{n_bytes / 2**20:.0f}"


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table; cells are `str()`-ed.

    A column is right-aligned when most of its non-empty cells are numbers (a note such as
    "not run" among them does not change that).
    """
    cells = [[str(c) for c in row] for row in rows]
    for row in cells:
        if len(row) != len(headers):
            raise ValueError(f"row has {len(row)} cells, expected {len(headers)}: {row}")

    def numeric(col: int) -> bool:
        values = [row[col].replace(",", "").replace("%", "") for row in cells if row[col]]
        return 2 * sum(_is_number(v) for v in values) > len(values)

    rule = ["---:" if numeric(i) else "---" for i in range(len(headers))]
    lines = [headers, rule, *cells]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def append_results(section: str, body: str, path: Path | str = RESULTS_PATH) -> None:
    """Add `body` at the end of the `section` heading's part of the results file.

    `section` is a full Markdown heading line such as `"## Attention op"`. The file is created
    with a `# Benchmark results` title when missing; the section is created at the end of the file
    when missing; other sections are left as they are. An exclusive lock on the file keeps
    benchmarks that finish at the same time from overwriting each other.
    """
    path = Path(path)
    level = section.split(" ", 1)[0]
    with open(path, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        lines = handle.read().splitlines()
        if not lines:
            lines = [RESULTS_TITLE]
        block = ["", *body.strip("\n").splitlines()]
        if section in lines:
            end = lines.index(section) + 1
            while end < len(lines) and not _is_heading_at_or_above(lines[end], level):
                end += 1
            while end > 0 and not lines[end - 1].strip():
                end -= 1
            if end < len(lines) and lines[end].strip():
                block.append("")
            lines[end:end] = block
        else:
            while lines and not lines[-1].strip():
                lines.pop()
            lines += ["", section, *block]
        handle.seek(0)
        handle.truncate()
        handle.write("\n".join(lines) + "\n")


def _is_heading_at_or_above(line: str, level: str) -> bool:
    marks = line.split(" ", 1)[0]
    return bool(marks) and set(marks) == {"#"} and len(marks) <= len(level)
