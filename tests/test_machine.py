"""What claimpress may use of this machine (claimpress/machine.py): a container's share of the
cores and of the memory, read from fake cgroup trees and from this machine's own."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from claimpress.machine import give_memory_back, memory_available, usable_cores


def fake_tree(root: Path, files: dict[str, str]) -> str:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return str(root)


@pytest.mark.parametrize("files, most", [
    ({"cpu.max": "150000 100000\n"}, 2),              # cgroup v2: 1.5 cores' time: 2 runs
    ({"cpu.max": "50000 100000\n"}, 1),               # half a core: still one
    ({"cpu.max": "max 100000\n"}, None),              # no quota: the cores it may run on
    ({"cpu/cpu.cfs_quota_us": "100000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 1),  # cgroup v1
    ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),
    ({}, None),
])
def test_usable_cores_keep_to_a_containers_share(tmp_path: Path, files: dict[str, str], most: int | None) -> None:
    cores = len(os.sched_getaffinity(0))
    assert usable_cores(fake_tree(tmp_path, files)) == (cores if most is None else min(cores, most))


def test_the_memory_available_keeps_to_a_containers_limit(tmp_path: Path) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal: 16000000 kB\nMemAvailable:    8000000 kB\n")
    empty = fake_tree(tmp_path / "none", {})
    assert memory_available(empty, str(meminfo)) == 8000000 * 1024
    v2 = fake_tree(tmp_path / "v2", {"memory.max": "3000000000\n", "memory.current": "1000000000\n"})
    assert memory_available(v2, str(meminfo)) == 2000000000
    unlimited = fake_tree(tmp_path / "max", {"memory.max": "max\n", "memory.current": "1000000000\n"})
    assert memory_available(unlimited, str(meminfo)) == 8000000 * 1024
    v1 = fake_tree(tmp_path / "v1", {"memory/memory.limit_in_bytes": "2000000000\n",
                                     "memory/memory.usage_in_bytes": "500000000\n"})
    assert memory_available(v1, str(tmp_path / "no-meminfo")) == 1500000000
    assert memory_available(empty, str(tmp_path / "no-meminfo")) is None


def test_the_memory_available_is_read_where_linux_says_it() -> None:
    meminfo = Path("/proc/meminfo")
    if not meminfo.exists():
        pytest.skip("no /proc/meminfo here")
    stated = next(int(line.split()[1]) * 1024 for line in meminfo.read_text().splitlines()
                  if line.startswith("MemAvailable:"))
    available = memory_available()
    assert available is not None and 0 < available <= stated * 1.5


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the resident set from /proc")
def test_freed_memory_is_given_back_to_the_system() -> None:
    """What the build frees after the generation is handed back before MkDocs runs: strings freed
    among ones still alive stay in this process' heap until give_memory_back."""
    def resident_kb() -> int:
        status = Path("/proc/self/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1))

    before = resident_kb()
    freed, kept = [], []
    for i in range(100_000):
        freed.append(f"freed {i} " * 100)
        if i % 50 == 0:
            kept.append(f"kept {i} " * 100)  # alive among the freed: the heap cannot just shrink
    grown = resident_kb() - before
    assert grown > 50_000
    del freed
    give_memory_back()
    assert resident_kb() - before < grown / 2
    assert len(kept) == 2_000
