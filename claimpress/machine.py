"""What this machine lets claimpress use: cores and memory, as a container sees them.

os.cpu_count() counts the machine's cores, not those a container or a CPU affinity leaves this
process; forking a worker for each of them oversubscribes the ones there are. The check, the
render step and the search index (Pagefind's runs) size their work with these.
"""
from __future__ import annotations

import os


def usable_cores(cgroup: str = "/sys/fs/cgroup") -> int:
    """The cores this process may use: those it may run on (a cpuset), and no more than a
    container's share of processor time allows (cgroup v2 cpu.max, or v1's CFS quota), at least one."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    for limit in (["cpu.max"], ["cpu/cpu.cfs_quota_us", "cpu/cpu.cfs_period_us"]):
        words = " ".join(_read(os.path.join(cgroup, name)) or "" for name in limit).split()
        if len(words) == 2:
            if words[0].isdigit() and words[1].isdigit() and int(words[1]) > 0:  # not "max", not -1
                cores = min(cores, max(1, -(-int(words[0]) // int(words[1]))))
            break
    return max(1, cores)


def memory_available(cgroup: str = "/sys/fs/cgroup", meminfo: str = "/proc/meminfo") -> int | None:
    """Bytes of memory this process can still have without swapping: Linux's MemAvailable, or less
    where the limit of the cgroup at `cgroup` (v2, or v1's memory controller) leaves less; the
    cgroup's usage counts its page cache, so this errs low. None where neither is known."""
    available = None
    for line in (_read(meminfo) or "").splitlines():
        words = line.split()
        if words[:1] == ["MemAvailable:"] and words[1:2] and words[1].isdigit():
            available = int(words[1]) * 1024
    for limit, used in (("memory.max", "memory.current"),
                        ("memory/memory.limit_in_bytes", "memory/memory.usage_in_bytes")):
        words = [(_read(os.path.join(cgroup, name)) or "").strip() for name in (limit, used)]
        if all(words):
            if words[0].isdigit() and words[1].isdigit():  # "max": no limit
                left = max(0, int(words[0]) - int(words[1]))
                available = left if available is None else min(available, left)
            break
    return available


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="ascii") as file:
            return file.read()
    except (OSError, ValueError):
        return None


def watch_by_polling() -> bool:
    """Whether the preview must poll for changes instead of hearing of them from the kernel: where a
    save made from elsewhere sends no notification (a network drive, a Windows drive under WSL2),
    the user sets CLAIMPRESS_POLL=1. Both sides of the preview ask here."""
    return bool(os.environ.get("CLAIMPRESS_POLL"))


def give_memory_back() -> None:
    """Return what this process no longer uses to the system: after the generation, the build waits
    on MkDocs and Pagefind, whose peak comes on top of what it still holds (at 10,000 claims its
    213 MB of resident memory became 123 MB). Python keeps freed memory for reuse, and glibc's
    malloc keeps freed pages; malloc_trim hands them back (elsewhere there is no such call). It is
    looked up among the symbols this process has loaded, which hold the C library's: no search for
    the library's file (ctypes.util.find_library runs ldconfig)."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError, TypeError):  # not glibc (macOS, musl), or no CDLL(None) (Windows)
        pass
