"""`keep_freed_memory`: large freed tensors are reused without faulting their pages in again."""

from __future__ import annotations

import json
import platform
import subprocess
import sys

import pytest

# In a fresh interpreter, five rounds of three 96 MB float32 tensors (far above glibc's largest
# mmap threshold, 32 MB), each round freeing its tensors; prints the pages each round faulted in.
PROBE = """
import json, resource, sys, torch
from lm.runtime import keep_freed_memory
enabled = keep_freed_memory() if sys.argv[1] == "on" else False
faults = []
for _ in range(5):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    a = torch.ones(24 * 2**20)
    b = a * 2.0
    c = a + b
    del a, b, c
    faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
print(json.dumps({"enabled": enabled, "faults": faults}))
"""


def _probe(setting: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, setting], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="mallopt tuning is glibc-only",
)
def test_large_allocations_reuse_freed_pages() -> None:
    off, on = _probe("off"), _probe("on")
    assert on["enabled"]
    # Without the setting every round faults all its pages in again (~74k); with it, rounds
    # after the first land partly on pages the heap kept (measured 0.58-0.67 of that).
    later_off, later_on = sum(off["faults"][1:]), sum(on["faults"][1:])
    assert min(off["faults"]) > 0.9 * off["faults"][0], off
    assert later_on < 0.8 * later_off, (on, off)
